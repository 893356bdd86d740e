"""The demo office: its organisation (office.yaml) and its knowledge-base articles (articles/)."""
