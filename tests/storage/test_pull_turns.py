"""SQLite pullers' turns at the write lock: a queue on a lock file, threads included."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time

import pytest

from storage import pull_turns
from storage.engine import BUSY_TIMEOUT_MS


def _connect(path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


@pytest.fixture
def database(tmp_path):
    path = str(tmp_path / "turns.db")
    setup = _connect(path)
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.close()
    return path


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another console holds the write lock for `seconds`, from now."""
    holder = _connect(path)
    holder.execute("BEGIN IMMEDIATE")

    def release():
        time.sleep(seconds)
        holder.execute("COMMIT")
        holder.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def _turn_then(database, turns, *statements: str):
    """Wait for a turn on a new connection, run `statements` and commit: how long the turn
    took to come, and the cursor."""
    cursor = _connect(database).cursor()
    started = time.monotonic()
    with pull_turns.pull_turn(cursor, turns):
        waited = time.monotonic() - started
        for statement in statements:
            cursor.execute(statement)
        cursor.execute("COMMIT")
    return waited, cursor


def test_a_free_turn_is_taken_at_once(database):
    cursor = _connect(database).cursor()
    with pull_turns.pull_turn(cursor, pull_turns.turns_for(database)):
        assert cursor.connection.in_transaction
        cursor.execute("INSERT INTO t VALUES (1)")
        cursor.execute("COMMIT")
    assert cursor.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_a_puller_waits_while_another_process_has_its_turn(database):
    # SQLite's write lock is free all along: the queue on the lock file alone holds it back.
    turns = pull_turns.turns_for(database)
    other = os.open(f"{database}-pull.lock", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    released = threading.Timer(0.5, fcntl.flock, (other, fcntl.LOCK_UN))
    released.start()
    waited, _cursor = _turn_then(database, turns)
    released.join()
    os.close(other)
    assert 0.4 <= waited < 5


def test_threads_of_one_process_take_turns_too(database):
    # An flock belongs to the open file, which threads share: they queue on a thread lock.
    turns = pull_turns.turns_for(database)
    inside = threading.Event()
    leave = threading.Event()

    def first():
        cursor = _connect(database).cursor()
        with pull_turns.pull_turn(cursor, turns):
            inside.set()
            leave.wait(5)
            cursor.execute("COMMIT")

    holder = threading.Thread(target=first)
    holder.start()
    assert inside.wait(5)
    threading.Timer(0.4, leave.set).start()
    waited, _cursor = _turn_then(database, turns)
    holder.join()
    assert 0.3 <= waited < 5


def test_a_writer_that_is_not_pulling_is_waited_for_within_the_busy_timeout(database):
    holder = _hold_write_lock(database, 0.3)
    waited, cursor = _turn_then(database, pull_turns.turns_for(database), "INSERT INTO t VALUES (2)")
    holder.join()
    assert 0.2 < waited < 5
    assert cursor.execute("SELECT x FROM t").fetchall() == [(2,)]


def test_locked_after_the_busy_timeout_and_the_turn_is_given_back(database):
    holder = _hold_write_lock(database, 1.5)
    cursor = _connect(database).cursor()
    cursor.execute("PRAGMA busy_timeout=300")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        with pull_turns.pull_turn(cursor, pull_turns.turns_for(database)):
            pass
    assert time.monotonic() - started < 1.4
    holder.join()
    # Another process's descriptor gets the lock file at once, and this process's next
    # puller its thread lock.
    other = os.open(f"{database}-pull.lock", os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(other)
    assert pull_turns.turns_for(database).threads.acquire(blocking=False)
    pull_turns.turns_for(database).threads.release()


def test_without_a_lock_file_the_busy_handler_alone_is_used(database):
    cursor = _connect(database).cursor()
    with pull_turns.pull_turn(cursor, None):
        assert cursor.connection.in_transaction
        cursor.execute("COMMIT")
    assert pull_turns.turns_for(":memory:") is None
