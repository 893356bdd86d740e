"""Filling a DataTable by row key, so a refresh never moves the agent's cursor."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.render import measure
from textual.widgets import DataTable


def fill(table: DataTable, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
    """Show `rows` (key, cells): changed cells are updated in place, the cursor stays on its row.

    Cells must be `Text` (see `screens.safe`): plain strings would be parsed as markup.
    """
    current = [key.value for key in table.rows]
    wanted = [key for key, _cells in rows]
    if current == wanted:
        changed = False
        for key, cells in rows:
            for column, cell in zip(table.columns, cells):
                if table.get_cell(key, column) != cell:
                    table.update_cell(key, column, cell, update_width=True)
                    changed = True
        if changed:
            fit_columns(table)
        return
    selected = current[table.cursor_row] if current and 0 <= table.cursor_row < len(current) else None
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    fit_columns(table)
    if selected in wanted:
        table.move_cursor(row=wanted.index(selected))


def fit_columns(table: DataTable) -> None:
    """Size the auto-width columns to their header and cells now, not on the table's next idle.

    Call it after adding rows or updating cells (`fill` does). Textual's DataTable
    (8.2.8) measures new rows and updated cells only in its `_on_idle`, and its render
    caches (cells, rows, lines) are keyed by a change counter that this measuring does
    not advance. When the screen paints the table between the change and that idle (a
    race the screen's refresh timer can win on a busy machine), the cells are rendered
    at the old width (the header's, for a new table) and those cached pieces are reused
    after the widths grow, until the next change: "Envir" for "Environment/Waste".
    Measured here, in the same step as the change, the first paint already has the
    final widths and the idle finds nothing to widen. A column also narrows again when
    its longest value is gone.
    """
    console = table.app.console
    for column in table.ordered_columns:
        if not column.auto_width:
            continue
        widths = [measure(console, column.label, 1)]
        widths.extend(measure(console, cell, 1) for cell in table.get_column(column.key)
                      if cell is not None)
        column.content_width = max(widths)


def selected_key(table: DataTable) -> str | None:
    """The key of the row under the cursor, if any."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
