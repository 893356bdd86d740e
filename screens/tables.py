"""Filling a DataTable by row key, so a refresh never moves the agent's cursor."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def fill(table: DataTable, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
    """Show `rows` (key, cells): changed cells are updated in place, the cursor stays on its row.

    Cells must be `Text` (see `screens.safe`): plain strings would be parsed as markup.
    """
    current = [key.value for key in table.rows]
    wanted = [key for key, _cells in rows]
    if current == wanted:
        for key, cells in rows:
            for column, cell in zip(table.columns, cells):
                if table.get_cell(key, column) != cell:
                    # update_width: a longer value must widen its column (DataTable
                    # measures cells only when rows are added, unless told to).
                    table.update_cell(key, column, cell, update_width=True)
        return
    selected = current[table.cursor_row] if current and 0 <= table.cursor_row < len(current) else None
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if selected in wanted:
        table.move_cursor(row=wanted.index(selected))


def selected_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, if any."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
