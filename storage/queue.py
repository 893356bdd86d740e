"""Pull next: the most urgent waiting request in the agent's categories, claimed atomically.

`claim_next_request` is what F5 calls: one short write transaction chooses and claims
one request (see `storage.queue_claim` for how it stays atomic on SQLite and
PostgreSQL) and writes the audit entry; it returns the request's number, and the console
opens the request as it opens any other. `pull_next_request` (`callcenter queue next`)
reads the claimed request back afterwards. On SQLite who is pulling and their categories
are read first, before the puller posts its order, and the puller whose turn it is at the
write lock claims for every puller waiting (`storage.pull_sqlite`); on PostgreSQL the
claim (a server-side function) reads them itself, and they are read separately only when
nothing was claimed. Every statement is built once and runs on the DBAPI cursor.
"""

from __future__ import annotations

import random
import time
from datetime import datetime

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Connection

from domain.errors import DomainError
from domain.records import RequestRecord
from storage.engine import is_sqlite, run_raw_write
from storage.pull_sqlite import claim_sqlite
from storage.pull_target import PullTarget, pull_target, pull_target_raw
from storage.queue_claim import HELD, R
from storage.requests import get_request
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


_HELD_BY = (select(R.c.id, R.c.status)
            .where(R.c.assigned_agent_id == bindparam("agent_id"), R.c.status.in_(HELD))
            .order_by(R.c.updated_at.desc(), R.c.id.desc()).limit(1))
_WAITING_IN = select(R.c.id).where(R.c.category_id.in_(bindparam("categories", expanding=True)),
                                   queued()).limit(1)


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
    # Who the agent is and their categories are read before the order is posted, so that
    # the write lock is held for claims and their audit entries only (every other console
    # waits while it is held). The claim itself re-checks everything that makes
    # a request claimable.
    target = pull_target_raw(engine, agent_id)
    if target.categories:
        claimed = claim_sqlite(engine, target, now)
        if claimed is not None:
            return claimed
    with engine.connect() as connection:
        _must_finish_first(connection, target)
    return None


def claim_next_request(engine: Engine, *, agent_id: int, now: datetime) -> int | None:
    """Give the agent the most urgent waiting request in their categories: its number, or
    None if none wait. What F5 does; the console then opens the request as any other.

    One short write transaction: the claim and its audit entry (on PostgreSQL one
    statement, after the puller's agent row is locked; on SQLite the transaction may
    carry the claims of other consoles pulling at the same moment: `storage.pull_sqlite`).
    Raises MustFinishFirst (with `.number`) when an agent (not a supervisor) still holds
    an open request.
    """
    if is_sqlite(engine):
        return _claim_sqlite(engine, agent_id, now)
    return _claim_postgres(engine, agent_id, now)


def pull_next_request(engine: Engine, *, agent_id: int, now: datetime) -> RequestRecord | None:
    """`claim_next_request`, then the claimed request as a record (with its deadline
    explanation), read after the claim has committed: for `callcenter queue next`."""
    number = claim_next_request(engine, agent_id=agent_id, now=now)
    return None if number is None else get_request(engine, number)
