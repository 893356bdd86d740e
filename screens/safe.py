"""Showing text that came from customers, agents or e-mail: literally, never as markup.

Rich and Textual parse `[bold]`, `[link=…]` and `[@click=…]` in plain strings (DataTable
string cells too), and control characters such as an OSC escape reach the terminal.
Everything stored goes through these helpers before it is displayed.
"""

from __future__ import annotations

from rich.text import Text

from domain.text import one_line, printable


def literal(text: str | None, style: str = "") -> Text:
    """`text` as a Rich Text shown exactly as typed (control characters made visible)."""
    return Text(printable(text or ""), style=style)


def literal_line(text: str | None, style: str = "") -> Text:
    """`literal`, on one line (for table cells, titles and notifications)."""
    return Text(one_line(text or ""), style=style)
