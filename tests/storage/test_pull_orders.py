"""The board of pull orders: posted, taken by the puller whose turn it is, answered, or thrown away."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone

import pytest

from storage.pull_orders import (Answer, Order, answer, board_for, posted, put_back, remove,
                                 take_orders, wake_next)
from storage.pull_target import PullTarget

NOW = datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=timezone.utc)


def order(agent_id: int = 7, *, supervisor: bool = False) -> Order:
    return Order(PullTarget(agent_id, f"agent{agent_id}", supervisor, {3: "Billing", 12: "Technical support/Printers"}),
                 NOW)


@pytest.fixture
def board(tmp_path):
    return board_for(str(tmp_path / "office.db"))


def test_an_order_is_taken_as_posted_and_its_files_go_with_the_block(board):
    with posted(board, order(7, supervisor=True)) as posting:
        [taken] = take_orders(board, 15)
        assert taken.order == order(7, supervisor=True)
        put_back(taken)
        assert posting.on_board()
    assert os.listdir(board) == []


def test_orders_are_taken_oldest_first_up_to_the_limit(board):
    with posted(board, order(1)), posted(board, order(2)), posted(board, order(3)):
        taken = take_orders(board, 2)
        assert [t.order.target.agent_id for t in taken] == [1, 2]
        for t in taken:
            put_back(t)


def test_an_answered_order_is_off_the_board_and_its_poster_reads_the_number(board):
    with posted(board, order()) as posting:
        assert posting.wait(0) is None
        [taken] = take_orders(board, 15)
        remove(taken)  # under the turn, after the commit
        assert not posting.on_board()
        assert take_orders(board, 15) == []
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
        posting.withdraw()
        assert not posting.on_board()
        assert take_orders(board, 15) == []


def test_the_oldest_waiting_poster_is_told_the_turn_is_free(board):
    with posted(board, order(1)) as oldest, posted(board, order(2)) as newer:
        wake_next(board)
        started = time.monotonic()
        assert oldest.wait(5) is None  # woken, not answered
        assert time.monotonic() - started < 2
        started = time.monotonic()
        assert newer.wait(0.2) is None
        assert time.monotonic() - started >= 0.15  # nobody told it


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


def test_no_board_for_memory_or_where_it_cannot_be_made(tmp_path):
    assert board_for(":memory:") is None
    assert board_for(None) is None
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    assert board_for(str(not_a_directory / "x.db")) is None
