"""Automatic assignment inside a request's transaction: who gets it, and a history line saying why."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from domain.assignment import AssignmentDecision, Candidate, choose_assignee
from domain.requests import OPEN_STATUSES
from storage import audit
from storage.routing_config import absence_at, describe_absence
from storage.tables import Activity, Agent, CategoryMember, Request, RoutingCategory

_OPEN = [s.value for s in OPEN_STATUSES]


def _candidate(session: Session, agent: Agent, *, member: bool, now: datetime,
               loads: dict[int, int], last: datetime | None) -> Candidate:
    absence = absence_at(session, agent.id, now)
    return Candidate(agent_id=agent.id, login=agent.login, member=member, active=agent.active,
                     away=describe_absence(absence) if absence else None,
                     open_requests=loads.get(agent.id, 0), last_assigned_at=last)


def _open_loads(session: Session, agent_ids: list[int]) -> dict[int, int]:
    if not agent_ids:
        return {}
    rows = session.exec(select(Request.assigned_agent_id, func.count()).where(
        Request.assigned_agent_id.in_(agent_ids), Request.status.in_(_OPEN)).group_by(
        Request.assigned_agent_id)).all()
    return dict(rows)


def decide(session: Session, request: Request, *, now: datetime, prefer_agent_id: int | None = None,
           prefer_note: str = "") -> AssignmentDecision:
    """Who the request's category would give it to now (nothing is written)."""
    category = session.get(RoutingCategory, request.category_id) if request.category_id else None
    members = [] if category is None else session.exec(select(Agent, CategoryMember.last_assigned_at).join(
        CategoryMember, CategoryMember.agent_id == Agent.id).where(
        CategoryMember.category_id == category.id)).all()
    ids = [agent.id for agent, _last in members]
    prefer_row = session.get(Agent, prefer_agent_id) if prefer_agent_id else None
    loads = _open_loads(session, ids + ([prefer_row.id] if prefer_row else []))
    candidates = [_candidate(session, agent, member=True, now=now, loads=loads, last=last)
                  for agent, last in members]
    prefer = None
    if prefer_row is not None:
        # Without a category there is nothing to be a member of: the agent may have it back.
        prefer = next((c for c in candidates if c.agent_id == prefer_row.id), None) or _candidate(
            session, prefer_row, member=category is None, now=now, loads=loads, last=None)
    return choose_assignee(category.mode if category else "queue",
                           category=category.path if category else None, candidates=candidates,
                           prefer=prefer, prefer_note=prefer_note)


def apply_decision(session: Session, request: Request, decision: AssignmentDecision, *,
                   now: datetime, actor_id: int | None, actor: str, why: str) -> None:
    """Give the request to the decided agent (or leave it queued), with a history line and audit."""
    old_agent = session.get(Agent, request.assigned_agent_id) if request.assigned_agent_id else None
    request.assigned_agent_id = decision.agent_id
    request.assigned_at = now if decision.agent_id else None
    request.updated_at = now
    session.add(request)
    if decision.agent_id and request.category_id and decision.mode != "preferred":
        member = session.get(CategoryMember, (request.category_id, decision.agent_id))
        if member is not None:
            member.last_assigned_at = now  # round-robin fairness: who got one longest ago
            session.add(member)
    session.add(Activity(request_id=request.id, at=now, agent_id=actor_id, kind="assignment",
                         body=f"{why}: {decision.text()}", data={"why": why, **decision.to_json()}))
    old_login = old_agent.login if old_agent else None
    if old_login != decision.login:
        audit.record(session, at=now, actor_id=actor_id, actor=actor, entity="request",
                     entity_id=request.id, action="assign",
                     changes={"assigned_agent": [old_login, decision.login]})


def assign_in_category(session: Session, request: Request, *, now: datetime, actor_id: int | None,
                       actor: str, why: str, prefer_agent_id: int | None = None,
                       prefer_note: str = "") -> AssignmentDecision:
    """Run the category's assignment mode on `request` and record the decision."""
    decision = decide(session, request, now=now, prefer_agent_id=prefer_agent_id,
                      prefer_note=prefer_note)
    apply_decision(session, request, decision, now=now, actor_id=actor_id, actor=actor, why=why)
    return decision
