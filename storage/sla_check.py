"""`sla due`: a deadline counted on the stored calendar, so supervisors can check their set-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from storage.engine import read_session
from storage.errors import NotFound
from storage.routing_config import load_calendar, load_priorities


def due_for_hours(engine: Engine, *, start: datetime, hours: float,
                  calendar: str | None = None) -> dict[str, Any]:
    """When `hours` of business time from `start` fall due, with the explanation."""
    with read_session(engine) as session:
        office, label = load_calendar(session, calendar)
    deadline = office.add_business_time(start, hours * 60)
    return {"at": start.isoformat(), "calendar": label, "priority": None, "hours": hours,
            "due_at": deadline.due_at.isoformat(), "deadline": deadline.to_json()}


def due_for_priority(engine: Engine, *, start: datetime, priority: str,
                     calendar: str | None = None) -> dict[str, Any]:
    """Both deadlines a request of `priority` opened at `start` would get, explained."""
    with read_session(engine) as session:
        office, label = load_calendar(session, calendar)
        targets = load_priorities(session)
    if priority not in targets:
        raise NotFound(f"--priority: no priority {priority!r} (known: {', '.join(targets) or 'none'})")
    chosen = targets[priority]
    response = office.add_business_time(start, chosen.response_minutes)
    resolution = office.add_business_time(start, chosen.resolution_minutes)
    return {"at": start.isoformat(), "calendar": label, "priority": priority,
            "due_at": resolution.due_at.isoformat(), "response": response.to_json(),
            "resolution": resolution.to_json()}
