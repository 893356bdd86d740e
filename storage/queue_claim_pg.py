"""PostgreSQL's pull-next claim: one call of a server-side function.

The claim is one `UPDATE … FROM (…) RETURNING` (pull order: `storage.queue_claim`). A
LATERAL join over the agent's memberships takes each category's first waiting request
in pull order from the partial index `ix_request_pull` with `FOR UPDATE SKIP LOCKED` (a
row another agent is claiming is skipped, not waited for), and the best of those is
claimed. The pull's audit entry is written by the same statement.

It runs inside a PL/pgSQL function that first locks the puller's agent row (`FOR NO KEY
UPDATE`): two consoles of one agent pressing F5 at once take turns, and since the claim
is the function's next statement, with a snapshot of its own, the second sees the first
one's claim and (for an agent, who may hold one request) claims nothing. Called in
autocommit, a pull is then one statement and one round trip with nothing for the client
to drive: no BEGIN, no COMMIT, no pipeline. Measured 2026-11-26: the client's CPU per
pull fell from ~1.4 ms (lock, claim and COMMIT sent in pipeline mode) to ~1.1 ms, ~0.8 ms
with the pool's pings gone (`storage.engine`); with 8 pullers on 2 cores, together with
the per-category heads below, claims per second went from 509 to 872 (`scripts/bench
pull`).

The function is made from the SQLAlchemy statement below, so the claim has one source.
Its name carries a hash of its text: a process creates it the first time its call finds
no such function in the database (under an advisory lock, so first pulls of several
consoles don't race), and a version left behind by older code is harmless. The database
user therefore needs CREATE on the schema, as it does for the migrations.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from psycopg.errors import UndefinedFunction
from sqlalchemy import (Integer, String, bindparam, case, cast, column, func, insert, literal, null,
                        or_, select, text, true, update)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

from domain.requests import Status
from domain.roles import SUPERVISING
from storage.queue_claim import P, R, _claim_values, _holds_nothing, _returning, pull_order
from storage.raw_statement import RawStatement
from storage.tables import Agent, AuditEntry, CategoryMember, RoutingCategory
from storage.tables_routing import queued
from storage.types import UTCDateTime

# Any fixed number: the advisory lock under which a missing function is created.
_CREATING = 0x63616C6C


@lru_cache(maxsize=1)
def _postgres_claim():
    """The claim statement: one serves every agent, and decides itself whether the puller
    may hold several requests (supervisors) or must hold none."""
    cats = select(CategoryMember.category_id).where(
        CategoryMember.agent_id == bindparam("agent_id")).subquery("c")
    # Per category, the first waiting request in pull order, locked; one another agent is
    # claiming is skipped, not waited for, and the lock re-checks that the row still
    # waits (committed claims drop out). The partial index gives the rows in deadline
    # order, so PostgreSQL sorts only the few at the earliest deadline by priority
    # (an incremental sort), however long the backlog.
    head = (select(R.c.id, R.c.status, R.c.resolution_due_at, P.c.rank, R.c.created_at)
            .select_from(R.outerjoin(P, P.c.code == R.c.priority))
            .where(R.c.category_id == cats.c.category_id, queued())
            .order_by(*pull_order(R.c.resolution_due_at, P.c.rank, R.c.created_at, R.c.id))
            .limit(1).with_for_update(skip_locked=True, of=R).lateral("head"))
    # The best of those heads is claimed; the others stay locked only until this
    # statement commits, microseconds later.
    chosen = (select(head.c.id, head.c.status).select_from(cats.join(head, true()))
              .order_by(*pull_order(head.c.resolution_due_at, head.c.rank, head.c.created_at, head.c.id))
              .limit(1).subquery("chosen"))
    role = select(Agent.role).where(Agent.id == bindparam("agent_id")).scalar_subquery()
    may_hold_several = role.in_([r.value for r in SUPERVISING])
    return (update(R).where(R.c.id == chosen.c.id, or_(may_hold_several, _holds_nothing()))
            .values(**_claim_values()).returning(*_returning(chosen.c.status)))


@lru_cache(maxsize=1)
def _postgres_claim_and_audit():
    """The claim (`_postgres_claim`) and its "pull" audit entry in one statement; the row
    returned also carries the category path and the puller's login."""
    claimed = _postgres_claim().cte("claimed")
    login = select(Agent.login).where(Agent.id == bindparam("agent_id")).scalar_subquery()
    rc = RoutingCategory.__table__
    path = select(rc.c.path).where(rc.c.id == claimed.c.category_id).scalar_subquery()
    word = lambda value: literal(value, String)  # noqa: E731 - typed, so jsonb_build_* accept it
    moved = func.jsonb_build_object(word("assigned_agent"), func.jsonb_build_array(null(), login),
                                    word("queue"), func.jsonb_build_array(path, null()))
    status = case((claimed.c.old_status != Status.IN_PROGRESS.value, func.jsonb_build_object(
        word("status"), func.jsonb_build_array(claimed.c.old_status, word(Status.IN_PROGRESS.value)))),
        else_=cast(literal("{}"), JSONB))
    changes = moved.op("||")(status)
    audit_table = AuditEntry.__table__
    entry = select(bindparam("now", type_=audit_table.c.at.type), bindparam("agent_id"), login,
                   word("request"), cast(claimed.c.id, String), word("pull"), changes)
    logged = insert(audit_table).from_select(
        ["at", "actor_id", "actor", "entity", "entity_id", "action", "changes"],
        entry.select_from(claimed)).cte("logged")
    return select(claimed, path.label("category_path"), login.label("assigned_login")).add_cte(logged)


@dataclass(frozen=True)
class PullFunction:
    """The claim as a function: its name, its CREATE statement and the call."""

    name: str
    create: str
    call: RawStatement


@lru_cache(maxsize=8)
def pull_function(dialect: Dialect) -> PullFunction:
    """The pull function for `dialect` (PostgreSQL), built once per process."""
    statement = _postgres_claim_and_audit()
    compiled = statement.compile(dialect=dialect)
    expanded = compiled.construct_expanded_state({"agent_id": None, "now": None})
    body = expanded.statement
    for name, value in expanded.parameters.items():
        if name not in ("agent_id", "now"):
            body = body.replace(f"%({name})s", _literal(value))
    body = body.replace("%(agent_id)s", "p_agent").replace("%(now)s", "p_now").replace("%%", "%")
    quote = dialect.identifier_preparer.quote
    returns = ", ".join(f"{quote(c.key)} {c.type.compile(dialect=dialect)}"
                        for c in statement.exported_columns)
    name = "callcenter_pull_" + hashlib.sha256((returns + body).encode()).hexdigest()[:16]
    create = (f"CREATE OR REPLACE FUNCTION {name}(p_agent integer, p_now timestamptz) "
              f"RETURNS TABLE ({returns}) LANGUAGE plpgsql VOLATILE AS $pull$\n"
              "#variable_conflict use_column\n"
              "BEGIN\n"
              "  PERFORM 1 FROM agent WHERE id = p_agent FOR NO KEY UPDATE;\n"
              f"  RETURN QUERY {body};\n"
              "END $pull$")
    call = (text(f"SELECT * FROM {name}(:agent_id, :now)")
            .bindparams(bindparam("agent_id", type_=Integer), bindparam("now", type_=UTCDateTime))
            .columns(*(column(c.key, c.type) for c in statement.exported_columns)))
    return PullFunction(name, create, RawStatement(call, dialect, ("agent_id", "now")))


def _literal(value: Any) -> str:
    """A constant of the claim (a status, a role, a JSON key) as SQL text."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"no SQL literal for {value!r} in the pull function")


def claim_postgres(cursor: Any, dialect: Dialect, *, agent_id: int,
                   now: datetime) -> dict[str, Any] | None:
    """On a psycopg cursor outside a transaction: claim the request the agent should get
    next, with its audit entry, in one autocommit call. Returns the claimed row (the
    request's columns, `old_status`, `created_by`, `problem_code`, `category_path`,
    `assigned_login`) or None (nothing waits, no such agent, or an agent who holds a
    request)."""
    function = pull_function(dialect)
    connection = cursor.connection
    connection.autocommit = True
    try:
        try:
            found = function.call.execute(cursor, {"agent_id": agent_id, "now": now}).fetchone()
        except UndefinedFunction:
            _create(connection, function)
            found = function.call.execute(cursor, {"agent_id": agent_id, "now": now}).fetchone()
    finally:
        connection.autocommit = False
    return None if found is None else function.call.convert(found)


def _create(connection: Any, function: PullFunction) -> None:
    """Create the function unless another console just did (in one transaction, under an
    advisory lock)."""
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_CREATING,))
        cursor.execute("SELECT to_regproc(%s)", (function.name,))
        if cursor.fetchone()[0] is None:
            cursor.execute(function.create)
