"""Exact reports: request volume by one dimension, and SLA outcomes by priority or category.

Counting happens in the database over the covering index `ix_request_reporting`; the
hierarchy (problem code -> service category -> provider -> department) and names are
small tables, so requests are grouped by their own ids in SQL and the ids mapped to
names here. Every request created in the range lands in exactly one row.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from domain.office_time import (BusinessTimeline, day_bounds, days_between, local_buckets,
                                local_day)
from domain.reporting import (Dimension, Outcome, SlaDimension, SlaReport, SlaRow, VolumeReport,
                              VolumeRow, median_hours, outcome)
from storage.engine import read_session
from storage.local_time import DAY, HOUR, office_calendar, office_timezone
from storage.routing_config import load_calendar
from storage.tables import (Agent, Department, Priority, ProblemCode, Provider, Request,
                            RoutingCategory, ServiceCategory)

BusinessSeconds = Callable[[datetime, datetime], float]

_ID_COLUMN = {
    Dimension.TYPE: Request.type, Dimension.CHANNEL: Request.channel,
    Dimension.CATEGORY: Request.category_id, Dimension.PROBLEM: Request.problem_code_id,
    Dimension.DEPARTMENT: Request.problem_code_id, Dimension.PROVIDER: Request.problem_code_id,
    Dimension.AGENT: Request.assigned_agent_id,
}


def _in_range(start: datetime, end: datetime):
    return (Request.created_at >= start, Request.created_at < end)


TALLY_SPAN = timedelta(days=92)


def _count_by(session: Session, column, start: datetime, end: datetime) -> Counter:
    """Requests created in [start, end) per value of `column`, NULL included.

    PostgreSQL groups the range of the covering index in a hash table. SQLite has no hash
    aggregation: its GROUP BY sorts every entry of the range (a month: 6-12x the CPU of a
    bare count of the range; about half that this way). There the range is read once in
    index order into one JSON array of the column's values per piece of at most
    TALLY_SPAN (NULLs included, no sort) and tallied here; the pieces bound the memory
    of a long period.
    """
    if session.get_bind().dialect.name != "sqlite":
        rows = session.execute(select(column, func.count()).where(*_in_range(start, end))
                               .group_by(column)).all()
        return Counter({key: count for key, count in rows})
    counts: Counter = Counter()
    piece_start = start
    while piece_start < end:
        piece_end = min(end, piece_start + TALLY_SPAN)
        values = session.execute(select(func.json_group_array(column))
                                 .where(*_in_range(piece_start, piece_end))).scalar_one()
        counts.update(json.loads(values))
        piece_start = piece_end
    return counts


# Every piece's range count in one statement: the pieces' bounds are passed as one list
# (`lo` of a piece is its bound, `hi` the next one) and each piece is a correlated count
# over the created_at index range. The bounds are values of the column's own type: a
# JSON array of its stored text on SQLite, a timestamptz[] on PostgreSQL.
_PIECE_COUNTS = {
    "sqlite": text(
        "WITH bound(n, lo, hi) AS (SELECT key, value, lead(value) OVER (ORDER BY key)"
        " FROM json_each(:bounds))"
        " SELECT (SELECT count(*) FROM request AS r"
        " WHERE r.created_at >= bound.lo AND r.created_at < bound.hi)"
        " FROM bound WHERE bound.hi IS NOT NULL ORDER BY bound.n"),
    "postgresql": text(
        "WITH bound(n, lo, hi) AS (SELECT n, at, lead(at) OVER (ORDER BY n)"
        " FROM unnest(CAST(:bounds AS timestamptz[])) WITH ORDINALITY AS b(at, n))"
        " SELECT (SELECT count(*) FROM request AS r"
        " WHERE r.created_at >= bound.lo AND r.created_at < bound.hi)"
        " FROM bound WHERE bound.hi IS NOT NULL ORDER BY bound.n"),
}


def _count_by_local(session: Session, zone: ZoneInfo, unit: str, start: datetime,
                    end: datetime) -> Counter:
    """Requests per office-local day or hour: an index range count per piece of time.

    Counting ranges walks the created_at index in order; grouping by a computed local
    date would sort every request of the period instead. All pieces (a month by hour:
    744) are counted by one statement.
    """
    pieces = local_buckets(zone, start, end, unit)  # contiguous: each ends where the next starts
    if not pieces:
        return Counter()
    connection = session.connection()
    dialect = connection.dialect
    bounds = [piece_start for _key, piece_start, _end in pieces] + [pieces[-1][2]]
    if dialect.name == "sqlite":
        column_type = Request.__table__.c.created_at.type.dialect_impl(dialect)
        to_stored = column_type.bind_processor(dialect)
        bounds = json.dumps([to_stored(bound) for bound in bounds])
    found = connection.execute(_PIECE_COUNTS[dialect.name], {"bounds": bounds}).scalars().all()
    counts: Counter = Counter()
    for (key, _start, _end), count in zip(pieces, found, strict=True):
        counts[key] += count
    return counts


def _names(session: Session, dimension: Dimension) -> dict[int, str]:
    """Map the ids grouped by in SQL to the names the report shows."""
    if dimension is Dimension.CATEGORY:
        return dict(session.execute(select(RoutingCategory.id, RoutingCategory.path)).all())
    if dimension is Dimension.AGENT:
        return dict(session.execute(select(Agent.id, Agent.login)).all())
    if dimension is Dimension.PROBLEM:
        return dict(session.execute(select(ProblemCode.id, ProblemCode.code)).all())
    owner = Provider.code if dimension is Dimension.PROVIDER else Department.code
    rows = session.execute(
        select(ProblemCode.id, owner)
        .join(ServiceCategory, ServiceCategory.id == ProblemCode.service_category_id)
        .join(Provider, Provider.id == ServiceCategory.provider_id)
        .join(Department, Department.id == Provider.department_id)).all()
    return dict(rows)


def _rows(counts: Counter, *, keep_order: list[str] | None = None) -> list[VolumeRow]:
    if keep_order is not None:  # a time axis: every day or hour, zeros included
        return [VolumeRow(key, counts.get(key, 0)) for key in keep_order]
    named = sorted(((k, c) for k, c in counts.items() if k is not None), key=lambda kc: (-kc[1], kc[0]))
    rows = [VolumeRow(key, count) for key, count in named]
    if counts.get(None):
        rows.append(VolumeRow(None, counts[None]))
    return rows


def volume(engine: Engine, *, start: datetime, end: datetime, by: Dimension | str,
           zone: ZoneInfo | None = None) -> VolumeReport:
    """Requests created in [start, end) counted by `by`; days and hours are office-local."""
    dimension = Dimension(by)
    with read_session(engine) as session:
        zone = zone or office_timezone(session)
        order = None
        if dimension in (Dimension.DAY, Dimension.HOUR):
            unit = DAY if dimension is Dimension.DAY else HOUR
            counts = _count_by_local(session, zone, unit, start, end)
            if dimension is Dimension.DAY:
                last = local_day(zone, max(start, end - timedelta(microseconds=1)))
                order = [d.isoformat() for d in days_between(local_day(zone, start), last)]
            else:
                order = [f"{h:02d}:00" for h in range(24)]
        else:
            raw = _count_by(session, _ID_COLUMN[dimension], start, end)
            if dimension in (Dimension.TYPE, Dimension.CHANNEL):
                counts = raw
            else:
                names = _names(session, dimension)
                counts = Counter()
                for key, count in raw.items():
                    counts[names.get(key) if key is not None else None] += count
    rows = _rows(counts, keep_order=order)
    return VolumeReport(by=dimension.value, start=start, end=end, timezone=zone.key,
                        rows=rows, total=sum(row.count for row in rows))


def office_zone_of(engine: Engine) -> ZoneInfo:
    """The office's time zone, read from its calendar."""
    with read_session(engine) as session:
        return office_timezone(session)


def office_period(engine: Engine, first: date, last: date) -> tuple[ZoneInfo, datetime, datetime]:
    """The office's zone and the UTC bounds [start, end) of its local days `first`..`last`."""
    zone = office_zone_of(engine)
    start, end = day_bounds(zone, first, last)
    return zone, start, end


# --- SLA --------------------------------------------------------------------------------


def _wall_clock(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def _sla_key(session: Session, by: SlaDimension):
    if by is SlaDimension.PRIORITY:
        ranks = dict(session.execute(select(Priority.code, Priority.rank)).all())
        return Request.priority, (lambda key: key), (lambda key: (ranks.get(key, 10**6), key))
    paths = dict(session.execute(select(RoutingCategory.id, RoutingCategory.path)).all())
    return Request.category_id, (lambda key: paths.get(key)), (lambda key: (0, key))


def sla(engine: Engine, *, start: datetime, end: datetime, now: datetime,
        by: SlaDimension | str = SlaDimension.PRIORITY,
        business_seconds: BusinessSeconds | None = None) -> SlaReport:
    """Response and resolution deadlines met, breached or still open, with median times.

    Counts cover every request created in [start, end); requests without a priority have
    no deadlines and appear only in `requests`. Durations are business hours when
    `business_seconds` is given (see `business_clock`), wall-clock hours otherwise.
    """
    dimension = SlaDimension(by)
    elapsed = business_seconds or _wall_clock
    with read_session(engine) as session:
        key_column, name_of, sort_key = _sla_key(session, dimension)
        rows = session.execute(select(
            key_column, Request.created_at, Request.first_response_at, Request.resolved_at,
            Request.response_due_at, Request.resolution_due_at, Request.paused_at)
            .where(*_in_range(start, end))).all()
    groups: dict[str | None, dict] = {}
    for key, created, responded, resolved, response_due, resolution_due, paused in rows:
        group = groups.setdefault(name_of(key) if key is not None else None, {
            "requests": 0, "response": Counter(), "resolution": Counter(),
            "response_times": [], "resolution_times": []})
        group["requests"] += 1
        answered = min((t for t in (responded, resolved) if t is not None), default=None)
        for kind, due, done in (("response", response_due, answered),
                                ("resolution", resolution_due, resolved)):
            result = outcome(due, done, now, paused)
            if result is not None:
                group[kind][result] += 1
        if answered is not None:
            group["response_times"].append(elapsed(created, answered))
        if resolved is not None:
            group["resolution_times"].append(elapsed(created, resolved))
    ordered = sorted((k for k in groups if k is not None), key=sort_key)
    if None in groups:
        ordered.append(None)
    result_rows = [_sla_row(key, groups[key]) for key in ordered]
    return SlaReport(by=dimension.value, start=start, end=end, now=now,
                     business_hours=business_seconds is not None, rows=result_rows)


def _sla_row(key: str | None, group: dict) -> SlaRow:
    response, resolution = group["response"], group["resolution"]
    return SlaRow(
        key=key, requests=group["requests"],
        response_met=response[Outcome.MET], response_breached=response[Outcome.BREACHED],
        response_open=response[Outcome.OPEN], resolution_met=resolution[Outcome.MET],
        resolution_breached=resolution[Outcome.BREACHED],
        resolution_open=resolution[Outcome.OPEN],
        median_response_hours=median_hours(group["response_times"]),
        median_resolution_hours=median_hours(group["resolution_times"]))


def timeline_from(intervals) -> BusinessSeconds:
    """A business-seconds function over the given opening intervals (UTC pairs)."""
    return BusinessTimeline(intervals).seconds


def office_sla(engine: Engine, *, start: datetime, end: datetime, now: datetime,
               by: SlaDimension | str = SlaDimension.PRIORITY) -> SlaReport:
    """`sla` with durations in business hours on the office calendar (when it has one)."""
    clock = business_clock(engine, start=start, end=max(end, now))
    return sla(engine, start=start, end=end, now=now, by=by, business_seconds=clock)


def business_clock(engine: Engine, *, start: datetime, end: datetime) -> BusinessSeconds | None:
    """Business seconds on the office calendar for instants in [start, end]; None without one."""
    with read_session(engine) as session:
        if office_calendar(session) is None:
            return None
        calendar, _description = load_calendar(session)
    first = calendar.local_day(start) - timedelta(days=1)
    last = calendar.local_day(end) + timedelta(days=1)
    return timeline_from(interval for day in days_between(first, last)
                         for interval in calendar.day_plan(day)[0])
