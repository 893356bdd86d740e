"""The supervisors' live board: queues by urgency, agents, today's volume and deadlines.

The board is read in a thread worker and re-read only after each read was shown
(`LiveRefresh`); tables are updated by row key, so the cursor stays on its row while
the numbers change around it.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static
from textual.worker import Worker

from console.i18n import _
from domain.monitor import MonitorSnapshot
from domain.roles import can_supervise
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings
from screens.monitor_cells import UNCATEGORISED_KEY, agent_row, category_row, today_text
from screens.monitor_dialogs import AwayDialog, AwayRequest
from screens.monitor_live import LiveRefresh
from screens.monitor_tables import sync_rows
from screens.office import zone_of
from storage.agents import set_away, set_back
from storage.monitor import snapshot

REFRESH_SECONDS = 3.0


def category_columns() -> list[str]:
    """Headings of the queues table: the counts a supervisor acts on first, so that a
    narrow pane cuts the deadline's date, not them."""
    return [_("Queue"), _("Open"), _("Unassigned"), _("Overdue"), _("Due ≤ 1 h"), _("Complaints"),
            _("Escalations"), _("Oldest waiting"), _("Earliest deadline")]


def agent_columns() -> list[str]:
    """Headings of the agents table."""
    return [_("Login"), _("Name"), _("Presence"), _("Busy with"), _("For"), _("Open"),
            _("Handled today")]


class QueueMonitorScreen(LiveRefresh, ReportsWorkerErrors, TranslatedBindings, Screen):
    """The live board supervisors run the office from (F6 in the console, `callcenter monitor`)."""

    CSS_PATH = "monitor.tcss"
    AUTO_FOCUS = "#monitor-categories"
    BINDINGS = [
        Binding("r", "refresh_now", N_("Refresh"), id="monitor-refresh",
                tooltip=N_("Read the board again now")),
        Binding("o", "set_away", N_("Out of office"), id="monitor-away",
                tooltip=N_("Mark the selected agent out of office")),
        Binding("b", "set_back", N_("Back"), id="monitor-back",
                tooltip=N_("End the selected agent's out-of-office period now")),
        Binding("v", "reports", N_("Reports"), id="monitor-reports",
                tooltip=N_("Volume and SLA reports, with export to CSV")),
        Binding("escape", "close", N_("Close"), id="monitor-close"),
    ]

    def __init__(self, refresh_seconds: float = REFRESH_SECONDS) -> None:
        super().__init__()
        self.init_live(refresh_seconds)
        self.snapshot: MonitorSnapshot | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="monitor-top"):
            with Vertical(id="monitor-queues-box"):
                yield Static(_("Queues, most urgent first (Enter opens one)"), classes="monitor-heading")
                yield DataTable(id="monitor-categories", cursor_type="row", zebra_stripes=True)
            with Vertical(id="monitor-today-box"):
                yield Static(id="monitor-today")
                yield Static(_("Requests by hour today (00–23)"), classes="monitor-heading")
                yield Sparkline([0] * 24, summary_function=max, id="monitor-hourly")
                yield Static(id="monitor-hourly-peak")
        with Vertical(id="monitor-agents-box"):
            yield Static(_("Agents"), classes="monitor-heading")
            yield DataTable(id="monitor-agents", cursor_type="row", zebra_stripes=True)
        yield Static(id="monitor-status")
        yield Footer()

    def on_mount(self) -> None:
        categories = self.query_one("#monitor-categories", DataTable)
        for index, title in enumerate(category_columns()):
            categories.add_column(title, key=f"c{index}")
        agents = self.query_one("#monitor-agents", DataTable)
        for index, title in enumerate(agent_columns()):
            agents.add_column(title, key=f"a{index}")
        self.refresh_live()

    # --- reading ----------------------------------------------------------------------

    def read(self) -> MonitorSnapshot:
        services = self.app.services
        return snapshot(services.engine, now=services.now())

    def worker_failed(self, worker: Worker) -> None:
        if not self.live_read_failed(worker):
            self.refresh_live(now=True)  # a write failed: show what is really there

    # --- showing ----------------------------------------------------------------------

    def show(self, board: MonitorSnapshot) -> None:
        self.snapshot = board
        zone, now = zone_of(self.app.services), board.at
        sync_rows(self.query_one("#monitor-categories", DataTable),
                  [category_row(load, zone, now) for load in board.categories])
        sync_rows(self.query_one("#monitor-agents", DataTable),
                  [agent_row(agent, now) for agent in board.agents])
        self.query_one("#monitor-today", Static).update(today_text(board.today))
        self.query_one("#monitor-hourly", Sparkline).data = list(board.today.by_hour)
        peak = max(board.today.by_hour)
        self.query_one("#monitor-hourly-peak", Static).update(
            _("peak {count} at {hour}:00").format(count=peak, hour=f"{board.today.by_hour.index(peak):02d}")
            if peak else _("no requests yet today"))
        self.query_one("#monitor-status", Static).update(
            _("Read at {time} · every {seconds:g} s · {zone}").format(
                time=now.astimezone(zone).strftime("%H:%M:%S"), seconds=self.refresh_seconds,
                zone=zone.key))
        self.set_class(any(load.overdue for load in board.categories), "-overdue")
        self.refresh_bindings()

    # --- keys ---------------------------------------------------------------------------

    def _supervisor(self) -> bool:
        agent = self.app.services.agent
        return agent is not None and can_supervise(agent.role)

    def _selected_agent(self):
        table = self.query_one("#monitor-agents", DataTable)
        if not table.row_count or self.snapshot is None or self.focused is not table:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((a for a in self.snapshot.agents if str(a.id) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_away", "set_back"):
            agent = self._selected_agent()
            if not self._supervisor() or agent is None:
                return False
            return not agent.away if action == "set_away" else agent.away
        if action == "close":
            return len(self.app.screen_stack) > 1
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#monitor-agents")
    def _agent_highlighted(self) -> None:
        self.refresh_bindings()

    def action_refresh_now(self) -> None:
        """Read the board again now (at most once a second)."""
        self.refresh_live()

    def action_close(self) -> None:
        """Back to where the supervisor came from."""
        self.app.pop_screen()

    def action_reports(self) -> None:
        """Open the reports."""
        from screens.monitor_reports import ReportsScreen

        self.app.push_screen(ReportsScreen())

    @on(DataTable.RowSelected, "#monitor-categories")
    def _open_queue(self, event: DataTable.RowSelected) -> None:
        from screens.monitor_queue import CategoryQueueScreen

        key = event.row_key.value
        load = next((c for c in self.snapshot.categories
                     if str(c.category_id) == key or (key == UNCATEGORISED_KEY and c.category_id is None)),
                    None) if self.snapshot else None
        if load is not None:
            self.app.push_screen(CategoryQueueScreen(load.category_id, load.path))

    def action_set_away(self) -> None:
        """Ask for the reason and end, then mark the selected agent out of office."""
        agent = self._selected_agent()
        if agent is not None:
            self.app.push_screen(AwayDialog(agent.login, agent.name), self._away_chosen)

    def _away_chosen(self, choice: AwayRequest | None) -> None:
        if choice is not None:
            self._write_away(choice)

    @work(thread=True, exit_on_error=False, group="monitor-write")
    def _write_away(self, choice: AwayRequest) -> None:
        services = self.app.services
        now = services.now()
        set_away(services.engine, login=choice.login, starts_at=now, ends_at=choice.ends_at,
                 reason=choice.reason, now=now, actor=services.agent.login)
        self.app.call_from_thread(self._written, _("{login} is out of office").format(login=choice.login))

    def action_set_back(self) -> None:
        """End the selected agent's out-of-office period now."""
        agent = self._selected_agent()
        if agent is not None:
            self._write_back(agent.login)

    @work(thread=True, exit_on_error=False, group="monitor-write")
    def _write_back(self, login: str) -> None:
        services = self.app.services
        set_back(services.engine, login=login, now=services.now(), actor=services.agent.login)
        self.app.call_from_thread(self._written, _("{login} is back").format(login=login))

    def _written(self, note: str) -> None:
        self.notify(note, markup=False)
        self.refresh_live(now=True)  # a change of ours is shown at once

