"""A small office for routing tests: calendar, priorities, categories, agents, rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.engine import run_write
from storage.tables import (Agent, BusinessCalendar, CalendarClosure, CategoryMember, Priority,
                            PriorityRule, RoutingCategory)

WEEKDAYS_8_17 = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}

PRIORITIES = [  # code, rank, response minutes, resolution minutes
    ("urgent", 1, 30, 120),
    ("high", 2, 60, 180),
    ("medium", 3, 60, 180),
    ("low", 4, 240, 1440),
]

CATEGORIES = [  # path, mode, keywords, supervisors only
    ("Technical support", "queue", {}, False),
    ("Technical support/Printers", "round_robin", {"en": ["printer", "toner"], "pl": ["drukarka"]}, False),
    ("Billing", "least_open", {"en": ["invoice"], "pl": ["faktura", "płatność"]}, False),
    ("Supervisors", "queue", {}, True),
]

AGENTS = [  # login, role, categories
    ("ann", "agent", ["Technical support", "Technical support/Printers", "Billing"]),
    ("bob", "agent", ["Technical support", "Technical support/Printers", "Billing"]),
    ("sue", "supervisor", ["Supervisors", "Technical support"]),
]

RULES = [  # code, conditions, priority
    ("complaints", {"complaint": True}, "urgent"),
    ("outages", {"keywords": ["outage", "awaria"]}, "urgent"),
    ("vip", {"vip": True}, "high"),
    ("printers", {"category": "Technical support/Printers", "channel": ["email", "web"]}, "medium"),
]


@dataclass
class Office:
    """Ids of what `build_office` made, by code, path and login."""

    agents: dict[str, int]
    categories: dict[str, int]


def build_office(engine: Engine, now: datetime, *, hours=None, timezone: str = "Europe/Warsaw",
                 country: str | None = "PL", closures: dict[str, str] | None = None,
                 rules: bool = True) -> Office:
    """Write the office into `engine` in one transaction."""

    def work(session: Session) -> Office:
        calendar = BusinessCalendar(code="main", name="Main office", timezone=timezone,
                                    country=country, weekly_hours=hours or WEEKDAYS_8_17)
        session.add(calendar)
        session.flush()
        for day, reason in (closures or {}).items():
            session.add(CalendarClosure(calendar_id=calendar.id, day=day, reason=reason))
        for code, rank, response, resolution in PRIORITIES:
            session.add(Priority(code=code, names={"en": code}, rank=rank,
                                 response_minutes=response, resolution_minutes=resolution))
        categories = {}
        for path, mode, keywords, supervisors in CATEGORIES:
            parent = categories.get(path.rsplit("/", 1)[0]) if "/" in path else None
            row = RoutingCategory(path=path, name=path.rsplit("/", 1)[-1], parent_id=parent,
                                  mode=mode, keywords=keywords, supervisors_only=supervisors)
            session.add(row)
            session.flush()
            categories[path] = row.id
        agents = {}
        for login, role, paths in AGENTS:
            agent = Agent(login=login, name=login.title(), role=role, created_at=now)
            session.add(agent)
            session.flush()
            agents[login] = agent.id
            for path in paths:
                session.add(CategoryMember(category_id=categories[path], agent_id=agent.id))
        if rules:
            for position, (code, conditions, priority) in enumerate(RULES, start=1):
                session.add(PriorityRule(code=code, position=position, name=code,
                                         conditions=conditions, priority=priority))
        return Office(agents=agents, categories=categories)

    return run_write(engine, work)


def set_mode(engine: Engine, path: str, mode: str) -> None:
    """Change a category's assignment mode."""

    def work(session: Session) -> None:
        row = session.exec(select(RoutingCategory).where(RoutingCategory.path == path)).one()
        row.mode = mode
        session.add(row)

    run_write(engine, work)
