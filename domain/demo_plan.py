"""Planning the demo office's last month of requests (deterministic for a given seed and clock).

Every type, channel and status occurs. Older requests are mostly closed, recent ones
still open; calls arrive in office hours, e-mail and web forms at any time; several
callers report the same problem at the same place and share one work order. Agents
who are not supervisors hold no new or in-progress request (open work waits in the
queues), so each of them can pull the next one straight away.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain import demo_texts as texts
from domain.demo_people import Person, address
from domain.demo_script import (CHANNEL_WEIGHTS, LIVE_CHANNELS, TYPE_WEIGHTS, DemoAgent,
                                DemoProblem, PlannedRequest, PlannedWorkOrder, weighted, arrival,
                                field_values)

LANGUAGES = {"pl": 60, "nl": 14, "pt": 14, "en": 12}
LINK_WINDOW = timedelta(days=5)


class Planner:
    """Builds the plan request by request, in the order they arrived."""

    def __init__(self, *, rng: random.Random, now: datetime, zone: ZoneInfo, agents: Sequence[DemoAgent],
                 problems: Sequence[DemoProblem], customers: Sequence[Person]) -> None:
        self.rng, self.now, self.zone = rng, now, zone
        self.agents, self.problems, self.customers = list(agents), list(problems), list(customers)
        self.requests: list[PlannedRequest] = []
        self.work_orders: list[PlannedWorkOrder] = []

    # --- helpers ------------------------------------------------------------------

    def agent(self, path: str | None, language: str, *, supervisor: bool = False) -> str:
        """A member of the category who speaks the language (a supervisor if asked)."""
        pool = [a for a in self.agents if a.role == "supervisor"] if supervisor else []
        pool = pool or [a for a in self.agents if a.role != "admin"] or self.agents
        members = [a for a in pool if a.covers(path)] or pool
        speakers = [a for a in members if language in a.languages] or members
        return self.rng.choice(speakers).login

    def between(self, start: datetime, low: float, high: float) -> datetime:
        """A moment between `low` and `high` of the way from `start` to now."""
        return start + (self.now - start) * self.rng.uniform(low, high)

    def step(self, req: PlannedRequest, at: datetime, who: str | None, status: str,
             kind: str, body: str) -> None:
        """Move the request to `status` at `at`, with an activity line and an audit entry."""
        req.history.append((at, who, {"status": [req.status, status]}))
        req.activities.append((at, who, kind, body))
        req.status = status

    # --- the lifecycle --------------------------------------------------------------

    def live(self, req: PlannedRequest, final: str, handler: str, *, quick: bool = False) -> None:
        """Walk the request from new to `final`, setting the times and who holds it."""
        start = req.created_at
        minutes = timedelta(minutes=self.rng.randint(2, 12))
        first = start if quick else self.between(start, 0.02, 0.12)
        if final == "new":
            return
        req.first_response_at = first
        if final in ("in_progress", "pending_customer", "resolved", "closed", "reopened") and not quick:
            self.step(req, first, handler, "in_progress", "assignment", f"Taken by {handler}")
            req.assigned, req.assigned_at = handler, first
        if final == "in_progress":
            return
        if final == "pending_customer":
            at = self.between(first, 0.1, 0.6)
            self.step(req, at, handler, "pending_customer", "email",
                      texts.QUESTION_TO_CUSTOMER[req.language])
            req.paused_at = at
            return
        resolved = start + minutes if quick else self.between(first, 0.2, 0.8)
        req.assigned = req.assigned or handler
        req.assigned_at = req.assigned_at or first
        self.step(req, resolved, handler, "resolved", "note", req.resolution_note)
        req.resolved_at = resolved
        if final == "resolved":
            return
        closed = resolved + timedelta(seconds=30) if quick else self.between(resolved, 0.05, 0.4)
        self.step(req, closed, handler if quick else None, "closed", "system", "Closed")
        req.closed_at = closed
        if final == "reopened":
            at = self.between(closed, 0.2, 0.7)
            self.step(req, at, None, "reopened", "call", "Customer called again: still not fixed")
            req.resolved_at = req.closed_at = None
            req.assigned = req.assigned_at = None  # back in the queue

    def final_status(self, req: PlannedRequest, weights_by_age: list[tuple[float, dict[str, int]]]) -> str:
        """A status fitting the request's age (in days)."""
        age = (self.now - req.created_at).total_seconds() / 86400
        for limit, weights in weights_by_age:
            if age < limit:
                return weighted(self.rng, weights)
        return weighted(self.rng, weights_by_age[-1][1])

    # --- the three kinds ----------------------------------------------------------

    def information(self, req: PlannedRequest) -> None:
        req.category = "Information"
        req.subject = self.rng.choice(texts.QUESTIONS[req.language])
        req.resolution_note = self.rng.choice(texts.ANSWERED[req.language])
        handler = self.agent(req.category, req.language)
        if req.channel in LIVE_CHANNELS:
            req.created_by = handler
            req.answered_with_article = self.rng.random() < 0.8
            self.live(req, "closed" if self.rng.random() < 0.93 else "resolved", handler, quick=True)
            return
        final = self.final_status(req, [(1, {"new": 5, "pending_customer": 2, "closed": 3}),
                                        (99, {"closed": 90, "resolved": 6, "reopened": 4})])
        req.answered_with_article = final in ("closed", "resolved") and self.rng.random() < 0.6
        self.live(req, final, handler)

    def action(self, req: PlannedRequest, customer: Person | None) -> None:
        problem = self.rng.choice(self.problems)
        req.problem_code, req.category = problem.code, problem.category
        req.address = customer.address if customer and self.rng.random() < 0.6 else address(self.rng)
        name = problem.names.get(req.language) or problem.names.get("en") or problem.code
        req.notes = texts.REPORTED[req.language].format(
            problem=name.lower(), when=self.rng.choice(texts.WHEN[req.language]),
            extra=self.rng.choice(texts.EXTRA[req.language])).strip()
        req.resolution_note = self.rng.choice(texts.DONE[req.language])
        final = self.final_status(req, [
            (1, {"new": 45, "in_progress": 30, "pending_customer": 25}),
            (5, {"in_progress": 30, "pending_customer": 20, "resolved": 35, "closed": 15}),
            (99, {"closed": 65, "resolved": 20, "reopened": 7, "in_progress": 8})])
        handler = self.agent(req.category, req.language)
        if req.channel in LIVE_CHANNELS:
            req.created_by = handler
        if final != "new":
            self.link_work_order(req, problem, handler)
        req.subject = f"{name} – {req.address.split(',')[0]}"
        self.live(req, final, handler)
        if req.status == "in_progress":  # handed on: waits in the queue for whoever pulls it next
            at = self.between(req.assigned_at, 0.01, 0.1)
            req.activities.append((at, handler, "assignment", f"Put back in the queue {req.category}"))
            req.history.append((at, handler, {"assigned_agent": [handler, None]}))
            req.assigned = req.assigned_at = None

    def link_work_order(self, req: PlannedRequest, problem: DemoProblem, handler: str) -> None:
        """Link to a recent work order for the same problem, or create one from the template."""
        recent = [i for i, order in enumerate(self.work_orders)
                  if order.problem_code == problem.code and req.created_at - order.created_at < LINK_WINDOW]
        at = req.created_at + timedelta(minutes=self.rng.randint(3, 15))
        if recent and self.rng.random() < 0.45:
            req.work_order = self.rng.choice(recent)
            order = self.work_orders[req.work_order]
            req.address, req.field_values = order.address, dict(order.field_values)
            req.activities.append((at, handler, "system",
                                   "Linked to the work order already open for this problem and address"))
            return
        req.field_values = field_values(self.rng, problem.fields, req.created_at.date())
        self.work_orders.append(PlannedWorkOrder(
            problem_code=problem.code, title=problem.title or problem.names.get("en", problem.code),
            instructions=problem.instructions, address=req.address,
            field_values=dict(req.field_values), created_at=at, created_by=handler))
        req.work_order = len(self.work_orders) - 1
        req.activities.append((at, handler, "system", "Work order created from the template"))

    def comment(self, req: PlannedRequest) -> None:
        kind = weighted(self.rng, {"compliment": 45, "remark": 25, "complaint": 30})
        req.comment_kind = kind
        if kind == "complaint":
            req.complaint, req.category, req.comment_about = True, "Complaints", "service"
            req.subject = self.rng.choice(texts.COMPLAINTS[req.language])
            req.resolution_note = texts.COMPLAINT_ANSWER[req.language]
            req.escalated = self.rng.random() < 0.2
            handler = self.agent(req.category, req.language, supervisor=True)
            final = self.final_status(req, [(2, {"new": 5, "in_progress": 5}),
                                            (99, {"closed": 60, "resolved": 30, "in_progress": 10})])
            if req.channel in LIVE_CHANNELS:
                req.created_by = self.agent(None, req.language)
            self.live(req, final, handler)  # supervisors may hold several complaints
            return
        req.category = "Feedback"
        someone = self.rng.choice([a for a in self.agents if a.role == "agent"] or self.agents)
        if kind == "compliment":
            req.comment_about = self.rng.choice(["employee", "office"])
            req.subject = self.rng.choice(texts.COMPLIMENTS[req.language]).format(agent=someone.login.title())
        else:
            req.comment_about = self.rng.choice(["office", "service", "other"])
            req.subject = self.rng.choice(texts.REMARKS[req.language])
        req.resolution_note = texts.THANKED[req.language]
        handler = self.agent(req.category, req.language)
        if req.channel in LIVE_CHANNELS:
            req.created_by = handler
            self.live(req, "closed", handler, quick=True)
        else:
            self.live(req, self.final_status(req, [(1, {"new": 1}), (99, {"closed": 1})]), handler)

    # --- the month ----------------------------------------------------------------

    def plan(self, count: int, days: int = 30) -> None:
        """Plan `count` requests over the last `days` days, oldest first."""
        arrivals = []
        for _ in range(count):
            channel = weighted(self.rng, CHANNEL_WEIGHTS)
            arrivals.append((arrival(self.rng, self.now, self.zone, channel, days), channel,
                             weighted(self.rng, TYPE_WEIGHTS)))
        for created, channel, kind in sorted(arrivals):
            self.request(created, channel, kind)
        self.settle_work_orders()

    def request(self, created: datetime, channel: str, kind: str) -> None:
        with_customer = kind == "action" or self.rng.random() < (0.5 if kind == "information" else 0.7)
        index = int(len(self.customers) * self.rng.random() ** 1.6) if with_customer else None
        customer = self.customers[index] if index is not None else None
        language = customer.language if customer else weighted(self.rng, LANGUAGES)
        req = PlannedRequest(created_at=created, type=kind, channel=channel, language=language,
                             customer=index)
        getattr(self, kind)(*((req, customer) if kind == "action" else (req,)))
        phone = customer.phones[0] if customer else "an unknown number"
        first = texts.CHANNEL_LINE[channel].format(phone=phone, subject=req.subject)
        kind_of_line = {"phone": "call", "email": "email"}.get(channel, "message")
        req.activities.insert(0, (created, req.created_by, kind_of_line, first))
        req.history.insert(0, (created, req.created_by, {"channel": [None, channel], "type": [None, kind]}))
        self.requests.append(req)

    def settle_work_orders(self) -> None:
        """A work order is done when every request linked to it is resolved or closed."""
        linked: dict[int, list[PlannedRequest]] = {}
        for req in self.requests:
            if req.work_order is not None:
                linked.setdefault(req.work_order, []).append(req)
        for index, order in enumerate(self.work_orders):
            reqs = linked.get(index, [])
            if reqs and all(r.status in ("resolved", "closed") for r in reqs):
                order.status = "done"
                order.closed_at = max(r.resolved_at for r in reqs)
            elif any(r.status in ("in_progress", "pending_customer", "reopened") for r in reqs):
                order.status = "in_progress"


def plan_month(*, rng: random.Random, now: datetime, zone: ZoneInfo, agents: Sequence[DemoAgent],
               problems: Sequence[DemoProblem], customers: Sequence[Person], count: int = 1000,
               days: int = 30) -> tuple[list[PlannedRequest], list[PlannedWorkOrder]]:
    """The requests (oldest first) and work orders of the demo's last `days` days."""
    planner = Planner(rng=rng, now=now, zone=zone, agents=agents, problems=problems, customers=customers)
    planner.plan(count, days)
    return planner.requests, planner.work_orders
