"""Printing for the CLI: exactly one JSON document with --json, safe Rich tables otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from domain.text import one_line

stdout = Console(highlight=False, soft_wrap=False)
stderr = Console(stderr=True, highlight=False)


def emit_json(data: Any) -> None:
    """Print one JSON document on stdout (never through Rich, so nothing is interpreted)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def say(message: str) -> None:
    """Print a plain line of our own text (no markup is interpreted)."""
    stdout.print(Text(message))


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Print a table; every cell is literal text, control characters made visible."""
    out = Table(title=title, title_justify="left")
    for column in columns:
        out.add_column(column)
    for row in rows:
        out.add_row(*(Text(one_line("" if cell is None else str(cell))) for cell in row))
    stdout.print(out)
