"""Knowledge-base search as you type: a plain stand-in for the knowledge base's own search
widget (same messages), used when that widget is not installed."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from console.i18n import _
from domain.text import one_line
from screens.db import ReportsWorkerErrors
from domain.kb_records import SearchHit
from storage.kb_search import search_articles

MIN_QUERY = 2


class ArticleSearch(ReportsWorkerErrors, Vertical):
    """A query box and its results; results follow every keystroke without blocking it."""

    @dataclass
    class Found(Message):
        """Results for `query` arrived."""

        query: str
        hits: list[SearchHit]

    @dataclass
    class ResultHighlighted(Message):
        """The agent moved to a result (the reader shows it)."""

        article_id: int

    @dataclass
    class ArticleChosen(Message):
        """The agent picked a result with enter."""

        article_id: int

    def compose(self) -> ComposeResult:
        yield Input(id="kb-query", placeholder=_("Search the knowledge base (accents optional)"))
        yield OptionList(id="kb-results")

    @on(Input.Changed, "#kb-query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        query = event.value.strip()
        if len(query) < MIN_QUERY:
            self.query_one("#kb-results", OptionList).clear_options()
            return
        self._search(query)

    @on(Input.Submitted, "#kb-query")
    def _to_results(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one("#kb-results", OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = 0

    @work(thread=True, exit_on_error=False, exclusive=True, group="article-search")
    def _search(self, query: str) -> None:
        self.post_message(self.Found(query, search_articles(self.app.services.engine, query)))

    def on_article_search_found(self, message: Found) -> None:
        message.stop()
        if message.query != self.query_one("#kb-query", Input).value.strip():
            return  # typing went on; a newer search is on its way
        results = self.query_one("#kb-results", OptionList)
        results.clear_options()
        if not message.hits:
            results.add_option(Option(Content(_("Nothing found.")), disabled=True))
        for hit in message.hits:
            results.add_option(Option(
                Content.assemble((one_line(hit.title), "bold"), f"  {one_line(hit.language)}"),
                id=str(hit.id)))

    @on(OptionList.OptionHighlighted, "#kb-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ResultHighlighted(int(event.option.id)))

    @on(OptionList.OptionSelected, "#kb-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ArticleChosen(int(event.option.id)))
