"""Pilot tests: search as you type, read, follow links, answer a request, edit as a supervisor."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlmodel import select
from textual.app import App
from textual.widgets import Input, Markdown, OptionList, Static, TextArea

from domain.clock import fixed_clock
from domain.kb_document import ArticleDoc
from screens.kb_editor import ArticleEditorScreen
from screens.kb_reader import ArticleReader
from screens.kb_screen import KnowledgeBaseScreen
from screens.kb_search import KnowledgeBaseSearch
from screens.services import Services
from storage.agents import add_agent
from storage.engine import read_session
from storage.kb_articles import article_versions, get_article, save_article
from storage.requests import open_request, request_detail
from storage.tables import SearchLog


class KbApp(App):
    """The smallest app that shows a knowledge-base screen."""

    def __init__(self, services: Services, screen) -> None:
        super().__init__()
        self.services = services
        self._first = screen

    def on_mount(self) -> None:
        self.push_screen(self._first)


async def until(pilot, condition, timeout: float = 10.0) -> None:
    """Let workers run until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await pilot.pause(0.02)


def _save(engine, now, slug, title, body="", **extra):
    save_article(engine, doc=ArticleDoc(slug=slug, title=title, language="pl", body=body, **extra),
                 now=now, agent_id=None, actor="test")


@pytest.fixture
def kb(sqlite_engine, now):
    _save(sqlite_engine, now, "wywoz", "Wywóz odpadów", "Odpady odbieramy we wtorki. Zobacz [opłaty](kb:oplaty).",
          links=("oplaty", "zaginiony"), script="Dzień dobry, proszę podać adres.",
          phones=(), url="https://odpady.example.pl")
    _save(sqlite_engine, now, "oplaty", "Opłaty [bold]za[/] odpady", "Płatność przelewem. \x1b]0;evil\x07")
    _save(sqlite_engine, now, "szkic", "Wywóz gruzu", "Szkic.", status="draft")
    return sqlite_engine


def _services(engine, now, login="ann", role="agent"):
    agent = add_agent(engine, login=login, name=login.title(), role=role, now=now)
    return Services(engine=engine, clock=fixed_clock(now), agent=agent)


def _results(app) -> list[str]:
    options = app.screen.query_one("#kb-search-results", OptionList)
    return [options.get_option_at_index(i).prompt.plain.split("\n")[0] for i in range(options.option_count)]


async def test_typing_a_query_picking_a_result_and_answering_records_it_on_the_request(kb, now):
    services = _services(kb, now)
    number = open_request(kb, now=now, agent_id=services.agent.id, actor="ann").number
    app = KbApp(services, KnowledgeBaseScreen(number=number))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press(*"wywoz odp")
        await until(pilot, lambda: _results(app) and _results(app)[0].startswith("Wywóz odpadów"))
        assert len(_results(app)) == 1  # the draft is not shown to agents
        await pilot.press("enter")
        reader = app.screen.query_one(ArticleReader)
        await until(pilot, lambda: reader.article is not None and reader.article.doc.slug == "wywoz")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: [a["kind"] for a in request_detail(kb, number)["articles"]] == ["opened", "answered"])
    detail = request_detail(kb, number)
    assert detail["activity"][-1]["body"] == "Answered with article: Wywóz odpadów"


async def test_results_follow_fast_typing_and_end_on_the_last_text(kb, now):
    app = KbApp(_services(kb, now), KnowledgeBaseScreen())
    async with app.run_test(size=(140, 40)) as pilot:
        search = app.screen.query_one(KnowledgeBaseSearch)
        for text in ["o", "op", "opł", "opła", "wyw", "wywó", "wywóz"]:
            app.screen.query_one("#kb-search-input", Input).value = text
            await asyncio.sleep(0)
        await until(pilot, lambda: search._shown == search._wanted[0] and not search._query_running)
        assert _results(app) == ["Wywóz odpadów  pl"]


async def test_one_or_two_letters_show_the_most_used_articles(kb, now):
    app = KbApp(_services(kb, now), KnowledgeBaseScreen())
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("o")
        await until(pilot, lambda: len(_results(app)) == 2)
        assert _results(app)[0].startswith("Opłaty")
        status = app.screen.query_one("#kb-search-status", Static)
        assert "Most used" in str(status.content)


async def test_links_are_followed_by_keyboard_broken_ones_shown_and_back_and_forward_work(kb, now):
    app = KbApp(_services(kb, now), KnowledgeBaseScreen())
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press(*"wywoz")
        await until(pilot, lambda: bool(_results(app)))
        await pilot.press("enter")
        reader = app.screen.query_one(ArticleReader)
        await until(pilot, lambda: reader.article is not None)
        links = app.screen.query_one("#kb-reader-links", OptionList)
        prompts = [links.get_option_at_index(i).prompt.plain for i in range(links.option_count)]
        assert prompts[0].startswith("→ Opłaty [bold]za[/] odpady") and "broken link" in prompts[1]
        assert links.get_option_at_index(1).disabled
        await pilot.press("l", "enter")
        await until(pilot, lambda: reader.article.doc.slug == "oplaty")
        title = app.screen.query_one("#kb-reader-title", Static)
        assert "[bold]za[/]" in title.content.plain
        body = app.screen.query_one("#kb-reader-body", Markdown)
        assert "\x1b" not in body.source and "\\x1b" in body.source
        reader.focus()
        await pilot.press("alt+left")
        await until(pilot, lambda: reader.article.doc.slug == "wywoz")
        await pilot.press("alt+right")
        await until(pilot, lambda: reader.article.doc.slug == "oplaty")


async def test_a_broken_body_link_warns_instead_of_crashing(kb, now):
    app = KbApp(_services(kb, now), KnowledgeBaseScreen())
    async with app.run_test(size=(140, 40)) as pilot:
        reader = app.screen.query_one(ArticleReader)
        reader.show_article(get_article(kb, slug="wywoz").id)
        await until(pilot, lambda: reader.article is not None)
        reader.show_slug("zaginiony")
        await pilot.pause()
        assert reader.article.doc.slug == "wywoz"
        assert any("zaginiony" in str(n.message) for n in app._notifications)


async def test_a_settled_search_is_logged_for_the_content_gap_report(kb, now, monkeypatch):
    monkeypatch.setattr("screens.kb_search.LOG_AFTER_S", 0.05)
    app = KbApp(_services(kb, now), KnowledgeBaseScreen())
    async with app.run_test(size=(140, 40)) as pilot:
        app.screen.query_one("#kb-search-input", Input).value = "psy na smyczy"

        def logged():
            with read_session(kb) as session:
                return session.exec(select(SearchLog.query, SearchLog.result_count)).all()
        await until(pilot, lambda: logged() == [("psy na smyczy", 0)])


async def test_a_supervisor_edits_an_article_and_saving_makes_a_new_version(kb, now):
    services = _services(kb, now, login="boss", role="supervisor")
    article_id = get_article(kb, slug="oplaty").id
    app = KbApp(services, ArticleEditorScreen(article_id=article_id))
    async with app.run_test(size=(160, 50)) as pilot:
        await until(pilot, lambda: app.screen.version == 1)
        body = app.screen.query_one("#kb-editor-body", TextArea)
        body.text = "Płatność **kartą** lub przelewem."
        await until(pilot, lambda: "kartą" in app.screen.query_one("#kb-editor-preview", Markdown).source)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.version == 2)
    assert get_article(kb, slug="oplaty").doc.body == "Płatność **kartą** lub przelewem."
    versions = article_versions(kb, article_id=article_id)
    assert [(v.version, v.agent, v.changed) for v in versions][-1] == (2, "boss", ["body"])


async def test_agents_cannot_open_the_editor_and_do_not_see_edit_keys(kb, now):
    app = KbApp(_services(kb, now), KnowledgeBaseScreen())
    async with app.run_test(size=(140, 40)) as pilot:
        assert app.screen.check_action("new_article", ()) is False
        app.push_screen(ArticleEditorScreen())
        await until(pilot, lambda: isinstance(app.screen, KnowledgeBaseScreen))
