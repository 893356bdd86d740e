"""Settings from the environment (`CALLCENTER_*`) and the command line.

A plain dataclass rather than pydantic-settings: the console reads these before its first
screen paints, and pydantic-settings alone took about half a second to import. Each field
reads `CALLCENTER_<NAME>` (any letter case) unless given as a keyword argument.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import InvalidInput

ENV_PREFIX = "CALLCENTER_"
_TRUE = {"1", "true", "yes", "on", "t", "y"}
_FALSE = {"0", "false", "no", "off", "f", "n"}


def default_database() -> str:
    """The embedded SQLite file in the user's data directory."""
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("callcenter", appauthor=False)) / "callcenter.db")


def _env(name: str) -> str | None:
    """`CALLCENTER_<NAME>` from the environment, matched without regard to letter case."""
    wanted = (ENV_PREFIX + name).lower()
    for key, value in os.environ.items():
        if key.lower() == wanted:
            return value
    return None


def _from_env(name: str, default):
    def read():
        value = _env(name)
        if value is not None:
            return value
        return default() if callable(default) else default
    return field(default_factory=read)


def _as_int(name: str, value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidInput(f"{ENV_PREFIX}{name.upper()} must be a whole number, not {value!r}") from None


def _as_bool(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise InvalidInput(f"{ENV_PREFIX}{name.upper()} must be true or false, not {value!r}")


@dataclass
class Settings:
    """Everything that can be configured; each field reads `CALLCENTER_<NAME>`."""

    db: str = _from_env("db", default_database)
    """SQLAlchemy URL or a bare path (SQLite) of the database."""

    language: str = _from_env("language", "en")
    """Language of the console's texts (en, pl)."""

    autosave_ms: int = _from_env("autosave_ms", 300)
    """How long typing must pause before a field is saved."""

    debug: bool = _from_env("debug", False)
    """Show tracebacks instead of one-line errors."""

    def __post_init__(self) -> None:
        self.db = str(self.db)
        self.language = str(self.language)
        self.autosave_ms = _as_int("autosave_ms", self.autosave_ms)
        self.debug = _as_bool("debug", self.debug)

