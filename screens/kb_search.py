"""`KnowledgeBaseSearch`: a query box whose ranked results follow every keystroke without blocking it.

At most one query runs at a time. Each keystroke records the wanted text; when the
running query finishes, its results are shown only if they are still for the wanted
text (a staleness check), and otherwise the newest text is searched at once. So typing
never waits, results never arrive out of order, and a fast typist costs one query in
flight, not one per key. Three letters start a ranked search; fewer show the most used
articles (ranking a 1-2 letter prefix over 100,000 articles costs up to a second).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from console.i18n import _
from domain.kb_query import MIN_QUERY, letters
from domain.kb_text import search_copy
from domain.roles import can_supervise
from domain.text import one_line
from screens.db import error_text
from storage.kb_search import search_articles
from storage.kb_usage import log_search, popular_articles

LOG_AFTER_S = 2.0
"""A query left unchanged this long is kept in the search log (the content-gap report)."""


@dataclass(frozen=True)
class _Results:
    generation: int
    text: str
    ranked: bool
    items: list


def _marked(text: str, spans, style: str = "") -> Text:
    out = Text(one_line(text), style=style)
    if len(out.plain) == len(text):
        for start, end in spans:
            out.stylize("reverse", start, end)
    return out


class KnowledgeBaseSearch(Vertical):
    """Search input and ranked results; posts `ResultHighlighted` and `ArticleChosen`."""

    BINDINGS = [Binding("down", "to_results", show=False)]

    DEFAULT_CSS = """
    KnowledgeBaseSearch { height: 1fr; }
    KnowledgeBaseSearch #kb-search-results { height: 1fr; }
    KnowledgeBaseSearch #kb-search-status { height: 1; color: $text-muted; }
    """

    @dataclass
    class ResultHighlighted(Message):
        """The cursor moved onto a result (a reader next to the list can preview it)."""

        article_id: int

    @dataclass
    class ArticleChosen(Message):
        """The agent picked a result with enter."""

        article_id: int

    @dataclass
    class SearchFinished(Message):
        """Results for `text` are on screen (`count` of them; `ranked` False for the most-used list)."""

        text: str
        count: int
        ranked: bool

    def __init__(self, *, language: str | None = None, tag: str | None = None,
                 problem_code: str | None = None, limit: int = 20, **kwargs) -> None:
        super().__init__(**kwargs)
        self.language, self.tag, self.problem_code, self.limit = language, tag, problem_code, limit
        self._wanted = (0, "")
        self._shown = -1
        self._query_running = False
        self._log_timer: Timer | None = None
        self._logged = ""

    def compose(self) -> ComposeResult:
        yield Input(id="kb-search-input", placeholder=_("Search the knowledge base (accents optional)"))
        yield Static("", id="kb-search-status")
        yield OptionList(id="kb-search-results")

    def on_mount(self) -> None:
        self._want(self.query_one("#kb-search-input", Input).value)

    @property
    def text(self) -> str:
        """What is typed in the box."""
        return self.query_one("#kb-search-input", Input).value

    def set_filters(self, *, language: str | None = None, tag: str | None = None,
                    problem_code: str | None = None) -> None:
        """Narrow the results (None clears a filter) and search again."""
        self.language, self.tag, self.problem_code = language, tag, problem_code
        self._want(self.text)

    def focus_input(self) -> None:
        """Put the cursor in the query box, at once (keys typed next land there)."""
        self.screen.set_focus(self.query_one("#kb-search-input", Input))

    @on(Input.Changed, "#kb-search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._want(event.value)

    def _want(self, text: str) -> None:
        self._wanted = (self._wanted[0] + 1, text)
        if self._log_timer is not None:
            self._log_timer.stop()
        self._log_timer = self.set_timer(LOG_AFTER_S, self._log_settled)
        if not self._query_running:
            self._start()

    def _start(self) -> None:
        self._query_running = True
        generation, text = self._wanted
        self._run_query(generation, text)

    def _include_drafts(self) -> bool:
        agent = self.app.services.agent
        return agent is not None and can_supervise(agent.role)

    @work(thread=True, exit_on_error=False, exclusive=True, group="kb-search")
    def _run_query(self, generation: int, text: str) -> _Results:
        engine = self.app.services.engine
        drafts = self._include_drafts()
        if letters(text) < MIN_QUERY:
            items = popular_articles(engine, start=text, language=self.language,
                                     include_drafts=drafts, limit=self.limit)
            return _Results(generation, text, False, items)
        items = search_articles(engine, text, language=self.language, tag=self.tag,
                                problem_code=self.problem_code, include_drafts=drafts,
                                limit=self.limit)
        return _Results(generation, text, True, items)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "kb-search" or event.state not in (
                WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        event.stop()
        self._query_running = False
        if event.state is WorkerState.SUCCESS and event.worker.result.generation == self._wanted[0]:
            self._show(event.worker.result)
        elif event.state is WorkerState.ERROR:
            self.query_one("#kb-search-status", Static).update(
                Text(error_text(event.worker.error), style="red"))
        if self._wanted[0] != self._shown and event.state is not WorkerState.ERROR:
            self._start()  # typing went on while that query ran: search the newest text

    def _show(self, results: _Results) -> None:
        self._shown = results.generation
        options = self.query_one("#kb-search-results", OptionList)
        options.clear_options()
        status = self.query_one("#kb-search-status", Static)
        if results.ranked:
            status.update(_("{count} found").format(count=len(results.items)) if results.items
                          else _("Nothing found. Try fewer or shorter words."))
        else:
            status.update(_("Most used articles — type 3 letters to search"))
        for item in results.items:
            options.add_option(Option(self._label(item, results.ranked), id=str(item.id)))
        self.post_message(self.SearchFinished(results.text, len(results.items), results.ranked))

    @staticmethod
    def _label(item, ranked: bool) -> Text:
        title = _marked(item.title, item.title_highlights if ranked else (), "bold")
        line = Text.assemble(title, (f"  {item.language}", "dim"))
        if item.status != "published":
            line.append(f"  [{_('draft')}]", style="italic yellow")
        if ranked and item.snippet.text:
            line.append("\n  ")
            line.append_text(_marked(item.snippet.text, item.snippet.highlights, "dim"))
        return line

    @on(Input.Submitted, "#kb-search-input")
    def _to_results(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#kb-search-results", OptionList)
        if options.option_count:
            options.highlighted = 0
            options.focus()
            self.post_message(self.ArticleChosen(int(options.get_option_at_index(0).id)))

    def action_to_results(self) -> None:
        """Move from the query box down into the results."""
        options = self.query_one("#kb-search-results", OptionList)
        if options.option_count:
            options.focus()
            options.highlighted = options.highlighted or 0

    @on(OptionList.OptionHighlighted, "#kb-search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ResultHighlighted(int(event.option.id)))

    @on(OptionList.OptionSelected, "#kb-search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ArticleChosen(int(event.option.id)))

    def _log_settled(self) -> None:
        generation, text = self._wanted
        if generation != self._shown:
            self._log_timer = self.set_timer(LOG_AFTER_S, self._log_settled)  # results still coming
            return
        if letters(text) < MIN_QUERY:
            return
        if search_copy(text) == self._logged:
            return
        self._logged = search_copy(text)
        count = self.query_one("#kb-search-results", OptionList).option_count
        self._log(text, count)

    @work(thread=True, exit_on_error=False, group="kb-search-log")
    def _log(self, text: str, count: int) -> None:
        services = self.app.services
        agent = services.agent
        log_search(services.engine, query=text, result_count=count, now=services.now(),
                   agent_id=agent.id if agent else None, language=self.language,
                   request_number=getattr(self.screen, "number", None))
