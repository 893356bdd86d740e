"""`KnowledgeBaseScreen` (F3): search with language and tag filters, the reader, usage recorded."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Select

from console.i18n import _
from domain.roles import can_supervise
from screens.db import ReportsWorkerErrors
from screens.kb_reader import ArticleReader
from screens.kb_search import KnowledgeBaseSearch
from screens.keys import N_, TranslatedBindings
from storage.kb_articles import article_languages
from storage.kb_usage import record_answer, record_opened

ALL = "all"


class KnowledgeBaseScreen(ReportsWorkerErrors, TranslatedBindings, Screen):
    """The whole knowledge base; with a request `number`, opening and answering are recorded on it."""

    CSS_PATH = "kb.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="kb-close"),
        Binding("ctrl+f", "search", N_("Search"), id="kb-search", tooltip=N_("Back to the query box")),
        Binding("ctrl+e", "edit", N_("Edit article"), id="kb-edit",
                tooltip=N_("Supervisors: edit the article on screen")),
        Binding("ctrl+g", "new_article", N_("New article"), id="kb-new",
                tooltip=N_("Supervisors: write a new article")),
    ]

    def __init__(self, *, number: int | None = None, language: str | None = None) -> None:
        super().__init__()
        self.number = number
        """The request being handled, if any (usage is recorded on it)."""
        self.language = language

    def compose(self) -> ComposeResult:
        with Horizontal(id="kb-screen"):
            with Vertical(id="kb-screen-left"):
                with Horizontal(id="kb-filters"):
                    yield Select([(_("All languages"), ALL)], value=ALL, allow_blank=False,
                                 id="kb-filter-language")
                    yield Input(placeholder=_("tag"), id="kb-filter-tag")
                yield KnowledgeBaseSearch(language=self.language, id="kb-screen-search")
            yield ArticleReader(id="kb-screen-reader")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(KnowledgeBaseSearch).focus_input()
        self._load_languages()

    @property
    def supervisor(self) -> bool:
        """True when the signed-in person may write articles."""
        agent = self.app.services.agent
        return agent is not None and can_supervise(agent.role)

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("edit", "new_article"):
            if not self.supervisor:
                return False
            if action == "edit" and self.query_one(ArticleReader).article is None:
                return None
        return True

    @work(thread=True, exit_on_error=False, group="kb-languages")
    def _load_languages(self) -> None:
        languages = article_languages(self.app.services.engine)
        self.app.call_from_thread(self._set_languages, languages)

    def _set_languages(self, languages: list[str]) -> None:
        select = self.query_one("#kb-filter-language", Select)
        select.set_options([(_("All languages"), ALL)] + [(code, code) for code in languages])
        select.value = self.language if self.language in languages else ALL

    @on(Select.Changed, "#kb-filter-language")
    @on(Input.Changed, "#kb-filter-tag")
    def _filters_changed(self, event) -> None:
        event.stop()
        language = self.query_one("#kb-filter-language", Select).value
        tag = self.query_one("#kb-filter-tag", Input).value.strip() or None
        self.query_one(KnowledgeBaseSearch).set_filters(
            language=None if language in (ALL, Select.NULL) else str(language), tag=tag)

    @on(KnowledgeBaseSearch.ResultHighlighted)
    def _preview(self, message: KnowledgeBaseSearch.ResultHighlighted) -> None:
        self.query_one(ArticleReader).show_article(message.article_id, opened=False)

    @on(KnowledgeBaseSearch.ArticleChosen)
    def _chosen(self, message: KnowledgeBaseSearch.ArticleChosen) -> None:
        reader = self.query_one(ArticleReader)
        reader.show_article(message.article_id)
        reader.focus()

    @on(ArticleReader.ArticleOpened)
    def _opened(self, message: ArticleReader.ArticleOpened) -> None:
        self._record(message.article_id, answered=False)

    @on(ArticleReader.ArticleAnswered)
    def _answered(self, message: ArticleReader.ArticleAnswered) -> None:
        if self.number is None:
            self.notify(_("No request is open: nothing to record the answer on."), markup=False)
            return
        self._record(message.article_id, answered=True)

    @work(thread=True, exit_on_error=False, group="kb-usage")
    def _record(self, article_id: int, *, answered: bool) -> None:
        services = self.app.services
        agent_id = services.agent.id if services.agent else None
        if answered:
            if record_answer(services.engine, request_number=self.number, article_id=article_id,
                             agent_id=agent_id, now=services.now()):
                self.app.call_from_thread(self.notify, _("Recorded as the answer to request {number}.")
                                          .format(number=self.number), markup=False)
        else:
            record_opened(services.engine, article_id=article_id, agent_id=agent_id,
                          now=services.now(), request_number=self.number)

    def action_close(self) -> None:
        """Back to where F3 was pressed."""
        self.dismiss()

    def action_search(self) -> None:
        """Put the cursor back in the query box."""
        self.query_one(KnowledgeBaseSearch).focus_input()

    def action_edit(self) -> None:
        """Edit the article on screen (supervisors)."""
        from screens.kb_editor import ArticleEditorScreen

        article = self.query_one(ArticleReader).article
        if article is not None:
            self.app.push_screen(ArticleEditorScreen(article_id=article.id), self._edited)

    def action_new_article(self) -> None:
        """Write a new article (supervisors)."""
        from screens.kb_editor import ArticleEditorScreen

        self.app.push_screen(ArticleEditorScreen(), self._edited)

    def _edited(self, article_id: int | None) -> None:
        if article_id is not None:
            self.query_one(ArticleReader).show_article(article_id, opened=False)
            search = self.query_one(KnowledgeBaseSearch)
            search.set_filters(language=search.language, tag=search.tag)
