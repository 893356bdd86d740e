"""One category's queue from the board: its open requests in pull order, live."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from console.i18n import _
from domain.monitor import LoadState, QueueItem
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings
from screens.monitor_cells import queue_row
from screens.monitor_live import LiveRefresh
from screens.monitor_tables import sync_rows
from screens.office import zone_of
from screens.safe import literal_line
from storage.monitor_queue import QUEUE_LIMIT, category_queue


def queue_columns() -> list[str]:
    """Headings of a queue table."""
    return [_("No."), _("Subject"), _("Type"), _("Channel"), _("Status"), _("Priority"),
            _("Deadline"), _("Waiting"), _("Agent"), _("Flags")]


class CategoryQueueScreen(LiveRefresh, ReportsWorkerErrors, TranslatedBindings, Screen):
    """The requests of one category: the waiting pool in pull order, then those agents hold."""

    CSS_PATH = "monitor.tcss"
    AUTO_FOCUS = "#queue-requests"
    BINDINGS = [
        Binding("r", "refresh_now", N_("Refresh"), id="queue-refresh"),
        Binding("escape", "close", N_("Back to the board"), id="queue-close"),
    ]

    def __init__(self, category_id: int | None, path: str | None,
                 refresh_seconds: float = 3.0) -> None:
        super().__init__()
        self.init_live(refresh_seconds)
        self.category_id, self.path = category_id, path
        self.items: list[QueueItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="queue-heading", classes="monitor-heading")
        yield DataTable(id="queue-requests", cursor_type="row", zebra_stripes=True)
        yield Static(_("Enter opens a request: reassign it, change its priority, answer an escalation."),
                     id="queue-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#queue-requests", DataTable)
        for index, title in enumerate(queue_columns()):
            table.add_column(title, key=f"q{index}")
        self.refresh_live()

    def read(self) -> list[QueueItem]:
        services = self.app.services
        return category_queue(services.engine, category_id=self.category_id, now=services.now())

    def show(self, items: list[QueueItem]) -> None:
        self.items = items
        services = self.app.services
        zone, now = zone_of(services), services.now()
        sync_rows(self.query_one("#queue-requests", DataTable),
                  [queue_row(item, zone, now) for item in items])
        waiting = sum(1 for item in items if item.assigned_agent is None)
        overdue = sum(1 for item in items if item.state is LoadState.OVERDUE)
        heading = literal_line(self.path) if self.path else literal_line(_("(uncategorised)"))
        heading.append("  " + _("{open} open, {waiting} waiting, {overdue} overdue").format(
            open=len(items), waiting=waiting, overdue=overdue))
        if len(items) >= QUEUE_LIMIT:
            heading.append("  " + _("(first {limit} shown)").format(limit=QUEUE_LIMIT), style="dim")
        self.query_one("#queue-heading", Static).update(heading)

    def worker_failed(self, worker: Worker) -> None:
        self.live_read_failed(worker)

    def action_refresh_now(self) -> None:
        """Read the queue again now."""
        self.refresh_live()

    def action_close(self) -> None:
        """Back to the board."""
        self.app.pop_screen()

    @on(DataTable.RowSelected, "#queue-requests")
    def _open_request(self, event: DataTable.RowSelected) -> None:
        from screens.monitor_request import SupervisedRequestScreen

        self.app.push_screen(SupervisedRequestScreen(int(event.row_key.value)))
