"""Resolve, pend (the SLA clock stops), resume, reassign, escalate, reopen: each audited and explained."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.errors import DomainError, InvalidInput
from storage.agents import set_away
from storage.lifecycle import (escalate_request, pend_request, reassign_request, reopen_request,
                               resolve_request, resume_request)
from storage.queue import pull_next_request
from storage.requests import open_request, request_detail, save_fields
from tests.routing_office import build_office

WARSAW = ZoneInfo("Europe/Warsaw")
FRIDAY_1500 = datetime(2026, 11, 27, 15, 0, tzinfo=WARSAW)


@pytest.fixture
def office(engine, now):
    return build_office(engine, now)


def opened(engine, office, login="ann", at=FRIDAY_1500, priority="medium"):
    """A request on `login`'s desk with a priority set by hand."""
    agent = office.agents[login]
    number = open_request(engine, now=at, agent_id=agent, actor=login).number
    return save_fields(engine, number=number, values={"priority": priority}, now=at,
                       agent_id=agent, actor=login)


def last(engine, number, key):
    return request_detail(engine, number)[key][-1]


def test_resolving_sets_the_status_and_note_and_writes_history_and_audit(engine, office):
    record = opened(engine, office)
    done = resolve_request(engine, number=record.number, agent_id=office.agents["ann"],
                           now=FRIDAY_1500 + timedelta(minutes=5), note="Told them the pickup day")
    assert done.status == "resolved" and done.resolution_note == "Told them the pickup day"
    assert last(engine, record.number, "activity")["body"] == "resolved by ann: Told them the pickup day"
    assert last(engine, record.number, "audit")["changes"]["status"] == ["new", "resolved"]


def test_waiting_for_the_customer_moves_both_deadlines_by_the_business_time_waited(engine, office):
    record = opened(engine, office)  # medium: due Monday 09:00, response Friday 16:00
    ann = office.agents["ann"]
    pend_request(engine, number=record.number, agent_id=ann, now=datetime(2026, 11, 27, 16, 0, tzinfo=WARSAW),
                 question="Which container is it?")
    # waited Friday 16:00-17:00 and Monday 08:00-10:00: three business hours
    resumed = resume_request(engine, number=record.number, agent_id=ann,
                             now=datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW), note="The blue one")
    assert resumed.status == "in_progress"
    assert resumed.resolution_due_at == datetime(2026, 11, 30, 12, 0, tzinfo=WARSAW)
    assert resumed.response_due_at == datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)
    story = resumed.deadline_explanation
    assert story["pauses"][0]["minutes"] == 180
    assert "3 h + 3 h waiting for the customer" in story["text"]
    bodies = [a["body"] for a in request_detail(engine, record.number)["activity"]]
    assert "Which container is it?" in bodies and "The blue one" in bodies


def test_a_question_is_required_to_wait_for_the_customer(engine, office):
    record = opened(engine, office)
    with pytest.raises(InvalidInput, match="question"):
        pend_request(engine, number=record.number, agent_id=office.agents["ann"], now=FRIDAY_1500, question=" ")


def test_resolving_while_waiting_closes_the_pause_first(engine, office):
    record = opened(engine, office)
    ann = office.agents["ann"]
    pend_request(engine, number=record.number, agent_id=ann, now=FRIDAY_1500, question="?")
    done = resolve_request(engine, number=record.number, agent_id=ann,
                           now=datetime(2026, 11, 30, 9, 0, tzinfo=WARSAW))
    assert done.status == "resolved" and done.deadline_explanation["pauses"][0]["minutes"] == 180


def test_only_the_holder_or_a_supervisor_may_resolve(engine, office):
    record = opened(engine, office)
    with pytest.raises(DomainError, match="assigned to someone else"):
        resolve_request(engine, number=record.number, agent_id=office.agents["bob"], now=FRIDAY_1500)
    assert resolve_request(engine, number=record.number, agent_id=office.agents["sue"],
                           now=FRIDAY_1500).status == "resolved"


def test_a_complaint_is_resolved_only_by_a_supervisor(engine, office):
    record = opened(engine, office, login="sue")
    save_fields(engine, number=record.number, values={"complaint": True}, now=FRIDAY_1500,
                agent_id=office.agents["sue"], actor="sue")
    reassign_request(engine, number=record.number, agent_id=office.agents["sue"], now=FRIDAY_1500,
                     reason="ann knows the case", to_agent_id=office.agents["ann"])
    with pytest.raises(DomainError, match="complaint"):
        resolve_request(engine, number=record.number, agent_id=office.agents["ann"], now=FRIDAY_1500)


def test_an_impossible_status_change_is_refused_clearly(engine, office):
    record = opened(engine, office)
    resolve_request(engine, number=record.number, agent_id=office.agents["ann"], now=FRIDAY_1500)
    with pytest.raises(DomainError, match="cannot become resolved"):
        resolve_request(engine, number=record.number, agent_id=office.agents["ann"], now=FRIDAY_1500)


def test_reassigning_to_a_category_runs_its_mode_and_says_why(engine, office, now):
    record = opened(engine, office)
    moved = reassign_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                             reason="it is about an invoice", category_id=office.categories["Billing"])
    assert moved.category == "Billing" and moved.assigned_agent == "ann"  # least_open: 0 after handing it over
    line = last(engine, record.number, "activity")
    assert line["kind"] == "assignment" and line["body"].startswith("reassigned by ann: it is about an invoice")
    assert line["data"]["mode"] == "least_open"
    assert moved.deadline_explanation["category"]["reason"] == "it is about an invoice"
    assert last(engine, record.number, "audit")["changes"]["category"] == [None, "Billing"]


def test_reassigning_to_an_agent_who_is_away_is_refused(engine, office, now):
    record = opened(engine, office)
    set_away(engine, login="bob", starts_at=now - timedelta(hours=1), ends_at=None, reason="leave", now=now)
    with pytest.raises(DomainError, match="bob is out of office"):
        reassign_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                         reason="x", to_agent_id=office.agents["bob"])


def test_reassigning_to_a_non_member_is_allowed_and_noted(engine, office, now):
    record = opened(engine, office)
    reassign_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                     reason="ask", category_id=office.categories["Billing"])
    moved = reassign_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                             reason="sue decides", to_agent_id=office.agents["sue"])
    assert moved.assigned_agent == "sue"
    line = last(engine, record.number, "activity")
    assert "sue is not a member" in line["body"] and line["data"]["member"] is False


def test_a_reason_is_required_to_reassign(engine, office, now):
    record = opened(engine, office)
    with pytest.raises(InvalidInput, match="reason"):
        reassign_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                         reason="", to_agent_id=office.agents["bob"])


def test_escalating_lands_in_the_supervisors_queue_where_a_supervisor_pulls_it(engine, office, now):
    record = opened(engine, office)
    up = escalate_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                          reason="customer threatens to go to the press")
    assert (up.escalated, up.category, up.assigned_agent) == (True, "Supervisors", None)
    assert up.deadline_explanation["category"]["source"] == "escalation"
    assert pull_next_request(engine, agent_id=office.agents["sue"], now=now).number == record.number
    with pytest.raises(DomainError, match="already escalated"):
        escalate_request(engine, number=record.number, agent_id=office.agents["sue"], now=now, reason="again")


def test_reopening_counts_afresh_and_goes_back_to_who_handled_it(engine, office):
    record = opened(engine, office)
    ann = office.agents["ann"]
    resolve_request(engine, number=record.number, agent_id=ann, now=FRIDAY_1500)
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)
    back = reopen_request(engine, number=record.number, agent_id=office.agents["bob"], now=monday,
                          reason="the bin was not collected after all")
    assert (back.status, back.assigned_agent) == ("reopened", "ann")
    assert back.resolution_due_at == datetime(2026, 11, 30, 13, 0, tzinfo=WARSAW)
    assert "back to ann, who handled it before" in last(engine, record.number, "activity")["body"]


def test_reopening_when_the_previous_agent_is_away_uses_the_category(engine, office, now):
    record = opened(engine, office)
    reassign_request(engine, number=record.number, agent_id=office.agents["ann"], now=now,
                     reason="printers", category_id=office.categories["Technical support/Printers"])
    holder = request_detail(engine, record.number)["assigned_agent"]
    resolve_request(engine, number=record.number, agent_id=office.agents[holder], now=now)
    set_away(engine, login=holder, starts_at=now, ends_at=None, reason="sick", now=now)
    back = reopen_request(engine, number=record.number, agent_id=office.agents["sue"],
                          now=now + timedelta(minutes=1), reason="again")
    other = {"ann": "bob", "bob": "ann"}[holder]
    assert back.assigned_agent == other
    data = last(engine, record.number, "activity")["data"]
    assert data["skipped"][0]["agent"] == holder and "out of office" in data["skipped"][0]["reason"]
