"""The queue monitor, driven with Pilot: the numbers shown are the database's, refreshes
update rows in place (same keys, cursor kept), reads never overlap."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from textual.widgets import DataTable

from console.monitor_app import MonitorApp
from domain.clock import fixed_clock
from domain.requests import OPEN_STATUSES
from screens import monitor as monitor_module
from screens.monitor_tables import row_keys
from screens.services import Services
from storage.agents import add_agent
from storage.engine import read_session
from storage.requests import open_request
from storage.tables import Request
from tests.report_data import build_office
from tests.screens.conftest import wait_for

OPEN = [s.value for s in OPEN_STATUSES]


@pytest.fixture
def office(sqlite_engine, now):
    return build_office(sqlite_engine, now=now, count=200, start=now - timedelta(days=3))


@pytest.fixture
def app(sqlite_engine, office, now):
    supervisor = add_agent(sqlite_engine, login="sue", name="Sue", role="supervisor", now=now)
    return MonitorApp(Services(engine=sqlite_engine, clock=fixed_clock(now), agent=supervisor),
                      refresh_seconds=1)


def _cells(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


def _number(text: str) -> int:
    return 0 if text == "·" else int(text)


def _open_counts(engine):
    with read_session(engine) as session:
        rows = session.execute(select(Request.category_id, func.count(), func.count(
            Request.assigned_agent_id)).where(Request.status.in_(OPEN))
            .group_by(Request.category_id)).all()
    return {("none" if cid is None else str(cid)): (total, total - assigned)
            for cid, total, assigned in rows}


async def test_the_board_shows_the_databases_open_and_unassigned_counts(app, sqlite_engine, office):
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        table = app.screen.query_one("#monitor-categories", DataTable)
        shown = {key: (_number(_cells(table, key)[1]), _number(_cells(table, key)[2]))
                 for key in row_keys(table)}
        assert shown == _open_counts(sqlite_engine)
        agents = app.screen.query_one("#monitor-agents", DataTable)
        with read_session(sqlite_engine) as session:
            held = dict(session.execute(select(Request.assigned_agent_id, func.count()).where(
                Request.status.in_(OPEN)).group_by(Request.assigned_agent_id)).all())
        for agent_id, login in office.agents.items():
            assert _cells(agents, str(agent_id))[0] == login
            assert _number(_cells(agents, str(agent_id))[5]) == held.get(agent_id, 0)


async def test_a_refresh_after_new_requests_updates_rows_in_place(app, sqlite_engine, office, now):
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        table = app.screen.query_one("#monitor-categories", DataTable)
        await pilot.press("down", "down")
        keys_before = set(row_keys(table))
        cursor_key = row_keys(table)[table.cursor_row]
        target = next(k for k in row_keys(table) if k != "none")
        depth_before = _number(_cells(table, target)[1])
        for _ in range(3):
            open_request(sqlite_engine, now=now, agent_id=None, actor="cli", category_id=int(target))
        seen = app.screen.refreshes
        await wait_for(pilot, lambda: app.screen.refreshes > seen)
        assert set(row_keys(table)) == keys_before
        assert row_keys(table)[table.cursor_row] == cursor_key
        assert _number(_cells(table, target)[1]) == depth_before + 3
        assert _number(_cells(table, target)[1]) == _open_counts(sqlite_engine)[target][0]


async def test_reads_never_overlap_and_come_at_most_once_a_second(app, monkeypatch):
    running, most, starts = [0], [0], []
    lock = threading.Lock()
    real = monitor_module.snapshot

    def slow_snapshot(engine, *, now):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
            starts.append(time.monotonic())
        time.sleep(0.3)
        try:
            return real(engine, now=now)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(monitor_module, "snapshot", slow_snapshot)
    async with app.run_test(size=(160, 50)) as pilot:
        for _ in range(6):
            await pilot.press("r")  # impatient supervisor
            await pilot.pause(0.2)
        await wait_for(pilot, lambda: app.screen.refreshes >= 3)
    assert most[0] == 1
    assert all(b - a >= 0.99 for a, b in zip(starts, starts[1:]))


async def test_a_category_opens_its_queue_in_pull_order(app, sqlite_engine, office, now):
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        table = app.screen.query_one("#monitor-categories", DataTable)
        key = next(k for k in row_keys(table) if k != "none")
        table.move_cursor(row=row_keys(table).index(key))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CategoryQueueScreen"
                     and app.screen.refreshes >= 1)
        ranks = {"urgent": 1, "high": 2, "medium": 3, "low": 4}
        mine = [r for r in office.requests if r["status"] in OPEN and r["category_id"] == int(key)]
        far = now + timedelta(days=10**4)
        expected = sorted(mine, key=lambda r: (r["assigned_agent_id"] is not None,
                                               r["resolution_due_at"] or far,
                                               ranks.get(r["priority"], 99), r["created_at"], r["id"]))
        shown = row_keys(app.screen.query_one("#queue-requests", DataTable))
        assert shown == [str(r["id"]) for r in expected]


async def test_an_agent_is_set_out_of_office_and_back_from_the_board(app, sqlite_engine, office):
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        agents = app.screen.query_one("#monitor-agents", DataTable)
        agents.focus()
        bob = next(a for a, login in office.agents.items() if login == "bob")
        agents.move_cursor(row=row_keys(agents).index(str(bob)))
        await pilot.press("o")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AwayDialog")
        await pilot.press(*"flu")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "out of office" in _cells(agents, str(bob))[2])
        assert "flu" in _cells(agents, str(bob))[2]
        await pilot.press("b")
        await wait_for(pilot, lambda: "out of office" not in _cells(agents, str(bob))[2])


async def test_customer_text_is_shown_literally_in_the_queue(app, sqlite_engine, office, now):
    category = next(iter(office.categories))
    number = open_request(sqlite_engine, now=now, agent_id=None, actor="cli", category_id=category,
                          subject="[bold]free[/b] \x1b]8;;http://x\x07").number
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        table = app.screen.query_one("#monitor-categories", DataTable)
        table.move_cursor(row=row_keys(table).index(str(category)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: getattr(app.screen, "refreshes", 0) >= 1
                     and type(app.screen).__name__ == "CategoryQueueScreen")
        queue = app.screen.query_one("#queue-requests", DataTable)
        assert _cells(queue, str(number))[1] == "[bold]free[/b] \\x1b]8;;http://x\\x07"


async def test_the_board_speaks_polish(app):
    from console.i18n import set_language

    set_language("pl")
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await wait_for(pilot, lambda: app.screen.refreshes >= 1)
            table = app.screen.query_one("#monitor-categories", DataTable)
            assert [str(c.label) for c in table.columns.values()][:3] == ["Kolejka", "Otwarte", "Nieprzydzielone"]
            assert "Dziś" in str(app.screen.query_one("#monitor-today").content)
    finally:
        set_language("en")
