"""PostgreSQL's pull-next claim: one call of a server-side function.

The claim is one `UPDATE … FROM (…) RETURNING` (pull order: `storage.queue_claim`). A
LATERAL join over the agent's memberships takes each category's head from the partial
index `ix_request_pull` with `FOR UPDATE SKIP LOCKED` (a row another agent is claiming
is skipped, not waited for), and the best of those heads is claimed. The pull's audit
entry is written by the same statement, which returns the request's number.

It runs inside a PL/pgSQL function that first reads the puller's role and login and
locks the agent row (`FOR NO KEY UPDATE`): two consoles of one agent pressing F5 at once
take turns, and since the claim is the function's next statement, with a snapshot of
its own, the second sees the first one's claim and (for an agent, who may hold one
request) claims nothing. Called in autocommit, a pull is then one statement and one
round trip with nothing for the client to drive: no BEGIN, no COMMIT, no pipeline.
Figures, and what each step gained, are in docs/routing.md (Benchmark).

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
from sqlalchemy import (Integer, String, and_, bindparam, case, cast, column, func, insert, literal,
                        null, or_, select, text, true, update)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

from domain.requests import Status
from domain.roles import SUPERVISING
from storage.queue_claim import P, R, _claim_values, _holds_nothing, pull_order
from storage.raw_statement import RawStatement
from storage.tables import AuditEntry, CategoryMember, RoutingCategory
from storage.tables_routing import queued
from storage.types import UTCDateTime

# Any fixed number: the advisory lock under which a missing function is created.
_CREATING = 0x63616C6C


# Ranks compared with `<`: a request without a priority (no rank) ranks last.
_NO_RANK = 2**31 - 1


def _head_columns(request, priority):
    return (request.c.id, request.c.status, request.c.resolution_due_at, priority.c.rank,
            request.c.created_at)


def _better_ranked(name: str, cats, first, same_deadline):
    """LATERAL: the category's best waiting request ranked above `first` among those that
    `same_deadline(request)` picks, locked (a request another agent is claiming skipped)."""
    tied, tied_rank = R.alias(f"{name}_request"), P.alias(f"{name}_priority")
    return (select(*_head_columns(tied, tied_rank))
            .select_from(tied.outerjoin(tied_rank, tied_rank.c.code == tied.c.priority))
            .where(tied.c.category_id == cats.c.category_id, queued(), same_deadline(tied),
                   func.coalesce(tied_rank.c.rank, _NO_RANK) < func.coalesce(first.c.rank, _NO_RANK))
            .order_by(*pull_order(tied.c.resolution_due_at, tied_rank.c.rank, tied.c.created_at, tied.c.id))
            .limit(1).with_for_update(skip_locked=True, of=tied).lateral(name))


@lru_cache(maxsize=1)
def _postgres_claim():
    """The claim statement: one serves every agent, and decides itself whether the puller
    may hold several requests (supervisors) or must hold none."""
    cats = select(CategoryMember.category_id).where(
        CategoryMember.agent_id == bindparam("agent_id")).subquery("c")
    # Per category, the first waiting request in the pull index's own order (deadline,
    # then age), locked: no sort, one index entry. One another agent is claiming is
    # skipped, not waited for, and the lock re-checks that the row still waits.
    first = (select(*_head_columns(R, P)).select_from(R.outerjoin(P, P.c.code == R.c.priority))
             .where(R.c.category_id == cats.c.category_id, queued())
             .order_by(R.c.resolution_due_at.asc().nulls_last(), R.c.created_at, R.c.id)
             .limit(1).with_for_update(skip_locked=True, of=R).lateral("first"))
    # Priority comes between deadline and age in pull order, so a better-ranked request
    # at exactly that deadline (rare: deadlines are to the microsecond) must win over the
    # first. It is looked up by that deadline (an index seek), not by sorting the
    # requests at the head of the queue, which PostgreSQL's incremental sort does 32 rows
    # at a time. Every unlocked request before `first` in pull order has its deadline, so
    # `first` or this one is the category's head. Without a deadline "that deadline" is
    # all undated requests, looked up only when the first is undated.
    dated = _better_ranked("dated", cats, first,
                           lambda tied: tied.c.resolution_due_at == first.c.resolution_due_at)
    undated = _better_ranked("undated", cats, first, lambda tied: and_(
        first.c.resolution_due_at.is_(None), tied.c.resolution_due_at.is_(None)))

    def head(name: str):
        return func.coalesce(dated.c[name], undated.c[name], first.c[name]).label(name)

    heads = (select(head("id"), head("status"), first.c.resolution_due_at, head("rank"), head("created_at"))
             .select_from(cats.join(first, true()).outerjoin(dated, true()).outerjoin(undated, true()))
             .subquery("heads"))
    # The best of those heads is claimed; the others stay locked only until this
    # statement commits, microseconds later.
    chosen = (select(heads.c.id, heads.c.status)
              .order_by(*pull_order(heads.c.resolution_due_at, heads.c.rank, heads.c.created_at, heads.c.id))
              .limit(1).subquery("chosen"))
    may_hold_several = bindparam("role", type_=String).in_([r.value for r in SUPERVISING])
    return (update(R).where(R.c.id == chosen.c.id, or_(may_hold_several, _holds_nothing()))
            .values(**_claim_values())
            .returning(R.c.id, R.c.category_id, chosen.c.status.label("old_status")))


@lru_cache(maxsize=1)
def _postgres_claim_and_audit():
    """The claim (`_postgres_claim`) and its "pull" audit entry in one statement, which
    returns the claimed request's number."""
    claimed = _postgres_claim().cte("claimed")
    login = bindparam("login", type_=String)
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
    return select(claimed.c.id).add_cte(logged)


@dataclass(frozen=True)
class PullFunction:
    """The claim as a function: its name, its CREATE statement and the call."""

    name: str
    create: str
    call: RawStatement


# The function's own names for the claim's parameters: its arguments, and the puller's
# role and login, read (and the agent row locked) by its first statement.
_PARAMETERS = {"agent_id": "p_agent", "now": "p_now", "role": "v_role", "login": "v_login"}


@lru_cache(maxsize=8)
def pull_function(dialect: Dialect) -> PullFunction:
    """The pull function for `dialect` (PostgreSQL), built once per process."""
    statement = _postgres_claim_and_audit()
    compiled = statement.compile(dialect=dialect)
    expanded = compiled.construct_expanded_state(dict.fromkeys(_PARAMETERS))
    body = expanded.statement
    for name, value in expanded.parameters.items():
        if name not in _PARAMETERS:
            body = body.replace(f"%({name})s", _literal(value))
    for name, variable in _PARAMETERS.items():
        body = body.replace(f"%({name})s", variable)
    body = body.replace("%%", "%")
    quote = dialect.identifier_preparer.quote
    returns = ", ".join(f"{quote(c.key)} {c.type.compile(dialect=dialect)}"
                        for c in statement.exported_columns)
    # `enable_seqscan = off`: the planner scans the small tables (agents, categories,
    # priorities) whole rather than by key, as cheaper on paper; per call it is ~20 µs per
    # 200 rows against ~3 µs for the key lookup, and the function does several (measured
    # with pgbench, 2026-11-26: ~0.8 -> ~0.65 ms a call). Tables without a fitting index
    # are still scanned.
    create = ("CREATE OR REPLACE FUNCTION {name}(p_agent integer, p_now timestamptz) "
              f"RETURNS TABLE ({returns}) LANGUAGE plpgsql VOLATILE SET enable_seqscan = off "
              "AS $pull$\n"
              "#variable_conflict use_column\n"
              "DECLARE v_role varchar; v_login varchar;\n"
              "BEGIN\n"
              "  SELECT agent.role, agent.login INTO v_role, v_login FROM agent "
              "WHERE agent.id = p_agent FOR NO KEY UPDATE;\n"
              f"  RETURN QUERY {body};\n"
              "END $pull$")
    name = "callcenter_pull_" + hashlib.sha256(create.encode()).hexdigest()[:16]
    create = create.replace("{name}", name, 1)
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


def claim_postgres(cursor: Any, dialect: Dialect, *, agent_id: int, now: datetime) -> int | None:
    """On a psycopg cursor outside a transaction: claim the request the agent should get
    next, with its audit entry, in one autocommit call. Returns the claimed request's
    number, or None (nothing waits, no such agent, or an agent who holds a request)."""
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
    return None if found is None else found[0]


def _create(connection: Any, function: PullFunction) -> None:
    """Create the function unless another console just did (in one transaction, under an
    advisory lock)."""
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_CREATING,))
        cursor.execute("SELECT to_regproc(%s)", (function.name,))
        if cursor.fetchone()[0] is None:
            cursor.execute(function.create)
