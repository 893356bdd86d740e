"""The claim statements behind pull-next, each built once.

Pull order: earliest resolution deadline, then highest priority (lowest rank), then
oldest. Two agents pulling at the same instant never get the same request:

- SQLite: choosing and claiming happen inside one `BEGIN IMMEDIATE` transaction
  (`run_raw_write`), so under the write lock: no other connection can write between the
  choice (a SELECT) and the claim (`UPDATE … WHERE id = ? AND <still queued> RETURNING`).
  The choice seeks the partial pull index per category (the earliest deadline, then the
  few requests sharing it) instead of sorting a backlog.
- PostgreSQL: one `UPDATE … FROM (…) RETURNING`. A LATERAL join over the agent's
  memberships reads each category's first few waiting requests (and all those at its
  earliest deadline) from the partial index `ix_request_pull`, and the first of those in
  pull order is locked with `FOR UPDATE SKIP LOCKED`: a row another agent is claiming is
  skipped, not waited for, and only the claimed row is ever locked. The pull's audit
  entry is written by the same statement (`claim_and_audit_postgres`), which is sent
  with the agent's row lock and the commit in one round trip.

Building a statement costs more than running it, and running one through SQLAlchemy costs
more than the database's work: each is built once (SQLite's choice per set of categories,
PostgreSQL's one prepared statement for every agent) and run on the DBAPI cursor
(`storage.raw_statement`).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (String, bindparam, case, cast, func, insert, literal, null, or_, select, text,
                        true, union, update)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import TextClause

from domain.records import RequestRecord
from domain.requests import Status
from domain.roles import SUPERVISING
from storage.raw_statement import RawStatement
from storage.tables import (Agent, AuditEntry, CategoryMember, Priority, ProblemCode, Request,
                            RoutingCategory)
from storage.tables_routing import PULL_INDEX, QUEUED_SQL, queued

R = Request.__table__
P = Priority.__table__
# How many of each category's first waiting requests a PostgreSQL pull looks at; more
# agents than this claiming from one category at the same instant may see it empty once.
PG_HEADS_PER_CATEGORY = 16
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


# The request's columns a RequestRecord shows, and the category (the pull's audit names it).
_RECORD_COLUMNS = [column for column in R.c if column.name in {f.name for f in fields(RequestRecord)}
                   or column.name in ("id", "category_id")]


def _returning(old_status=None):
    """The claimed request as a record shows it (and, given, its status before) with the
    names a record shows: the caller needs no second query to show it."""
    creator = select(Agent.login).where(Agent.id == R.c.created_by_id).scalar_subquery()
    problem = select(ProblemCode.code).where(ProblemCode.id == R.c.problem_code_id).scalar_subquery()
    before = () if old_status is None else (old_status.label("old_status"),)
    return (*_RECORD_COLUMNS, *before, creator.label("created_by"), problem.label("problem_code"))


@lru_cache(maxsize=2)
def _sqlite_claim(supervisor: bool):
    """The claim of the chosen request: it must still wait in a queue (it does: the choice
    was made under the same write lock), and an agent must hold nothing."""
    conditions = [R.c.id == bindparam("request_id"), queued()]
    if not supervisor:
        conditions.append(_holds_nothing())
    return update(R).where(*conditions).values(**_claim_values()).returning(*_returning())


@lru_cache(maxsize=1)
def _postgres_claim():
    """The claim statement, built once: one prepared statement serves every agent, and
    decides itself whether the puller may hold several requests (supervisors) or must
    hold none — so that it can be sent with the agent-row lock, before its result."""
    cats = select(CategoryMember.category_id).where(
        CategoryMember.agent_id == bindparam("agent_id")).subquery("c")
    here = (R.c.category_id == cats.c.category_id, queued())
    # Per category, straight from the partial index in its own order (no sort, however
    # long the backlog): the first few requests by deadline and age, and every request at
    # the earliest deadline, so that priority decides among those exactly.
    first = (select(R.c.id).where(*here)
             .order_by(R.c.resolution_due_at, R.c.created_at, R.c.id).limit(PG_HEADS_PER_CATEGORY))
    inner = R.alias("waiting")  # queued() names columns unqualified: the nearest table is meant
    earliest = (select(func.min(inner.c.resolution_due_at))
                .where(inner.c.category_id == cats.c.category_id, queued())
                .correlate_except(inner).scalar_subquery())
    tied = select(R.c.id).where(*here, R.c.resolution_due_at == earliest)
    heads = union(first, tied).lateral("heads")
    candidates = select(heads.c.id).select_from(cats.join(heads, true()))
    # Only the row returned is locked; rows other agents are claiming are skipped, and the
    # lock re-checks that the chosen row is still waiting (committed claims drop out).
    chosen = (select(R.c.id, R.c.status).select_from(R.outerjoin(P, P.c.code == R.c.priority))
              .where(R.c.id.in_(candidates), queued())
              .order_by(*pull_order(R.c.resolution_due_at, P.c.rank, R.c.created_at, R.c.id))
              .limit(1).with_for_update(skip_locked=True, of=R).subquery("chosen"))
    role = select(Agent.role).where(Agent.id == bindparam("agent_id")).scalar_subquery()
    may_hold_several = role.in_([r.value for r in SUPERVISING])
    return (update(R).where(R.c.id == chosen.c.id, or_(may_hold_several, _holds_nothing()))
            .values(**_claim_values()).returning(*_returning(chosen.c.status)))


# Who pulls, and (for agents, who may hold one request at a time) their pulls serialised:
# two consoles pressing F5 at once. NO KEY UPDATE leaves the row free for foreign-key checks.
_LOCK_PULLER = (select(Agent.id, Agent.login, Agent.role).where(Agent.id == bindparam("agent_id"))
                .with_for_update(key_share=True))


@lru_cache(maxsize=1)
def _postgres_claim_and_audit():
    """The claim (`_postgres_claim`) and its "pull" audit entry in one statement; the row
    returned also carries the category path (the puller's login comes with the agent-row
    lock)."""
    claimed = _postgres_claim().cte("claimed")
    login = select(Agent.login).where(Agent.id == bindparam("agent_id")).scalar_subquery()
    rc = RoutingCategory.__table__
    path = select(rc.c.path).where(rc.c.id == claimed.c.category_id).scalar_subquery()
    text = lambda value: literal(value, String)  # noqa: E731 - typed, so jsonb_build_* accept it
    moved = func.jsonb_build_object(text("assigned_agent"), func.jsonb_build_array(null(), login),
                                    text("queue"), func.jsonb_build_array(path, null()))
    status = case((claimed.c.old_status != Status.IN_PROGRESS.value, func.jsonb_build_object(
        text("status"), func.jsonb_build_array(claimed.c.old_status, text(Status.IN_PROGRESS.value)))),
        else_=cast(literal("{}"), JSONB))
    changes = moved.op("||")(status)
    audit_table = AuditEntry.__table__
    entry = select(bindparam("now", type_=audit_table.c.at.type), bindparam("agent_id"), login,
                   text("request"), cast(claimed.c.id, String), text("pull"), changes)
    logged = insert(audit_table).from_select(
        ["at", "actor_id", "actor", "entity", "entity_id", "action", "changes"],
        entry.select_from(claimed)).cte("logged")
    return select(claimed, path.label("category_path")).add_cte(logged)


@lru_cache(maxsize=8)
def _postgres_statements(dialect: Dialect) -> tuple[RawStatement, RawStatement]:
    return (RawStatement(_LOCK_PULLER, dialect, ("agent_id",)),
            RawStatement(_postgres_claim_and_audit(), dialect, ("agent_id", "now")))


def claim_and_audit_postgres(cursor: Any, dialect: Dialect, *, agent_id: int,
                             now: datetime) -> dict[str, Any] | None:
    """PostgreSQL, on a psycopg cursor: lock the puller's agent row, claim one request in
    their categories with its audit entry in one statement, and commit — sent together in
    pipeline mode, so a pull is one round trip (the server still runs them in order: the
    claim starts once the agent row is locked). Returns the claimed row (as `claim`, plus
    `assigned_login` and `category_path`) or None (nothing waits, no such agent, or an
    agent who holds a request)."""
    lock, claim = _postgres_statements(dialect)
    connection = cursor.connection
    with connection.cursor() as claiming:
        with connection.pipeline():
            lock.execute(cursor, {"agent_id": agent_id})
            claim.execute(claiming, {"agent_id": agent_id, "now": now})
            connection.commit()
        me = cursor.fetchone()
        found = claiming.fetchone()
    if found is None or me is None:
        return None
    return {**claim.convert(found), "assigned_login": lock.convert(me)["login"]}


@lru_cache(maxsize=512)
def sqlite_choice(dialect: Dialect, category_ids: tuple[int, ...]) -> RawStatement:
    """SQLite: which request the agent would claim, as (id, status, category_id), to run on
    the cursor inside the claim's BEGIN IMMEDIATE; no row when nothing waits."""
    return RawStatement(_sqlite_choice(category_ids), dialect, ())


@lru_cache(maxsize=8)
def sqlite_claim(dialect: Dialect, supervisor: bool) -> RawStatement:
    """SQLite: the claim of the chosen request as one UPDATE … RETURNING, to run on the
    cursor after `sqlite_choice` with `request_id`, `agent_id` and `now`. It returns the
    request's columns as claimed plus `created_by` and `problem_code`; no row when the
    agent (not a supervisor) holds a request."""
    return RawStatement(_sqlite_claim(supervisor), dialect, ("request_id", "agent_id", "now"))
