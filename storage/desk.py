"""The agent's desk: the request they are on, their other open requests, their queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, case, func
from sqlmodel import Session, select

from domain.requests import OPEN_STATUSES, Status
from storage.engine import read_session
from storage.local_time import office_timezone
from storage.office import get_setting
from storage.tables import Agent, CategoryMember, Customer, Request, RoutingCategory

_OPEN = [s.value for s in OPEN_STATUSES]
# Statuses in which the agent is still working on a request (not waiting for the customer).
_WORKING = [Status.NEW.value, Status.IN_PROGRESS.value, Status.REOPENED.value]


@dataclass(frozen=True)
class RequestLine:
    """One request as a line on the desk."""

    number: int
    type: str | None
    channel: str
    status: str
    subject: str
    customer: str | None
    created_at: datetime
    updated_at: datetime | None
    resolution_due_at: datetime | None
    priority: str | None
    complaint: bool


@dataclass(frozen=True)
class QueueLine:
    """One of the agent's routing categories and how much waits in it."""

    category_id: int
    path: str
    waiting: int
    overdue: int
    earliest_due: datetime | None


@dataclass(frozen=True)
class Desk:
    """What the desk shows."""

    current: RequestLine | None
    others: list[RequestLine]
    queues: list[QueueLine]


def _lines(session: Session, *conditions) -> list[RequestLine]:
    rows = session.exec(select(Request, Customer.name).outerjoin(
        Customer, Customer.id == Request.customer_id).where(*conditions).order_by(
        func.coalesce(Request.updated_at, Request.created_at).desc(), Request.id.desc())).all()
    return [RequestLine(number=r.id, type=r.type, channel=r.channel, status=r.status,
                        subject=r.subject, customer=name, created_at=r.created_at,
                        updated_at=r.updated_at, resolution_due_at=r.resolution_due_at,
                        priority=r.priority, complaint=r.complaint) for r, name in rows]


def open_requests_of(engine: Engine, agent_id: int) -> list[RequestLine]:
    """The agent's open requests, most recently touched first."""
    with read_session(engine) as session:
        return _lines(session, Request.assigned_agent_id == agent_id, Request.status.in_(_OPEN))


def current_request(engine: Engine, agent_id: int) -> int | None:
    """The number of the request the agent is working on (most recently touched), if any."""
    with read_session(engine) as session:
        lines = _lines(session, Request.assigned_agent_id == agent_id,
                       Request.status.in_(_WORKING))
    return lines[0].number if lines else None


def queues_of(engine: Engine, agent_id: int, now: datetime) -> list[QueueLine]:
    """The agent's routing categories with unassigned open requests, overdue ones, earliest due."""
    waiting = Request.assigned_agent_id.is_(None) & Request.status.in_(_OPEN)
    overdue = Request.resolution_due_at < now  # only waiting requests are joined
    query = (select(RoutingCategory.id, RoutingCategory.path,
                    func.count(Request.id),
                    func.sum(case((overdue, 1), else_=0)),
                    func.min(Request.resolution_due_at))
             .join(CategoryMember, CategoryMember.category_id == RoutingCategory.id)
             .outerjoin(Request, (Request.category_id == RoutingCategory.id) & waiting)
             .where(CategoryMember.agent_id == agent_id)
             .group_by(RoutingCategory.id, RoutingCategory.path)
             .order_by(RoutingCategory.path))
    with read_session(engine) as session:
        return [QueueLine(category_id=cid, path=path, waiting=count, overdue=int(late or 0),
                          earliest_due=due) for cid, path, count, late, due in session.exec(query)]


def desk_for(engine: Engine, *, agent_id: int, now: datetime) -> Desk:
    """Everything the desk shows for one agent."""
    mine = open_requests_of(engine, agent_id)
    working = [line for line in mine if line.status in _WORKING]
    current = working[0] if working else None
    others = [line for line in mine if current is None or line.number != current.number]
    return Desk(current=current, others=others, queues=queues_of(engine, agent_id, now))


@dataclass(frozen=True)
class OfficeProfile:
    """What the console needs to know about the office once per session."""

    name: str
    region: str | None
    """Country whose national phone numbers need no prefix."""
    languages: list[str]
    timezone: str


def office_profile(engine: Engine) -> OfficeProfile:
    """The office's name, phone region, languages and time zone."""
    with read_session(engine) as session:
        return OfficeProfile(name=get_setting(session, "name"), region=get_setting(session, "country"),
                             languages=list(get_setting(session, "languages") or ["en"]),
                             timezone=office_timezone(session).key)


@dataclass(frozen=True)
class HandOverTargets:
    """Where a request can be reassigned: every routing category and every active agent."""

    categories: list[tuple[int, str]]
    agents: list[tuple[int, str, str]]
    """(id, login, name)."""


def hand_over_targets(engine: Engine) -> HandOverTargets:
    """Routing categories by path and active agents by login."""
    with read_session(engine) as session:
        categories = session.exec(select(RoutingCategory.id, RoutingCategory.path).order_by(
            RoutingCategory.path)).all()
        agents = session.exec(select(Agent.id, Agent.login, Agent.name).where(
            Agent.active.is_(True)).order_by(Agent.login)).all()
    return HandOverTargets(categories=[tuple(c) for c in categories],
                           agents=[tuple(a) for a in agents])
