"""The claim statements behind pull-next, each built once (PostgreSQL's in
`storage.queue_claim_pg`).

Pull order: earliest resolution deadline, then highest priority (lowest rank), then
oldest. Two agents pulling at the same instant never get the same request:

- SQLite: choosing and claiming happen inside one `BEGIN IMMEDIATE` transaction
  (`run_raw_write`), so under the write lock: no other connection can write between the
  choice (a SELECT) and the claim (`UPDATE … WHERE id = ? AND <still queued> RETURNING`).
  The choice seeks the partial pull index per category (the earliest deadline, then the
  few requests sharing it) instead of sorting a backlog.
- PostgreSQL: one `UPDATE … FROM (… FOR UPDATE SKIP LOCKED) RETURNING`, in a
  server-side function (`storage.queue_claim_pg`).

Building a statement costs more than running it, and running one through SQLAlchemy costs
more than the database's work: each is built once (SQLite's choice per set of categories)
and run on the DBAPI cursor (`storage.raw_statement`).
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import TextClause

from domain.requests import Status
from storage.raw_statement import RawStatement
from storage.tables import Priority, Request
from storage.tables_routing import PULL_INDEX, QUEUED_SQL, queued

R = Request.__table__
P = Priority.__table__
# Statuses in which an agent is still working on a request they hold.
HELD = (Status.NEW.value, Status.IN_PROGRESS.value, Status.REOPENED.value)


def pull_order(due, rank, created, ident):
    """Pull order: earliest deadline (none last), highest priority, oldest, lowest number."""
    return (due.asc().nulls_last(), rank.asc().nulls_last(), created.asc(), ident.asc())


def _sqlite_choice(category_ids: tuple[int, ...]) -> TextClause:
    """The row to claim, as (id, status, category_id): per category the rows at the
    earliest deadline, or the first undated row, then the global pull order over those few.

    Written out because of `INDEXED BY`, which SQLAlchemy cannot say for SQLite: without it
    SQLite's planner prefers the wider queue index and seeks it once per queued status;
    the partial pull index holds only waiting requests, in deadline order, so each
    category's earliest deadline is one seek (half the time of the claim's choosing).
    """
    pieces = []
    for category_id in category_ids:
        here = f"request.category_id = {int(category_id)} AND {QUEUED_SQL}"
        pieces.append(
            f"SELECT {_CHOICE_COLUMNS} FROM request INDEXED BY {PULL_INDEX} WHERE {here} "
            f"AND request.resolution_due_at = (SELECT min(resolution_due_at) FROM request "
            f"INDEXED BY {PULL_INDEX} WHERE {here})")
        pieces.append(
            f"SELECT * FROM (SELECT {_CHOICE_COLUMNS} FROM request INDEXED BY {PULL_INDEX} "
            f"LEFT JOIN priority ON priority.code = request.priority WHERE {here} "
            f"AND request.resolution_due_at IS NULL ORDER BY {_RANK_ORDER} LIMIT 1)")
    return text(
        f"SELECT request.id, request.status, request.category_id FROM ({' UNION ALL '.join(pieces)}) "
        "AS request LEFT JOIN priority ON priority.code = request.priority "
        f"ORDER BY request.resolution_due_at IS NULL, request.resolution_due_at, {_RANK_ORDER} LIMIT 1")


_CHOICE_COLUMNS = ("request.id, request.status, request.category_id, request.resolution_due_at, "
                   "request.priority, request.created_at")
# Pull order after the deadline: highest priority (lowest rank, none last), oldest, lowest number.
_RANK_ORDER = "priority.rank IS NULL, priority.rank, request.created_at, request.id"


def _holds_nothing():
    held = select(R.c.id).where(R.c.assigned_agent_id == bindparam("agent_id"), R.c.status.in_(HELD))
    return ~held.exists()


def _claim_values():
    return {"assigned_agent_id": bindparam("agent_id"), "assigned_at": bindparam("now"),
            "updated_at": bindparam("now"), "status": Status.IN_PROGRESS.value}


@lru_cache(maxsize=2)
def _sqlite_claim(supervisor: bool):
    """The claim of the chosen request: it must still wait in a queue (it does: the choice
    was made under the same write lock), and an agent must hold nothing."""
    conditions = [R.c.id == bindparam("request_id"), queued()]
    if not supervisor:
        conditions.append(_holds_nothing())
    return update(R).where(*conditions).values(**_claim_values()).returning(R.c.id)


@lru_cache(maxsize=512)
def sqlite_choice(dialect: Dialect, category_ids: tuple[int, ...]) -> RawStatement:
    """SQLite: which request the agent would claim, as (id, status, category_id), to run on
    the cursor inside the claim's BEGIN IMMEDIATE; no row when nothing waits."""
    return RawStatement(_sqlite_choice(category_ids), dialect, ())


@lru_cache(maxsize=8)
def sqlite_claim(dialect: Dialect, supervisor: bool) -> RawStatement:
    """SQLite: the claim of the chosen request as one UPDATE … RETURNING, to run on the
    cursor after `sqlite_choice` with `request_id`, `agent_id` and `now`. It returns the
    request's number; no row when the agent (not a supervisor) holds a request."""
    return RawStatement(_sqlite_claim(supervisor), dialect, ("request_id", "agent_id", "now"))
