"""SQLite: pullers take turns at the database's one write lock, in a queue.

Correctness never depends on this module: choice and claim run inside one
`BEGIN IMMEDIATE` transaction. Only speed and fairness do, and on a busy machine they
depend on how the lock passes from one puller to the next. `scripts/bench pull`, 8
agents pulling at once on 2 cores (2026-11-26, the claim as it is now), against bare
single-row UPDATE commits:

- SQLite's busy handler alone: 0.51x, but unfair: a waiter's sleeps grow to 100 ms, so
  newcomers keep taking the lock from it, and single waits of 2.4 s were measured.
- Asking with the busy handler for 30 ms first, then queueing (this module until then):
  0.36x, with the lock standing idle while its waiters slept between asks.
- A strict queue (this module): 0.47-0.53x over five runs, longest wait 41-54 ms.

So every puller waits for its turn on a lock file next to the database (`flock`: the
kernel wakes a waiter the moment the turn is given back), takes the write lock, claims,
commits, and gives the turn back. Threads of one process queue on a `threading.Lock`
first, since an flock belongs to the open file, which they share. Writers that are not
pulling (intake, saving fields) do not queue; between them and the puller whose turn it
is, SQLite's busy handler and its timeout decide as always.

A process stopped while it holds its turn (it also holds the write lock then) stalls the
other pullers until it goes on or dies; a dead process's flock is released by the kernel.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

try:  # POSIX; elsewhere pullers rely on SQLite's busy handler alone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


@dataclass(frozen=True)
class Turns:
    """The queue of one database's pullers: the lock file and this process's thread lock."""

    fd: int
    threads: threading.Lock


_TURNS: dict[str, Turns | None] = {}
_TURNS_GUARD = threading.Lock()


def turns_for(database: str | None) -> Turns | None:
    """The pullers' queue of a database file, shared by the whole process; None for an
    in-memory database, where there is no fcntl, or where the lock file cannot be created."""
    if not database or database == ":memory:" or fcntl is None:
        return None
    with _TURNS_GUARD:
        if database not in _TURNS:
            try:
                fd = os.open(f"{database}-pull.lock", os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:  # e.g. a read-only directory: SQLite's busy handler alone then
                _TURNS[database] = None
            else:
                _TURNS[database] = Turns(fd, threading.Lock())
        return _TURNS[database]


@contextmanager
def pull_turn(cursor: Any, turns: Turns | None) -> Iterator[None]:
    """Open the claim's transaction (BEGIN IMMEDIATE) on `cursor` when it is this
    puller's turn; left after the commit. For `storage.engine.run_raw_write(begin=…)`."""
    if turns is None:
        cursor.execute("BEGIN IMMEDIATE")
        yield
        return
    with turns.threads:
        fcntl.flock(turns.fd, fcntl.LOCK_EX)
        try:
            cursor.execute("BEGIN IMMEDIATE")  # waits only for writers that are not pulling
            yield
        finally:
            fcntl.flock(turns.fd, fcntl.LOCK_UN)
