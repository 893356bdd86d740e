"""Work orders: finding one already open for the same problem and place, creating, linking.

Many customers report the same broken street light; the first call creates a work order
from the problem code's template, later calls link to it instead of making duplicates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain.errors import InvalidInput
from domain.requests import OPEN_STATUSES
from domain.templates import check_values
from domain.text import fold
from storage import audit
from storage.catalogue import pick_name, specs_in
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import Activity, ProblemCode, Request, WorkOrder

OPEN_WORK_ORDER = ("open", "in_progress")


def address_key(address: str) -> str:
    """An address folded for comparison: case, diacritics, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(address)).split())


@dataclass(frozen=True)
class WorkOrderRecord:
    """A work order and the open requests linked to it."""

    id: int
    problem_code_id: int
    title: str
    instructions: str
    status: str
    priority: str | None
    address: str
    field_values: dict[str, Any]
    created_at: datetime
    open_requests: tuple[int, ...]


def _record(session: Session, order: WorkOrder) -> WorkOrderRecord:
    linked = session.exec(select(Request.id).where(
        Request.work_order_id == order.id,
        Request.status.in_([s.value for s in OPEN_STATUSES])).order_by(Request.id)).all()
    return WorkOrderRecord(
        id=order.id, problem_code_id=order.problem_code_id, title=order.title,
        instructions=order.instructions, status=order.status, priority=order.priority,
        address=order.address, field_values=dict(order.field_values or {}),
        created_at=order.created_at, open_requests=tuple(linked))


def open_work_orders_like(engine: Engine, *, problem_code_id: int, address: str) -> list[WorkOrderRecord]:
    """Open work orders for this problem code at the same address (oldest first)."""
    key = address_key(address)
    if not key:
        return []
    with read_session(engine) as session:
        orders = session.exec(select(WorkOrder).where(
            WorkOrder.problem_code_id == problem_code_id,
            WorkOrder.status.in_(OPEN_WORK_ORDER)).order_by(WorkOrder.id)).all()
        return [_record(session, o) for o in orders if address_key(o.address) == key]


def work_order(engine: Engine, work_order_id: int) -> WorkOrderRecord:
    """One work order, or NotFound."""
    with read_session(engine) as session:
        order = session.get(WorkOrder, work_order_id)
        if order is None:
            raise NotFound(f"no work order {work_order_id}")
        return _record(session, order)


def _open_request(session: Session, number: int) -> Request:
    request = session.get(Request, number)
    if request is None:
        raise NotFound(f"no request number {number}")
    if request.work_order_id is not None:
        raise InvalidInput(f"request {number} is already linked to work order "
                           f"{request.work_order_id}", where="work order")
    return request


def _link(session: Session, request: Request, order: WorkOrder, *, now: datetime,
          agent_id: int | None, actor: str, extra: dict[str, Any]) -> None:
    before = {"work_order_id": request.work_order_id,
              **{name: getattr(request, name) for name in extra}}
    request.work_order_id = order.id
    for name, value in extra.items():
        setattr(request, name, value)
    request.updated_at = now
    session.add(request)
    changes = {k: [before[k], v] for k, v in {"work_order_id": order.id, **extra}.items()
               if before[k] != v}
    audit.record(session, at=now, actor_id=agent_id, actor=actor, entity="request",
                 entity_id=request.id, action="work_order", changes=changes)
    session.add(Activity(request_id=request.id, at=now, agent_id=agent_id, kind="system",
                         body=f"work order {order.id}: {order.title}",
                         data={"work_order_id": order.id}))


def create_work_order(engine: Engine, *, number: int, problem_code_id: int, address: str,
                      values: dict[str, Any], now: datetime, agent_id: int | None,
                      actor: str) -> WorkOrderRecord:
    """Make a work order from the problem code's template and link the request to it.

    The template's fields are checked (required, choices, numbers, dates); the first
    problem raises InvalidInput naming the field and nothing is written.
    """
    if not address.strip():
        raise InvalidInput("is required for a work order", where="address")

    def work(session: Session) -> WorkOrderRecord:
        request = _open_request(session, number)
        code = session.get(ProblemCode, problem_code_id)
        if code is None:
            raise NotFound(f"no problem code with id {problem_code_id}")
        checked = check_values(specs_in(session, problem_code_id), values)
        order = WorkOrder(problem_code_id=code.id, title=code.template_title or pick_name(
            code.names, "en", code.code), instructions=code.template_instructions,
            priority=request.priority or code.default_priority, address=address.strip(),
            field_values=checked, created_at=now, created_by_id=agent_id)
        session.add(order)
        session.flush()
        audit.record(session, at=now, actor_id=agent_id, actor=actor, entity="work_order",
                     entity_id=order.id, action="create",
                     changes={"request": [None, number], "problem_code": [None, code.code],
                              "address": [None, order.address], "field_values": [None, checked]})
        _link(session, request, order, now=now, agent_id=agent_id, actor=actor, extra={
            "problem_code_id": code.id, "field_values": checked, "address": order.address})
        session.flush()
        return _record(session, order)

    return run_write(engine, work)


def link_work_order(engine: Engine, *, number: int, work_order_id: int, now: datetime,
                    agent_id: int | None, actor: str) -> WorkOrderRecord:
    """Link the request to an existing open work order instead of creating a duplicate."""

    def work(session: Session) -> WorkOrderRecord:
        request = _open_request(session, number)
        order = session.get(WorkOrder, work_order_id)
        if order is None:
            raise NotFound(f"no work order {work_order_id}")
        if order.status not in OPEN_WORK_ORDER:
            raise InvalidInput(f"work order {order.id} is {order.status}", where="work order")
        _link(session, request, order, now=now, agent_id=agent_id, actor=actor,
              extra={"problem_code_id": order.problem_code_id})
        session.flush()
        return _record(session, order)

    return run_write(engine, work)
