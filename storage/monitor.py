"""One snapshot of the supervisors' board, read in a handful of index-only queries.

Open requests are read in one pass through the partial index `ix_request_open` (only
open requests are in it), what each agent works on by one seek per agent in
`ix_request_held`, today's volume through `ix_request_reporting` and work finished
today through `ix_request_resolved`; agents, absences and categories are small tables.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, String, and_, bindparam, case, func, or_, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import Session

from domain.monitor import (AT_RISK_WINDOW, SIGNED_IN_WINDOW, AgentLoad, CategoryLoad,
                            MonitorSnapshot, TodaySummary, by_urgency)
from domain.office_time import offset_spans
from domain.reporting import NONE_LABEL
from domain.requests import Status
from storage.engine import read_session
from storage.local_time import HOUR, local_text, office_timezone
from storage.tables import Agent, AgentAbsence, Request, RoutingCategory
from storage.tables_reporting import held_requests, open_requests
from storage.types import UTCDateTime

_PAUSED = Status.PENDING_CUSTOMER.value
_NOW = bindparam("now", type_=UTCDateTime)
_SOON = bindparam("soon", type_=UTCDateTime)
_DAY_START = bindparam("day_start", type_=UTCDateTime)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _raw_time(value) -> datetime | None:
    """A time read without type processing (text on SQLite, aware on PostgreSQL), as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _least(values):
    present = [v for v in values if v is not None]
    return min(present) if present else None


# Built once: the board runs these every few seconds. The two earliest times are read
# raw and only the few that win are turned into datetimes (there is a group per
# category and agent, so thousands of them in a big office).
_RUNNING = Request.status != _PAUSED  # a paused clock is neither overdue nor at risk
_DUE = Request.resolution_due_at
_OPEN_GROUPS = (
    select(Request.category_id, Request.assigned_agent_id, func.count(),
           type_coerce(func.min(Request.created_at), String),
           type_coerce(func.min(case((_RUNNING, _DUE), else_=None)), String),
           _count(and_(_RUNNING, _DUE < _NOW)),
           _count(and_(_RUNNING, _DUE >= _NOW, _DUE < _SOON)),
           _count(Request.complaint), _count(Request.escalated),
           _count(and_(_RUNNING, _DUE >= _DAY_START, _DUE < _NOW)))
    .where(open_requests()).group_by(Request.category_id, Request.assigned_agent_id))
_PATHS = select(RoutingCategory.id, RoutingCategory.path)
_WORKED_ON = aliased(Request)
_LATEST_TAKEN = (select(_WORKED_ON.id)
                 .where(held_requests(), _WORKED_ON.assigned_agent_id == Agent.id)
                 .order_by(_WORKED_ON.assigned_at.desc(), _WORKED_ON.id.desc()).limit(1)
                 .correlate(Agent).scalar_subquery())
_PICKED = select(Agent.id.label("agent_id"), _LATEST_TAKEN.label("number")).where(Agent.active).subquery()
_BUSY = (select(_PICKED.c.agent_id, Request.id, Request.assigned_at)
         .join(Request, Request.id == _PICKED.c.number))


def open_loads(session: Session, now: datetime, day_start: datetime
               ) -> tuple[list[CategoryLoad], dict[int, int]]:
    """Open requests per routing category, most urgent first, and per agent how many they hold.

    One streaming pass over `ix_request_open` grouped by (category, agent); the groups are
    added up here into queues (the agent-less group is the waiting pool) and agents.
    """
    rows = session.connection().execute(_OPEN_GROUPS, {
        "now": now, "soon": now + AT_RISK_WINDOW, "day_start": day_start}).all()
    paths = dict(session.connection().execute(_PATHS).all())
    groups: dict[int | None, list] = {}
    held: Counter = Counter()
    for row in rows:
        groups.setdefault(row[0], []).append(row)
        if row[1] is not None:
            held[row[1]] += row[2]
    loads = []
    for cid, parts in groups.items():
        pool = next((p for p in parts if p[1] is None), None)
        loads.append(CategoryLoad(
            category_id=cid, path=paths.get(cid) if cid is not None else None,
            depth=sum(p[2] for p in parts), unassigned=pool[2] if pool else 0,
            oldest_waiting_at=_raw_time(pool[3]) if pool else None,
            earliest_due_at=_raw_time(_least(p[4] for p in parts)),
            overdue=sum(int(p[5]) for p in parts), due_soon=sum(int(p[6]) for p in parts),
            complaints=sum(int(p[7]) for p in parts), escalations=sum(int(p[8]) for p in parts),
            overdue_today=sum(int(p[9]) for p in parts)))
    return by_urgency(loads), dict(held)


def _busy(session: Session) -> dict[int, tuple[int, datetime]]:
    """Per agent: the request they took last among those they work on, and when."""
    rows = session.connection().execute(_BUSY).all()
    return {agent_id: (number, since) for agent_id, number, since in rows}


_ABSENT = (select(AgentAbsence.agent_id, AgentAbsence.ends_at, AgentAbsence.reason)
           .where(AgentAbsence.starts_at <= _NOW,
                  or_(AgentAbsence.ends_at.is_(None), AgentAbsence.ends_at > _NOW))
           .order_by(AgentAbsence.starts_at.desc()))
_RESOLVED_TODAY = (select(Request.assigned_agent_id, func.count(),
                          _count(and_(_DUE.is_not(None), Request.resolved_at <= _DUE)),
                          _count(Request.resolved_at > _DUE))
                   .where(Request.resolved_at >= _DAY_START, Request.resolved_at <= _NOW)
                   .group_by(Request.assigned_agent_id))
_AGENTS = (select(Agent.id, Agent.login, Agent.name, Agent.role, Agent.last_seen_at)
           .where(Agent.active).order_by(Agent.login))


def _absences(session: Session, now: datetime) -> dict[int, tuple[datetime | None, str]]:
    """Agents out of office at `now`: until when (None: until set back) and why."""
    rows = session.connection().execute(_ABSENT, {"now": now}).all()
    return {agent_id: (ends_at, reason) for agent_id, ends_at, reason in rows}


def _resolved_today(session: Session, day_start: datetime, now: datetime):
    """Per agent: resolved today; and today's resolutions kept / missed against deadlines."""
    rows = session.connection().execute(_RESOLVED_TODAY, {"now": now, "day_start": day_start}).all()
    per_agent = {agent_id: count for agent_id, count, _met, _late in rows if agent_id is not None}
    return per_agent, sum(int(r[2]) for r in rows), sum(int(r[3]) for r in rows)


def agent_loads(session: Session, now: datetime, day_start: datetime,
                held: dict[int, int]) -> tuple[list[AgentLoad], int, int]:
    """Every active agent on the board; also today's resolution deadlines met and missed."""
    busy = _busy(session)
    away = _absences(session, now)
    handled, met, late = _resolved_today(session, day_start, now)
    agents = session.connection().execute(_AGENTS).all()
    loads = []
    for agent_id, login, name, role, seen in agents:
        busy_with, since = busy.get(agent_id, (None, None))
        absence = away.get(agent_id)
        loads.append(AgentLoad(
            id=agent_id, login=login, name=name, role=role,
            signed_in=seen is not None and now - seen <= SIGNED_IN_WINDOW, last_seen_at=seen,
            busy_with=busy_with, busy_since=since, away=absence is not None,
            away_until=absence[0] if absence else None,
            away_reason=absence[1] if absence else "", open_requests=held.get(agent_id, 0),
            handled_today=handled.get(agent_id, 0)))
    return loads, met, late


def today_summary(session: Session, engine: Engine, now: datetime, *, zone: ZoneInfo,
                  day_start: datetime, sla_met: int, sla_late: int,
                  categories: list[CategoryLoad]) -> TodaySummary:
    """Today's requests (the whole office-local day) by type, channel and hour; deadlines so far."""
    by_type: Counter = Counter()
    by_channel: Counter = Counter()
    by_hour = [0] * 24
    day_end = datetime.combine(day_start.astimezone(zone).date() + timedelta(days=1), time(0), zone)
    for span in offset_spans(zone, day_start, day_end.astimezone(timezone.utc)):
        hour = local_text(engine, Request.created_at, span, HOUR)
        rows = session.execute(select(Request.type, Request.channel, hour, func.count())
                               .where(Request.created_at >= span.start, Request.created_at < span.end)
                               .group_by(Request.type, Request.channel, hour)).all()
        for type_, channel, hour_text, count in rows:
            by_type[type_ or NONE_LABEL] += count
            by_channel[channel] += count
            by_hour[int(hour_text[:2])] += count
    # Open requests whose deadline fell due earlier today count as missed already.
    overdue_today = sum(c.overdue_today for c in categories)
    return TodaySummary(
        day=now.astimezone(zone).date().isoformat(), timezone=zone.key, total=sum(by_hour),
        by_type=dict(by_type.most_common()), by_channel=dict(by_channel.most_common()),
        by_hour=by_hour, sla_met=sla_met, sla_breached=sla_late + overdue_today,
        complaints_waiting=sum(c.complaints for c in categories),
        escalations_waiting=sum(c.escalations for c in categories))


def snapshot(engine: Engine, *, now: datetime) -> MonitorSnapshot:
    """Read the whole board at `now` in one read transaction."""
    with read_session(engine) as session:
        zone = office_timezone(session)
        day_start = datetime.combine(now.astimezone(zone).date(), time(0), zone).astimezone(timezone.utc)
        categories, held = open_loads(session, now, day_start)
        agents, met, late = agent_loads(session, now, day_start, held)
        today = today_summary(session, engine, now, zone=zone, day_start=day_start,
                              sla_met=met, sla_late=late, categories=categories)
    return MonitorSnapshot(at=now, categories=categories, agents=agents, today=today)
