"""SQLite pullers' turns at the write lock: ask first, queue when busy, never hang."""

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


def test_a_free_lock_is_taken_at_once_and_the_timeout_restored(database):
    cursor = _connect(database).cursor()
    with pull_turns.pull_turn(cursor, pull_turns.lock_file(database)):
        assert cursor.connection.in_transaction
        cursor.execute("INSERT INTO t VALUES (1)")
        cursor.execute("COMMIT")
    assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_a_puller_that_finds_the_lock_busy_queues_and_gets_it_when_released(database):
    lock_fd = pull_turns.lock_file(database)
    holder = _hold_write_lock(database, 0.4)  # far longer than the first ask
    cursor = _connect(database).cursor()
    started = time.monotonic()
    with pull_turns.pull_turn(cursor, lock_fd):
        waited = time.monotonic() - started
        cursor.execute("INSERT INTO t VALUES (2)")
        cursor.execute("COMMIT")
    holder.join()
    assert 0.3 < waited < 5
    assert cursor.execute("SELECT x FROM t").fetchall() == [(2,)]
    assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_the_queue_is_shared_through_the_lock_file(database):
    # While one puller holds its turn (the lock file), another one queues behind it even
    # though SQLite's write lock itself is free.
    lock_fd = pull_turns.lock_file(database)
    other = os.open(f"{database}-pull.lock", os.O_RDWR)
    fcntl.flock(other, fcntl.LOCK_EX)
    holder = _hold_write_lock(database, 0.2)  # makes the newcomer queue
    released = threading.Timer(0.6, fcntl.flock, (other, fcntl.LOCK_UN))
    released.start()
    cursor = _connect(database).cursor()
    started = time.monotonic()
    with pull_turns.pull_turn(cursor, lock_fd):
        waited = time.monotonic() - started
        cursor.execute("COMMIT")
    holder.join()
    released.join()
    os.close(other)
    assert waited >= 0.5


def test_the_head_of_the_queue_gives_up_as_locked_after_the_busy_timeout(database, monkeypatch):
    monkeypatch.setattr(pull_turns, "BUSY_TIMEOUT_MS", 300)
    holder = _hold_write_lock(database, 1.5)
    cursor = _connect(database).cursor()
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        with pull_turns.pull_turn(cursor, pull_turns.lock_file(database)):
            pass
    assert time.monotonic() - started < 1.4
    assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 300  # restored to the setting
    holder.join()
    # The turn was given back: another process's descriptor gets the lock file at once.
    other = os.open(f"{database}-pull.lock", os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(other)


def test_without_a_lock_file_the_busy_handler_alone_is_used(database):
    cursor = _connect(database).cursor()
    with pull_turns.pull_turn(cursor, None):
        assert cursor.connection.in_transaction
        cursor.execute("COMMIT")
    assert pull_turns.lock_file(":memory:") is None
