"""Options and argument parsing shared by several commands."""

from __future__ import annotations

from datetime import datetime, timezone

import typer

from domain.errors import InvalidInput

JSON = typer.Option(False, "--json", help="Print exactly one JSON document.")


def parse_time(value: str, *, where: str) -> datetime:
    """An ISO-8601 time; without a zone it is read as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not an ISO time like 2026-11-27T15:00+01:00", where=where) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
