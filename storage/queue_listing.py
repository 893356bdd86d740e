"""A queue listed in pull order, for supervisors and for `callcenter queue show`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import select

from domain.records import JsonRecord
from storage.engine import read_session
from storage.pull_target import pull_target
from storage.queue_claim import pull_order
from storage.tables import Priority, Request, RoutingCategory
from storage.tables_routing import queued


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
            target = pull_target(session.connection(), agent_id)
            query = query.where(Request.category_id.in_(list(target.categories)))
        query = query.order_by(Request.category_id.is_(None),
                               *pull_order(Request.resolution_due_at, Priority.rank, Request.created_at,
                                       Request.id)).limit(limit)
        rows = session.exec(query).all()
    return [QueueItem(position=index, number=r.id, category=path, priority=r.priority,
                      status=r.status, channel=r.channel, type=r.type, subject=r.subject,
                      created_at=r.created_at, response_due_at=r.response_due_at,
                      resolution_due_at=r.resolution_due_at,
                      overdue=r.resolution_due_at is not None and r.resolution_due_at < now,
                      explanation=(r.deadline_explanation or {}).get("text"))
            for index, (r, path) in enumerate(rows, start=1)]
