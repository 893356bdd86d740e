"""Articles: import all-or-nothing, versions, links (broken ones too), export round trip, usage."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from domain.errors import InvalidInput
from domain.kb_files import ArticleFileErrors, write_articles
from storage.agents import add_agent
from storage.engine import read_session
from storage.kb_articles import iter_docs, article_versions, get_article, save_article
from storage.kb_report import kb_report
from storage.kb_usage import log_search, popular_articles, record_answer, record_opened
from storage.requests import open_request, request_detail
from storage.tables import Article, ArticleVersion
from tests.storage.kb_fixtures import add_problem_code, article_file, import_paths

BINS = """title: Wywóz odpadów
language: pl
tags: [odpady]
phones:
  - label: Biuro
    number: "+48 22 123 45 67"
links: [oplaty, nie-ma-takiego]
problem_codes: [appliance-pickup]
script: |
  Dzień dobry.
  Odpady odbieramy we wtorki."""
FEES = "title: Opłaty\nlanguage: pl\nslug: oplaty"


@pytest.fixture
def files(tmp_path, engine):
    add_problem_code(engine, "appliance-pickup")
    folder = tmp_path / "kb"
    folder.mkdir()
    article_file(folder, "wywoz.md", BINS, "Zobacz też [opłaty](kb:oplaty) i [gabaryty](kb:gabaryty).")
    article_file(folder, "oplaty.md", FEES, "Płatność przelewem.")
    return folder


def test_import_creates_articles_resolves_links_and_reports_broken_ones(engine, files, now):
    result = import_paths(engine, [files], now)
    assert sorted(result.created) == ["oplaty", "wywoz"]
    assert result.broken_links == [("wywoz", "gabaryty"), ("wywoz", "nie-ma-takiego")]
    article = get_article(engine, slug="wywoz")
    assert article.doc.phones[0].number == "+48221234567"
    assert article.doc.problem_codes == ("appliance-pickup",)
    states = {link.slug: link.broken for link in article.links}
    assert states == {"oplaty": False, "nie-ma-takiego": True, "gabaryty": True}
    assert [v.version for v in article_versions(engine, article_id=article.id)] == [1]


def test_a_link_is_repaired_when_its_target_arrives_later(engine, files, now, tmp_path):
    import_paths(engine, [files], now)
    later = tmp_path / "later"
    later.mkdir()
    article_file(later, "nie-ma-takiego.md", "title: Już jest\nlanguage: pl")
    assert import_paths(engine, [later], now).broken_links == []
    states = {link.slug: link.broken for link in get_article(engine, slug="wywoz").links}
    assert states["nie-ma-takiego"] is False


def test_import_export_import_changes_nothing(engine, files, now, tmp_path):
    import_paths(engine, [files], now)
    exported = tmp_path / "exported"
    assert write_articles(iter_docs(engine), exported) == 2
    again = import_paths(engine, [exported], now + timedelta(hours=1))
    assert again.created == [] and again.updated == [] and again.unchanged == 2
    with read_session(engine) as session:
        assert len(session.exec(select(ArticleVersion)).all()) == 2


def test_reimporting_a_changed_file_updates_it_and_keeps_the_old_version(engine, files, now):
    import_paths(engine, [files], now)
    article_file(files, "oplaty.md", FEES, "Płatność kartą.")
    result = import_paths(engine, [files], now + timedelta(hours=1))
    assert result.updated == ["oplaty"] and result.unchanged == 1
    article = get_article(engine, slug="oplaty")
    assert article.version == 2 and article.doc.body == "Płatność kartą."
    versions = article_versions(engine, article_id=article.id)
    assert [(v.version, v.changed) for v in versions] == [(1, ["slug", "title", "language", "body", "kind", "status"]),
                                                         (2, ["body"])]


def test_a_batch_with_one_bad_file_imports_nothing_and_names_file_line_and_field(engine, files, now):
    article_file(files, "zly.md", "title: Zły\nlanguage: polish")
    with pytest.raises(ArticleFileErrors) as caught:
        import_paths(engine, [files], now)
    assert caught.value.errors == [f"{files / 'zly.md'}:3: language: 'polish' is not a language code like pl, nl, pt, en"]
    with read_session(engine) as session:
        assert session.exec(select(Article)).all() == []


def test_duplicate_slugs_in_a_batch_are_refused(engine, files, now):
    article_file(files, "zzz.md", "title: Kopia\nlanguage: pl\nslug: oplaty")
    with pytest.raises(ArticleFileErrors, match="'oplaty' is also the slug of"):
        import_paths(engine, [files], now)


def test_an_unknown_problem_code_is_an_error_naming_its_line(engine, files, now):
    article_file(files, "x.md", "title: X\nlanguage: pl\nproblem_codes:\n  - appliance-pickup\n  - pothole")
    with pytest.raises(ArticleFileErrors, match=r"x\.md:6: problem_codes\[1\]: no problem code 'pothole'"):
        import_paths(engine, [files], now)


def test_saving_an_edit_makes_a_new_version_and_identical_content_none(engine, files, now):
    import_paths(engine, [files], now)
    doc = get_article(engine, slug="oplaty").doc
    boss = add_agent(engine, login="boss", name="Boss", role="supervisor", now=now)
    edited = save_article(engine, doc=doc.with_status("draft"), now=now, agent_id=boss.id,
                          actor="boss", expected_version=1)
    assert edited.version == 2 and edited.updated_by == "boss"
    assert save_article(engine, doc=edited.doc, now=now, agent_id=boss.id, actor="boss").version == 2
    with pytest.raises(InvalidInput, match="changed by someone else"):
        save_article(engine, doc=doc, now=now, agent_id=boss.id, actor="boss", expected_version=1)


def test_agents_cannot_write_articles(engine, files, now):
    import_paths(engine, [files], now)
    ann = add_agent(engine, login="ann", name="Ann", role="agent", now=now)
    doc = get_article(engine, slug="oplaty").doc
    with pytest.raises(InvalidInput, match="only supervisors"):
        save_article(engine, doc=doc.with_status("draft"), now=now, agent_id=ann.id, actor="ann")


def test_answering_a_request_with_an_article_records_usage_audit_and_activity(engine, files, now):
    import_paths(engine, [files], now)
    ann = add_agent(engine, login="ann", name="Ann", role="agent", now=now)
    number = open_request(engine, now=now, agent_id=ann.id, actor="ann").number
    article = get_article(engine, slug="oplaty")
    record_opened(engine, article_id=article.id, agent_id=ann.id, now=now, request_number=number)
    assert record_answer(engine, request_number=number, article_id=article.id, agent_id=ann.id, now=now)
    assert not record_answer(engine, request_number=number, article_id=article.id, agent_id=ann.id, now=now)
    detail = request_detail(engine, number)
    assert [a["kind"] for a in detail["articles"]] == ["opened", "answered"]
    assert detail["audit"][-1]["action"] == "answered"
    assert detail["activity"][-1]["body"] == "Answered with article: Opłaty"


def test_the_report_shows_most_used_content_gaps_and_never_used(engine, files, now):
    import_paths(engine, [files], now)
    number = open_request(engine, now=now, agent_id=None, actor="cli").number
    fees = get_article(engine, slug="oplaty")
    record_answer(engine, request_number=number, article_id=fees.id, agent_id=None, now=now)
    log_search(engine, query="psy na smyczy", result_count=0, now=now)
    log_search(engine, query="Psy  na smyczy", result_count=0, now=now)
    log_search(engine, query="opłaty", result_count=1, now=now)
    report = kb_report(engine)
    assert [(r["slug"], r["answered"]) for r in report["most_used"]] == [("oplaty", 1)]
    assert [(g["query"], g["searches"]) for g in report["content_gaps"]] == [("Psy na smyczy", 2)]
    assert [r["slug"] for r in report["never_used"]] == ["wywoz"]
    assert popular_articles(engine, limit=1)[0].slug == "oplaty"
    assert popular_articles(engine, start="wy")[0].slug == "wywoz"


def _fts_triggers(engine) -> list[str]:
    from sqlalchemy import text
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'article_fts%' "
            "ORDER BY name"))]


def _index_is_whole(engine) -> None:
    """SQLite: the triggers are back and FTS5 agrees with the article rows."""
    from sqlalchemy import text
    from storage.engine import is_sqlite
    if not is_sqlite(engine):
        return
    assert _fts_triggers(engine) == ["article_fts_delete", "article_fts_insert", "article_fts_update"]
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO article_fts(article_fts) VALUES ('integrity-check')"))


@pytest.fixture
def bulk(monkeypatch):
    """Make a batch of three files count as a big import (the bulk index path)."""
    import storage.kb_import
    monkeypatch.setattr(storage.kb_import, "BULK_INDEX_FROM", 3)


def _many(folder, words):
    for i, word in enumerate(words):
        article_file(folder, f"a{i}.md", f"title: Artykuł {i}\nlanguage: pl\nslug: a{i}", f"Tekst o {word}.")


def test_a_bulk_import_indexes_every_article_and_later_edits_still_reach_the_index(engine, tmp_path, now, bulk):
    from storage.kb_search import search_articles
    _many(tmp_path, ["kontenerach", "pojemnikach", "gabarytach", "latarniach"])
    import_paths(engine, [tmp_path], now)
    _index_is_whole(engine)
    assert [h.slug for h in search_articles(engine, "gabaryt")] == ["a2"]
    # An edit in the console goes through the triggers (or the generated column).
    record = get_article(engine, slug="a2")
    save_article(engine, doc=replace(record.doc, body="Tekst o choinkach."), now=now,
                 agent_id=None, actor="test")
    assert [h.slug for h in search_articles(engine, "gabaryt")] == []
    assert [h.slug for h in search_articles(engine, "choink")] == ["a2"]
    _index_is_whole(engine)


def test_a_bulk_reimport_replaces_the_index_entries_of_changed_articles(engine, tmp_path, now, bulk):
    from storage.kb_search import search_articles
    _many(tmp_path, ["kontenerach", "pojemnikach", "gabarytach", "latarniach"])
    import_paths(engine, [tmp_path], now)
    _many(tmp_path, ["kontenerach", "hulajnogach", "gabarytach", "latarniach"])
    result = import_paths(engine, [tmp_path], now + timedelta(hours=1))
    assert result.updated == ["a1"] and result.unchanged == 3
    assert [h.slug for h in search_articles(engine, "pojemnik")] == []
    assert [h.slug for h in search_articles(engine, "hulajnog")] == ["a1"]
    _index_is_whole(engine)


def test_a_failed_bulk_import_leaves_triggers_and_index_as_they_were(engine, tmp_path, now, bulk):
    from storage.kb_search import search_articles
    _many(tmp_path, ["kontenerach", "pojemnikach", "gabarytach", "latarniach"])
    import_paths(engine, [tmp_path], now)
    _many(tmp_path, ["odpadach", "hulajnogach", "choinkach", "latarniach"])
    article_file(tmp_path, "zly.md", "title: Zły\nlanguage: polski")
    with pytest.raises(ArticleFileErrors):
        import_paths(engine, [tmp_path], now + timedelta(hours=1))
    assert [h.slug for h in search_articles(engine, "pojemnik")] == ["a1"]
    assert [h.slug for h in search_articles(engine, "hulajnog")] == []
    _index_is_whole(engine)


def test_an_imported_article_is_stored_as_a_console_save_stores_it(engine, files, now):
    # The SQLite import writes its rows through the sqlite3 cursor; the stored text of
    # times and JSON must be what SQLAlchemy writes for a save in the console.
    import_paths(engine, [files], now)
    imported = get_article(engine, slug="wywoz")
    save_article(engine, doc=replace(imported.doc, slug="wywoz-2"), now=now, agent_id=None, actor="test")
    columns = "title, body, kind, language, tags, url, phones, script, status, version, created_at, " \
              "updated_at, search_title, search_body"
    with read_session(engine) as session:
        run = session.connection().exec_driver_sql
        rows = run(f"SELECT slug, {columns} FROM article WHERE slug IN ('wywoz', 'wywoz-2') ORDER BY slug").all()
        times = run("SELECT v.at, v.version FROM article_version v JOIN article a ON a.id = v.article_id "
                    "WHERE a.slug IN ('wywoz', 'wywoz-2') ORDER BY a.slug").all()
    assert rows[0][0] == "wywoz" and rows[1][0] == "wywoz-2"
    assert tuple(rows[0])[1:] == tuple(rows[1])[1:]
    assert isinstance(rows[0][5], (str, list)) and "odpady" in str(rows[0][5])
    assert times[0] == times[1]
