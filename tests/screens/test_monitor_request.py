"""From the board down to one request: reassign it, change its priority, answer its escalation,
each written with an audit entry; and the reports screen with its CSV export."""

import csv
from datetime import timedelta

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Select

from console.monitor_app import MonitorApp
from domain.clock import fixed_clock
from screens.monitor_request import SupervisedRequestScreen
from screens.services import Services
from storage.agents import add_agent
from storage.engine import run_write
from storage.lifecycle import escalate_request
from storage.requests import get_request, open_request, request_detail
from storage.tables import RoutingCategory
from tests.report_data import build_office
from tests.screens.conftest import wait_for


@pytest.fixture
def office(sqlite_engine, now):
    office = build_office(sqlite_engine, now=now, count=40, start=now - timedelta(days=2))

    def supervisors(session):
        session.exec(select(RoutingCategory).where(RoutingCategory.path == "Complaints")).one() \
            .supervisors_only = True

    run_write(sqlite_engine, supervisors)
    return office


@pytest.fixture
def supervisor(sqlite_engine, now, office):
    return add_agent(sqlite_engine, login="sue", name="Sue", role="supervisor", now=now)


@pytest.fixture
def app(sqlite_engine, supervisor, now):
    return MonitorApp(Services(engine=sqlite_engine, clock=fixed_clock(now), agent=supervisor),
                      refresh_seconds=1)


async def _open(app, pilot, number):
    await wait_for(pilot, lambda: app.screen.refreshes >= 1)
    app.push_screen(SupervisedRequestScreen(number))
    await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None)


def _category(office, path):
    return next(cid for cid, p in office.categories.items() if p == path)


async def test_changing_the_priority_recounts_the_deadlines_and_is_audited(app, sqlite_engine, office, now):
    number = open_request(sqlite_engine, now=now, agent_id=None, actor="cli",
                          category_id=_category(office, "Technical support"), subject="printer").number
    before = get_request(sqlite_engine, number)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(app, pilot, number)
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PriorityDialog")
        app.screen.query_one("#priority-code", Select).value = "urgent"
        app.screen.query_one("#priority-reason", Input).value = "mayor's office"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: get_request(sqlite_engine, number).priority == "urgent")
    after = get_request(sqlite_engine, number)
    assert after.resolution_due_at != before.resolution_due_at
    assert after.resolution_due_at - after.created_at <= timedelta(hours=24)
    audit = request_detail(sqlite_engine, number)["audit"]
    assert any(e["action"] == "priority" and e["actor"] == "sue"
               and e["changes"]["reason"] == [None, "mayor's office"] for e in audit)


async def test_reassigning_to_an_agent_writes_why(app, sqlite_engine, office, now):
    number = open_request(sqlite_engine, now=now, agent_id=None, actor="cli",
                          category_id=_category(office, "Administration/Invoices")).number
    ann = next(a for a, login in office.agents.items() if login == "ann")
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(app, pilot, number)
        await pilot.press("a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ReassignDialog")
        app.screen.query_one("#reassign-agent", Select).value = ann
        app.screen.query_one("#reassign-reason", Input).value = "knows this customer"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: get_request(sqlite_engine, number).assigned_agent == "ann")
        await wait_for(pilot, lambda: any("knows this customer" in str(c) for row in range(
            app.screen.query_one("#supervised-activity", DataTable).row_count)
            for c in app.screen.query_one("#supervised-activity", DataTable).get_row_at(row)))


async def test_a_reason_is_required_and_nothing_is_written_without_one(app, sqlite_engine, office, now):
    number = open_request(sqlite_engine, now=now, agent_id=None, actor="cli").number
    before = get_request(sqlite_engine, number).priority
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(app, pilot, number)
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PriorityDialog")
        app.screen.query_one("#priority-code", Select).value = "urgent" if before != "urgent" else "low"
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "PriorityDialog"
        assert "Reason" in str(app.screen.query_one("#dialog-error").content)
    assert get_request(sqlite_engine, number).priority == before
    assert not any(e["action"] == "priority" for e in request_detail(sqlite_engine, number)["audit"])


async def test_answering_an_escalation_hands_it_back_to_the_agent(app, sqlite_engine, office, now):
    ann = next(a for a, login in office.agents.items() if login == "ann")
    invoices = _category(office, "Administration/Invoices")
    number = open_request(sqlite_engine, now=now, agent_id=ann, actor="ann", category_id=invoices).number
    escalate_request(sqlite_engine, number=number, agent_id=ann, now=now, reason="angry caller")
    assert get_request(sqlite_engine, number).category == "Complaints"
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(app, pilot, number)
        await pilot.press("e")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "AnswerDialog")
        app.screen.query_one("#answer-text").text = "Offer a refund of the fee."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not get_request(sqlite_engine, number).escalated)
    record = get_request(sqlite_engine, number)
    assert (record.assigned_agent, record.category) == ("ann", "Administration/Invoices")
    detail = request_detail(sqlite_engine, number)
    assert any("Offer a refund" in line["body"] for line in detail["activity"])
    assert any(e["action"] == "answer_escalation" for e in detail["audit"])


async def test_answer_is_offered_only_for_escalated_requests(app, sqlite_engine, now):
    number = open_request(sqlite_engine, now=now, agent_id=None, actor="cli").number
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(app, pilot, number)
        assert app.screen.check_action("answer", ()) is False
        assert app.screen.check_action("priority", ()) is True


async def test_the_reports_screen_shows_the_volume_and_exports_it(app, sqlite_engine, office, tmp_path):
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_for(pilot, lambda: app.screen.refreshes >= 1)
        await pilot.press("v")
        await wait_for(pilot, lambda: getattr(app.screen, "report", None) is not None)
        screen = app.screen
        screen.query_one("#reports-from", Input).value = "2026-11-01"
        screen.query_one("#reports-to", Input).value = "2026-11-30"
        screen.query_one("#reports-by", Select).value = "channel"
        first = screen.report
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.report is not first)
        table = screen.query_one("#reports-table", DataTable)
        shown = {str(table.get_row_at(i)[0]): int(str(table.get_row_at(i)[1]))
                 for i in range(table.row_count)}
        expected = {}
        for row in office.requests:
            expected[row["channel"]] = expected.get(row["channel"], 0) + 1
        assert shown == expected
        target = tmp_path / "volume.csv"
        screen.query_one("#reports-file", Input).value = str(target)
        await pilot.press("ctrl+x")
        await wait_for(pilot, target.exists)
        await pilot.pause(0.2)
    rows = list(csv.reader(target.open()))
    assert rows[0] == ["channel", "requests"]
    assert {label: int(count) for label, count in rows[1:]} == expected
