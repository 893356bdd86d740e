"""Drilling down from the board: one category's open requests in pull order, and the choices
a supervisor picks from (categories, priorities) when moving a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, case, select

from domain.monitor import QueueItem, deadline_state
from domain.requests import Status
from storage.engine import read_session
from storage.tables import Agent, Priority, Request, RoutingCategory
from storage.tables_reporting import open_requests

QUEUE_LIMIT = 500


def category_queue(engine: Engine, *, category_id: int | None, now: datetime,
                   limit: int = QUEUE_LIMIT) -> list[QueueItem]:
    """Open requests of a category (None: the uncategorised): the waiting pool first, in pull
    order (earliest deadline, highest priority, oldest), then those agents hold, same order."""
    in_category = (Request.category_id.is_(None) if category_id is None
                   else Request.category_id == category_id)
    held = case((Request.assigned_agent_id.is_(None), 0), else_=1)
    query = (select(Request.id, Request.subject, Request.type, Request.channel, Request.status,
                    Request.priority, Request.created_at, Request.resolution_due_at, Agent.login,
                    Request.complaint, Request.escalated)
             .outerjoin(Priority, Priority.code == Request.priority)
             .outerjoin(Agent, Agent.id == Request.assigned_agent_id)
             .where(open_requests(), in_category)
             .order_by(held, Request.resolution_due_at.asc().nulls_last(),
                       Priority.rank.asc().nulls_last(), Request.created_at, Request.id)
             .limit(limit))
    with read_session(engine) as session:
        rows = session.execute(query).all()
    return [QueueItem(number=number, subject=subject, type=type_, channel=channel, status=status,
                      priority=priority, created_at=created, due_at=due, assigned_agent=login,
                      complaint=complaint, escalated=escalated,
                      state=deadline_state(due, now, paused=status == Status.PENDING_CUSTOMER))
            for number, subject, type_, channel, status, priority, created, due, login, complaint,
            escalated in rows]


@dataclass(frozen=True)
class RoutingChoices:
    """What a request can be moved to: categories (id, path) and priorities (code, rank)."""

    categories: list[tuple[int, str]]
    priorities: list[tuple[str, int]]


def routing_choices(engine: Engine) -> RoutingChoices:
    """Every routing category by path and every priority, most urgent first."""
    with read_session(engine) as session:
        categories = session.execute(select(RoutingCategory.id, RoutingCategory.path)
                                     .order_by(RoutingCategory.path)).all()
        priorities = session.execute(select(Priority.code, Priority.rank)
                                     .order_by(Priority.rank, Priority.code)).all()
    return RoutingChoices([tuple(c) for c in categories], [tuple(p) for p in priorities])
