"""The information section: find the answer in the knowledge base, say which one answered.

The search panel and the reader are the knowledge base's own widgets; this section adds
the request's side: usage recorded on it, the answering article, the resolution note.
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from console.i18n import _
from domain.text import one_line
from screens.db import ReportsWorkerErrors
from screens.inputs import SafeInput
from screens.safe import literal_line
from storage.intake import IntakeView
from storage.kb_usage import record_answer, record_opened

from screens.kb_reader import ArticleReader
from screens.kb_search import KnowledgeBaseSearch


MOUNT_WAIT_S = 5.0
"""The longest F7 waits for a new section's boxes before giving up on moving the cursor."""


class InformationSection(ReportsWorkerErrors, Vertical):
    """Search panel and article reader; ctrl+t records the article that answered the caller."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.answered: list[tuple[int, str]] = []
        self._mounted = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield Static(_("Knowledge base"), classes="section-title")
        with Horizontal(id="kb-panel"):
            yield KnowledgeBaseSearch(id="kb-search")
            yield ArticleReader(id="kb-reader")
        yield Static("", id="answered-with")
        yield Label(_("Resolution note (what the caller was told)"))
        yield SafeInput(id="field-resolution-note", compact=True,
                        placeholder=_("e.g. read the bin days article"))

    def on_mount(self) -> None:
        self._mounted.set()
        if self.screen.view is not None:
            self.call_after_refresh(self.show, self.screen.view)

    async def focus_search(self) -> None:
        """Put the cursor in the knowledge-base query box (F7).

        A section only just mounted (the first F7) has no box yet: this waits until it has.
        Awaited by the key's action, it holds the keys typed right after F7 until the
        cursor is in the box, so they land there and not in the notes.
        """
        if not self._mounted.is_set():
            try:
                await asyncio.wait_for(self._mounted.wait(), MOUNT_WAIT_S)
            except TimeoutError:
                return  # never seen; the keys go on to where the cursor is
        self.query_one(KnowledgeBaseSearch).focus_input()

    def show(self, view: IntakeView) -> None:
        """Show the saved resolution note and the articles that answered."""
        with self.prevent(Input.Changed):
            self.query_one("#field-resolution-note", SafeInput).load(view.record.resolution_note)
        self.show_answered(view.answered_with)

    def show_answered(self, answered: list[tuple[int, str]]) -> None:
        """Show which articles answered the request."""
        self.answered = list(answered)
        text = "; ".join(title for _id, title in self.answered)
        self.query_one("#answered-with", Static).update(
            literal_line(_("Answered with: {titles}").format(titles=text)) if text else "")

    def _reader(self) -> ArticleReader:
        return self.query_one("#kb-reader", ArticleReader)

    @on(KnowledgeBaseSearch.ResultHighlighted)
    def _preview(self, message: KnowledgeBaseSearch.ResultHighlighted) -> None:
        message.stop()
        self._reader().show_article(message.article_id, opened=False)

    @on(KnowledgeBaseSearch.ArticleChosen)
    def _chosen(self, message: KnowledgeBaseSearch.ArticleChosen) -> None:
        message.stop()
        reader = self._reader()
        reader.show_article(message.article_id)
        reader.focus()

    @on(ArticleReader.ArticleOpened)
    def _opened(self, message: ArticleReader.ArticleOpened) -> None:
        message.stop()
        self._record(message.article_id, answered=False)

    @on(ArticleReader.ArticleAnswered)
    def _answered(self, message: ArticleReader.ArticleAnswered) -> None:
        message.stop()
        self.mark_answered()

    def mark_answered(self) -> None:
        """The article in the reader answered the caller (ctrl+t)."""
        article = self._reader().article
        if article is None:
            self.notify(_("Open an article first."), markup=False)
            return
        if any(article_id == article.id for article_id, _t in self.answered):
            return
        self.show_answered(self.answered + [(article.id, article.doc.title)])
        self._record(article.id, answered=True)
        note = self.query_one("#field-resolution-note", Input)
        if not note.value.strip():
            note.value = _("Answered with: {title}").format(title=one_line(article.doc.title))

    @work(thread=True, exit_on_error=False, group="article-usage")
    def _record(self, article_id: int, *, answered: bool) -> None:
        services = self.app.services
        number = self.screen.number
        if answered:
            record_answer(services.engine, request_number=number, article_id=article_id,
                          agent_id=services.agent.id, now=services.now())
        else:
            record_opened(services.engine, article_id=article_id, agent_id=services.agent.id,
                          now=services.now(), request_number=number)
