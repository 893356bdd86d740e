"""The supervisor's tables are wide enough for their cells even when the screen paints
them before DataTable's own idle (where it measures new rows): the desk's 'Envir' race,
forced here by a paint right after the rows are put in (see tests/screens/test_tables.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.text import Text
from textual.widgets import DataTable

from console.monitor_app import MonitorApp
from domain.clock import fixed_clock
from screens import monitor as monitor_module
from screens import monitor_reports
from screens.monitor_tables import row_keys
from screens.services import Services
from storage.agents import add_agent, set_away
from tests.report_data import build_office
from tests.screens.conftest import wait_for


@pytest.fixture
def app(sqlite_engine, now):
    build_office(sqlite_engine, now=now, count=200, start=now - timedelta(days=3))
    supervisor = add_agent(sqlite_engine, login="sue", name="Sue", role="supervisor", now=now)
    return MonitorApp(Services(engine=sqlite_engine, clock=fixed_clock(now), agent=supervisor),
                      refresh_seconds=60)


def _paint_after(monkeypatch, cls, name: str) -> None:
    """Make `cls.name` paint the whole screen right after it has run, as a screen refresh
    that wins the race against the tables' idle would."""
    method = getattr(cls, name)

    def then_paint(screen, *args):
        method(screen, *args)
        screen.app.export_screenshot()

    monkeypatch.setattr(cls, name, then_paint)


def _painted(table: DataTable) -> list[str]:
    return [table.render_line(y).text.rstrip()
            for y in range(min(table.size.height, table.row_count + 1))]


def _whole(table: DataTable) -> list[str]:
    """The header and rows with every column as wide as its widest value (cropped to the
    table's width): what the table should show."""
    lines = [[column.label.plain for column in table.ordered_columns]]
    lines += [[Text.from_markup(cell).plain if isinstance(cell, str) else cell.plain
               for cell in table.get_row(key)] for key in row_keys(table)]
    widths = [max(Text(line[index]).cell_len for line in lines) for index in range(len(lines[0]))]
    shown = ["".join(f" {cell.ljust(width)} " for cell, width in zip(line, widths)) for line in lines]
    return [line[:table.size.width].rstrip() for line in shown][:table.size.height]


async def test_the_boards_tables_show_whole_cells_when_painted_before_they_measure(
        app, sqlite_engine, now, monkeypatch):
    _paint_after(monkeypatch, monitor_module.QueueMonitorScreen, "show")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        await pilot.pause()
        # A cell updated in place, wider than its column so far (the table keeps its size,
        # which would otherwise clear its render caches).
        set_away(sqlite_engine, login="ann", starts_at=now - timedelta(hours=1), ends_at=None,
                 reason="dentist appointment", now=now)
        app.screen.refresh_live(now=True)
        await wait_for(pilot, lambda: app.screen.refreshes >= 2)
        await pilot.pause()
        await pilot.pause()
        tables = list(app.screen.query(DataTable))
        assert {table.id for table in tables} == {"monitor-categories", "monitor-agents"}
        for table in tables:
            assert table.row_count > 1
            assert _painted(table) == _whole(table), table.id


async def test_a_report_shows_whole_cells_when_painted_before_it_measures(app, monkeypatch):
    _paint_after(monkeypatch, monitor_reports.ReportsScreen, "on_reports_screen_computed")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        app.push_screen(monitor_reports.ReportsScreen())
        await wait_for(pilot, lambda: getattr(app.screen, "report", None) is not None)
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#reports-table", DataTable)
        assert table.row_count > 1
        assert _painted(table) == _whole(table)


@pytest.mark.parametrize("width", [120, 160])
async def test_the_counts_a_supervisor_acts_on_are_in_view_without_scrolling(app, width):
    async with app.run_test(size=(width, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        await pilot.pause()
        header = _painted(app.screen.query_one("#monitor-categories", DataTable))[0]
        for heading in ("Queue", "Open", "Unassigned", "Overdue"):
            assert heading in header, (width, header)
        if width >= 160:
            assert "Due ≤ 1 h" in header, header
