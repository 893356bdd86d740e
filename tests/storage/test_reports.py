"""Report numbers equal independent counts over a generated office, on SQLite and PostgreSQL."""

from collections import Counter
from datetime import datetime, timedelta, timezone
from statistics import median
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from domain.office_time import day_bounds
from domain.reporting import Dimension
from storage.engine import read_session
from storage.reports import sla, timeline_from, volume
from storage.tables import Request
from tests.report_data import PRIORITIES, build_office

UTC = timezone.utc
WARSAW = ZoneInfo("Europe/Warsaw")
# 23-31 October in Warsaw: crosses the change from summer to winter time on the 25th.
START, END = day_bounds(WARSAW, datetime(2026, 10, 23).date(), datetime(2026, 10, 31).date())
EDGES = [START, END, END - timedelta(microseconds=1), START - timedelta(microseconds=1),
         datetime(2026, 10, 25, 0, 59, 59, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)]


@pytest.fixture
def office(engine, now):
    return build_office(engine, now=now, count=400, edges=EDGES)


def _inside(office):
    return [r for r in office.requests if START <= r["created_at"] < END]


def _expected(office, dimension: Dimension) -> Counter:
    rows = _inside(office)
    if dimension is Dimension.TYPE:
        return Counter(r["type"] for r in rows)
    if dimension is Dimension.CHANNEL:
        return Counter(r["channel"] for r in rows)
    if dimension is Dimension.CATEGORY:
        return Counter(office.categories.get(r["category_id"]) for r in rows)
    if dimension is Dimension.AGENT:
        return Counter(office.agents.get(r["assigned_agent_id"]) for r in rows)
    part = {Dimension.PROBLEM: 0, Dimension.PROVIDER: 1, Dimension.DEPARTMENT: 2}[dimension]
    return Counter(office.problems[r["problem_code_id"]][part] if r["problem_code_id"] else None
                   for r in rows)


@pytest.mark.parametrize("dimension", [Dimension.TYPE, Dimension.CHANNEL, Dimension.CATEGORY,
                                       Dimension.PROBLEM, Dimension.PROVIDER,
                                       Dimension.DEPARTMENT, Dimension.AGENT])
def test_volume_by_each_dimension_equals_a_count_of_the_generated_requests(engine, office, dimension):
    report = volume(engine, start=START, end=END, by=dimension)
    assert {row.key: row.count for row in report.rows} == _expected(office, dimension)
    assert report.total == len(_inside(office))


@pytest.mark.parametrize("dimension", [Dimension.TYPE, Dimension.CATEGORY, Dimension.AGENT])
def test_a_period_tallied_in_several_pieces_counts_each_request_once(engine, office, dimension,
                                                                      monkeypatch):
    import storage.reports

    # 17 h pieces from START put a piece boundary exactly on the edge request at 01:00 UTC
    # on the 25th (51 h after START), with another one a second before it.
    assert datetime(2026, 10, 25, 1, 0, tzinfo=UTC) - START == 3 * timedelta(hours=17)
    monkeypatch.setattr(storage.reports, "TALLY_SPAN", timedelta(hours=17))
    report = volume(engine, start=START, end=END, by=dimension)
    assert {row.key: row.count for row in report.rows} == _expected(office, dimension)
    assert report.total == len(_inside(office))


def test_the_total_equals_a_direct_count_and_keeps_requests_without_a_type(engine, office):
    report = volume(engine, start=START, end=END, by="type")
    with read_session(engine) as session:
        direct = session.execute(select(func.count()).select_from(Request).where(
            Request.created_at >= START, Request.created_at < END)).scalar_one()
    untyped = [row for row in report.rows if row.key is None]
    assert report.total == direct
    assert untyped and untyped[0].label == "(none)"
    assert untyped[0].count == sum(1 for r in _inside(office) if r["type"] is None)


def test_the_range_includes_its_start_and_excludes_its_end(engine, office):
    report = volume(engine, start=START, end=START + timedelta(microseconds=1), by="channel")
    assert report.total == sum(1 for r in office.requests if r["created_at"] == START)


def test_days_and_hours_are_counted_in_the_office_time_zone_across_a_dst_change(engine, office):
    by_day = volume(engine, start=START, end=END, by="day")
    by_hour = volume(engine, start=START, end=END, by="hour")
    local = [r["created_at"].astimezone(WARSAW) for r in _inside(office)]
    assert by_day.timezone == "Europe/Warsaw"
    assert [row.key for row in by_day.rows] == [f"2026-10-{d}" for d in range(23, 32)]
    assert {row.key: row.count for row in by_day.rows} == {
        f"2026-10-{d}": sum(1 for t in local if t.day == d) for d in range(23, 32)}
    assert {row.key: row.count for row in by_hour.rows} == {
        f"{h:02d}:00": sum(1 for t in local if t.hour == h) for h in range(24)}
    assert by_day.total == by_hour.total == len(local)


def test_without_a_calendar_days_are_utc(engine, now):
    from storage.requests import open_request

    open_request(engine, now=now.replace(hour=23, minute=30), agent_id=None, actor="cli")
    report = volume(engine, start=now - timedelta(days=1), end=now + timedelta(days=1), by="day")
    assert report.timezone == "UTC"
    assert {row.key: row.count for row in report.rows if row.count} == {"2026-11-27": 1}


def _outcome(due, done, now, paused):
    if due is None:
        return None
    if done is not None:
        return "met" if done <= due else "breached"
    if paused is not None:
        return "breached" if paused > due else "open"
    return "breached" if now > due else "open"


@pytest.mark.parametrize("by", ["priority", "category"])
def test_sla_counts_equal_a_plain_count_of_deadlines_met_and_missed(engine, office, now, by):
    report = sla(engine, start=START, end=END, now=now, by=by)
    expected: dict = {}
    for r in _inside(office):
        key = r["priority"] if by == "priority" else office.categories.get(r["category_id"])
        group = expected.setdefault(key, Counter())
        group["requests"] += 1
        answered = min([t for t in (r["first_response_at"], r["resolved_at"]) if t], default=None)
        for kind, due, done in (("response", r["response_due_at"], answered),
                                ("resolution", r["resolution_due_at"], r["resolved_at"])):
            result = _outcome(due, done, now, r["paused_at"])
            if result:
                group[f"{kind}_{result}"] += 1
    got = {row.key: Counter({name: value for name, value in row.to_json().items()
                             if name.startswith(("response_", "resolution_", "requests"))
                             and not name.startswith("median") and value})
           for row in report.rows}
    assert got == expected
    if by == "priority":
        assert [row.key for row in report.rows] == [*PRIORITIES, None]


def test_sla_medians_are_in_hours_and_follow_the_business_clock(engine, office, now):
    wall = sla(engine, start=START, end=END, now=now, by="priority")
    urgent = [r for r in _inside(office) if r["priority"] == "urgent" and r["resolved_at"]]
    hours = [(r["resolved_at"] - r["created_at"]).total_seconds() / 3600 for r in urgent]
    assert wall.rows[0].median_resolution_hours == pytest.approx(median(hours))
    assert wall.business_hours is False
    # A calendar open only 09:00-10:00 UTC each day: durations shrink to open time only.
    days = [START.replace(hour=9, minute=0) + timedelta(days=n) for n in range(60)]
    clock = timeline_from([(d, d + timedelta(hours=1)) for d in days])
    business = sla(engine, start=START, end=END, now=now, by="priority", business_seconds=clock)

    def open_hours(a, b):
        return sum(max(0.0, (min(b, d + timedelta(hours=1)) - max(a, d)).total_seconds())
                   for d in days) / 3600

    assert business.business_hours is True
    assert business.rows[0].median_resolution_hours == pytest.approx(
        median(open_hours(r["created_at"], r["resolved_at"]) for r in urgent))


def test_sla_times_on_the_office_calendar_skip_nights_and_weekends(engine, now):
    from storage.engine import run_write
    from storage.reports import office_sla

    build_office(engine, now=now, count=0)  # Mon-Fri 08:00-17:00 Europe/Warsaw
    friday_15 = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)   # 15:00 in Warsaw
    monday_09 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)    # 09:00 in Warsaw

    def add(session):
        session.add(Request(created_at=friday_15, channel="phone", status="resolved",
                            priority="medium", first_response_at=friday_15 + timedelta(minutes=30),
                            resolved_at=monday_09, resolution_due_at=monday_09, field_values={}))

    run_write(engine, add)
    report = office_sla(engine, start=friday_15 - timedelta(hours=1), end=friday_15 + timedelta(hours=1),
                        now=monday_09 + timedelta(days=1))
    row = report.rows[0]
    assert report.business_hours is True
    assert (row.key, row.resolution_met, row.median_resolution_hours) == ("medium", 1, pytest.approx(3.0))
    assert row.median_response_hours == pytest.approx(0.5)
