"""Routing a request inside its own transaction: category, priority, deadlines, assignment.

Called by save-first and by field saving whenever something routing looks at changed.
What was set by hand (a category, a priority) stays; everything else is recomputed from
the stored set-up, and the request keeps the whole story in `deadline_explanation`
(shown next to the deadline and by `request show --json`). Changes are audited; an
automatic assignment writes an "assignment" line saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from domain.assignment import AssignmentDecision
from domain.categorise import categorise
from domain.errors import DomainError, InvalidInput
from domain.priority_rules import PriorityChoice, RequestFacts, choose_priority
from domain.sla import compute_deadlines
from storage import audit
from storage.assignment import assign_in_category
from storage.routing_config import RoutingConfig, load_config
from storage.tables import Customer, ProblemCode, Request

# Fields whose change makes a request's routing be worked out again.
ROUTING_FIELDS = frozenset({"type", "channel", "category_id", "problem_code_id", "complaint",
                            "customer_id", "priority", "subject", "notes", "comment_kind"})
# Category sources that later recomputation leaves alone.
_STICKY = frozenset({"manual", "complaint", "escalation"})


@dataclass(frozen=True)
class RoutingOutcome:
    """What routing changed ({field: [old, new]}) and any assignment it made."""

    changes: dict[str, list[Any]]
    assignment: AssignmentDecision | None = None


def _choose_category(session: Session, request: Request, previous: dict[str, Any],
                     config: RoutingConfig, *, changed: set[str], manual: set[str],
                     actor: str) -> dict[str, Any]:
    """Set `request.category_id` and say where it came from."""
    if "category_id" in manual and request.category_id is not None:
        return {"source": "manual", "by": actor, "text": f"set by hand by {actor}"}
    if "complaint" in changed and request.complaint:
        if config.supervisors is not None:
            request.category_id = config.supervisors
            return {"source": "complaint", "text": "complaints go to the supervisors' queue"}
    if previous.get("source") in _STICKY and request.category_id is not None:
        return previous
    problem = session.get(ProblemCode, request.problem_code_id) if request.problem_code_id else None
    if problem is not None and problem.routing_category_id:
        request.category_id = problem.routing_category_id
        return {"source": "problem_code", "problem_code": problem.code,
                "text": f"from problem code {problem.code}"}
    choice = categorise(channel=request.channel, subject=request.subject or "",
                        body=request.notes or "", categories=config.keywords)
    if choice is not None:
        request.category_id = config.category_ids.get(choice.path)
        return {"source": "keywords", "matched": list(choice.matched),
                "text": f"keywords in the text: {', '.join(choice.matched)}"}
    if request.category_id is not None:
        return previous or {"source": "kept", "text": "unchanged"}
    return {"source": "none", "text": "no category: set one by hand or by problem code"}


def _choose_priority(session: Session, request: Request, previous: dict[str, Any],
                     config: RoutingConfig, *, manual: set[str], path: str | None) -> PriorityChoice:
    if "priority" in manual and request.priority is not None:
        if request.priority not in config.priorities:
            known = ", ".join(config.priorities) or "none are set up"
            raise InvalidInput(f"{request.priority!r} is not a priority ({known})", where="priority")
        return PriorityChoice(request.priority, "manual")
    if previous.get("source") == "manual" and "priority" not in manual and request.priority:
        return PriorityChoice(request.priority, "manual")
    problem = session.get(ProblemCode, request.problem_code_id) if request.problem_code_id else None
    customer = session.get(Customer, request.customer_id) if request.customer_id else None
    facts = RequestFacts(type=request.type, channel=request.channel, category=path,
                         problem_code=problem.code if problem else None,
                         complaint=bool(request.complaint), vip=bool(customer and customer.vip),
                         text=f"{request.subject or ''}\n{request.notes or ''}")
    return choose_priority(config.rules, facts,
                           problem_default=problem.default_priority if problem else None,
                           fallback=config.fallback)


@dataclass(frozen=True)
class RoutePlan:
    """Routing worked out and set on a request, not yet audited (see `plan_route`)."""

    changes: dict[str, list[Any]]
    category: dict[str, Any]

    def settle(self, session: Session, request: Request, *, now: datetime, actor_id: int | None,
               actor: str, assign: bool = False, why: str | None = None) -> RoutingOutcome:
        """`audit` what routing changed, then `assign_if_due`. The request must have its
        number (be flushed)."""
        self.audit(session, request, now=now, actor_id=actor_id, actor=actor)
        return self.assign_if_due(session, request, now=now, actor_id=actor_id, actor=actor,
                                  assign=assign, why=why)

    def audit(self, session: Session, request: Request, *, now: datetime, actor_id: int | None,
              actor: str, at_once: bool = False) -> None:
        """The "route" audit entry, if routing changed anything; `at_once` writes it now
        (`audit.write`) instead of with the session's other changes."""
        if not self.changes:
            return
        entry = dict(at=now, actor_id=actor_id, actor=actor, entity="request", entity_id=request.id,
                     action="route", changes=self.changes)
        if at_once:
            audit.write(session.connection(), **entry)
        else:
            audit.record(session, **entry)

    def assign_if_due(self, session: Session, request: Request, *, now: datetime,
                      actor_id: int | None, actor: str, assign: bool = False,
                      why: str | None = None) -> RoutingOutcome:
        """Run the category's assignment mode when due: with `assign`, or when routing moved
        an unassigned request to another category (or a complaint to the supervisors);
        `why` heads its history line."""
        decision = None
        moved = "category" in self.changes
        complaint_moved = self.category.get("source") == "complaint" and moved
        if assign or complaint_moved or (moved and request.assigned_agent_id is None):
            why = why or ("complaint" if complaint_moved else
                          "new request" if assign else f"category changed to {self.category.get('path')}")
            decision = assign_in_category(session, request, now=now, actor_id=actor_id, actor=actor,
                                          why=why)
        return RoutingOutcome(changes=self.changes, assignment=decision)


def plan_route(session: Session, request: Request, *, actor: str,
               changed: Iterable[str] = ROUTING_FIELDS, manual: Iterable[str] = (),
               category_story: dict[str, Any] | None = None) -> RoutePlan:
    """Work out the request's category, priority and deadlines again and set them on it.

    Writes nothing: the request may be one not saved yet, so that save-first writes it
    once, routed. `RoutePlan.settle` then audits the changes and assigns.
    """
    changed, manual = set(changed), set(manual)
    story = dict(request.deadline_explanation or {})
    config = load_config(session)
    paths = config.category_paths
    before = {"category": paths.get(request.category_id), "priority": request.priority,
              "response_due_at": request.response_due_at,
              "resolution_due_at": request.resolution_due_at}
    category = category_story or _choose_category(
        session, request, story.get("category") or {}, config, changed=changed, manual=manual,
        actor=actor)
    path = paths.get(request.category_id)
    choice = _choose_priority(session, request, story.get("priority") or {}, config,
                              manual=manual, path=path)
    start = datetime.fromisoformat(story["start"]) if story.get("start") else request.created_at
    paused = timedelta(seconds=story.get("paused_seconds", 0))
    targets = config.priorities.get(choice.priority) if choice.priority else None
    problems = list(config.problems)
    if choice.priority and targets is None:
        problems.append(f"priority {choice.priority!r} is not set up: no deadlines")
    try:
        deadlines = compute_deadlines(config.calendar, calendar_label=config.calendar_label,
                                      start=start, choice=choice, targets=targets, paused=paused)
    except DomainError as exc:  # e.g. a calendar that is hardly ever open: say so, save anyway
        problems.append(str(exc))
        deadlines = compute_deadlines(config.calendar, calendar_label=config.calendar_label,
                                      start=start, choice=choice, targets=None)
    request.priority = choice.priority
    request.response_due_at = deadlines.response.due_at if deadlines.response else None
    request.resolution_due_at = deadlines.resolution.due_at if deadlines.resolution else None
    category = {**category, "path": path}
    request.deadline_explanation = {**deadlines.to_json(), "category": category,
                                    "pauses": story.get("pauses", []), "problems": problems}
    after = {"category": path, "priority": request.priority,
             "response_due_at": request.response_due_at,
             "resolution_due_at": request.resolution_due_at}
    return RoutePlan(changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
                     category=category)


def route_request(session: Session, request: Request, *, now: datetime, actor_id: int | None,
                  actor: str, changed: Iterable[str] = ROUTING_FIELDS, manual: Iterable[str] = (),
                  assign: bool = False, why: str | None = None,
                  category_story: dict[str, Any] | None = None) -> RoutingOutcome:
    """Work out the request's category, priority and deadlines again, audit what changed.

    With `assign`, or when routing moved an unassigned request to another category (or a
    complaint to the supervisors), the category's assignment mode is run too (`why` heads
    its history line). `category_story` says why the caller put the request in its
    category (a reassignment, an escalation); that category then stays.
    """
    plan = plan_route(session, request, actor=actor, changed=changed, manual=manual,
                      category_story=category_story)
    session.add(request)
    return plan.settle(session, request, now=now, actor_id=actor_id, actor=actor, assign=assign,
                       why=why)


def record_pause(request: Request, *, start: datetime, end: datetime, paused: timedelta,
                 text: str) -> None:
    """Add a pause (business time waiting for the customer) to the request's story."""
    story = dict(request.deadline_explanation or {})
    story["pauses"] = [*story.get("pauses", []), {
        "from": start.isoformat(), "to": end.isoformat(),
        "minutes": paused.total_seconds() / 60, "text": text}]
    story["paused_seconds"] = story.get("paused_seconds", 0) + paused.total_seconds()
    request.deadline_explanation = story


def restart_clock(request: Request, *, at: datetime) -> None:
    """Count the request's deadlines afresh from `at` (a reopened request starts over)."""
    story = dict(request.deadline_explanation or {})
    story.update(start=at.isoformat(), paused_seconds=0, pauses=[])
    request.deadline_explanation = story
