"""Requests: save-first opening, field-by-field saving, and reading one back whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from domain.audit import changes
from domain.errors import InvalidInput
from domain.records import RequestRecord
from domain.requests import (EDITABLE_FIELDS, Channel, CommentAbout, CommentKind, RequestType,
                             Status)
from storage import audit
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import Activity, Agent, ArticleUsage, ProblemCode, Request, RoutingCategory


def _enum(enum, value, where: str):
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise InvalidInput(f"{value!r} is not one of {allowed}", where=where) from None


_LOGIN = select(Agent.login).where(Agent.id == bindparam("agent_id"))


def _login(session: Session, agent_id: int | None) -> str | None:
    if agent_id is None:
        return None
    return session.execute(_LOGIN, {"agent_id": agent_id}).scalar()


def to_record(session: Session, request: Request) -> RequestRecord:
    """The read model of `request` (names resolved, no lazy relations)."""
    category = session.get(RoutingCategory, request.category_id) if request.category_id else None
    problem = session.get(ProblemCode, request.problem_code_id) if request.problem_code_id else None
    created_by = _login(session, request.created_by_id)
    assigned = (created_by if request.assigned_agent_id == request.created_by_id
                else _login(session, request.assigned_agent_id))
    return RequestRecord(
        number=request.id, type=request.type, channel=request.channel, status=request.status,
        created_at=request.created_at, updated_at=request.updated_at,
        created_by=created_by, assigned_agent=assigned,
        customer_id=request.customer_id, category=category.path if category else None,
        problem_code=problem.code if problem else None, work_order_id=request.work_order_id,
        priority=request.priority, response_due_at=request.response_due_at,
        resolution_due_at=request.resolution_due_at, complaint=request.complaint,
        escalated=request.escalated, subject=request.subject, notes=request.notes,
        resolution_note=request.resolution_note, comment_about=request.comment_about,
        comment_kind=request.comment_kind, address=request.address,
        field_values=dict(request.field_values or {}),
        deadline_explanation=request.deadline_explanation)


def _snapshot(request: Request) -> dict[str, Any]:
    return {name: getattr(request, name) for name in EDITABLE_FIELDS}


def open_request(engine: Engine, *, now: datetime, agent_id: int | None, actor: str,
                 channel: str = Channel.PHONE, type: str | None = None, subject: str = "",
                 category_id: int | None = None, problem_code_id: int | None = None,
                 customer_id: int | None = None, notes: str = "") -> RequestRecord:
    """Save first: create and commit a numbered request before anything else is known.

    The request is assigned to the agent who opened it (they are on the call); without
    an agent its category's assignment mode decides. Its category, priority and deadlines
    are routed in the same transaction, counted from `now`, before its row is written, so
    the row is written once. Its number comes from the table's own key, so concurrent
    consoles never get the same one.
    """
    from storage.routing import plan_route

    channel = _enum(Channel, channel, "channel")
    type = _enum(RequestType, type, "type")

    def work(session: Session) -> RequestRecord:
        request = Request(
            type=type, channel=channel, status=Status.NEW, created_at=now, updated_at=now,
            created_by_id=agent_id, assigned_agent_id=agent_id,
            assigned_at=now if agent_id else None, subject=subject, notes=notes,
            category_id=category_id, problem_code_id=problem_code_id, customer_id=customer_id)
        routing = plan_route(session, request, actor=actor,
                             manual={"category_id"} if category_id else ())
        # Written with plain INSERTs, in this order (the history reads open, then route):
        # the unit of work would cost more than the rest of the transaction.
        _insert(session, request)
        audit.write(session.connection(), at=now, actor_id=agent_id, actor=actor, entity="request",
                    entity_id=request.id, action="open",
                    changes={"channel": [None, channel], "type": [None, type]})
        routing.audit(session, request, now=now, actor_id=agent_id, actor=actor, at_once=True)
        routing.assign_if_due(session, request, now=now, actor_id=agent_id, actor=actor,
                              assign=agent_id is None)
        session.flush()
        return to_record(session, request)

    return run_write(engine, work)


_INSERT_REQUEST = insert(Request.__table__).returning(Request.__table__.c.id)


def _insert(session: Session, request: Request) -> None:
    """INSERT a new request as it is and make it part of `session`, as if read back."""
    values = {column.name: getattr(request, column.name) for column in Request.__table__.c
              if column.name != "id"}
    request.id = session.connection().execute(_INSERT_REQUEST, values).scalar_one()
    make_transient_to_detached(request)
    session.add(request)


def _check_fields(values: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(values) - EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"cannot edit {', '.join(unknown)}", where="request")
    checked = dict(values)
    if "type" in checked:
        checked["type"] = _enum(RequestType, checked["type"], "type")
    if "channel" in checked:
        checked["channel"] = _enum(Channel, checked["channel"], "channel")
    if "comment_about" in checked:
        checked["comment_about"] = _enum(CommentAbout, checked["comment_about"], "comment_about")
    if "comment_kind" in checked:
        checked["comment_kind"] = _enum(CommentKind, checked["comment_kind"], "comment_kind")
        if checked["comment_kind"] == CommentKind.COMPLAINT:
            checked.setdefault("complaint", True)
    return checked


def save_fields(engine: Engine, *, number: int, values: dict[str, Any], now: datetime,
                agent_id: int | None, actor: str) -> RequestRecord:
    """Save edited fields of a request (as typed, debounced by the console) and audit them.

    Saving the same values again writes nothing: an autosave that changed nothing leaves
    no audit entry. When a field routing looks at changes, category, priority and
    deadlines are worked out again in the same transaction (a category or priority set
    here counts as set by hand and stays).
    """
    from storage.routing import ROUTING_FIELDS, route_request

    checked = _check_fields(values)

    def work(session: Session) -> RequestRecord:
        request = session.get(Request, number)
        if request is None:
            raise NotFound(f"no request number {number}")
        diff = changes(_snapshot(request), checked)
        if diff:
            for name, (_old, new) in diff.items():
                setattr(request, name, new)
            request.updated_at = now
            session.add(request)
            audit.record(session, at=now, actor_id=agent_id, actor=actor, entity="request",
                         entity_id=number, action="update", changes=diff)
            if ROUTING_FIELDS & diff.keys():
                route_request(session, request, now=now, actor_id=agent_id, actor=actor,
                              changed=diff.keys(), manual={"category_id", "priority"} & diff.keys())
            session.flush()
        return to_record(session, request)

    return run_write(engine, work)


def get_request(engine: Engine, number: int) -> RequestRecord:
    """One request's fields, or NotFound."""
    with read_session(engine) as session:
        request = session.get(Request, number)
        if request is None:
            raise NotFound(f"no request number {number}")
        return to_record(session, request)


def request_detail(engine: Engine, number: int) -> dict[str, Any]:
    """The whole request as JSON-ready data: fields, work order, activity and audit trail."""
    from storage.tables import Customer, CustomerContact, WorkOrder

    with read_session(engine) as session:
        request = session.get(Request, number)
        if request is None:
            raise NotFound(f"no request number {number}")
        data = to_record(session, request).to_json()
        if request.customer_id:
            customer = session.get(Customer, request.customer_id)
            contacts = session.exec(select(CustomerContact).where(
                CustomerContact.customer_id == customer.id).order_by(CustomerContact.id)).all()
            data["customer"] = {
                "id": customer.id, "name": customer.name, "address": customer.address,
                "vip": customer.vip,
                "phones": [c.value for c in contacts if c.kind == "phone"],
                "emails": [c.value for c in contacts if c.kind == "email"]}
        else:
            data["customer"] = None
        if request.work_order_id:
            order = session.get(WorkOrder, request.work_order_id)
            linked = session.exec(select(Request.id).where(
                Request.work_order_id == order.id).order_by(Request.id)).all()
            data["work_order"] = {
                "id": order.id, "title": order.title, "status": order.status,
                "priority": order.priority, "address": order.address,
                "field_values": order.field_values, "created_at": order.created_at.isoformat(),
                "requests": list(linked)}
        else:
            data["work_order"] = None
        usage = session.exec(select(ArticleUsage).where(
            ArticleUsage.request_id == number).order_by(ArticleUsage.id)).all()
        data["articles"] = [{"article_id": u.article_id, "kind": u.kind, "at": u.at.isoformat()}
                            for u in usage]
        activities = session.exec(select(Activity).where(
            Activity.request_id == number).order_by(Activity.id)).all()
        data["activity"] = [{"at": a.at.isoformat(), "agent": _login(session, a.agent_id),
                             "kind": a.kind, "body": a.body, "data": a.data} for a in activities]
        data["audit"] = audit.entries_for(session, "request", number)
        return data
