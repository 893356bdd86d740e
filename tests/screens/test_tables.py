"""`screens.tables.fill`: rows replaced or updated in place, columns wide enough for them."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from screens.monitor_tables import sync_rows
from screens.tables import fill


class _TableApp(App):
    # A table taller than its rows, as on the desk: its rows are painted at once.
    CSS = "DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Queue", "Waiting")


def _shown(app) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("before, after", [
    ([], [("1", [Text("Environment/Waste"), Text("12")])]),
    ([("1", [Text("Waste"), Text("12")])], [("1", [Text("Environment/Waste"), Text("3")])]),
    ([("1", [Text("Waste"), Text("12")])], [("2", [Text("Roads/Potholes"), Text("4")]),
                                             ("1", [Text("Environment/Waste"), Text("5")])]),
], ids=["new_rows", "updated_in_place", "new_keys"])
@pytest.mark.parametrize("put", [fill, sync_rows], ids=["fill", "sync_rows"])
async def test_columns_are_wide_enough_even_when_painted_before_the_table_measures(put, before, after):
    """The desk's flaky 'Envir': the screen painted the table between the rows being
    added and the table's own idle (where DataTable measures them); the cells cached at
    the old width stayed so. A paint forced at that moment makes it happen every time."""
    app = _TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        put(table, before)
        await pilot.pause()
        put(table, after)
        app.export_screenshot()  # a paint before the table's idle has run
        await pilot.pause()
        await pilot.pause()
        shown = _shown(app)
        width = max(len(cells[0].plain) for _key, cells in after)
        expected = [" " + "Queue".ljust(width) + "  Waiting"] + [
            " " + cells[0].plain.ljust(width) + "  " + cells[1].plain for _key, cells in after]
        assert shown[:len(expected)] == expected, shown


async def test_a_column_narrows_when_its_longest_value_is_gone():
    app = _TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        fill(table, [("1", [Text("Environment/Waste"), Text("12")])])
        await pilot.pause()
        fill(table, [("2", [Text("Roads"), Text("1")])])
        await pilot.pause()
        assert _shown(app)[:2] == [" Queue  Waiting", " Roads  1"], _shown(app)


async def test_new_keys_replace_the_rows_and_keep_the_cursor_on_its_row():
    app = _TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        fill(table, [("1", [Text("a"), Text("1")]), ("2", [Text("b"), Text("2")])])
        table.move_cursor(row=1)
        fill(table, [("0", [Text("z"), Text("0")]), ("1", [Text("a"), Text("1")]),
                     ("2", [Text("b"), Text("2")])])
        await pilot.pause()
        assert [key.value for key in table.rows] == ["0", "1", "2"]
        assert table.cursor_row == 2
