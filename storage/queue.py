"""Pull next: the most urgent waiting request in the agent's categories, claimed atomically.

Pull order: earliest resolution deadline, then highest priority (lowest rank), then
oldest. Two agents pulling at the same instant never get the same request:

- SQLite: the claim is one `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING` in a
  `BEGIN IMMEDIATE` transaction (`run_write`), so choosing and claiming happen under
  the write lock. The choice seeks the partial index `ix_request_pull` per category
  (the earliest deadline, then the few requests sharing it) instead of sorting a backlog.
- PostgreSQL: one `UPDATE … FROM (…) RETURNING` whose choice is a LATERAL join over the
  agent's categories, each picking its first row with `FOR UPDATE SKIP LOCKED` from the
  same partial index; a row another agent is claiming is skipped, not waited for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Integer, column, func, select, true, union_all, update, values
from sqlmodel import Session

from domain.errors import DomainError
from domain.records import JsonRecord, RequestRecord
from domain.requests import Status
from domain.roles import can_supervise
from storage import audit
from storage.engine import is_sqlite, read_session, run_write
from storage.errors import NotFound
from storage.requests import to_record
from storage.tables import Activity, Agent, CategoryMember, Priority, Request, RoutingCategory
from storage.tables_routing import queued

R = Request.__table__
P = Priority.__table__
_HELD = (Status.NEW.value, Status.IN_PROGRESS.value, Status.REOPENED.value)


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
    """Who is pulling, and from which categories (read before the write transaction)."""

    agent_id: int
    login: str
    supervisor: bool
    categories: dict[int, str]


def pull_target(session: Session, agent_id: int) -> PullTarget:
    """The agent's role and categories, or NotFound."""
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise NotFound(f"no agent with id {agent_id}")
    rows = session.exec(select(RoutingCategory.id, RoutingCategory.path).join(
        CategoryMember, CategoryMember.category_id == RoutingCategory.id).where(
        CategoryMember.agent_id == agent_id)).all()
    return PullTarget(agent.id, agent.login, can_supervise(agent.role), dict(rows))


def _order(due, rank, created, ident):
    return (due.asc().nulls_last(), rank.asc().nulls_last(), created.asc(), ident.asc())


def _sqlite_choice(category_ids: list[int]):
    """The row to claim: per category, the rows at its earliest deadline (or its oldest
    undated row), then the global pull order over those few."""
    pieces = []
    for category_id in category_ids:
        here = (R.c.category_id == category_id, queued())
        earliest = select(func.min(R.c.resolution_due_at)).where(*here).scalar_subquery()
        columns = (R.c.id, R.c.status, R.c.resolution_due_at.label("due"), R.c.priority,
                   R.c.created_at)
        pieces.append(select(*columns).where(*here, R.c.resolution_due_at == earliest))
        undated = (select(*columns).select_from(R.outerjoin(P, P.c.code == R.c.priority))
                   .where(*here, R.c.resolution_due_at.is_(None))
                   .order_by(P.c.rank.asc().nulls_last(), R.c.created_at, R.c.id).limit(1).subquery())
        pieces.append(select(undated))
    both = union_all(*pieces).subquery("candidate")
    return (select(both.c.id, both.c.status)
            .select_from(both.outerjoin(P, P.c.code == both.c.priority))
            .order_by(*_order(both.c.due, P.c.rank, both.c.created_at, both.c.id)).limit(1))


def _holds_nothing(agent_id: int):
    held = select(R.c.id).where(R.c.assigned_agent_id == agent_id, R.c.status.in_(_HELD))
    return ~held.exists()


def _claim_sqlite(session: Session, target: PullTarget, now: datetime):
    # MATERIALIZED: the choice is made once, before the update, so RETURNING can report
    # the status the request had (for the audit) in the same single statement.
    pick = _sqlite_choice(sorted(target.categories)).cte("pick").prefix_with("MATERIALIZED")
    conditions = [R.c.id == select(pick.c.id).scalar_subquery(), queued()]
    if not target.supervisor:
        conditions.append(_holds_nothing(target.agent_id))
    statement = (update(R).add_cte(pick).where(*conditions)
                 .values(assigned_agent_id=target.agent_id, assigned_at=now, updated_at=now,
                         status=Status.IN_PROGRESS.value)
                 .returning(R.c.id, select(pick.c.status).scalar_subquery(), R.c.category_id,
                            R.c.resolution_due_at, R.c.priority))
    row = session.connection().execute(statement).first()
    return None if row is None else tuple(row)


def _claim_postgres(session: Session, target: PullTarget, now: datetime):
    if not target.supervisor:
        # Serialise this agent's own pulls (two consoles pressing F5 at once).
        session.connection().execute(select(Agent.id).where(Agent.id == target.agent_id).with_for_update())
    cats = values(column("category_id", Integer), name="c").data([(i,) for i in sorted(target.categories)])
    first = (select(R.c.id, R.c.status, R.c.resolution_due_at.label("due"), P.c.rank, R.c.created_at)
             .select_from(R.outerjoin(P, P.c.code == R.c.priority))
             .where(R.c.category_id == cats.c.category_id, queued())
             .order_by(*_order(R.c.resolution_due_at, P.c.rank, R.c.created_at, R.c.id))
             .limit(1).with_for_update(skip_locked=True, of=R).lateral("first"))
    chosen = (select(first.c.id, first.c.status).select_from(cats.join(first, true()))
              .order_by(*_order(first.c.due, first.c.rank, first.c.created_at, first.c.id))
              .limit(1).subquery("chosen"))
    conditions = [R.c.id == chosen.c.id, R.c.assigned_agent_id.is_(None)]
    if not target.supervisor:
        conditions.append(_holds_nothing(target.agent_id))
    statement = (update(R).where(*conditions)
                 .values(assigned_agent_id=target.agent_id, assigned_at=now, updated_at=now,
                         status=Status.IN_PROGRESS.value)
                 .returning(R.c.id, chosen.c.status, R.c.category_id, R.c.resolution_due_at,
                            R.c.priority))
    row = session.connection().execute(statement).first()
    return None if row is None else tuple(row)


def _held(session: Session, agent_id: int) -> tuple[int, str] | None:
    row = session.connection().execute(
        select(R.c.id, R.c.status).where(R.c.assigned_agent_id == agent_id, R.c.status.in_(_HELD))
        .order_by(R.c.updated_at.desc(), R.c.id.desc()).limit(1)).first()
    return None if row is None else (row.id, row.status)


def claim_next(engine: Engine, target: PullTarget, *, now: datetime) -> int | None:
    """Claim the next request for `target` in one write transaction; its number or None."""
    if not target.categories:
        return None
    claim = _claim_sqlite if is_sqlite(engine) else _claim_postgres

    def work(session: Session) -> int | None:
        row = claim(session, target, now)
        if row is None:
            held = None if target.supervisor else _held(session, target.agent_id)
            if held is not None:
                raise MustFinishFirst(*held)
            return None
        number, old_status, category_id, due, priority = row
        path = target.categories.get(category_id, "?")
        due_text = f"deadline {due.isoformat()}" if due else "no deadline"
        session.add(Activity(request_id=number, at=now, agent_id=target.agent_id, kind="assignment",
                             body=f"pulled by {target.login} from the {path} queue "
                                  f"({due_text}, priority {priority or 'none'})",
                             data={"mode": "pull", "category": path, "agent": target.login}))
        changes = {"assigned_agent": [None, target.login]}
        if old_status != Status.IN_PROGRESS.value:
            changes["status"] = [old_status, Status.IN_PROGRESS.value]
        audit.record(session, at=now, actor_id=target.agent_id, actor=target.login,
                     entity="request", entity_id=number, action="pull", changes=changes)
        return number

    return run_write(engine, work)


def pull_next_request(engine: Engine, *, agent_id: int, now: datetime) -> RequestRecord | None:
    """Give the agent the most urgent waiting request in their categories, or None if none wait.

    Raises MustFinishFirst (with `.number`) when an agent (not a supervisor) still holds
    an open request. The returned record carries the deadline explanation.
    """
    with read_session(engine) as session:
        target = pull_target(session, agent_id)
    number = claim_next(engine, target, now=now)
    if number is None:
        return None
    with read_session(engine) as session:
        return to_record(session, session.get(Request, number))


@dataclass(frozen=True)
class QueueItem(JsonRecord):
    """A request waiting in a queue, as listed in pull order."""

    position: int
    number: int
    category: str | None
    priority: str | None
    status: str
    channel: str
    type: str | None
    subject: str
    created_at: datetime
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    overdue: bool
    explanation: str | None


def queue_listing(engine: Engine, *, now: datetime, category_path: str | None = None,
                  agent_id: int | None = None, limit: int = 100) -> list[QueueItem]:
    """Requests waiting in a queue, in the order pull-next hands them out.

    `category_path` lists one category's queue; `agent_id` what that agent would pull;
    neither lists every queue, requests without a category last.
    """
    from storage.agents import category_by_path

    with read_session(engine) as session:
        query = (select(Request, RoutingCategory.path).select_from(Request)
                 .outerjoin(Priority, Priority.code == Request.priority)
                 .outerjoin(RoutingCategory, RoutingCategory.id == Request.category_id)
                 .where(queued()))
        if category_path is not None:
            query = query.where(Request.category_id == category_by_path(session, category_path).id)
        if agent_id is not None:
            query = query.where(Request.category_id.in_(list(pull_target(session, agent_id).categories)))
        query = query.order_by(Request.category_id.is_(None),
                               *_order(Request.resolution_due_at, Priority.rank, Request.created_at,
                                       Request.id)).limit(limit)
        rows = session.exec(query).all()
    return [QueueItem(position=index, number=r.id, category=path, priority=r.priority,
                      status=r.status, channel=r.channel, type=r.type, subject=r.subject,
                      created_at=r.created_at, response_due_at=r.response_due_at,
                      resolution_due_at=r.resolution_due_at,
                      overdue=r.resolution_due_at is not None and r.resolution_due_at < now,
                      explanation=(r.deadline_explanation or {}).get("text"))
            for index, (r, path) in enumerate(rows, start=1)]
