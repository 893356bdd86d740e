"""Live tables updated by row key: stale rows removed, changed cells updated, new rows added.

Unlike clearing and refilling, this keeps the cursor on the row it was on and the view
where it was, however often the board refreshes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from screens.tables import fit_columns

Row = tuple[str, Sequence[Text]]


def sync_rows(table: DataTable, rows: Sequence[Row]) -> None:
    """Make `table` show `rows` (key, cells) in this order, touching only what changed.

    The first cell of each row must name it uniquely (a path, a login, a number): the
    final ordering sorts by it. Cells must be `Text` (plain strings are read as markup).
    Auto-width columns are sized in the same step (see `screens.tables.fit_columns`).
    """
    wanted = {key: cells for key, cells in rows}
    selected = _cursor_key(table)
    changed = False
    for key in [row_key.value for row_key in table.rows if row_key.value not in wanted]:
        table.remove_row(key)
        changed = True
    for key, cells in rows:
        if key in table.rows:
            for column, cell in zip(table.columns, cells):
                if table.get_cell(key, column) != cell:
                    table.update_cell(key, column, cell, update_width=True)
                    changed = True
        else:
            table.add_row(*cells, key=key)
            changed = True
    if changed:
        fit_columns(table)
    position = {str(cells[0]): index for index, (_key, cells) in enumerate(rows)}
    if [row_key.value for row_key in _ordered_keys(table)] != [key for key, _cells in rows]:
        table.sort(key=lambda values: position.get(str(values[0]), len(position)))
    if selected in wanted:
        index = table.get_row_index(selected)
        if index != table.cursor_row:
            table.move_cursor(row=index, scroll=False)


def _ordered_keys(table: DataTable):
    return [table.coordinate_to_cell_key((index, 0)).row_key for index in range(table.row_count)] \
        if table.columns else []


def _cursor_key(table: DataTable) -> str | None:
    if not table.row_count or not table.columns:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def row_keys(table: DataTable) -> list[str]:
    """The keys of the rows in the order they are shown."""
    return [key.value for key in _ordered_keys(table)]
