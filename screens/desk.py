"""The desk: the request the agent is on, their other open requests, their queues."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Header, Static

from console.i18n import _
from screens.db import ReportsWorkerErrors, error_text
from screens.fmt import channel_name, local, status_name, type_name
from screens.keys import N_, TranslatedBindings
from screens.office import zone_of
from screens.safe import literal_line
from screens.tables import fill, selected_key
from storage.desk import Desk, RequestLine, desk_for
from storage.queue import MustFinishFirst, claim_next_request

REFRESH_SECONDS = 15
# The lists are stacked, each as wide as the screen. The subject takes what the other
# columns leave (between these bounds), so Due and Updated stay in view at 160 columns
# and Due still at 120; longer subjects and names are cut with an ellipsis.
SUBJECT_MIN, SUBJECT_MAX = 20, 60
CUSTOMER_WIDTH = 24
# A queue path longer than this loses its first levels ("…/Hardware/Printers"): the end
# is what tells two queues apart, and the counts stay in view.
QUEUE_WIDTH = 40
SUBJECT_COLUMN = 3
CELL_PADDING = 2  # DataTable's cell padding, both sides
RESERVED = 2 + 2  # the box's padding and the table's vertical scroll bar


def path_tail(path: str, width: int) -> str:
    """`path` cut from the left to `width` cells, at a level when it can be:
    "…/Hardware/Printers" rather than "Technical support/Hardwa"."""
    if cell_len(path) <= width:
        return path
    parts = path.split("/")
    for first in range(1, len(parts)):
        tail = "…/" + "/".join(parts[first:])
        if cell_len(tail) <= width:
            return tail
    kept = ""
    for char in reversed(parts[-1]):
        if cell_len(char + kept) > width - 1:
            break
        kept = char + kept
    return "…" + kept


def _cut(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis")
    return text


class DeskScreen(ReportsWorkerErrors, TranslatedBindings, Screen):
    """Where an agent starts and comes back to between calls."""

    CSS_PATH = "desk.tcss"
    AUTO_FOCUS = "#my-requests"
    BINDINGS = [
        Binding("c", "continue_current", N_("Continue current"), id="desk-continue"),
        Binding("r", "refresh", N_("Refresh"), id="desk-refresh"),
        Binding("f12", "sign_out", N_("Sign out"), id="sign-out"),
    ]

    @dataclass
    class Loaded(Message):
        """The desk's contents were read."""

        desk: Desk

    @dataclass
    class Pulled(Message):
        """The next request was taken from a queue (None: the queues are empty)."""

        number: int | None
        held: int | None = None
        """The request the agent must deal with first, when pulling was refused."""
        message: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.desk: Desk | None = None
        self._timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="desk-current"):
            yield Static(_("Current request"), classes="desk-heading")
            with Horizontal(id="desk-current-body"):
                yield Digits("", id="desk-current-number")
                yield Static(_("No request open. F2 takes a new call, F5 the next waiting one."),
                             id="desk-current-text")
        with Vertical(id="desk-lists"):
            with Vertical(id="desk-requests-box"):
                yield Static(_("My open requests"), classes="desk-heading")
                yield DataTable(id="my-requests", cursor_type="row", zebra_stripes=True)
            with Vertical(id="desk-queues-box"):
                yield Static(_("My queues"), classes="desk-heading")
                yield DataTable(id="my-queues", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        """The tables' columns, once: before the first rows, whichever comes first (the
        first read can finish before this screen's Mount is handled)."""
        requests = self.query_one("#my-requests", DataTable)
        if requests.columns:
            return
        requests.add_columns(_("No."), _("Status"), _("Type"), _("Subject"), _("Customer"),
                             _("Due"), _("Updated"))
        queues = self.query_one("#my-queues", DataTable)
        queues.add_columns(_("Queue"), _("Waiting"), _("Overdue"), _("Earliest deadline"))

    def on_resize(self, event: events.Resize) -> None:
        if self.desk is not None:
            self._show(self.desk)  # the subjects get the width there is now

    def on_screen_resume(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue_current":
            return self.desk is not None and self.desk.current is not None
        return True

    def action_refresh(self) -> None:
        """Read the desk again now."""
        self.load()

    def action_continue_current(self) -> None:
        """Go back to the request the agent is on."""
        if self.desk and self.desk.current:
            self.app.open_request_screen(self.desk.current.number)

    def action_sign_out(self) -> None:
        """End the session."""
        self.app.sign_out()

    @work(thread=True, exit_on_error=False, exclusive=True, group="desk")
    def load(self) -> None:
        """Read the desk (re-armed after each read, so reads never pile up)."""
        services = self.app.services
        if services.agent is None:
            return
        self.post_message(self.Loaded(desk_for(services.engine, agent_id=services.agent.id,
                                               now=services.now())))

    def on_desk_screen_loaded(self, message: Loaded) -> None:
        self.desk = message.desk
        self._show(message.desk)
        self.refresh_bindings()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(REFRESH_SECONDS, self.load, name="desk-refresh")

    def _show(self, desk: Desk) -> None:
        self._add_columns()
        services = self.app.services
        zone, now = zone_of(services), services.now()
        number = self.query_one("#desk-current-number", Digits)
        text = self.query_one("#desk-current-text", Static)
        if desk.current is None:
            number.update("")
            text.update(_("No request open. F2 takes a new call, F5 the next waiting one."))
        else:
            line = desk.current
            number.update(str(line.number))
            summary = literal_line(" · ".join(filter(None, [
                type_name(line.type), channel_name(line.channel), status_name(line.status),
                line.subject, line.customer or ""])))
            summary.append("\n" + _("c continues it; F2 takes a new call."), style="dim")
            text.update(summary)
        requests = self.query_one("#my-requests", DataTable)
        lines = ([desk.current] if desk.current else []) + desk.others
        rows = [(str(line.number), self._request_cells(line, zone, now)) for line in lines]
        subject = self._subject_width(requests, [cells for _key, cells in rows])
        for _key, cells in rows:
            _cut(cells[SUBJECT_COLUMN], subject)
        fill(requests, rows)
        fill(self.query_one("#my-queues", DataTable), [
            (str(q.category_id), [literal_line(path_tail(q.path, QUEUE_WIDTH)),
                                  literal_line(str(q.waiting)),
                                  literal_line(str(q.overdue), "bold red" if q.overdue else ""),
                                  literal_line(local(q.earliest_due, zone, now))])
            for q in desk.queues])

    def _subject_width(self, table: DataTable, rows: list[list[Text]]) -> int:
        """What the other columns leave of the screen's width to the subject."""
        others = sum(max([cell_len(column.label.plain)] + [row[index].cell_len for row in rows])
                     + CELL_PADDING for index, column in enumerate(table.ordered_columns) if index != SUBJECT_COLUMN)
        width = (self.size.width or self.app.size.width) - RESERVED - others - CELL_PADDING
        return max(SUBJECT_MIN, min(SUBJECT_MAX, width))

    @staticmethod
    def _request_cells(line: RequestLine, zone, now) -> list[Text]:
        return [literal_line(str(line.number)), literal_line(status_name(line.status)),
                literal_line(type_name(line.type)), literal_line(line.subject),
                _cut(literal_line(line.customer or ""), CUSTOMER_WIDTH),
                literal_line(local(line.resolution_due_at, zone, now),
                             "bold red" if line.resolution_due_at and line.resolution_due_at < now else ""),
                literal_line(local(line.updated_at, zone, now))]

    @on(DataTable.RowSelected, "#my-requests")
    def _open_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_request_screen(int(event.row_key.value))

    def pull_next(self) -> None:
        """Take the most urgent waiting request (F5)."""
        self._pull()

    @work(thread=True, exit_on_error=False, group="pull-next")
    def _pull(self) -> None:
        services = self.app.services
        try:
            number = claim_next_request(services.engine, agent_id=services.agent.id, now=services.now())
        except MustFinishFirst as exc:
            self.post_message(self.Pulled(None, held=exc.number, message=error_text(exc)))
        else:
            self.post_message(self.Pulled(number))

    def on_desk_screen_pulled(self, message: Pulled) -> None:
        if message.held is not None:
            self.notify(message.message, title=_("Deal with it first"), severity="warning",
                        markup=False)
            self.app.open_request_screen(message.held)
        elif message.number is None:
            self.notify(_("Your queues are empty."), markup=False)
        else:
            self.app.open_request_screen(message.number)

    def selected_request(self) -> int | None:
        """The request under the cursor in the list, if any."""
        key = selected_key(self.query_one("#my-requests", DataTable))
        return int(key) if key else None

