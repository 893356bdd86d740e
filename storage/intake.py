"""Everything the intake screen shows about one request, read in one go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import select

from domain.records import RequestRecord
from storage.catalogue import ProblemCodeRecord, problem_code
from storage.customers import CustomerRecord, get_customer
from storage.engine import read_session
from storage.requests import get_request
from storage.tables import Article, ArticleUsage, Request
from storage.work_orders import WorkOrderRecord, work_order


@dataclass(frozen=True)
class IntakeView:
    """A request with its customer, problem code, work order and answering articles."""

    record: RequestRecord
    customer: CustomerRecord | None
    problem: ProblemCodeRecord | None
    work_order: WorkOrderRecord | None
    answered_with: list[tuple[int, str]]
    """(article id, title) of the articles that answered it."""


def intake_view(engine: Engine, number: int) -> IntakeView:
    """Request `number` and what hangs off it, or NotFound."""
    record = get_request(engine, number)
    with read_session(engine) as session:
        problem_id = session.exec(select(Request.problem_code_id).where(Request.id == number)).first()
        answered = session.exec(select(Article.id, Article.title).join(
            ArticleUsage, ArticleUsage.article_id == Article.id).where(
            ArticleUsage.request_id == number, ArticleUsage.kind == "answered").order_by(
            ArticleUsage.id)).all()
    return IntakeView(
        record=record,
        customer=get_customer(engine, record.customer_id) if record.customer_id else None,
        problem=problem_code(engine, problem_id) if problem_id else None,
        work_order=work_order(engine, record.work_order_id) if record.work_order_id else None,
        answered_with=list(dict.fromkeys((i, t) for i, t in answered)))
