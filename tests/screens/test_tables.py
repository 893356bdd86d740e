"""`screens.tables.fill`: rows replaced or updated in place, columns wide enough for them."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from screens.tables import fill


class _TableApp(App):
    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Queue", "Waiting")


async def test_a_value_updated_in_place_widens_its_column():
    app = _TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(DataTable)
        fill(table, [("1", [Text(""), Text("0")])])
        await pilot.pause()
        fill(table, [("1", [Text("Environment/Waste"), Text("12")])])
        await pilot.pause()
        shown = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "Environment/Waste" in shown and "12" in shown, shown


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
