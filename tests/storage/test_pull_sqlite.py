"""SQLite: the puller whose turn it is claims for the orders waiting on the board too."""

from __future__ import annotations

import contextlib
import os
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select

from storage import pull_sqlite
from storage.engine import read_session
from storage.pull_orders import Answer, Order, State, board_for, posted, take_orders
from storage.pull_target import PullTarget, pull_target_raw
from storage.queue import claim_next_request
from storage.tables import AuditEntry, Request
from tests.routing_office import build_office
from tests.storage.test_queue import waiting


@pytest.fixture
def office(sqlite_engine, now):
    return build_office(sqlite_engine, now)


def _board(engine) -> str:
    return board_for(engine.url.database)


def test_the_puller_whose_turn_it_is_claims_for_an_order_waiting_on_the_board(sqlite_engine, office, now):
    tech = office.categories["Technical support"]
    first = waiting(sqlite_engine, now, tech, due_in=30)
    second = waiting(sqlite_engine, now, tech, due_in=60)
    bob = pull_target_raw(sqlite_engine, office.agents["bob"])
    later = now + timedelta(seconds=3)
    with posted(_board(sqlite_engine), Order(bob, later)) as posting:
        # ann's turn: her own claim first, then bob's order, in one transaction.
        assert claim_next_request(sqlite_engine, agent_id=office.agents["ann"], now=now) == first
        assert posting.wait(2) == Answer(second)
        assert posting.state() is State.DONE
    with read_session(sqlite_engine) as session:
        claimed = session.get(Request, second)
        assert (claimed.assigned_agent_id, claimed.status) == (office.agents["bob"], "in_progress")
        assert claimed.assigned_at.replace(tzinfo=later.tzinfo) == later
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity_id == str(second))).one()
        assert (entry.actor, entry.action) == ("bob", "pull")


def test_an_order_that_gets_nothing_is_answered_too(sqlite_engine, office, now):
    tech = office.categories["Technical support"]
    only = waiting(sqlite_engine, now, tech, due_in=30)
    bob = pull_target_raw(sqlite_engine, office.agents["bob"])
    with posted(_board(sqlite_engine), Order(bob, now)) as posting:
        assert claim_next_request(sqlite_engine, agent_id=office.agents["ann"], now=now) == only
        assert posting.wait(2) == Answer(None)


@pytest.mark.parametrize("poster", ["deleted agent", "too many categories"])
def test_an_order_whose_claim_fails_is_left_alone(sqlite_engine, office, now, poster):
    tech = office.categories["Technical support"]
    first = waiting(sqlite_engine, now, tech, due_in=30)
    second = waiting(sqlite_engine, now, tech, due_in=60)
    if poster == "deleted agent":  # a foreign key the claim breaks
        target = PullTarget(99999, "deleted", True, {tech: "Technical support"})
    else:  # more categories than SQLite takes in one compound SELECT
        target = PullTarget(office.agents["sue"], "sue", True,
                            {tech: "Technical support", **{10_000 + i: f"c{i}" for i in range(260)}})
    with posted(_board(sqlite_engine), Order(target, now)) as posting:
        assert claim_next_request(sqlite_engine, agent_id=office.agents["ann"], now=now) == first
        assert posting.state() is State.WAITING  # its poster claims for itself and meets the error
        assert posting.wait(0) is None
    with read_session(sqlite_engine) as session:
        assert session.get(Request, second).assigned_agent_id is None


def test_a_poster_whose_answer_never_comes_reads_its_claim_from_the_database(sqlite_engine, office, now,
                                                                             monkeypatch):
    # The puller that claimed for it died after taking the order off the board.
    tech = office.categories["Technical support"]
    number = waiting(sqlite_engine, now, tech, due_in=30)
    bob = pull_target_raw(sqlite_engine, office.agents["bob"])
    with posted(_board(sqlite_engine), Order(bob, now)) as posting:
        [taken] = take_orders(_board(sqlite_engine), 15)
        pull_sqlite.run_raw_write(sqlite_engine, lambda cursor: pull_sqlite._claim(
            cursor, sqlite_engine.dialect, bob, now))
        pull_sqlite.remove(taken)  # ... and died here, before answering
        monkeypatch.setattr(pull_sqlite, "_ANSWER_SECONDS", 0.3)
        assert pull_sqlite._await_answer(sqlite_engine, posting, bob, now) == Answer(number)


@pytest.mark.parametrize("committed", [True, False])
def test_an_order_abandoned_by_a_puller_that_died_is_settled_by_its_poster(sqlite_engine, office, now,
                                                                           committed):
    tech = office.categories["Technical support"]
    number = waiting(sqlite_engine, now, tech, due_in=30)
    ann = pull_target_raw(sqlite_engine, office.agents["ann"])
    board = _board(sqlite_engine)
    dead = []

    def taker_dies_in_its_turn():
        # Another puller takes ann's order, maybe commits her claim, and dies: the kernel
        # closes its files.
        [taken] = take_orders(board, 15)
        if committed:
            pull_sqlite.run_raw_write(sqlite_engine, lambda cursor: pull_sqlite._claim(
                cursor, sqlite_engine.dialect, ann, now))
        os.close(taken.held)
        os.close(taken.pipe)
        dead.append(True)

    real_posted = pull_sqlite.posted

    @contextlib.contextmanager
    def posted_then_taken(board_, order):
        with real_posted(board_, order) as posting:
            taker_dies_in_its_turn()
            yield posting

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pull_sqlite, "posted", posted_then_taken)
        assert claim_next_request(sqlite_engine, agent_id=ann.agent_id, now=now) == number
    assert dead
    with read_session(sqlite_engine) as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.entity_id == str(number))).one()


def test_a_failed_turn_leaves_the_orders_on_the_board_and_the_turn_free(sqlite_engine, office, now,
                                                                      monkeypatch):
    tech = office.categories["Technical support"]
    number = waiting(sqlite_engine, now, tech, due_in=30)
    bob = pull_target_raw(sqlite_engine, office.agents["bob"])

    def broken(engine, work):
        raise RuntimeError("disk on fire")

    with posted(_board(sqlite_engine), Order(bob, now)) as posting:
        monkeypatch.setattr(pull_sqlite, "run_raw_write", broken)
        with pytest.raises(RuntimeError):
            claim_next_request(sqlite_engine, agent_id=office.agents["ann"], now=now)
        assert posting.state() is State.WAITING
        monkeypatch.undo()
        assert claim_next_request(sqlite_engine, agent_id=office.agents["ann"], now=now) == number
        assert posting.wait(2) == Answer(None)  # served in ann's next turn: nothing left


def test_threads_pulling_at_once_claim_every_request_once(sqlite_engine, office, now):
    tech = office.categories["Technical support"]
    numbers = {waiting(sqlite_engine, now, tech, due_in=minutes) for minutes in range(1, 121)}
    sue = office.agents["sue"]  # a supervisor may hold several
    claimed: list[int] = []
    start = threading.Barrier(6)

    def pull():
        start.wait()
        while (number := claim_next_request(sqlite_engine, agent_id=sue, now=now)) is not None:
            claimed.append(number)

    threads = [threading.Thread(target=pull) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Counter(claimed) == Counter(numbers)


def test_where_no_order_can_be_posted_the_puller_claims_alone(sqlite_engine, office, now, monkeypatch):
    tech = office.categories["Technical support"]
    number = waiting(sqlite_engine, now, tech, due_in=30)

    def no_pipes(*args, **kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr("storage.pull_orders.os.mkfifo", no_pipes)
    assert claim_next_request(sqlite_engine, agent_id=office.agents["ann"], now=now) == number
    assert os.listdir(_board(sqlite_engine)) == []
