"""The volume and SLA reports in the console, with export to a CSV file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select, Static

from console.i18n import _
from domain.errors import InvalidInput
from domain.reporting import Dimension, SlaDimension, SlaReport, VolumeReport, write_csv
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings
from screens.office import zone_of
from screens.safe import literal_line
from screens.tables import fill
from storage.reports import office_period, office_sla, volume

VOLUME, SLA = "volume", "sla"


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(_("{value!r} is not a date like 2026-11-30").format(value=text),
                           where=where) from None


@dataclass(frozen=True)
class ReportAsked:
    """Which report, over which office-local days, grouped how."""

    kind: str
    first: date
    last: date
    by: str


class ReportsScreen(ReportsWorkerErrors, TranslatedBindings, Screen):
    """Volume by any dimension, SLA by priority or category; `x` saves what is shown as CSV."""

    CSS_PATH = "monitor.tcss"
    AUTO_FOCUS = "#reports-from"
    BINDINGS = [
        Binding("ctrl+r", "run", N_("Show"), id="reports-run", priority=True),
        Binding("ctrl+x", "export", N_("Export CSV"), id="reports-export", priority=True),
        Binding("escape", "close", N_("Back"), id="reports-close"),
    ]

    @dataclass
    class Computed(Message):
        """A report was computed."""

        asked: ReportAsked
        report: VolumeReport | SlaReport

    @dataclass
    class Exported(Message):
        """The shown report was written to a CSV file."""

        path: Path
        rows: int

    def __init__(self) -> None:
        super().__init__()
        self.report: VolumeReport | SlaReport | None = None
        self.asked: ReportAsked | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="reports-form"):
            yield Select([(_("Volume"), VOLUME), (_("SLA"), SLA)], value=VOLUME,
                         allow_blank=False, id="reports-kind")
            yield Label(_("from"))
            yield Input(id="reports-from", placeholder="2026-11-01")
            yield Label(_("to"))
            yield Input(id="reports-to", placeholder="2026-11-30")
            yield Label(_("by"))
            yield Select(self._dimensions(VOLUME), value=Dimension.TYPE.value, allow_blank=False,
                         id="reports-by")
            yield Button(_("Show (ctrl+r)"), id="reports-show", variant="primary")
        yield Static(id="reports-heading", classes="monitor-heading")
        yield DataTable(id="reports-table", zebra_stripes=True, cursor_type="row")
        with Horizontal(id="reports-footer"):
            yield Label(_("CSV file"))
            yield Input(id="reports-file")
            yield Button(_("Export (ctrl+x)"), id="reports-export-button")
        yield Footer()

    def on_mount(self) -> None:
        today = self.app.services.now().astimezone(zone_of(self.app.services)).date()
        self.query_one("#reports-from", Input).value = today.replace(day=1).isoformat()
        self.query_one("#reports-to", Input).value = today.isoformat()
        self.action_run()

    @staticmethod
    def _dimensions(kind: str) -> list[tuple[str, str]]:
        values = SlaDimension if kind == SLA else Dimension
        return [(_(d.value), d.value) for d in values]

    @on(Select.Changed, "#reports-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        by = self.query_one("#reports-by", Select)
        by.set_options(self._dimensions(event.value))
        by.value = SlaDimension.PRIORITY.value if event.value == SLA else Dimension.TYPE.value

    def _asked(self) -> ReportAsked:
        return ReportAsked(
            kind=self.query_one("#reports-kind", Select).value,
            first=_day(self.query_one("#reports-from", Input).value, _("from")),
            last=_day(self.query_one("#reports-to", Input).value, _("to")),
            by=self.query_one("#reports-by", Select).value)

    @on(Button.Pressed, "#reports-show")
    @on(Input.Submitted, "#reports-from, #reports-to")
    def action_run(self) -> None:
        """Compute the report asked for in the form."""
        try:
            asked = self._asked()
        except InvalidInput as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self._compute(asked)

    @work(thread=True, exit_on_error=False, exclusive=True, group="reports-compute")
    def _compute(self, asked: ReportAsked) -> None:
        services = self.app.services
        _zone, start, end = office_period(services.engine, asked.first, asked.last)
        if asked.kind == SLA:
            report = office_sla(services.engine, start=start, end=end, now=services.now(), by=asked.by)
        else:
            report = volume(services.engine, start=start, end=end, by=asked.by)
        self.post_message(self.Computed(asked, report))

    def on_reports_screen_computed(self, message: Computed) -> None:
        self.report, self.asked = message.report, message.asked
        columns, rows = (message.report.summary() if isinstance(message.report, SlaReport)
                         else message.report.table())
        table = self.query_one("#reports-table", DataTable)
        table.clear(columns=True)
        table.add_columns(*columns)
        fill(table, [(str(index), [literal_line("" if cell is None else str(cell)) for cell in row])
                     for index, row in enumerate(rows)])
        heading = Text(_("Requests opened {first} – {last}").format(
            first=message.asked.first, last=message.asked.last))
        if isinstance(message.report, VolumeReport):
            heading.append("  " + _("total {total}").format(total=message.report.total))
        else:
            heading.append("  " + (_("times in business hours") if message.report.business_hours
                                   else _("times in wall-clock hours (no office calendar)")))
            heading.append("  " + _("response, resolution: met/breached/open"), style="dim")
        self.query_one("#reports-heading", Static).update(heading)
        file_input = self.query_one("#reports-file", Input)
        file_input.value = str(Path.cwd() / f"callcenter-{message.asked.kind}-{message.asked.by}-"
                                            f"{message.asked.first}-{message.asked.last}.csv")

    @on(Button.Pressed, "#reports-export-button")
    def action_export(self) -> None:
        """Write the report on screen (every column) to the CSV file named below it."""
        if self.report is None:
            self.notify(_("Show a report first."), markup=False)
            return
        path = Path(self.query_one("#reports-file", Input).value.strip()).expanduser()
        self._export(self.report, path)

    @work(thread=True, exit_on_error=False, group="reports-export")
    def _export(self, report: VolumeReport | SlaReport, path: Path) -> None:
        columns, rows = report.table()
        with path.open("w", encoding="utf-8", newline="") as out:
            write_csv(columns, rows, out)
        self.post_message(self.Exported(path, len(rows)))

    def on_reports_screen_exported(self, message: Exported) -> None:
        self.notify(_("Saved {rows} rows to {path}").format(rows=message.rows, path=message.path),
                    markup=False)

    def action_close(self) -> None:
        """Back to the board."""
        self.app.pop_screen()
