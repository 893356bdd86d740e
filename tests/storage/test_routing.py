"""Routing on save-first and on field saves: category, priority, deadlines and assignment, explained."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from domain.errors import InvalidInput
from storage.agents import set_away
from storage.engine import read_session, run_write
from storage.requests import get_request, open_request, request_detail, save_fields
from storage.tables import (AuditEntry, BusinessCalendar, Customer, Department, ProblemCode,
                            Provider, ServiceCategory)
from tests.routing_office import build_office, set_mode

WARSAW = ZoneInfo("Europe/Warsaw")
FRIDAY_1500 = datetime(2026, 11, 27, 15, 0, tzinfo=WARSAW)


@pytest.fixture
def office(engine, now):
    return build_office(engine, now)


def test_a_medium_request_saved_first_friday_1500_is_due_monday_0900(engine, office):
    number = open_request(engine, now=FRIDAY_1500, agent_id=office.agents["ann"], actor="ann").number
    later = FRIDAY_1500 + timedelta(minutes=20)  # deadlines count from the save-first instant
    record = save_fields(engine, number=number, values={"priority": "medium"}, now=later,
                         agent_id=office.agents["ann"], actor="ann")
    assert record.resolution_due_at == datetime(2026, 11, 30, 9, 0, tzinfo=WARSAW)
    assert record.response_due_at == datetime(2026, 11, 27, 16, 0, tzinfo=WARSAW)
    story = record.deadline_explanation
    assert story["text"] == ("medium (set by hand) — resolution 3 h: Fri 15:00 → Mon 09:00 — "
                             "2 h Fri, weekend skipped, 1 h Mon")
    assert story["priority"]["source"] == "manual" and story["calendar"].startswith("main")


def test_a_request_created_while_the_office_is_closed_counts_from_the_next_opening(engine, office):
    evening = datetime(2026, 11, 27, 19, 30, tzinfo=WARSAW)
    number = open_request(engine, now=evening, agent_id=None, actor="cli").number
    record = save_fields(engine, number=number, values={"priority": "medium"}, now=evening,
                         agent_id=None, actor="cli")
    assert record.resolution_due_at == datetime(2026, 11, 30, 11, 0, tzinfo=WARSAW)
    assert record.deadline_explanation["resolution"]["counting_from"] == "2026-11-30T07:00:00+00:00"


def test_an_email_is_categorised_by_keywords_prioritised_by_rule_and_assigned_round_robin(engine, office):
    first = open_request(engine, now=FRIDAY_1500, agent_id=None, actor="mail", channel="email",
                         subject="Drukarka na 3 piętrze", notes="nie drukuje")
    second = open_request(engine, now=FRIDAY_1500, agent_id=None, actor="mail", channel="email",
                          subject="Toner empty")
    assert (first.category, first.priority) == ("Technical support/Printers", "medium")
    assert first.deadline_explanation["category"]["matched"] == ["drukarka"]
    assert first.deadline_explanation["priority"]["rule"] == "printers"
    assert (first.assigned_agent, second.assigned_agent) == ("ann", "bob")
    line = [a for a in request_detail(engine, second.number)["activity"] if a["kind"] == "assignment"][0]
    assert line["data"]["mode"] == "round_robin" and line["data"]["candidates"] == ["ann", "bob"]
    assert line["data"]["last_assigned"]["ann"] is not None and line["data"]["last_assigned"]["bob"] is None
    assert "bob got one longest ago (never)" in line["body"]


def test_round_robin_skips_an_agent_who_is_out_of_office_and_says_so(engine, office, now):
    set_away(engine, login="ann", starts_at=now - timedelta(days=1), ends_at=None, reason="sick", now=now)
    records = [open_request(engine, now=now, agent_id=None, actor="mail", channel="email",
                            subject="printer jam") for _ in range(2)]
    assert [r.assigned_agent for r in records] == ["bob", "bob"]
    data = [a for a in request_detail(engine, records[0].number)["activity"]
            if a["kind"] == "assignment"][0]["data"]
    assert data["skipped"] == [{"agent": "ann", "reason": "out of office (sick, until set back)"}]


def test_when_every_member_is_away_the_request_stays_in_the_queue(engine, office, now):
    for login in ("ann", "bob"):
        set_away(engine, login=login, starts_at=now - timedelta(hours=1), ends_at=None, reason="", now=now)
    record = open_request(engine, now=now, agent_id=None, actor="mail", channel="email", subject="printer")
    assert record.assigned_agent is None and record.category == "Technical support/Printers"
    body = [a for a in request_detail(engine, record.number)["activity"] if a["kind"] == "assignment"][0]["body"]
    assert "nobody available, stays in the queue" in body


def test_least_open_compares_the_members_loads(engine, office, now):
    open_request(engine, now=now, agent_id=office.agents["ann"], actor="ann")
    record = open_request(engine, now=now, agent_id=None, actor="mail", channel="email", subject="invoice")
    assert record.category == "Billing" and record.assigned_agent == "bob"
    data = [a for a in request_detail(engine, record.number)["activity"] if a["kind"] == "assignment"][0]["data"]
    assert data["mode"] == "least_open" and data["loads"] == {"ann": 1, "bob": 0}


def test_a_category_chosen_by_hand_stays_when_other_fields_change(engine, office, now):
    billing = office.categories["Billing"]
    number = open_request(engine, now=now, agent_id=office.agents["ann"], actor="ann", channel="email",
                          category_id=billing).number
    record = save_fields(engine, number=number, values={"subject": "printer broken", "type": "action"},
                         now=now, agent_id=office.agents["ann"], actor="ann")
    assert record.category == "Billing" and record.deadline_explanation["category"]["source"] == "manual"


def test_a_complaint_goes_to_the_supervisors_queue_with_the_complaint_rule(engine, office, now):
    ann = office.agents["ann"]
    number = open_request(engine, now=now, agent_id=ann, actor="ann", type="comment").number
    record = save_fields(engine, number=number, values={"comment_kind": "complaint"}, now=now,
                         agent_id=ann, actor="ann")
    assert (record.category, record.priority, record.assigned_agent) == ("Supervisors", "urgent", None)
    assert record.deadline_explanation["category"]["source"] == "complaint"
    detail = request_detail(engine, number)
    route = [e for e in detail["audit"] if e["action"] == "route"][-1]
    assert route["changes"]["category"] == [None, "Supervisors"]
    assert [e["changes"] for e in detail["audit"] if e["action"] == "assign"] == [
        {"assigned_agent": ["ann", None]}]


def test_a_vip_customer_gets_the_vip_rule(engine, office, now):
    def add(session):
        customer = Customer(name="Mayor", vip=True, created_at=now)
        session.add(customer)
        session.flush()
        return customer.id

    customer = run_write(engine, add)
    record = open_request(engine, now=now, agent_id=None, actor="cli", customer_id=customer)
    assert record.priority == "high"
    assert record.deadline_explanation["priority"]["matched"] == ["the customer is VIP"]


def test_a_problem_code_routes_to_its_category_and_sets_its_default_priority(engine, office, now):
    def add(session):
        department = Department(code="env", names={"en": "Environment"})
        session.add(department)
        session.flush()
        provider = Provider(code="waste", department_id=department.id)
        session.add(provider)
        session.flush()
        group = ServiceCategory(code="garbage", provider_id=provider.id)
        session.add(group)
        session.flush()
        problem = ProblemCode(code="APPLIANCE", service_category_id=group.id, default_priority="high",
                              routing_category_id=office.categories["Billing"])
        session.add(problem)
        session.flush()
        return problem.id

    problem = run_write(engine, add)
    number = open_request(engine, now=now, agent_id=office.agents["ann"], actor="ann").number
    record = save_fields(engine, number=number, values={"problem_code_id": problem, "type": "action"},
                         now=now, agent_id=office.agents["ann"], actor="ann")
    assert (record.category, record.priority) == ("Billing", "high")
    assert record.deadline_explanation["category"]["source"] == "problem_code"
    assert record.assigned_agent == "ann"  # she is on the call: routing does not take it away


def test_an_unknown_priority_by_hand_is_refused_and_nothing_changes(engine, office, now):
    number = open_request(engine, now=now, agent_id=None, actor="cli").number
    with pytest.raises(InvalidInput, match="priority"):
        save_fields(engine, number=number, values={"priority": "whenever", "subject": "x"}, now=now,
                    agent_id=None, actor="cli")
    assert get_request(engine, number).subject == ""


def test_a_broken_calendar_never_blocks_save_first_and_is_named_in_the_explanation(engine, office, now):
    def break_it(session):
        calendar = session.exec(select(BusinessCalendar)).one()
        calendar.weekly_hours = {"mon": [["nine", "five"]]}
        session.add(calendar)

    run_write(engine, break_it)
    record = open_request(engine, now=now, agent_id=None, actor="cli")
    story = record.deadline_explanation
    assert any("weekly_hours.mon[0]" in p for p in story["problems"])
    assert story["calendar"].startswith("around the clock")
    assert record.resolution_due_at == now + timedelta(hours=24)


def test_a_calendar_that_is_never_open_still_saves_the_request_without_deadlines(engine, office, now):
    def close_it(session):
        calendar = session.exec(select(BusinessCalendar)).one()
        calendar.weekly_hours = {}
        session.add(calendar)

    run_write(engine, close_it)
    record = open_request(engine, now=now, agent_id=None, actor="cli")
    assert record.number and record.resolution_due_at is None and record.priority == "low"
    assert any("not open long enough" in p for p in record.deadline_explanation["problems"])


def test_without_any_set_up_a_request_has_no_priority_and_no_deadline(engine, now):
    record = open_request(engine, now=now, agent_id=None, actor="cli")
    assert record.priority is None and record.resolution_due_at is None
    assert record.deadline_explanation["text"] == "no priority (none are set up)"


def test_routing_writes_one_audit_entry_and_saving_the_same_again_writes_none(engine, office, now):
    number = open_request(engine, now=now, agent_id=office.agents["ann"], actor="ann").number
    for _ in range(2):
        save_fields(engine, number=number, values={"priority": "high"}, now=now,
                    agent_id=office.agents["ann"], actor="ann")
    with read_session(engine) as session:
        actions = session.exec(select(AuditEntry.action).where(
            AuditEntry.entity == "request", AuditEntry.entity_id == str(number)).order_by(AuditEntry.id)).all()
    assert actions == ["open", "route", "update", "route"]


def test_changing_mode_to_queue_leaves_new_requests_unassigned(engine, office, now):
    set_mode(engine, "Technical support/Printers", "queue")
    record = open_request(engine, now=now, agent_id=None, actor="mail", channel="web", subject="printer")
    assert record.assigned_agent is None
