"""Settings from the environment (`CALLCENTER_*`) and the command line."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database() -> str:
    """The embedded SQLite file in the user's data directory."""
    return str(Path(user_data_dir("callcenter", appauthor=False)) / "callcenter.db")


class Settings(BaseSettings):
    """Everything that can be configured; each field reads `CALLCENTER_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="CALLCENTER_", extra="ignore")

    db: str = Field(default_factory=default_database)
    """SQLAlchemy URL or a bare path (SQLite) of the database."""

    language: str = "en"
    """Language of the console's texts (en, pl)."""

    autosave_ms: int = 300
    """How long typing must pause before a field is saved."""

    debug: bool = False
    """Show tracebacks instead of one-line errors."""
