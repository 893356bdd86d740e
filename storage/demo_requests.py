"""Writing the demo's planned month in bulk: customers, work orders, requests and their history.

Rows go in with multi-row INSERTs (RETURNING the new keys where later rows need them),
all inside the caller's one transaction. Priorities and deadlines come from the office's
own rules and calendar through the routing code, so they explain themselves as a real
request's do.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, select

from domain.demo_people import Person
from domain.demo_script import DemoAgent, DemoProblem, PlannedRequest, PlannedWorkOrder
from domain.priority_rules import RequestFacts, choose_priority
from domain.sla import compute_deadlines
from domain.text import fold
from storage.catalogue import specs_in
from storage.routing_config import RoutingConfig, load_config
from storage.tables import (Activity, Agent, Article, ArticleUsage, AuditEntry, CategoryMember,
                            Customer, CustomerContact, ProblemCode, Request, RoutingCategory,
                            SearchLog, WorkOrder)
from storage.tables_console import CustomerSearch

Progress = Callable[[str, int], None]
"""Told (phase, rows written) as the load goes on."""
ACTOR = "demo"


def demo_agents(session: Session) -> list[DemoAgent]:
    """The office's active agents with their languages and category paths."""
    paths: dict[int, list[str]] = {}
    for agent_id, path in session.exec(select(CategoryMember.agent_id, RoutingCategory.path).join(
            RoutingCategory, RoutingCategory.id == CategoryMember.category_id)):
        paths.setdefault(agent_id, []).append(path)
    return [DemoAgent(a.login, a.role, tuple(a.languages or []), tuple(sorted(paths.get(a.id, []))))
            for a in session.exec(select(Agent).where(Agent.active.is_(True)).order_by(Agent.login))]


def demo_problems(session: Session) -> list[DemoProblem]:
    """Active problem codes with their routing category and template fields."""
    paths = dict(session.exec(select(RoutingCategory.id, RoutingCategory.path)).all())
    return [DemoProblem(code=p.code, names=dict(p.names or {}), category=paths.get(p.routing_category_id),
                        title=p.template_title, instructions=p.template_instructions,
                        fields=tuple(specs_in(session, p.id)))
            for p in session.exec(select(ProblemCode).where(ProblemCode.active.is_(True)).order_by(ProblemCode.code))]


def _insert(session: Session, model: Any, rows: list[dict[str, Any]], *, returning: bool = False) -> list[int]:
    if not rows:
        return []
    if returning:
        statement = insert(model).returning(model.id, sort_by_parameter_order=True)
        return list(session.execute(statement, rows).scalars())
    session.execute(insert(model), rows)
    return []


def _audit(at: datetime, actor_id: int | None, actor: str, entity: str, entity_id: int, action: str,
           changes: dict[str, Any]) -> dict[str, Any]:
    plain = {k: [v.isoformat() if isinstance(v, datetime) else v for v in pair] for k, pair in changes.items()}
    return {"at": at, "actor_id": actor_id, "actor": actor, "entity": entity, "entity_id": str(entity_id),
            "action": action, "changes": plain}


class DemoWriter:
    """Writes one plan inside `session`."""

    def __init__(self, session: Session, *, now: datetime, rng: random.Random, progress: Progress) -> None:
        self.session, self.now, self.rng, self.progress = session, now, rng, progress
        self.agent_ids = dict(session.exec(select(Agent.login, Agent.id)).all())
        self.category_ids = dict(session.exec(select(RoutingCategory.path, RoutingCategory.id)).all())
        self.problems = {p.code: p for p in session.exec(select(ProblemCode))}
        self.config: RoutingConfig = load_config(session)

    def customers(self, people: Sequence[Person]) -> list[int]:
        rows = [{"name": p.name, "address": p.address, "vip": p.vip, "notes": "",
                 "created_at": self.now - timedelta(days=self.rng.randint(31, 900))} for p in people]
        ids = _insert(self.session, Customer, rows, returning=True)
        _insert(self.session, CustomerSearch, [{"customer_id": i, "name_folded": fold(p.name)}
                                               for i, p in zip(ids, people)])
        _insert(self.session, CustomerContact, [
            {"customer_id": i, "kind": kind, "value": value} for i, p in zip(ids, people)
            for kind, values in (("phone", p.phones), ("email", p.emails)) for value in values])
        _insert(self.session, AuditEntry, [
            _audit(row["created_at"], None, ACTOR, "customer", i, "create",
                   {"name": [None, p.name], "phones": [None, list(p.phones)], "emails": [None, list(p.emails)]})
            for i, p, row in zip(ids, people, rows)])
        self.progress("customers", len(ids))
        return ids

    def route(self, req: PlannedRequest, vip: bool) -> dict[str, Any]:
        """Priority and deadlines as the office's rules and calendar give them."""
        problem = self.problems.get(req.problem_code) if req.problem_code else None
        facts = RequestFacts(type=req.type, channel=req.channel, category=req.category,
                             problem_code=req.problem_code, complaint=req.complaint, vip=vip,
                             text=f"{req.subject}\n{req.notes}")
        choice = choose_priority(self.config.rules, facts,
                                 problem_default=problem.default_priority if problem else None,
                                 fallback=self.config.fallback)
        targets = self.config.priorities.get(choice.priority) if choice.priority else None
        deadlines = compute_deadlines(self.config.calendar, calendar_label=self.config.calendar_label,
                                      start=req.created_at, choice=choice, targets=targets)
        source = "problem_code" if problem else "complaint" if req.complaint else "manual"
        story = {**deadlines.to_json(), "pauses": [], "problems": list(self.config.problems),
                 "category": {"path": req.category, "source": source,
                              "text": f"from problem code {problem.code}" if problem else "set by the agent"}}
        return {"priority": choice.priority,
                "response_due_at": deadlines.response.due_at if deadlines.response else None,
                "resolution_due_at": deadlines.resolution.due_at if deadlines.resolution else None,
                "deadline_explanation": story}

    def write(self, requests: Sequence[PlannedRequest], orders: Sequence[PlannedWorkOrder],
              people: Sequence[Person]) -> dict[str, int]:
        """Insert everything; returns how many rows of each kind were written."""
        customer_ids = self.customers(people)
        routed = [self.route(r, bool(r.customer is not None and people[r.customer].vip)) for r in requests]
        first_priority: dict[int, str | None] = {}
        for req, routing in zip(requests, routed):
            if req.work_order is not None:
                first_priority.setdefault(req.work_order, routing["priority"])
        order_ids = _insert(self.session, WorkOrder, [{
            "problem_code_id": self.problems[o.problem_code].id, "title": o.title,
            "instructions": o.instructions, "priority": first_priority.get(i), "status": o.status,
            "address": o.address, "field_values": o.field_values, "created_at": o.created_at,
            "created_by_id": self.agent_ids.get(o.created_by), "closed_at": o.closed_at}
            for i, o in enumerate(orders)], returning=True)
        self.progress("work orders", len(order_ids))
        request_ids = _insert(self.session, Request, [
            self._request_row(r, routing, customer_ids, order_ids) for r, routing in zip(requests, routed)],
            returning=True)
        self.progress("requests", len(request_ids))
        lines = self._history(requests, request_ids, order_ids, orders)
        usage = self._article_use(requests, request_ids)
        return {"customers": len(customer_ids), "work_orders": len(order_ids),
                "requests": len(request_ids), "activities": lines, "article_uses": usage}

    def _request_row(self, r: PlannedRequest, routing: dict[str, Any], customer_ids: list[int],
                     order_ids: list[int]) -> dict[str, Any]:
        return {
            "type": r.type, "channel": r.channel, "status": r.status, "created_at": r.created_at,
            "updated_at": r.updated_at, "created_by_id": self.agent_ids.get(r.created_by),
            "assigned_agent_id": self.agent_ids.get(r.assigned), "assigned_at": r.assigned_at,
            "customer_id": customer_ids[r.customer] if r.customer is not None else None,
            "category_id": self.category_ids.get(r.category),
            "problem_code_id": self.problems[r.problem_code].id if r.problem_code else None,
            "work_order_id": order_ids[r.work_order] if r.work_order is not None else None,
            **routing, "first_response_at": r.first_response_at, "resolved_at": r.resolved_at,
            "closed_at": r.closed_at, "paused_at": r.paused_at, "complaint": r.complaint,
            "escalated": r.escalated, "subject": r.subject[:300], "notes": r.notes,
            "resolution_note": r.resolution_note if r.resolved_at or r.status in ("resolved", "closed") else "",
            "comment_about": r.comment_about, "comment_kind": r.comment_kind, "address": r.address,
            "field_values": r.field_values}

    def _history(self, requests: Sequence[PlannedRequest], ids: list[int], order_ids: list[int],
                 orders: Sequence[PlannedWorkOrder]) -> int:
        activities, audits = [], []
        for req, number in zip(requests, ids):
            for at, login, kind, body in sorted(req.activities, key=lambda a: a[0]):
                activities.append({"request_id": number, "at": at, "agent_id": self.agent_ids.get(login),
                                   "kind": kind, "body": body, "data": None})
            for index, (at, login, changes) in enumerate(req.history):
                audits.append(_audit(at, self.agent_ids.get(login), login or ACTOR, "request", number,
                                     "open" if index == 0 else "update", changes))
        for order_id, order in zip(order_ids, orders):
            audits.append(_audit(order.created_at, self.agent_ids.get(order.created_by),
                                 order.created_by or ACTOR, "work_order", order_id, "create",
                                 {"title": [None, order.title], "address": [None, order.address]}))
        _insert(self.session, Activity, activities)
        self.progress("activity lines", len(activities))
        _insert(self.session, AuditEntry, audits)
        self.progress("audit entries", len(audits))
        return len(activities)

    def _article_use(self, requests: Sequence[PlannedRequest], ids: list[int]) -> int:
        """Which articles agents opened and which answered the information requests."""
        by_language: dict[str, list[int]] = {}
        for article_id, language in self.session.exec(select(Article.id, Article.language).where(
                Article.status == "published").order_by(Article.id)):
            by_language.setdefault(language, []).append(article_id)
        every = [i for ids_ in by_language.values() for i in ids_]
        uses, searches = [], []
        for req, number in zip(requests, ids):
            if req.type != "information" or req.status == "new":
                continue
            agent_id = self.agent_ids.get(req.assigned or req.created_by)
            at = req.created_at + timedelta(seconds=self.rng.randint(20, 90))
            pool = by_language.get(req.language) or every
            found = len(pool) and req.answered_with_article
            searches.append({"at": at, "agent_id": agent_id, "request_id": number,
                             "query": " ".join(req.subject.split()[:3])[:300], "language": req.language,
                             "result_count": self.rng.randint(1, 8) if found else 0})
            if found:
                article_id = self.rng.choice(pool)
                uses += [{"article_id": article_id, "request_id": number, "agent_id": agent_id,
                          "at": at + timedelta(seconds=5), "kind": kind} for kind in ("opened", "answered")]
        _insert(self.session, SearchLog, searches)
        _insert(self.session, ArticleUsage, uses)
        self.progress("knowledge-base use", len(uses) + len(searches))
        return len(uses) // 2
