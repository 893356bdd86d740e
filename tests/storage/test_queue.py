"""Pull next: earliest deadline, then highest priority, then oldest; one open request at a time."""

from datetime import timedelta

import pytest
from sqlalchemy import bindparam, text
from sqlmodel import select

from storage.engine import read_session, run_write
from storage.lifecycle import pend_request
from storage.queue import MustFinishFirst, pull_next_request
from storage.queue_listing import queue_listing
from storage.requests import get_request, open_request, request_detail
from storage.tables import AuditEntry, Request
from tests.routing_office import build_office, set_mode


@pytest.fixture
def office(engine, now):
    return build_office(engine, now)


def waiting(engine, now, category_id, *, due_in=None, priority=None, age=0, status="new",
            assigned_agent_id=None):
    """Put one request straight into a queue with the given deadline, priority and age (minutes)."""

    def work(session):
        request = Request(created_at=now - timedelta(minutes=age), status=status, priority=priority,
                          category_id=category_id, assigned_agent_id=assigned_agent_id,
                          resolution_due_at=None if due_in is None else now + timedelta(minutes=due_in))
        session.add(request)
        session.flush()
        return request.id

    return run_write(engine, work)


def pull_all(engine, agent_id, now):
    numbers = []
    while (record := pull_next_request(engine, agent_id=agent_id, now=now)) is not None:
        numbers.append(record.number)
    return numbers


def test_the_earliest_deadline_is_pulled_first(engine, office, now):
    tech = office.categories["Technical support"]
    later = waiting(engine, now, tech, due_in=120, priority="urgent", age=50)
    sooner = waiting(engine, now, tech, due_in=60, priority="low", age=1)
    assert pull_all(engine, office.agents["sue"], now) == [sooner, later]


def test_at_the_same_deadline_the_higher_priority_goes_first_then_the_oldest(engine, office, now):
    tech = office.categories["Technical support"]
    low_old = waiting(engine, now, tech, due_in=60, priority="low", age=90)
    high_new = waiting(engine, now, tech, due_in=60, priority="high", age=1)
    high_old = waiting(engine, now, tech, due_in=60, priority="high", age=30)
    assert pull_all(engine, office.agents["sue"], now) == [high_old, high_new, low_old]


def test_requests_without_a_deadline_come_last_oldest_first(engine, office, now):
    tech = office.categories["Technical support"]
    undated_old = waiting(engine, now, tech, age=500)
    undated_new = waiting(engine, now, tech, age=5)
    dated = waiting(engine, now, tech, due_in=9000, priority="low")
    assert pull_all(engine, office.agents["sue"], now) == [dated, undated_old, undated_new]


def test_without_a_deadline_the_higher_priority_goes_first_then_the_oldest(engine, office, now):
    tech = office.categories["Technical support"]
    none_old = waiting(engine, now, tech, age=500)
    low_old = waiting(engine, now, tech, priority="low", age=400)
    high_new = waiting(engine, now, tech, priority="high", age=5)
    assert pull_all(engine, office.agents["sue"], now) == [high_new, low_old, none_old]


def test_the_order_runs_across_all_of_the_agents_categories(engine, office, now):
    billing, printers = office.categories["Billing"], office.categories["Technical support/Printers"]
    a = waiting(engine, now, billing, due_in=30, priority="low")
    b = waiting(engine, now, printers, due_in=10, priority="low")
    c = waiting(engine, now, printers, due_in=40, priority="low")
    ann = office.agents["ann"]
    order = []
    for _ in range(3):
        record = pull_next_request(engine, agent_id=ann, now=now)
        order.append(record.number)
        pend_request(engine, number=record.number, agent_id=ann, now=now, question="?")
    assert order == [b, a, c]


def test_only_waiting_requests_in_the_agents_own_categories_are_pulled(engine, office, now):
    ann = office.agents["ann"]
    waiting(engine, now, office.categories["Supervisors"], due_in=1)
    waiting(engine, now, office.categories["Billing"], due_in=1, status="pending_customer")
    waiting(engine, now, office.categories["Billing"], due_in=1, status="resolved")
    waiting(engine, now, office.categories["Billing"], due_in=1, assigned_agent_id=office.agents["bob"])
    waiting(engine, now, None, due_in=1)
    assert pull_next_request(engine, agent_id=ann, now=now) is None


def test_a_reopened_request_waiting_in_a_queue_can_be_pulled(engine, office, now):
    number = waiting(engine, now, office.categories["Billing"], due_in=5, status="reopened")
    record = pull_next_request(engine, agent_id=office.agents["ann"], now=now)
    assert record.number == number and record.status == "in_progress"
    changes = request_detail(engine, number)["audit"][-1]["changes"]
    assert changes == {"assigned_agent": [None, "ann"], "queue": ["Billing", None],
                       "status": ["reopened", "in_progress"]}


def test_pulling_assigns_audits_and_carries_the_explanation(engine, office, now):
    set_mode(engine, "Billing", "queue")
    opened = open_request(engine, now=now, agent_id=None, actor="cli", category_id=office.categories["Billing"])
    assert opened.assigned_agent is None
    later = now + timedelta(minutes=3)
    record = pull_next_request(engine, agent_id=office.agents["ann"], now=later)
    assert (record.number, record.assigned_agent, record.status) == (opened.number, "ann", "in_progress")
    assert record.deadline_explanation["text"].startswith("low (no rule matched")
    assert record == get_request(engine, record.number)  # what it returns is what was stored
    pulled = request_detail(engine, record.number)["audit"][-1]
    assert (pulled["action"], pulled["actor"]) == ("pull", "ann")
    assert pulled["changes"]["queue"] == ["Billing", None]


def test_an_agent_holding_an_open_request_is_told_to_deal_with_it_first(engine, office, now):
    billing = office.categories["Billing"]
    first = waiting(engine, now, billing, due_in=5)
    second = waiting(engine, now, billing, due_in=6)
    ann = office.agents["ann"]
    assert pull_next_request(engine, agent_id=ann, now=now).number == first
    with pytest.raises(MustFinishFirst, match=f"request {first}") as refused:
        pull_next_request(engine, agent_id=ann, now=now)
    assert refused.value.number == first
    with read_session(engine) as session:
        assert session.get(Request, second).assigned_agent_id is None
    pend_request(engine, number=first, agent_id=ann, now=now, question="Which invoice?")
    assert pull_next_request(engine, agent_id=ann, now=now).number == second


def test_supervisors_may_hold_several(engine, office, now):
    tech = office.categories["Technical support"]
    numbers = [waiting(engine, now, tech, due_in=i) for i in (1, 2, 3)]
    assert pull_all(engine, office.agents["sue"], now) == numbers


def test_an_empty_queue_gives_none_and_writes_nothing(engine, office, now):
    assert pull_next_request(engine, agent_id=office.agents["ann"], now=now) is None
    with read_session(engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "pull")).all() == []


def test_the_listing_shows_exactly_the_pull_order(engine, office, now):
    tech = office.categories["Technical support"]
    for due, priority, age in [(60, "low", 5), (60, "high", 1), (None, None, 9), (30, "low", 2),
                               (60, "high", 7), (None, None, 3), (45, "urgent", 0)]:
        waiting(engine, now, tech, due_in=due, priority=priority, age=age)
    listed = queue_listing(engine, now=now, category_path="Technical support")
    assert [i.position for i in listed] == list(range(1, 8))
    assert [i.number for i in listed] == pull_all(engine, office.agents["sue"], now)


def test_the_listing_marks_overdue_requests_and_can_show_an_agents_view(engine, office, now):
    late = waiting(engine, now, office.categories["Billing"], due_in=-10, priority="low")
    waiting(engine, now, office.categories["Supervisors"], due_in=10, priority="low")
    items = queue_listing(engine, now=now, agent_id=office.agents["ann"])
    assert [(i.number, i.overdue, i.category) for i in items] == [(late, True, "Billing")]
    assert len(queue_listing(engine, now=now)) == 2


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgresql_pulls_through_a_function_created_once_and_named_by_its_text(engine, office, now):
    from storage.queue_claim_pg import pull_function

    function = pull_function(engine.dialect)
    assert function.name.startswith("callcenter_pull_") and function.name in function.create
    with engine.begin() as connection:  # as in a database that never saw this version
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function.name}(integer, timestamptz)")
    first = waiting(engine, now, office.categories["Technical support"], due_in=10)
    second = waiting(engine, now, office.categories["Technical support"], due_in=20)
    assert pull_all(engine, office.agents["sue"], now) == [first, second]
    with engine.connect() as connection:
        made = connection.exec_driver_sql(
            f"SELECT count(*) FROM pg_proc WHERE proname = '{function.name}'").scalar_one()
    assert made == 1


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_requests_being_claimed_elsewhere_are_skipped_and_the_rest_keep_pull_order(engine, office, now):
    """PostgreSQL's claim skips locked rows: the best of the others, priority included."""
    tech = office.categories["Technical support"]
    low_old = waiting(engine, now, tech, due_in=60, priority="low", age=90)   # first by age
    high_old = waiting(engine, now, tech, due_in=60, priority="high", age=30)
    high_new = waiting(engine, now, tech, due_in=60, priority="high", age=1)
    undated_low = waiting(engine, now, tech, priority="low", age=50)
    undated_high = waiting(engine, now, tech, priority="high", age=2)
    sue = office.agents["sue"]

    def pull_while_locked(*numbers):
        with engine.connect() as other:  # another console in the middle of claiming these
            other.execute(text("SELECT id FROM request WHERE id IN :ids FOR UPDATE")
                          .bindparams(bindparam("ids", expanding=True)), {"ids": list(numbers)})
            record = pull_next_request(engine, agent_id=sue, now=now)
            other.rollback()
        run_write(engine, lambda session: setattr(session.get(Request, record.number), "status", "resolved"))
        return record.number  # resolved, so that sue (an agent) may pull again

    assert pull_while_locked(high_old) == high_new   # a better rank at the same deadline, second best
    assert pull_while_locked(low_old) == high_old    # the first by age is taken: the next is right
    assert pull_while_locked(low_old) == undated_high  # undated: priority before age
    assert pull_all(engine, sue, now) == [low_old, undated_low]
