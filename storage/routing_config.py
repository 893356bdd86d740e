"""The office's routing set-up read from the tables: calendar, priorities, rules, keywords.

Stored set-up that does not parse (a seed written by hand, a half-finished edit) is
reported as a problem in the request's explanation rather than blocking save-first:
nothing saved is ever lost because of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import or_
from sqlmodel import Session, select

from domain.calendar import OfficeCalendar
from domain.categorise import CategoryKeywords, keyword_list
from domain.errors import DomainError, InvalidInput
from domain.priority_rules import PriorityRule
from domain.sla import Targets
from storage.office import get_setting
from storage.tables import (AgentAbsence, BusinessCalendar, CalendarClosure, Priority,
                            PriorityRule as PriorityRuleRow, RoutingCategory)

AROUND_THE_CLOCK = "around the clock (no business calendar is set up)"


@dataclass
class RoutingConfig:
    """Everything routing decisions read, loaded once per transaction."""

    calendar: OfficeCalendar
    calendar_label: str
    priorities: dict[str, Targets]
    rules: list[PriorityRule]
    keywords: list[CategoryKeywords]
    problems: list[str] = field(default_factory=list)
    """Set-up that could not be used, in words (shown in the explanation)."""

    @property
    def fallback(self) -> str | None:
        """The least urgent priority: what a request gets when no rule matches."""
        if not self.priorities:
            return None
        return max(self.priorities.values(), key=lambda t: (t.rank, t.code)).code


@lru_cache(maxsize=16)
def _calendar(code: str, zone: str, weekly_hours: str, country: str | None,
              subdivision: str | None, closures: tuple[tuple[str, str], ...]) -> OfficeCalendar:
    # Keyed by the calendar's whole content, so an edited calendar is never served stale;
    # building one (holiday tables included) costs more than a save-first should.
    return OfficeCalendar(timezone=zone, weekly_hours=json.loads(weekly_hours), country=country,
                          subdivision=subdivision, closures=dict(closures),
                          where=f"calendar {code}")


def load_calendar(session: Session, code: str | None = None) -> tuple[OfficeCalendar, str]:
    """The office calendar (`code`, else the office setting `calendar`, else the first one)."""
    code = code or get_setting(session, "calendar")
    query = select(BusinessCalendar).order_by(BusinessCalendar.id)
    if code:
        query = query.where(BusinessCalendar.code == code)
    row = session.exec(query).first()
    if row is None:
        if code:
            raise InvalidInput(f"no business calendar {code!r}", where="calendar")
        return OfficeCalendar.around_the_clock(), AROUND_THE_CLOCK
    closures = session.exec(select(CalendarClosure.day, CalendarClosure.reason).where(
        CalendarClosure.calendar_id == row.id).order_by(CalendarClosure.day)).all()
    calendar = _calendar(row.code, row.timezone, json.dumps(row.weekly_hours, sort_keys=True),
                         row.country, row.subdivision, tuple(map(tuple, closures)))
    where = ", ".join(p for p in (row.timezone, row.country, row.subdivision) if p)
    return calendar, f"{row.code} ({where})"


def load_priorities(session: Session) -> dict[str, Targets]:
    """Every priority level by code."""
    return {p.code: Targets(p.code, p.rank, p.response_minutes, p.resolution_minutes)
            for p in session.exec(select(Priority).order_by(Priority.rank))}


def load_config(session: Session) -> RoutingConfig:
    """The routing set-up; unusable parts are left out and named in `problems`."""
    problems: list[str] = []
    try:
        calendar, label = load_calendar(session)
    except DomainError as exc:
        problems.append(str(exc))
        calendar, label = OfficeCalendar.around_the_clock(), AROUND_THE_CLOCK
    priorities = load_priorities(session)
    rules = []
    for row in session.exec(select(PriorityRuleRow).order_by(PriorityRuleRow.position, PriorityRuleRow.id)):
        try:
            rules.append(PriorityRule.parse(code=row.code, priority=row.priority, name=row.name,
                                            conditions=row.conditions, where=f"priority rule {row.code}"))
        except DomainError as exc:
            problems.append(str(exc))
    keywords = []
    for row in session.exec(select(RoutingCategory).order_by(RoutingCategory.path)):
        try:
            words = keyword_list(row.keywords, where=f"category {row.path}.keywords")
        except DomainError as exc:
            problems.append(str(exc))
            continue
        if words:
            keywords.append(CategoryKeywords(row.path, words))
    return RoutingConfig(calendar=calendar, calendar_label=label, priorities=priorities,
                         rules=rules, keywords=keywords, problems=problems)


def supervisors_category(session: Session) -> RoutingCategory | None:
    """The category complaints and escalations land in (the first marked supervisors-only)."""
    return session.exec(select(RoutingCategory).where(
        RoutingCategory.supervisors_only.is_(True)).order_by(RoutingCategory.path)).first()


def absence_at(session: Session, agent_id: int, now: datetime) -> AgentAbsence | None:
    """The out-of-office period the agent is in at `now`, if any."""
    return session.exec(select(AgentAbsence).where(
        AgentAbsence.agent_id == agent_id, AgentAbsence.starts_at <= now,
        or_(AgentAbsence.ends_at.is_(None), AgentAbsence.ends_at > now)).order_by(
        AgentAbsence.starts_at)).first()


def describe_absence(absence: AgentAbsence) -> str:
    """"sick, until 2026-12-01T17:00:00+00:00" (or "until set back")."""
    until = f"until {absence.ends_at.isoformat()}" if absence.ends_at else "until set back"
    return f"{absence.reason}, {until}" if absence.reason else until
