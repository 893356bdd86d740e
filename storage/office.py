"""Office-wide settings (name, country, languages) kept in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from storage.engine import read_session
from storage.tables import OfficeSetting

DEFAULTS: dict[str, Any] = {"name": "Call center", "country": None, "languages": ["en"],
                            "default_language": "en"}


def get_setting(session: Session, key: str) -> Any:
    """A setting's value, or its default."""
    row = session.get(OfficeSetting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def put_setting(session: Session, key: str, value: Any) -> bool:
    """Set a setting inside `session`; True if it changed."""
    row = session.get(OfficeSetting, key)
    if row is not None and row.value == value:
        return False
    session.merge(OfficeSetting(key=key, value=value))
    return True


def office_settings(engine: Engine) -> dict[str, Any]:
    """All settings with defaults filled in."""
    with read_session(engine) as session:
        return {key: get_setting(session, key) for key in DEFAULTS}


def phone_region(engine: Engine) -> str | None:
    """The region national phone numbers are read in: the office's country."""
    return office_settings(engine)["country"]
