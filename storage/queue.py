"""Pull next: the most urgent waiting request in the agent's categories, claimed atomically.

`claim_next_request` is what F5 calls: one short write transaction chooses and claims
one request (see `storage.queue_claim` for how it stays atomic on SQLite and
PostgreSQL) and writes the audit entry; it returns the request's number, and the console
opens the request as it opens any other. `pull_next_request` (`callcenter queue next`)
reads the claimed request back afterwards. On SQLite who is pulling and their categories
are read first, before the puller queues for the write lock (`storage.pull_turns`); on
PostgreSQL the claim (a server-side function) reads them itself, and they are read
separately only when nothing was claimed. Every statement is built once and runs on the
DBAPI cursor.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Connection, Dialect

from domain.errors import DomainError
from domain.records import RequestRecord
from domain.requests import Status
from domain.roles import can_supervise
from storage import audit
from storage.engine import is_sqlite, run_raw_write
from storage.errors import NotFound
from storage.pull_turns import pull_turn, turns_for
from storage.queue_claim import HELD, R, sqlite_choice, sqlite_claim
from storage.raw_statement import RawStatement
from storage.requests import get_request
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
    return _target(agent_id, connection.execute(_TARGET, {"agent_id": agent_id}).all())


def _target(agent_id: int, rows) -> PullTarget:
    """PullTarget from `_TARGET`'s rows (id, login, role, category_id, path)."""
    if not rows:
        raise NotFound(f"no agent with id {agent_id}")
    (ident, login, role, _category, _path) = rows[0]
    return PullTarget(ident, login, can_supervise(role),
                      {category: path for *_agent, category, path in rows if category is not None})


def _pull_target_raw(engine: Engine, agent_id: int) -> PullTarget:
    """`pull_target` on a DBAPI cursor: read by every SQLite pull just before it queues
    for the write lock, on cores the lock holder needs."""
    statement = _raw_target(engine.dialect)
    connection = engine.raw_connection()
    try:
        rows = statement.execute(connection.cursor(), {"agent_id": agent_id}).fetchall()
    finally:
        connection.close()
    return _target(agent_id, rows)


@lru_cache(maxsize=8)
def _raw_target(dialect: Dialect) -> RawStatement:
    return RawStatement(_TARGET, dialect, ("agent_id",))


_HELD_BY = (select(R.c.id, R.c.status)
            .where(R.c.assigned_agent_id == bindparam("agent_id"), R.c.status.in_(HELD))
            .order_by(R.c.updated_at.desc(), R.c.id.desc()).limit(1))
_WAITING_IN = select(R.c.id).where(R.c.category_id.in_(bindparam("categories", expanding=True)),
                                   queued()).limit(1)


def _claim_changes(target: PullTarget, category_id: int, old_status: str) -> dict:
    # The audit entry is the claim's history: "pull" by the agent, out of which queue, old
    # -> new. No activity line: every page written here is written while all others wait.
    changes = {"assigned_agent": [None, target.login], "queue": [target.categories.get(category_id), None]}
    if old_status != Status.IN_PROGRESS.value:
        changes["status"] = [old_status, Status.IN_PROGRESS.value]
    return changes


def _must_finish_first(connection: Connection, target: PullTarget) -> None:
    """Raise MustFinishFirst when an agent (not a supervisor) holds an open request."""
    held = None if target.supervisor else connection.execute(
        _HELD_BY, {"agent_id": target.agent_id}).first()
    if held is not None:
        raise MustFinishFirst(held.id, held.status)


def _claim_postgres(engine: Engine, agent_id: int, now: datetime) -> int | None:
    from storage.queue_claim_pg import claim_postgres  # psycopg: not imported for SQLite

    for attempt in range(_EMPTY_RETRIES + 1):
        number = run_raw_write(engine, lambda cursor: claim_postgres(
            cursor, engine.dialect, agent_id=agent_id, now=now))
        if number is not None:
            return number
        with engine.connect() as connection:
            target = pull_target(connection, agent_id)  # NotFound when there is no such agent
            _must_finish_first(connection, target)
            if not target.categories:
                return None
            # Every head of the agent's queues may have been locked by other agents'
            # claims at that instant; look again before calling the queue empty.
            waiting = connection.execute(_WAITING_IN, {"categories": list(target.categories)}).first()
        if waiting is None:
            return None
        time.sleep(0.005 * (1 + attempt) * (0.5 + random.random()))
    return None


def _claim_sqlite(engine: Engine, agent_id: int, now: datetime) -> int | None:
    # Who the agent is and their categories are read before the write lock is taken, so
    # that the lock is held for the claim and its audit entry only (every other console
    # waits while it is held), and those two run on the cursor (`RawStatement`). The
    # claim itself re-checks everything that makes a request claimable.
    target = _pull_target_raw(engine, agent_id)
    if target.categories:
        choice = sqlite_choice(engine.dialect, tuple(sorted(target.categories)))
        claim = sqlite_claim(engine.dialect, target.supervisor)
        entry = audit.raw_insert(engine.dialect)

        def claim_and_audit(cursor) -> int | None:
            chosen = choice.execute(cursor, {}).fetchone()
            if chosen is None:
                return None
            request_id, old_status, category_id = chosen
            taken = claim.execute(cursor, {"request_id": request_id, "agent_id": target.agent_id,
                                           "now": now}).fetchone()
            if taken is None:  # the agent holds a request
                return None
            entry.execute(cursor, audit.entry_values(
                at=now, actor_id=target.agent_id, actor=target.login, entity="request",
                entity_id=request_id, action="pull",
                changes=_claim_changes(target, category_id, old_status)))
            return request_id

        turns = turns_for(engine.url.database)
        claimed = run_raw_write(engine, claim_and_audit, begin=lambda cursor: pull_turn(cursor, turns))
        if claimed is not None:
            return claimed
    with engine.connect() as connection:
        _must_finish_first(connection, target)
    return None


def claim_next_request(engine: Engine, *, agent_id: int, now: datetime) -> int | None:
    """Give the agent the most urgent waiting request in their categories: its number, or
    None if none wait. What F5 does; the console then opens the request as any other.

    One short write transaction: the claim and its audit entry (on PostgreSQL one
    statement, after the puller's agent row is locked). Raises MustFinishFirst (with
    `.number`) when an agent (not a supervisor) still holds an open request.
    """
    if is_sqlite(engine):
        return _claim_sqlite(engine, agent_id, now)
    return _claim_postgres(engine, agent_id, now)


def pull_next_request(engine: Engine, *, agent_id: int, now: datetime) -> RequestRecord | None:
    """`claim_next_request`, then the claimed request as a record (with its deadline
    explanation), read after the claim has committed: for `callcenter queue next`."""
    number = claim_next_request(engine, agent_id=agent_id, now=now)
    return None if number is None else get_request(engine, number)
