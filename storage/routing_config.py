"""The office's routing set-up read from the tables: calendar, priorities, rules, keywords.

Stored set-up that does not parse (a seed written by hand, a half-finished edit) is
reported as a problem in the request's explanation rather than blocking save-first:
nothing saved is ever lost because of it.

Every save-first and every routed edit needs the set-up, inside its write transaction,
and reading and parsing it costs about ten queries. So `load_config` keeps the parsed
set-up in memory, keyed by the set-up's whole stored content, which one query reads as
a single string (`_CONTENT`): when nothing changed that string is the key of a cached
set-up; when anything changed, in this process or in another one sharing the database
(the CLI, a seed, a hand edit in SQL), the string differs and the set-up is read again.
No writer has to remember to bump anything, and a stale set-up is never served.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from types import MappingProxyType

from sqlalchemy import Text, cast, func, or_
from sqlmodel import Session, select

from domain.calendar import OfficeCalendar
from domain.categorise import CategoryKeywords, keyword_list
from domain.errors import DomainError, InvalidInput
from domain.priority_rules import PriorityRule
from domain.sla import Targets
from storage.office import get_setting
from storage.tables import (AgentAbsence, BusinessCalendar, CalendarClosure, OfficeSetting,
                            Priority, PriorityRule as PriorityRuleRow, RoutingCategory)

AROUND_THE_CLOCK = "around the clock (no business calendar is set up)"


@dataclass(frozen=True)
class RoutingConfig:
    """Everything routing decisions read. Shared between transactions (see `load_config`),
    so it is never changed once built."""

    calendar: OfficeCalendar
    calendar_label: str
    priorities: Mapping[str, Targets]
    rules: tuple[PriorityRule, ...]
    keywords: tuple[CategoryKeywords, ...]
    problems: tuple[str, ...] = ()
    """Set-up that could not be used, in words (shown in the explanation)."""
    category_paths: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    """Every routing category's path by id."""
    category_ids: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Every routing category's id by path."""
    supervisors: int | None = None
    """The category complaints and escalations land in (see `supervisors_category`)."""

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


def _content_query(dialect: str):
    """One query returning the whole stored routing set-up as one string (see the module)."""
    if dialect == "sqlite":
        row, rows, outer = func.json_array, func.json_group_array, func.json_array
    else:
        row, rows, outer = func.json_build_array, func.json_agg, func.json_build_array
    parts = [select(rows(row(*table.__table__.c))).scalar_subquery()
             for table in (BusinessCalendar, CalendarClosure, Priority, PriorityRuleRow, RoutingCategory)]
    setting = OfficeSetting.__table__
    parts.append(select(setting.c.value).where(setting.c.key == "calendar").scalar_subquery())
    return select(cast(outer(*parts), Text))


_CONTENT = {name: _content_query(name) for name in ("sqlite", "postgresql")}
_CACHED: OrderedDict[str, RoutingConfig] = OrderedDict()
_CACHED_LOCK = threading.Lock()
_CACHE_SIZE = 8  # a few set-ups: tests and tools may hold several databases at once


def _stored_content(session: Session) -> str:
    return session.execute(_CONTENT[session.get_bind().dialect.name]).scalar_one()


def load_config(session: Session) -> RoutingConfig:
    """The routing set-up; unusable parts are left out and named in `problems`.

    One query when the set-up is unchanged since it was last read by this process (from
    any database holding the very same set-up); read and parsed again when it changed.
    """
    content = _stored_content(session)
    with _CACHED_LOCK:
        config = _CACHED.get(content)
        if config is not None:
            _CACHED.move_to_end(content)
            return config
    config = read_config(session)
    # On PostgreSQL (read committed) the set-up may have changed between the two reads:
    # keep it only if what was parsed is what the key says.
    if _stored_content(session) == content:
        with _CACHED_LOCK:
            _CACHED[content] = config
            while len(_CACHED) > _CACHE_SIZE:
                _CACHED.popitem(last=False)
    return config


def read_config(session: Session) -> RoutingConfig:
    """The routing set-up read and parsed from the tables (no cache: prefer `load_config`)."""
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
    paths = {}
    supervisors = None
    for row in session.exec(select(RoutingCategory).order_by(RoutingCategory.path)):
        paths[row.id] = row.path
        if row.supervisors_only and supervisors is None:
            supervisors = row.id
        try:
            words = keyword_list(row.keywords, where=f"category {row.path}.keywords")
        except DomainError as exc:
            problems.append(str(exc))
            continue
        if words:
            keywords.append(CategoryKeywords(row.path, words))
    return RoutingConfig(calendar=calendar, calendar_label=label,
                         priorities=MappingProxyType(priorities), rules=tuple(rules),
                         keywords=tuple(keywords), problems=tuple(problems),
                         category_paths=MappingProxyType(paths),
                         category_ids=MappingProxyType({p: i for i, p in paths.items()}),
                         supervisors=supervisors)


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
