"""The information section: find the answer in the knowledge base, say which one answered."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from console.i18n import _
from domain.text import one_line
from screens.article_reader import ArticleReader
from screens.article_search import ArticleSearch
from screens.db import ReportsWorkerErrors
from screens.safe import literal_line
from storage.article_lookup import record_article_use
from storage.intake import IntakeView


class InformationSection(ReportsWorkerErrors, Vertical):
    """Search panel and article reader; ctrl+t records the article that answered the caller."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.answered: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Knowledge base"), classes="section-title")
        with Horizontal(id="kb-panel"):
            yield ArticleSearch(id="kb-search")
            yield ArticleReader(id="kb-reader")
        yield Static("", id="answered-with")
        yield Label(_("Resolution note (what the caller was told)"))
        yield Input(id="field-resolution-note", placeholder=_("e.g. read the bin days article"))

    def on_mount(self) -> None:
        if self.screen.view is not None:
            self.call_after_refresh(self.show, self.screen.view)

    def show(self, view: IntakeView) -> None:
        """Show the saved resolution note and the articles that answered."""
        with self.prevent(Input.Changed):
            self.query_one("#field-resolution-note", Input).value = view.record.resolution_note
        self.show_answered(view.answered_with)

    @property
    def shown_article(self):
        """The article in the reader, if any."""
        return self.query_one("#kb-reader", ArticleReader).article

    def show_answered(self, answered: list[tuple[int, str]]) -> None:
        """Show which articles answered the request."""
        self.answered = list(answered)
        text = "; ".join(title for _id, title in self.answered)
        self.query_one("#answered-with", Static).update(
            literal_line(_("Answered with: {titles}").format(titles=text)) if text else "")

    @on(ArticleSearch.Highlighted)
    def _preview(self, message: ArticleSearch.Highlighted) -> None:
        self.query_one("#kb-reader", ArticleReader).show_article(message.article_id)

    @on(ArticleSearch.Chosen)
    def _chosen(self, message: ArticleSearch.Chosen) -> None:
        reader = self.query_one("#kb-reader", ArticleReader)
        reader.show_article(message.article_id)
        reader.focus()
        self._record(message.article_id, "opened")

    def mark_answered(self) -> None:
        """The article in the reader answered the caller (ctrl+t)."""
        article = self.shown_article
        if article is None:
            self.notify(_("Open an article first."), markup=False)
            return
        if any(article_id == article.id for article_id, _title in self.answered):
            return
        self.show_answered(self.answered + [(article.id, article.title)])
        self._record(article.id, "answered")
        note = self.query_one("#field-resolution-note", Input)
        if not note.value.strip():
            note.value = _("Answered with: {title}").format(title=one_line(article.title))

    @work(thread=True, exit_on_error=False, group="article-usage")
    def _record(self, article_id: int, kind: str) -> None:
        services = self.app.services
        number = self.screen.number
        record_article_use(services.engine, number=number, article_id=article_id, kind=kind,
                           now=services.now(), agent_id=services.agent.id,
                           actor=services.agent.login)
