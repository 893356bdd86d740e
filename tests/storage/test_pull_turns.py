"""SQLite pullers' turn at the write lock: an exclusive flock on a lock file, taken only when free."""

from __future__ import annotations

import pytest

from storage import pull_turns


@pytest.fixture
def lock(tmp_path):
    return pull_turns.turn_lock_path(str(tmp_path / "turns.db"))


def test_a_free_turn_is_taken_at_once_and_given_back(lock):
    with pull_turns.turn_handle(lock) as turn:
        assert pull_turns.try_turn(turn)
        pull_turns.give_turn_back(turn)
        assert pull_turns.try_turn(turn)
        pull_turns.give_turn_back(turn)


def test_a_taken_turn_is_not_taken_again_even_by_another_thread_of_the_process(lock):
    # Every claim opens the lock file itself: an flock belongs to the open file, so two
    # handles of one process exclude each other as two processes would.
    with pull_turns.turn_handle(lock) as first, pull_turns.turn_handle(lock) as second:
        assert pull_turns.try_turn(first)
        assert not pull_turns.try_turn(second)
        pull_turns.give_turn_back(first)
        assert pull_turns.try_turn(second)
        pull_turns.give_turn_back(second)


def test_the_turn_goes_with_the_handle(lock):
    with pull_turns.turn_handle(lock) as turn:
        assert pull_turns.try_turn(turn)
    with pull_turns.turn_handle(lock) as turn:  # closed without giving back: free again
        assert pull_turns.try_turn(turn)


def test_no_lock_file_for_memory_or_where_it_cannot_be_made(tmp_path):
    assert pull_turns.turn_lock_path(":memory:") is None
    assert pull_turns.turn_lock_path(None) is None
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    assert pull_turns.turn_lock_path(str(not_a_directory / "x.db")) is None
