"""SQLite: how pullers take turns at the database's one write lock.

Correctness never depends on this module: the claim is one `UPDATE … RETURNING` inside
`BEGIN IMMEDIATE`. Only speed and fairness do, and the two pull against each other on a
busy machine (8 agents pulling at once on 2 cores, measured by `scripts/bench pull`):

- SQLite's own busy handler alone is fast but unfair: a waiter's sleeps grow to 100 ms,
  so newcomers keep taking the lock from it, and single waits of seconds were measured.
- A strict queue (every puller waits its turn on a lock file) is fair, but each handoff
  waits for the next process to be scheduled while the lock stands idle: about half the
  claims per second.

So a puller first asks as everyone does, with the busy handler for a few milliseconds;
under light contention that is all. One that did not get the lock by then queues on a
lock file next to the database (the kernel's queue, first come first served), and the one
at the head of that queue asks again every few milliseconds until it has the lock. Waits
stay short without every claim paying for a handoff.

The lock file is opened once per process, so threads of one process do not queue behind
each other (they share the turn); only processes take turns. Fairness between threads is
SQLite's busy handler's, as before.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:  # POSIX; elsewhere pullers rely on SQLite's busy handler alone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

from storage.engine import BUSY_TIMEOUT_MS, is_busy

# How long a newcomer asks with SQLite's busy handler before it queues.
FIRST_ASK_MS = 30
# How long each ask of the queue's head waits (SQLite sleeps 1, 2, … ms within it).
HEAD_ASK_MS = 5

_LOCK_FILES: dict[str, int] = {}
_LOCK_FILES_GUARD = threading.Lock()


def lock_file(database: str | None) -> int | None:
    """The open lock file next to a database file, shared by the whole process; None for
    an in-memory database, where there is no fcntl, or where it cannot be created."""
    if not database or database == ":memory:" or fcntl is None:
        return None
    with _LOCK_FILES_GUARD:
        fd = _LOCK_FILES.get(database)
        if fd is None:
            try:
                fd = os.open(f"{database}-pull.lock", os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:  # e.g. a read-only directory: SQLite's busy handler alone then
                fd = -1
            _LOCK_FILES[database] = fd
    return fd if fd >= 0 else None


@contextmanager
def pull_turn(cursor: Any, lock_fd: int | None) -> Iterator[None]:
    """Open the claim's transaction (BEGIN IMMEDIATE) on `cursor` when it is this
    puller's turn; left after the commit. For `storage.engine.run_raw_write(begin=…)`."""
    if lock_fd is None:
        cursor.execute("BEGIN IMMEDIATE")
        yield
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    try:
        cursor.execute(f"PRAGMA busy_timeout={FIRST_ASK_MS}")
        if _ask(cursor):
            yield
            return
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        try:
            cursor.execute(f"PRAGMA busy_timeout={HEAD_ASK_MS}")
            while not _ask(cursor):
                if time.monotonic() > deadline:
                    raise sqlite3.OperationalError("database is locked")
            yield
        finally:
            fcntl.flock(lock_fd, fcntl.LOCK_UN)
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _ask(cursor: Any) -> bool:
    """BEGIN IMMEDIATE within the connection's busy timeout; False if still busy."""
    try:
        cursor.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            return False
        raise
    return True
