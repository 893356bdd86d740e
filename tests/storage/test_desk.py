"""The desk: the current request, the agent's other open requests, their queues."""

from datetime import timedelta

import pytest

from storage.desk import current_request, desk_for
from storage.engine import run_write
from storage.requests import open_request, save_fields
from storage.tables import Request
from tests.screens.seed import seed_office


@pytest.fixture
def office(engine, now):
    return seed_office(engine, now)


def _set(engine, number, **values):
    def work(session):
        row = session.get(Request, number)
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)

    run_write(engine, work)


def test_an_agent_without_requests_has_an_empty_desk_but_sees_their_queues(engine, now, office):
    desk = desk_for(engine, agent_id=office.ann, now=now)
    assert desk.current is None and desk.others == []
    assert [(q.path, q.waiting, q.overdue) for q in desk.queues] == [("Environment/Waste", 0, 0)]


def test_the_most_recently_touched_working_request_is_current(engine, now, office):
    first = open_request(engine, now=now, agent_id=office.ann, actor="ann").number
    second = open_request(engine, now=now + timedelta(minutes=1), agent_id=office.ann, actor="ann").number
    assert current_request(engine, office.ann) == second
    save_fields(engine, number=first, values={"subject": "Bins"}, now=now + timedelta(minutes=2),
                agent_id=office.ann, actor="ann")
    desk = desk_for(engine, agent_id=office.ann, now=now)
    assert desk.current.number == first and desk.current.subject == "Bins"
    assert [line.number for line in desk.others] == [second]


def test_requests_waiting_for_the_customer_or_done_are_not_current(engine, now, office):
    pending = open_request(engine, now=now, agent_id=office.ann, actor="ann").number
    done = open_request(engine, now=now, agent_id=office.ann, actor="ann").number
    _set(engine, pending, status="pending_customer")
    _set(engine, done, status="resolved")
    assert current_request(engine, office.ann) is None
    desk = desk_for(engine, agent_id=office.ann, now=now)
    assert desk.current is None and [line.number for line in desk.others] == [pending]
    assert current_request(engine, office.sue) is None


def test_queues_count_unassigned_open_requests_and_the_overdue_ones(engine, now, office):
    for due in (now - timedelta(hours=1), now + timedelta(hours=2), None):
        number = open_request(engine, now=now, agent_id=None, actor="cli",
                              category_id=office.waste_queue).number
        _set(engine, number, resolution_due_at=due)
    taken = open_request(engine, now=now, agent_id=office.sue, actor="sue",
                         category_id=office.waste_queue).number
    closed = open_request(engine, now=now, agent_id=None, actor="cli",
                          category_id=office.streets_queue).number
    _set(engine, closed, status="closed")
    queues = desk_for(engine, agent_id=office.sue, now=now).queues
    assert [(q.path, q.waiting, q.overdue) for q in queues] == [
        ("Environment/Waste", 3, 1), ("Streets", 0, 0), ("Supervisors", 0, 0)]
    assert queues[0].earliest_due == now - timedelta(hours=1)
    assert taken not in [line.number for line in desk_for(engine, agent_id=office.ann, now=now).others]
