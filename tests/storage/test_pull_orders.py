"""The board of pull orders: posted, taken by the puller whose turn it is, answered, or thrown away."""

from __future__ import annotations

import json
import os
import resource
import time
from datetime import datetime, timezone

import pytest

from storage.pull_orders import (Answer, Order, State, answer, board_for, posted, put_back, remove,
                                 take_orders, wake_next)
from storage.pull_target import PullTarget

NOW = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=timezone.utc)


def order(agent_id: int = 7, *, supervisor: bool = False) -> Order:
    categories = {3: "Billing", 12: "Technical support/Printers"}
    return Order(PullTarget(agent_id, f"agent{agent_id}", supervisor, categories), NOW)


@pytest.fixture
def board(tmp_path):
    return board_for(str(tmp_path / "office.db"))


def test_an_order_is_taken_as_posted_and_its_files_go_with_the_block(board):
    with posted(board, order(7, supervisor=True)) as posting:
        assert posting.state() is State.WAITING
        [taken] = take_orders(board, 15)
        assert taken.order == order(7, supervisor=True)
        assert posting.state() is State.TAKEN
        put_back(taken)
        assert posting.state() is State.WAITING
    assert os.listdir(board) == []


def test_an_order_is_taken_once_however_many_try(board):
    with posted(board, order()):
        [taken] = take_orders(board, 15)
        assert take_orders(board, 15) == []  # another puller, even holding a turn of its own
        put_back(taken)


def test_orders_are_taken_oldest_first_up_to_the_limit(board):
    with posted(board, order(1)), posted(board, order(2)), posted(board, order(3)):
        taken = take_orders(board, 2)
        assert [t.order.target.agent_id for t in taken] == [1, 2]
        for t in taken:
            put_back(t)


def test_an_order_claimed_for_is_done_and_its_poster_reads_the_number(board):
    with posted(board, order()) as posting:
        assert posting.wait(0) is None
        [taken] = take_orders(board, 15)
        remove(taken)  # under the turn, after the commit
        assert posting.state() is State.DONE
        assert not posting.withdraw()
        answer(taken, 4711)
        assert posting.wait(1) == Answer(4711)


def test_nothing_claimed_is_an_answer_too(board):
    with posted(board, order()) as posting:
        [taken] = take_orders(board, 15)
        remove(taken)
        answer(taken, None)
        assert posting.wait(1) == Answer(None)


def test_a_withdrawn_order_is_not_taken(board):
    with posted(board, order()) as posting:
        assert posting.withdraw()
        assert take_orders(board, 15) == []


def test_an_order_taken_by_a_puller_that_died_is_seen_abandoned_and_can_be_reposted(board):
    with posted(board, order()) as posting:
        [taken] = take_orders(board, 15)
        os.close(taken.held)  # what the kernel does when the taker dies
        os.close(taken.pipe)
        assert posting.state() is State.ABANDONED
        posting.repost()
        assert posting.state() is State.WAITING
        [again] = take_orders(board, 15)
        put_back(again)


def test_the_oldest_waiting_poster_is_told_the_turn_is_free(board):
    with posted(board, order(1)) as oldest, posted(board, order(2)) as newer:
        wake_next(board)
        started = time.monotonic()
        assert oldest.wait(5) is None  # woken, not answered
        assert time.monotonic() - started < 2
        started = time.monotonic()
        assert newer.wait(0.2) is None
        assert time.monotonic() - started >= 0.15  # nobody told it


def test_waiting_works_with_many_files_open(board):
    # select() cannot watch a descriptor past 1023; a console process may hold that many.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("the hard limit on open files is below 1200")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        with posted(board, order()) as posting:
            [taken] = take_orders(board, 15)
            remove(taken)
            answer(taken, 5)
            assert posting.wait(1) == Answer(5)
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_the_order_of_a_poster_that_died_is_thrown_away_not_served(board):
    # What a dead poster leaves: its order, and a pipe that nobody reads any more.
    path = os.path.join(board, "00000000000000000001-99999-0")
    os.mkfifo(path + ".fifo")
    with open(path + ".order", "w") as file:
        json.dump({"agent_id": 9, "login": "gone", "supervisor": False, "categories": [],
                   "now": NOW.isoformat()}, file)
    with posted(board, order(7)):
        [taken] = take_orders(board, 15)
        assert taken.order.target.agent_id == 7
        put_back(taken)
        assert not any("99999" in name for name in os.listdir(board))


def test_an_order_that_cannot_be_read_is_left_to_its_poster(board):
    with posted(board, order(7)) as posting:
        [name] = [n for n in os.listdir(board) if n.endswith(".order")]
        with open(os.path.join(board, name), "w") as file:
            file.write("{from another version")
        assert take_orders(board, 15) == []
        assert posting.state() is State.WAITING


def test_no_board_for_memory_or_where_it_cannot_be_made(tmp_path):
    assert board_for(":memory:") is None
    assert board_for(None) is None
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    assert board_for(str(not_a_directory / "x.db")) is None
