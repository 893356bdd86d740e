"""Save first, field saving with audit, and the whole request read back."""

from datetime import timedelta

import pytest
from sqlmodel import select

from domain.errors import InvalidInput
from storage.agents import add_agent
from storage.engine import read_session
from storage.errors import NotFound
from storage.requests import get_request, open_request, request_detail, save_fields
from storage.tables import AuditEntry, Request


def test_open_request_commits_a_numbered_request_at_once(engine, now):
    ann = add_agent(engine, login="ann", name="Ann", role="agent", now=now)
    record = open_request(engine, now=now, agent_id=ann.id, actor="ann")
    with read_session(engine) as session:
        row = session.get(Request, record.number)
    assert row is not None and row.created_at == now and row.channel == "phone"
    assert row.type is None and row.status == "new" and row.assigned_agent_id == ann.id


def test_request_numbers_are_sequential(engine, now):
    numbers = [open_request(engine, now=now, agent_id=None, actor="cli").number for _ in range(3)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_saving_fields_records_old_and_new_in_the_audit_log(engine, now):
    number = open_request(engine, now=now, agent_id=None, actor="cli").number
    later = now + timedelta(seconds=5)
    save_fields(engine, number=number, values={"type": "information", "subject": "Bins"},
                now=later, agent_id=None, actor="cli")
    save_fields(engine, number=number, values={"type": "action"}, now=later, agent_id=None, actor="cli")
    detail = request_detail(engine, number)
    assert detail["type"] == "action" and detail["subject"] == "Bins"
    updates = [e["changes"] for e in detail["audit"] if e["action"] == "update"]
    assert updates == [{"type": [None, "information"], "subject": ["", "Bins"]},
                       {"type": ["information", "action"]}]


def test_saving_unchanged_values_writes_no_audit_entry(engine, now):
    number = open_request(engine, now=now, agent_id=None, actor="cli").number
    save_fields(engine, number=number, values={"subject": "x"}, now=now, agent_id=None, actor="cli")
    save_fields(engine, number=number, values={"subject": "x"}, now=now, agent_id=None, actor="cli")
    with read_session(engine) as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "request")).all()
    assert [e.action for e in entries] == ["open", "update"]


def test_a_bad_type_is_refused_and_nothing_changes(engine, now):
    number = open_request(engine, now=now, agent_id=None, actor="cli").number
    with pytest.raises(InvalidInput, match="type"):
        save_fields(engine, number=number, values={"type": "gossip", "subject": "y"},
                    now=now, agent_id=None, actor="cli")
    assert get_request(engine, number).subject == ""


def test_a_complaint_comment_sets_the_complaint_flag(engine, now):
    number = open_request(engine, now=now, agent_id=None, actor="cli", type="comment").number
    record = save_fields(engine, number=number, values={"comment_kind": "complaint"},
                         now=now, agent_id=None, actor="cli")
    assert record.complaint is True


def test_an_unknown_number_is_not_found(engine):
    with pytest.raises(NotFound, match="no request number 404"):
        get_request(engine, 404)
