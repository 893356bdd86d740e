"""The board's snapshot equals counts made in plain Python over a generated office."""

from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.monitor import AT_RISK_WINDOW, LoadState, urgency_key
from domain.requests import OPEN_STATUSES
from storage.agents import set_away, set_back
from storage.engine import run_write
from storage.monitor import snapshot
from storage.requests import open_request
from storage.tables import Agent
from tests.report_data import build_office

OPEN = {s.value for s in OPEN_STATUSES}
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def office(engine, now):
    return build_office(engine, now=now, count=300, start=now - timedelta(days=3))


def _open(office):
    return [r for r in office.requests if r["status"] in OPEN]


def _running(row):
    return row["status"] != "pending_customer" and row["resolution_due_at"] is not None


def test_per_category_numbers_equal_a_plain_count_of_open_requests(engine, office, now):
    board = snapshot(engine, now=now)
    expected = {}
    for key in {r["category_id"] for r in _open(office)}:
        mine = [r for r in _open(office) if r["category_id"] == key]
        pool = [r for r in mine if r["assigned_agent_id"] is None]
        running = [r for r in mine if _running(r)]
        expected[key] = {
            "path": office.categories.get(key), "depth": len(mine), "unassigned": len(pool),
            "oldest_waiting_at": min((r["created_at"] for r in pool), default=None),
            "earliest_due_at": min((r["resolution_due_at"] for r in running), default=None),
            "overdue": sum(1 for r in running if r["resolution_due_at"] < now),
            "due_soon": sum(1 for r in running if now <= r["resolution_due_at"] < now + AT_RISK_WINDOW),
            "complaints": sum(1 for r in mine if r["complaint"]),
            "escalations": sum(1 for r in mine if r["escalated"])}
    got = {load.category_id: {name: getattr(load, name) for name in expected[load.category_id]}
           for load in board.categories}
    assert got == expected
    assert any(load.overdue for load in board.categories)  # the data exercises the colours
    assert board.categories == sorted(board.categories, key=urgency_key)
    assert board.categories[0].state is LoadState.OVERDUE


def test_per_agent_numbers_equal_a_plain_count(engine, office, now):
    board = snapshot(engine, now=now)
    day_start = datetime.combine(now.astimezone(WARSAW).date(), time(0), WARSAW)
    for agent in board.agents:
        held = [r for r in _open(office) if r["assigned_agent_id"] == agent.id]
        working = sorted((r for r in held if r["status"] != "pending_customer"),
                         key=lambda r: (r["assigned_at"], r["id"]))
        assert agent.open_requests == len(held)
        assert agent.busy_with == (working[-1]["id"] if working else None)
        assert agent.busy_since == (working[-1]["assigned_at"] if working else None)
        assert agent.handled_today == sum(
            1 for r in office.requests if r["assigned_agent_id"] == agent.id and r["resolved_at"]
            and day_start <= r["resolved_at"] <= now)
    assert [a.login for a in board.agents] == sorted(office.agents.values())


def test_today_counts_types_channels_hours_and_deadlines_in_the_office_zone(engine, office, now):
    today = snapshot(engine, now=now).today
    day_start = datetime.combine(now.astimezone(WARSAW).date(), time(0), WARSAW)
    mine = [r for r in office.requests if day_start <= r["created_at"] <= now]
    assert today.day == "2026-11-27" and today.timezone == "Europe/Warsaw"
    assert today.by_type == Counter(r["type"] or "(none)" for r in mine)
    assert today.by_channel == Counter(r["channel"] for r in mine)
    assert today.by_hour == [sum(1 for r in mine if r["created_at"].astimezone(WARSAW).hour == h)
                             for h in range(24)]
    resolved = [r for r in office.requests if r["resolved_at"] and day_start <= r["resolved_at"] <= now
                and r["resolution_due_at"]]
    missed_open = [r for r in _open(office) if _running(r)
                   and day_start <= r["resolution_due_at"] < now]
    assert today.sla_met == sum(1 for r in resolved if r["resolved_at"] <= r["resolution_due_at"])
    assert today.sla_breached == sum(1 for r in resolved if r["resolved_at"] > r["resolution_due_at"]) + len(missed_open)
    assert today.complaints_waiting == sum(1 for r in _open(office) if r["complaint"])
    assert today.total == len(mine)


def test_a_new_request_shows_up_in_the_next_snapshot(engine, office, now):
    before = snapshot(engine, now=now)
    category = next(iter(office.categories))
    open_request(engine, now=now, agent_id=None, actor="cli", category_id=category, type="action")
    after = snapshot(engine, now=now)

    def row(board):
        return next((c for c in board.categories if c.category_id == category), None)

    assert row(after).depth == (row(before).depth if row(before) else 0) + 1
    assert row(after).unassigned == (row(before).unassigned if row(before) else 0) + 1
    assert after.today.total == before.today.total + 1
    assert after.today.by_type["action"] == before.today.by_type.get("action", 0) + 1


def test_away_agents_and_who_is_signed_in_are_shown(engine, office, now):
    ann = next(a for a, login in office.agents.items() if login == "ann")

    def seen(session):
        session.get(Agent, ann).last_seen_at = now - timedelta(minutes=2)

    run_write(engine, seen)
    set_away(engine, login="bob", starts_at=now - timedelta(hours=1), ends_at=None, reason="sick", now=now)
    board = {a.login: a for a in snapshot(engine, now=now).agents}
    assert board["ann"].signed_in and not board["cyd"].signed_in
    assert board["bob"].away and board["bob"].away_reason == "sick" and board["bob"].away_until is None
    set_back(engine, login="bob", now=now)
    assert not {a.login: a for a in snapshot(engine, now=now).agents}["bob"].away
    later = {a.login: a for a in snapshot(engine, now=now + timedelta(hours=1)).agents}
    assert not later["ann"].signed_in


def test_an_empty_office_gives_an_empty_board(engine, now):
    board = snapshot(engine, now=now)
    assert board.categories == [] and board.agents == [] and board.today.total == 0
    assert board.today.timezone == "UTC" and board.today.compliance is None


def test_the_board_reads_open_requests_through_its_partial_indexes(sqlite_engine, now):
    from sqlalchemy import event

    build_office(sqlite_engine, now=now, count=50, start=now - timedelta(days=3))
    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if "FROM request" in statement and ("status NOT IN" in statement or "status IN" in statement):
            statements.append((statement, parameters))

    event.listen(sqlite_engine, "before_cursor_execute", capture)
    snapshot(sqlite_engine, now=now)
    event.remove(sqlite_engine, "before_cursor_execute", capture)
    assert len(statements) == 2  # one pass per (category, agent), one seek per agent
    with sqlite_engine.connect() as connection:
        plans = [" ".join(str(row[-1]) for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters)) for statement, parameters in statements]
    assert "SCAN request USING COVERING INDEX ix_request_open" in plans[0]
    assert "TEMP B-TREE" not in plans[0]  # grouped in index order, no sorting
    assert "USING INDEX ix_request_held (assigned_agent_id=?)" in plans[1]
