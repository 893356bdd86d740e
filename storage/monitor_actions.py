"""What supervisors do from the board that the agents' lifecycle does not: change a
request's priority, and answer an escalation. Reassigning is `storage.lifecycle.reassign_request`.

Each action is one transaction with an activity line and an audit entry; new deadlines
come from routing (`storage.routing.route_request`), which audits them too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain.errors import DomainError, InvalidInput
from domain.records import RequestRecord
from domain.roles import can_supervise
from storage.lifecycle import act_on_request
from storage.routing import route_request
from storage.routing_config import absence_at
from storage.tables import Activity, Agent, AuditEntry, Request, RoutingCategory


def _said(text: str | None, where: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("may not be empty (it is kept in the request's history)", where=where)
    return text


def _as_supervisor(engine: Engine, *, number: int, agent_id: int, now: datetime,
                   action: Callable[[Session, Request, Agent], tuple[str, dict[str, Any]]]) -> RequestRecord:
    """Run `action` like the lifecycle actions do (one transaction, audited), for supervisors only."""

    def supervised(session: Session, request: Request, actor: Agent):
        if not can_supervise(actor.role):
            raise DomainError(f"{actor.login} is not a supervisor")
        return action(session, request, actor)

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=supervised,
                          holder_only=False)


def change_priority(engine: Engine, *, number: int, priority: str, reason: str, agent_id: int,
                    now: datetime) -> RequestRecord:
    """Set a request's priority by hand; its deadlines are counted again from its start."""
    reason = _said(reason, "reason")

    def action(session: Session, request: Request, actor: Agent):
        old = request.priority
        if old == priority:
            raise DomainError(f"request {number} already has priority {priority}")
        request.priority = priority
        route_request(session, request, now=now, actor_id=actor.id, actor=actor.login,
                      changed={"priority"}, manual={"priority"})
        session.add(Activity(request_id=number, at=now, agent_id=actor.id, kind="system",
                             body=f"priority {old or 'none'} → {priority} by {actor.login}: {reason}",
                             data={"action": "priority", "from": old, "to": priority, "reason": reason}))
        return "priority", {"priority": [old, priority], "reason": [None, reason]}

    return _as_supervisor(engine, number=number, agent_id=agent_id, now=now, action=action)


def _before_escalation(session: Session, number: int) -> tuple[str | None, str | None]:
    """Category path and agent login the request had when it was last escalated."""
    entry = session.exec(select(AuditEntry).where(
        AuditEntry.entity == "request", AuditEntry.entity_id == str(number),
        AuditEntry.action == "escalate").order_by(AuditEntry.id.desc())).first()
    changes = (entry.changes or {}) if entry else {}
    category = changes.get("category", [None])[0]
    agent = changes.get("assigned_agent", [None])[0]
    return category, agent


def answer_escalation(engine: Engine, *, number: int, answer: str, agent_id: int,
                      now: datetime, hand_back: bool = True) -> RequestRecord:
    """Answer an escalated request; with `hand_back` it returns to where it was escalated from.

    The agent who held it gets it back in its former category, unless they are out of
    office or gone: then that category's assignment mode decides. Without `hand_back`
    the supervisor keeps it where it is.
    """
    answer = _said(answer, "answer")

    def action(session: Session, request: Request, actor: Agent):
        if not request.escalated:
            raise DomainError(f"request {number} is not escalated")
        request.escalated = False
        changes: dict[str, list] = {"escalated": [True, False], "answer": [None, answer]}
        body = f"escalation answered by {actor.login}: {answer}"
        if hand_back:
            changes.update(_hand_back(session, request, actor, now))
            if "assigned_agent" in changes:
                body += f" (back to {changes['assigned_agent'][1] or 'the queue'})"
        session.add(Activity(request_id=number, at=now, agent_id=actor.id, kind="note", body=body,
                             data={"action": "answer_escalation", "answer": answer}))
        return "answer_escalation", changes

    return _as_supervisor(engine, number=number, agent_id=agent_id, now=now, action=action)


def _hand_back(session: Session, request: Request, actor: Agent, now: datetime) -> dict[str, list]:
    path, login = _before_escalation(session, request.id)
    changes: dict[str, list] = {}
    # The agent first: routing then sees an assigned request and assigns no one else.
    agent = session.exec(select(Agent).where(Agent.login == login)).first() if login else None
    if agent is not None and agent.active and absence_at(session, agent.id, now) is None:
        previous = session.get(Agent, request.assigned_agent_id) if request.assigned_agent_id else None
        request.assigned_agent_id, request.assigned_at = agent.id, now
        changes["assigned_agent"] = [previous.login if previous else None, agent.login]
    category = session.exec(select(RoutingCategory).where(RoutingCategory.path == path)).first() if path else None
    if category is not None and category.id != request.category_id:
        old = session.get(RoutingCategory, request.category_id) if request.category_id else None
        request.category_id = category.id
        story = {"source": "manual", "by": actor.login, "text": f"escalation answered by {actor.login}"}
        route_request(session, request, now=now, actor_id=actor.id, actor=actor.login,
                      changed={"category_id"}, manual={"category_id"}, category_story=story)
        changes["category"] = [old.path if old else None, category.path]
    return changes
