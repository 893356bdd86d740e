"""What an agent does with a request they hold: resolve, pend, resume, reassign, escalate, reopen.

Each action is one transaction that writes an activity line and an audit entry.
`pending_customer` stops the SLA clock; resuming moves both deadlines later by the
business time spent waiting. Complaints and escalations land in the supervisors' queue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from domain.errors import DomainError, InvalidInput
from domain.records import RequestRecord
from domain.requests import Status, TransitionError, check_transition
from domain.roles import can_supervise
from storage import audit
from storage.assignment import assign_in_category
from storage.engine import run_write
from storage.errors import NotFound
from storage.requests import to_record
from storage.routing import record_pause, restart_clock, route_request
from storage.routing_config import (absence_at, describe_absence, load_calendar,
                                    supervisors_category)
from storage.tables import Activity, Agent, CategoryMember, Request, RoutingCategory


def _reason(text: str | None, where: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("say why (it is kept in the request's history)", where=where)
    return text


def _move(request: Request, new: Status) -> str:
    old = request.status
    try:
        check_transition(old, new)
    except TransitionError as exc:
        raise DomainError(f"request {request.id}: {exc}") from None
    request.status = new
    return old


def _check_holder(request: Request, actor: Agent) -> None:
    if request.assigned_agent_id == actor.id or can_supervise(actor.role):
        return
    if request.assigned_agent_id is None:
        raise DomainError(f"request {request.id} is in a queue: pull it first (or ask a supervisor)")
    raise DomainError(f"request {request.id} is assigned to someone else; only they or a "
                      "supervisor may do that")


def act_on_request(engine: Engine, *, number: int, agent_id: int, now: datetime,
                   action: Callable[[Session, Request, Agent], tuple[str, dict[str, Any]]],
                   holder_only: bool = True) -> RequestRecord:
    """Run `action(session, request, actor)` on request `number` in one write transaction.

    The transaction every lifecycle action (and the supervisors' actions in
    `storage.monitor_actions`) runs in: the request and the acting agent are read
    (NotFound if either is missing); with `holder_only` only the agent holding the request
    or a supervisor may act; `action` changes the request and returns
    `(audit action name, {field: [old, new]})`, which is written as one audit entry with
    `updated_at` set to `now`. Returns the request's record as saved.
    """

    def work(session: Session) -> RequestRecord:
        request = session.get(Request, number)
        if request is None:
            raise NotFound(f"no request number {number}")
        actor = session.get(Agent, agent_id)
        if actor is None:
            raise NotFound(f"no agent with id {agent_id}")
        if holder_only:
            _check_holder(request, actor)
        name, changes = action(session, request, actor)
        request.updated_at = now
        session.add(request)
        audit.record(session, at=now, actor_id=actor.id, actor=actor.login, entity="request",
                     entity_id=number, action=name, changes=changes)
        session.flush()
        return to_record(session, request)

    return run_write(engine, work)


def _line(session: Session, request: Request, actor: Agent, now: datetime, kind: str, body: str,
          **data: Any) -> None:
    session.add(Activity(request_id=request.id, at=now, agent_id=actor.id, kind=kind, body=body,
                         data=data or None))


def _end_pause(session: Session, request: Request, actor: Agent, now: datetime) -> dict[str, Any]:
    """Stop waiting for the customer: move the deadlines later by the business time paused."""
    if request.paused_at is None:
        return {}
    calendar, _label = load_calendar(session)
    waited = calendar.business_time_between(request.paused_at, now)
    record_pause(request, start=request.paused_at, end=now, paused=waited.duration, text=waited.text())
    request.paused_at = None
    route_request(session, request, now=now, actor_id=actor.id, actor=actor.login, changed=())
    _line(session, request, actor, now, "system",
          f"clock resumed: waited for the customer {waited.text()}; deadlines moved later",
          action="resume", paused_minutes=waited.minutes)
    # The moved deadlines are in the "route" audit entry written by route_request.
    return {"paused_at": [waited.start, None]}


def resolve_request(engine: Engine, *, number: int, agent_id: int, now: datetime,
                    note: str = "") -> RequestRecord:
    """Resolve a request the agent holds (complaints only by a supervisor)."""

    def action(session: Session, request: Request, actor: Agent):
        if request.complaint and not can_supervise(actor.role):
            raise DomainError(f"request {request.id} is a complaint: a supervisor resolves it "
                              "(escalate it or reassign it to them)")
        changes = _end_pause(session, request, actor, now)
        old = _move(request, Status.RESOLVED)
        request.resolved_at = now
        request.first_response_at = request.first_response_at or now
        if note.strip():
            changes["resolution_note"] = [request.resolution_note, note.strip()]
            request.resolution_note = note.strip()
        _line(session, request, actor, now, "system", f"resolved by {actor.login}"
              + (f": {note.strip()}" if note.strip() else ""), action="resolve")
        return "resolve", {"status": [old, Status.RESOLVED.value], **changes}

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=action)


def pend_request(engine: Engine, *, number: int, agent_id: int, now: datetime,
                 question: str) -> RequestRecord:
    """Ask the customer a question and wait: status pending_customer, the SLA clock stops."""
    question = _reason(question, "question")

    def action(session: Session, request: Request, actor: Agent):
        old = _move(request, Status.PENDING_CUSTOMER)
        request.paused_at = now
        request.first_response_at = request.first_response_at or now
        _line(session, request, actor, now, "message", question, action="pend")
        return "pend", {"status": [old, Status.PENDING_CUSTOMER.value], "paused_at": [None, now]}

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=action)


def resume_request(engine: Engine, *, number: int, agent_id: int, now: datetime,
                   note: str = "") -> RequestRecord:
    """The customer answered: back to in_progress, deadlines later by the business time waited."""

    def action(session: Session, request: Request, actor: Agent):
        if request.status != Status.PENDING_CUSTOMER:
            raise DomainError(f"request {request.id} is {request.status}, not waiting for the customer")
        changes = _end_pause(session, request, actor, now)
        old = _move(request, Status.IN_PROGRESS)
        if note.strip():
            _line(session, request, actor, now, "note", note.strip(), action="resume")
        return "resume", {"status": [old, Status.IN_PROGRESS.value], **changes}

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=action, holder_only=False)


def reopen_request(engine: Engine, *, number: int, agent_id: int, now: datetime,
                   reason: str) -> RequestRecord:
    """Reopen a resolved or closed request: its deadlines count afresh from now, and it goes
    back to whoever handled it if they are available, else to its category's assignment."""
    reason = _reason(reason, "reason")

    def action(session: Session, request: Request, actor: Agent):
        old = _move(request, Status.REOPENED)
        previous = request.assigned_agent_id
        request.resolved_at = None
        request.closed_at = None
        restart_clock(request, at=now)
        _line(session, request, actor, now, "system", f"reopened by {actor.login}: {reason}",
              action="reopen", reason=reason)
        route_request(session, request, now=now, actor_id=actor.id, actor=actor.login, changed=())
        assign_in_category(session, request, now=now, actor_id=actor.id, actor=actor.login,
                           why=f"reopened by {actor.login}", prefer_agent_id=previous,
                           prefer_note="who handled it before")
        return "reopen", {"status": [old, Status.REOPENED.value], "reason": [None, reason]}

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=action, holder_only=False)


def _where_it_is(session: Session, request: Request) -> dict[str, str | None]:
    category = session.get(RoutingCategory, request.category_id) if request.category_id else None
    agent = session.get(Agent, request.assigned_agent_id) if request.assigned_agent_id else None
    return {"category": category.path if category else None,
            "assigned_agent": agent.login if agent else None}


def _moved(before: dict[str, str | None], after: dict[str, str | None]) -> dict[str, list]:
    return {key: [before[key], after[key]] for key in before if before[key] != after[key]}


def _hand_to(session: Session, request: Request, actor: Agent, target: Agent, now: datetime,
             reason: str) -> None:
    """Give the request to `target` by hand, refusing absent or inactive agents."""
    if not target.active:
        raise DomainError(f"{target.login} is inactive")
    absence = absence_at(session, target.id, now)
    if absence is not None:
        raise DomainError(f"{target.login} is out of office ({describe_absence(absence)})")
    member = request.category_id is None or session.get(
        CategoryMember, (request.category_id, target.id)) is not None
    old = session.get(Agent, request.assigned_agent_id) if request.assigned_agent_id else None
    request.assigned_agent_id, request.assigned_at = target.id, now
    note = "" if member else f" ({target.login} is not a member of the request's category)"
    _line(session, request, actor, now, "assignment",
          f"reassigned to {target.login} by {actor.login}: {reason}{note}",
          mode="manual", agent=target.login, previous=old.login if old else None, reason=reason,
          member=member)


def reassign_request(engine: Engine, *, number: int, agent_id: int, now: datetime, reason: str,
                     category_id: int | None = None, to_agent_id: int | None = None) -> RequestRecord:
    """Hand a request to another category (its assignment mode decides who) and/or agent."""
    reason = _reason(reason, "reason")
    if category_id is None and to_agent_id is None:
        raise InvalidInput("name a category or an agent to reassign to", where="reassign")

    def action(session: Session, request: Request, actor: Agent):
        before = _where_it_is(session, request)
        if category_id is not None:
            request.category_id = category_id
            story = {"source": "manual", "by": actor.login, "reason": reason,
                     "text": f"reassigned by {actor.login}: {reason}"}
            if to_agent_id is None:
                request.assigned_agent_id = None
            route_request(session, request, now=now, actor_id=actor.id, actor=actor.login,
                          changed={"category_id"}, manual={"category_id"}, category_story=story,
                          assign=to_agent_id is None, why=f"reassigned by {actor.login}: {reason}")
        if to_agent_id is not None:
            target = session.get(Agent, to_agent_id)
            if target is None:
                raise NotFound(f"no agent with id {to_agent_id}")
            _hand_to(session, request, actor, target, now, reason)
        return "reassign", {**_moved(before, _where_it_is(session, request)), "reason": [None, reason]}

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=action)


def escalate_request(engine: Engine, *, number: int, agent_id: int, now: datetime,
                     reason: str) -> RequestRecord:
    """Send a request to the supervisors' queue (any agent may: it is the safety valve)."""
    reason = _reason(reason, "reason")

    def action(session: Session, request: Request, actor: Agent):
        if request.escalated:
            raise DomainError(f"request {request.id} is already escalated")
        target = supervisors_category(session)
        if target is None:
            raise DomainError("no supervisors' category is set up: mark a routing category "
                              "supervisors_only in the seed file")
        before = _where_it_is(session, request)
        request.escalated = True
        request.category_id = target.id
        request.assigned_agent_id = None
        story = {"source": "escalation", "by": actor.login, "reason": reason,
                 "text": f"escalated by {actor.login}: {reason}"}
        route_request(session, request, now=now, actor_id=actor.id, actor=actor.login,
                      changed={"category_id"}, category_story=story, assign=True,
                      why=f"escalated by {actor.login}: {reason}")
        return "escalate", {"escalated": [False, True], **_moved(before, _where_it_is(session, request)),
                            "reason": [None, reason]}

    return act_on_request(engine, number=number, agent_id=agent_id, now=now, action=action, holder_only=False)
