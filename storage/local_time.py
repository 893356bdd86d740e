"""The office's time zone, and SQL that turns stored UTC times into office-local days and hours."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, literal_column
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from domain.office_time import OffsetSpan, office_zone
from storage.engine import is_sqlite
from storage.office import get_setting
from storage.tables import BusinessCalendar

DAY = "day"
HOUR = "hour"
_SQLITE_FORMAT = {DAY: "%Y-%m-%d", HOUR: "%H:00"}
_PG_FORMAT = {DAY: "YYYY-MM-DD", HOUR: "HH24:00"}


def office_calendar(session: Session) -> BusinessCalendar | None:
    """The calendar the office counts on: the one named by the `calendar` setting, else the first."""
    code = get_setting(session, "calendar")
    if code:
        chosen = session.exec(select(BusinessCalendar).where(BusinessCalendar.code == code)).first()
        if chosen is not None:
            return chosen
    return session.exec(select(BusinessCalendar).order_by(BusinessCalendar.id)).first()


def office_timezone(session: Session) -> ZoneInfo:
    """The zone of the office calendar (UTC when there is none)."""
    calendar = office_calendar(session)
    return office_zone(calendar.timezone if calendar else None)


def local_text(engine: Engine, column, span: OffsetSpan, unit: str) -> ColumnElement[str]:
    """`column` (UTC) as office-local "YYYY-MM-DD" (day) or "HH:00" (hour), valid inside `span`.

    Within a span the zone's offset is constant, so local time is UTC plus fixed minutes —
    arithmetic that SQLite and PostgreSQL both do the same way.
    """
    minutes = int(span.minutes)
    if is_sqlite(engine):
        # SQLite rounds fractions to milliseconds (23:59:59.9999 would become the next
        # day); whole seconds are all a day or an hour needs.
        return func.strftime(_SQLITE_FORMAT[unit], func.substr(column, 1, 19), f"{minutes:+d} minutes")
    shifted = func.timezone("UTC", column) + literal_column(f"interval '{minutes} minutes'")
    return func.to_char(shifted, _PG_FORMAT[unit])
