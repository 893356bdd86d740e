"""`callcenter queue next|show`, `sla due`, and the lifecycle commands of `callcenter request`.

`request resolve|pend|resume|reassign|escalate|reopen NUMBER --agent LOGIN …` are added
to `request_app` when this module is imported (console.commands registers it).
"""

from __future__ import annotations

import typer

from console.cli_request import request_app
from console.options import JSON, parse_time
from console.output import emit_json, say, table
from domain.records import RequestRecord
from storage.agents import agent_by_login, category_by_path
from storage.engine import read_session
from storage.lifecycle import (escalate_request, pend_request, reassign_request, reopen_request,
                               resolve_request, resume_request)
from storage.queue import pull_next_request
from storage.queue_listing import queue_listing
from storage.sla_check import due_for_hours, due_for_priority

queue_app = typer.Typer(help="Queues: pull the next request, list a queue in pull order.",
                        no_args_is_help=True)
sla_app = typer.Typer(help="Deadlines on the office's business calendar.", no_args_is_help=True)

AGENT = typer.Option(..., "--agent", help="Login of the agent doing it.")
NUMBER = typer.Argument(..., help="Request number.")


def _agent_id(ctx: typer.Context, login: str) -> int:
    with read_session(ctx.obj.engine()) as session:
        return agent_by_login(session, login).id


def _due_words(record: RequestRecord) -> str:
    story = record.deadline_explanation or {}
    return story.get("text") or "no deadline"


@queue_app.command("next")
def next_(ctx: typer.Context, agent: str = AGENT, as_json: bool = JSON) -> None:
    """Take the most urgent waiting request in the agent's categories (null when none wait)."""
    record = pull_next_request(ctx.obj.engine(), agent_id=_agent_id(ctx, agent), now=ctx.obj.now())
    if as_json:
        emit_json(record.to_json() if record else None)
    elif record is None:
        say("the queue is empty")
    else:
        say(f"request {record.number} is yours: {record.subject or '(no subject)'}")
        say(f"  {record.category} — {_due_words(record)}")


@queue_app.command("show")
def show(
    ctx: typer.Context,
    category: str = typer.Option(None, "--category", help="One category's queue (path)."),
    agent: str = typer.Option(None, "--agent", help="What this agent would pull, in order."),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many requests."),
    as_json: bool = JSON,
) -> None:
    """Requests waiting in a queue, in the order pull-next hands them out."""
    engine = ctx.obj.engine()
    agent_id = _agent_id(ctx, agent) if agent else None
    if category:
        with read_session(engine) as session:
            category_by_path(session, category)  # NotFound names an unknown path
    items = queue_listing(engine, now=ctx.obj.now(), category_path=category, agent_id=agent_id,
                          limit=limit)
    if as_json:
        emit_json([item.to_json() for item in items])
        return
    table(f"Queue {category or 'all categories'}", ["#", "request", "category", "priority",
                                                     "due", "subject"],
          [(i.position, i.number, i.category or "(none)", i.priority or "",
            (i.resolution_due_at.isoformat() if i.resolution_due_at else "")
            + (" OVERDUE" if i.overdue else ""), i.subject) for i in items])


@sla_app.command("due")
def due(
    ctx: typer.Context,
    at: str = typer.Option(..., "--at", help="Start (ISO time, e.g. 2026-11-27T15:00+01:00)."),
    priority: str = typer.Option(None, "--priority", help="A priority code: both its deadlines."),
    hours: float = typer.Option(None, "--hours", help="A business-time target in hours."),
    calendar: str = typer.Option(None, "--calendar", help="Calendar code (default: the office's)."),
    as_json: bool = JSON,
) -> None:
    """When a target counted in business hours from --at falls due, and why."""
    if (priority is None) == (hours is None):
        raise typer.BadParameter("give exactly one of --priority or --hours", param_hint="--priority/--hours")
    if hours is not None and hours < 0:
        raise typer.BadParameter("must not be negative", param_hint="--hours")
    start = parse_time(at, where="--at")
    engine = ctx.obj.engine()
    result = (due_for_priority(engine, start=start, priority=priority, calendar=calendar)
              if priority else due_for_hours(engine, start=start, hours=hours, calendar=calendar))
    if as_json:
        emit_json(result)
        return
    say(f"calendar {result['calendar']}")
    for kind in ("response", "resolution", "deadline"):
        if result.get(kind):
            say(f"{kind}: due {result[kind]['due_local']}")
            say(f"  {result[kind]['text']}")


def _act(ctx: typer.Context, action, number: int, agent: str, as_json: bool, words: str, **options) -> None:
    """Run a lifecycle action as `agent` now, then print the record (or one line)."""
    record = action(ctx.obj.engine(), number=number, agent_id=_agent_id(ctx, agent),
                    now=ctx.obj.now(), **options)
    if as_json:
        emit_json(record.to_json())
    else:
        who = f", with {record.assigned_agent}" if record.assigned_agent else ", unassigned"
        words = words.format(category=record.category)
        say(f"request {record.number} {words} ({record.status}{who})")


@request_app.command("resolve")
def resolve(ctx: typer.Context, number: int = NUMBER, agent: str = AGENT,
            note: str = typer.Option("", "--note", help="Resolution note."), as_json: bool = JSON) -> None:
    """Resolve a request you hold."""
    _act(ctx, resolve_request, number, agent, as_json, "resolved", note=note)


@request_app.command("pend")
def pend(ctx: typer.Context, number: int = NUMBER, agent: str = AGENT,
         question: str = typer.Option(..., "--question", help="What the customer is asked."),
         as_json: bool = JSON) -> None:
    """Ask the customer a question and wait (pending_customer: the SLA clock stops)."""
    _act(ctx, pend_request, number, agent, as_json, "waits for the customer", question=question)


@request_app.command("resume")
def resume(ctx: typer.Context, number: int = NUMBER, agent: str = AGENT,
           note: str = typer.Option("", "--note", help="What the customer answered."),
           as_json: bool = JSON) -> None:
    """The customer answered: back to work; deadlines move later by the time waited."""
    _act(ctx, resume_request, number, agent, as_json, "resumed", note=note)


@request_app.command("reassign")
def reassign(
    ctx: typer.Context, number: int = NUMBER, agent: str = AGENT,
    category: str = typer.Option(None, "--category", help="Move it to this category's queue."),
    to: str = typer.Option(None, "--to", help="Give it to this agent (login)."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the history)."),
    as_json: bool = JSON,
) -> None:
    """Hand a request to another category (its assignment mode decides) or agent."""
    if category is None and to is None:
        raise typer.BadParameter("give --category or --to", param_hint="--category/--to")
    with read_session(ctx.obj.engine()) as session:
        category_id = category_by_path(session, category).id if category else None
        to_id = agent_by_login(session, to).id if to else None
    _act(ctx, reassign_request, number, agent, as_json, "reassigned to {category}", reason=reason,
         category_id=category_id, to_agent_id=to_id)


@request_app.command("escalate")
def escalate(ctx: typer.Context, number: int = NUMBER, agent: str = AGENT,
             reason: str = typer.Option(..., "--reason", help="Why (kept in the history)."),
             as_json: bool = JSON) -> None:
    """Send a request to the supervisors' queue."""
    _act(ctx, escalate_request, number, agent, as_json, "escalated", reason=reason)


@request_app.command("reopen")
def reopen(ctx: typer.Context, number: int = NUMBER, agent: str = AGENT,
           reason: str = typer.Option(..., "--reason", help="Why (kept in the history)."),
           as_json: bool = JSON) -> None:
    """Reopen a resolved or closed request; its deadlines count afresh from now."""
    _act(ctx, reopen_request, number, agent, as_json, "reopened", reason=reason)
