"""Ranked knowledge-base search, identical on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from domain.kb_document import ArticleDoc
from storage.kb_articles import save_article
from storage.kb_search import search_articles


def _save(engine, now, slug, title, body="", language="pl", **extra):
    return save_article(engine, doc=ArticleDoc(slug=slug, title=title, language=language,
                                               body=body, **extra),
                        now=now, agent_id=None, actor="test")


@pytest.fixture
def library(engine, now):
    _save(engine, now, "wywoz-odpadow", "Wywóz odpadów komunalnych",
          "Odpady odbieramy we wtorki. Płatność za wywóz przelewem.", tags=("odpady",))
    _save(engine, now, "eletrodomesticos", "Recolha de eletrodomésticos",
          "Marque a recolha de eletrodomésticos velhos.", language="pt")
    _save(engine, now, "strasse", "Straßenbeleuchtung defekt", "Eine Lampe in der Straße ist aus.",
          language="de")
    _save(engine, now, "ijsje", "Gladheid en ĳzel", "Een ĳsje is geen strooizout.", language="nl")
    _save(engine, now, "oplaty", "Opłaty i płatności", "Płatność kartą lub przelewem.",
          tags=("platnosci",))
    _save(engine, now, "szkic", "Wywóz gruzu (szkic)", "Wywóz gruzu po remoncie.", status="draft")
    return engine


def _slugs(engine, text, **kwargs):
    return [hit.slug for hit in search_articles(engine, text, **kwargs)]


@pytest.mark.parametrize("typed, slug", [
    ("wywoz odpadow", "wywoz-odpadow"), ("eletrodomesticos", "eletrodomesticos"),
    ("platnosc", "oplaty"), ("strasse", "strasse"), ("ijsje", "ijsje"), ("IJZEL", "ijsje"),
    ("WYWÓZ ODPADÓW", "wywoz-odpadow")])
def test_search_ignores_diacritics_and_case(library, typed, slug):
    assert slug in _slugs(library, typed)


def test_typing_the_start_of_a_word_finds_it(library):
    assert _slugs(library, "wyw") == ["wywoz-odpadow"]
    assert _slugs(library, "eletrod") == ["eletrodomesticos"]


def test_a_whole_word_also_finds_its_inflected_forms(engine, now):
    _save(engine, now, "harmonogram", "Harmonogram wywozu odpadów", "Terminy.")
    assert _slugs(engine, "wywoz odpadow") == ["harmonogram"]


def test_an_unfinished_short_last_word_is_ignored_while_typing(library):
    assert _slugs(library, "wywoz o") == ["wywoz-odpadow"]
    assert _slugs(library, "wywoz o", typing=False) == []


def test_a_title_hit_ranks_above_a_body_hit(engine, now):
    _save(engine, now, "body-many", "Harmonogram", "kontener kontener kontener kontener kontener")
    _save(engine, now, "title-one", "Kontener na gruz", "Zamów przez telefon.")
    hits = search_articles(engine, "kontener")
    assert [h.slug for h in hits] == ["title-one", "body-many"]
    assert hits[0].score > hits[1].score


def test_every_word_must_match(library):
    assert _slugs(library, "wywoz przelewem") == ["wywoz-odpadow"]
    assert _slugs(library, "wywoz eletrodomesticos") == []


def test_agents_see_published_articles_only_and_supervisors_see_drafts(library):
    assert _slugs(library, "gruzu") == []
    assert _slugs(library, "gruzu", include_drafts=True) == ["szkic"]


def test_filters_by_language_tag_and_problem_code(engine, now):
    from tests.storage.kb_fixtures import add_problem_code

    add_problem_code(engine, "appliance-pickup")
    _save(engine, now, "pl-lodowka", "Odbiór lodówki", "Lodówka", problem_codes=("appliance-pickup",),
          tags=("agd",))
    _save(engine, now, "en-fridge", "Fridge pickup lodówka", "Lodówka", language="en")
    assert sorted(_slugs(engine, "lodowka")) == ["en-fridge", "pl-lodowka"]
    assert _slugs(engine, "lodowka", language="en") == ["en-fridge"]
    assert _slugs(engine, "lodowka", tag="AGD") == ["pl-lodowka"]
    assert _slugs(engine, "lodowka", problem_code="appliance-pickup") == ["pl-lodowka"]
    assert _slugs(engine, "lodowka", problem_code="pothole") == []


@pytest.mark.parametrize("nasty", ['"', "AND (", "*", "NEAR(a b)", "a OR", "^x", "-", "'; DROP TABLE article; --",
                                   "{search_title}:x", "title:*", ":*", "a & b | !c", "\\"])
def test_query_syntax_in_user_text_never_errors(library, nasty):
    search_articles(library, nasty)
    search_articles(library, nasty, typing=False)


def test_snippets_mark_the_hit_in_the_original_spelling(library):
    [hit] = search_articles(library, "platnosc kar")
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.highlights]
    assert marked == ["Płatność", "kartą"]
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["płatności"]
    [hit] = search_articles(library, "strasse")
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["Straßenbeleuchtung"]
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.highlights] == ["Straße"]


def test_a_changed_article_is_found_by_its_new_words_only(library, now):
    _save(library, now, "ijsje", "Gladheid", "Strooizout bij de gemeente.", language="nl")
    assert _slugs(library, "ijsje") == []
    assert _slugs(library, "strooizout") == ["ijsje"]


def test_many_matches_still_rank_titles_first_and_respect_the_limit(engine, now):
    for i in range(30):
        _save(engine, now, f"body-{i}", f"Artykuł {i}", "termin odbioru " * (i + 1))
    _save(engine, now, "title", "Termin odbioru", "Zobacz harmonogram.")
    hits = search_articles(engine, "termin", limit=5)
    assert len(hits) == 5 and hits[0].slug == "title"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_few_candidates_per_tier_give_the_same_results_as_many(engine, now, monkeypatch):
    """When filters drop most of a tier's best candidates, every match is ranked instead."""
    import storage.kb_search
    for i in range(6):
        _save(engine, now, f"t-{i}", f"Termin odbioru {i}", "Harmonogram.", language="pl" if i % 3 else "en")
        _save(engine, now, f"b-{i}", f"Artykuł {i}", "termin odbioru " * (i + 1),
              language="pl" if i % 2 else "en", status="draft" if i == 4 else "published")
    _save(engine, now, "h", "Harmonogram wywozu", "Opis.", language="en")
    queries = [("termin odbioru", 20), ("termin", 5), ("harmonogram", 20)]
    many = [[(h.slug, h.score) for h in search_articles(engine, q, language="en", limit=n)] for q, n in queries]
    monkeypatch.setattr(storage.kb_search, "CANDIDATES", 2)
    assert [[(h.slug, h.score) for h in search_articles(engine, q, language="en", limit=n)]
            for q, n in queries] == many
    assert [h.slug for h in search_articles(engine, "harmonogram", language="en")] == ["h", "t-0", "t-3"]
    assert [h.slug for h in search_articles(engine, "termin odbioru", language="en")] == [
        "t-0", "t-3", "b-2", "b-0"]
