"""SQLite: the pullers' turn at the database's one write lock, on a lock file.

Correctness never depends on this module: choice and claim run inside one
`BEGIN IMMEDIATE` transaction. Only speed and fairness do, and on a busy machine they
depend on how the lock passes from one puller to the next. `scripts/bench pull`, 8
agents pulling at once on 2 cores, against bare single-row UPDATE commits:

- SQLite's busy handler alone: 0.51x, but unfair: a waiter's sleeps grow to 100 ms, so
  newcomers keep taking the lock from it, and single waits of 2.4 s were measured.
- A strict queue, each puller waiting on the lock file in turn (until 2026-11-26):
  0.41-0.53x. Passing the turn costs as much as using it: the bare UPDATE commit took
  1.0 ms with 8 processes in such a queue, 0.58 ms for one process committing again
  and again.
- The turn taken only when free, the puller whose turn it is claiming for everyone
  waiting (`storage.pull_sqlite`): see docs/routing.md.

The turn is the lock file's exclusive flock, taken only when free (`try_turn`): a puller
that finds it taken waits for its claim on the board of orders (`storage.pull_orders`),
and is told when the turn is free. Every claim opens the lock file itself
(`turn_handle`): an flock belongs to the open file, so threads of one process contend
like processes. Writers that are not pulling (intake, saving fields) do not take turns;
between them and the puller whose turn it is, SQLite's busy handler and its timeout
decide as always.

A process stopped while it holds the turn (it also holds the write lock then) stalls the
other pullers until it goes on or dies; a dead process's flock is released by the kernel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

try:  # POSIX; elsewhere pullers rely on SQLite's busy handler alone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


def turn_lock_path(database: str | None) -> str | None:
    """The lock file of a database file's turn; None for an in-memory database, where
    there is no fcntl, or where the lock file cannot be created."""
    if not database or database == ":memory:" or fcntl is None:
        return None
    path = f"{database}-pull.lock"
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o666))  # less the umask
    except OSError:  # e.g. a read-only directory: SQLite's busy handler alone then
        return None
    return path


@contextmanager
def turn_handle(path: str) -> Iterator[int]:
    """The lock file opened for one claim; any lock it holds goes with it."""
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)  # (an flock needs no write access)
    try:
        yield fd
    finally:
        os.close(fd)


def try_turn(fd: int) -> bool:
    """Take the turn if it is free, without waiting; `give_turn_back` when done."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def give_turn_back(fd: int) -> None:
    """Give back a turn taken with `try_turn`."""
    fcntl.flock(fd, fcntl.LOCK_UN)
