"""Pull next: the most urgent waiting request in the agent's categories, claimed atomically.

`pull_next_request` is what F5 and `callcenter queue next` call: one short write
transaction claims one request with one statement (see `storage.queue_claim` for how it
stays atomic on SQLite and PostgreSQL), which returns the claimed request whole, and
writes the audit entry. Who is pulling and their categories are read first (on SQLite
before the write lock is taken). Every statement is prepared once; nothing is read back
afterwards.
"""

from __future__ import annotations

import os
import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime

try:  # POSIX; elsewhere pullers rely on SQLite's busy handler alone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Connection, RowMapping
from sqlmodel import Session

from domain.errors import DomainError
from domain.records import RequestRecord
from domain.requests import Status
from domain.roles import can_supervise
from storage import audit
from storage.engine import is_sqlite, run_write
from storage.errors import NotFound
from storage.queue_claim import HELD, R, claim_and_audit_postgres, claim_sqlite
from storage.tables import Agent, CategoryMember, RoutingCategory
from storage.tables_routing import queued

# On PostgreSQL a pull that found every head of the agent's queues locked looks again.
_EMPTY_RETRIES = 3


class MustFinishFirst(DomainError):
    """The agent still holds an open request and must deal with it before pulling another."""

    def __init__(self, number: int, status: str) -> None:
        self.number = number
        self.status = status
        super().__init__(
            f"you still hold request {number} ({status}): resolve it, set it pending_customer "
            "with a question, or reassign it with a reason before pulling the next one")


@dataclass(frozen=True)
class PullTarget:
    """Who is pulling, and from which categories."""

    agent_id: int
    login: str
    supervisor: bool
    categories: dict[int, str]


_TARGET = (select(Agent.id, Agent.login, Agent.role, RoutingCategory.id.label("category_id"),
                  RoutingCategory.path)
           .select_from(Agent).outerjoin(CategoryMember, CategoryMember.agent_id == Agent.id)
           .outerjoin(RoutingCategory, RoutingCategory.id == CategoryMember.category_id)
           .where(Agent.id == bindparam("agent_id")))


def pull_target(connection: Connection, agent_id: int) -> PullTarget:
    """The agent's role and categories, or NotFound."""
    rows = connection.execute(_TARGET, {"agent_id": agent_id}).all()
    if not rows:
        raise NotFound(f"no agent with id {agent_id}")
    return PullTarget(rows[0].id, rows[0].login, can_supervise(rows[0].role),
                      {row.category_id: row.path for row in rows if row.category_id is not None})


_HELD_BY = (select(R.c.id, R.c.status)
            .where(R.c.assigned_agent_id == bindparam("agent_id"), R.c.status.in_(HELD))
            .order_by(R.c.updated_at.desc(), R.c.id.desc()).limit(1))
_WAITING_IN = select(R.c.id).where(R.c.category_id.in_(bindparam("categories", expanding=True)),
                                   queued()).limit(1)


_RECORD_FIELDS = [f.name for f in fields(RequestRecord) if f.name != "number"]


def _audit_claim(connection: Connection, target: PullTarget, row: RowMapping, now: datetime) -> None:
    # The audit entry is the claim's history: "pull" by the agent, out of which queue, old
    # -> new. No activity line: every page written here is written while all others wait.
    changes = {"assigned_agent": [None, target.login],
               "queue": [target.categories.get(row["category_id"]), None]}
    if row["old_status"] != Status.IN_PROGRESS.value:
        changes["status"] = [row["old_status"], Status.IN_PROGRESS.value]
    audit.write(connection, at=now, actor_id=target.agent_id, actor=target.login, entity="request",
                entity_id=row["id"], action="pull", changes=changes)


def _record(row: RowMapping, **names: str | None) -> RequestRecord:
    values = {name: row[name] for name in _RECORD_FIELDS if name in row}
    return RequestRecord(**{**values, **names, "number": row["id"],
                            "field_values": dict(row["field_values"] or {})})


def _claim_for(connection: Connection, agent_id: int, now: datetime,
               target: PullTarget | None = None) -> tuple[PullTarget | None, RequestRecord | None]:
    """Claim and audit one request for the agent; (target, None) when none was claimed.

    On SQLite `target` (read before the write lock) is given; on PostgreSQL one statement
    claims and audits, and the target is read only when it claimed nothing.
    """
    if target is None:
        row, _supervisor = claim_and_audit_postgres(connection, agent_id=agent_id, now=now)
        if row is not None:
            return None, _record(row, assigned_agent=row["assigned_login"],
                                 category=row["category_path"])
        target = pull_target(connection, agent_id)
    elif target.categories:
        row = claim_sqlite(connection, agent_id=target.agent_id,
                           categories=tuple(sorted(target.categories)),
                           supervisor=target.supervisor, now=now)
        if row is not None:
            _audit_claim(connection, target, row, now)
            return target, _record(row, assigned_agent=target.login,
                                   category=target.categories.get(row["category_id"]))
    held = None if target.supervisor else connection.execute(
        _HELD_BY, {"agent_id": target.agent_id}).first()
    if held is not None:
        raise MustFinishFirst(held.id, held.status)
    return target, None


_PULL_LOCKS: dict[str, int] = {}
_PULL_LOCKS_GUARD = threading.Lock()


@contextmanager
def _one_puller_at_a_time(engine: Engine):
    """SQLite: let one pull at a time (per database, across processes) ask for the write
    lock. Pullers wait in the kernel's queue for a lock file next to the database and
    are woken the moment it is free, instead of sleeping in SQLite's busy handler
    (whose sleeps grow to 100 ms, leaving the lock idle while all wait). Only fairness
    and speed depend on it, never correctness (BEGIN IMMEDIATE and the one-statement
    claim do): threads of one process share the file and pass through together."""
    path = engine.url.database
    if not path or path == ":memory:" or fcntl is None:
        yield
        return
    with _PULL_LOCKS_GUARD:
        fd = _PULL_LOCKS.get(path)
        if fd is None:
            try:
                fd = os.open(f"{path}-pull.lock", os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:  # e.g. a read-only directory: SQLite's busy handler alone then
                fd = -1
            _PULL_LOCKS[path] = fd
    if fd < 0:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def pull_next_request(engine: Engine, *, agent_id: int, now: datetime) -> RequestRecord | None:
    """Give the agent the most urgent waiting request in their categories, or None if none wait.

    One short write transaction: the claim and its audit entry (on PostgreSQL one
    statement, after the puller's agent row is locked). Raises MustFinishFirst (with `.number`) when an agent
    (not a supervisor) still holds an open request. The returned record carries the
    deadline explanation.
    """
    if is_sqlite(engine):
        # Who the agent is and their categories are read before the write lock is taken,
        # so that the lock is held for the claim and its audit entry only (every other
        # console waits while it is held). The claim itself re-checks everything that
        # makes a request claimable.
        with engine.connect() as connection:
            target = pull_target(connection, agent_id)
            connection.rollback()
        with _one_puller_at_a_time(engine):
            return run_write(engine, lambda session: _claim_for(session.connection(), agent_id,
                                                                now, target))[1]
    for attempt in range(_EMPTY_RETRIES + 1):
        target, record = run_write(engine, lambda session: _claim_for(session.connection(), agent_id, now))
        if record is not None or not target.categories:  # target is read when none was claimed
            return record
        # Every head of the agent's queues may have been locked by other agents' claims
        # at that instant; look again before calling the queue empty.
        with engine.connect() as connection:
            waiting = connection.execute(_WAITING_IN, {"categories": list(target.categories)}).first()
        if waiting is None:
            return None
        time.sleep(0.005 * (1 + attempt) * (0.5 + random.random()))
    return None
