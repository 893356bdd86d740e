"""`callcenter request new|show`: save first from a script, and the whole request back."""

from __future__ import annotations

import typer
from sqlmodel import select

from console.options import JSON
from console.output import emit_json, say
from domain.contacts import normalise_phone
from domain.requests import Channel, RequestType
from storage.agents import agent_by_login, category_by_path
from storage.customers import customer_for_phone
from storage.engine import read_session
from storage.errors import NotFound
from storage.office import phone_region
from storage.requests import open_request, request_detail
from storage.tables import ProblemCode

request_app = typer.Typer(help="Open requests and look at them.", no_args_is_help=True)

_CHANNELS = ", ".join(c.value for c in Channel)
_TYPES = ", ".join(t.value for t in RequestType)


@request_app.command("new")
def new(
    ctx: typer.Context,
    agent: str = typer.Option(None, "--agent", help="Login of the agent taking it (default: unassigned)."),
    channel: str = typer.Option("phone", "--channel", help=f"One of: {_CHANNELS}."),
    type: str = typer.Option(None, "--type", help=f"One of: {_TYPES} (may stay unset)."),
    subject: str = typer.Option("", "--subject"),
    category: str = typer.Option(None, "--category", help="Routing category path."),
    problem: str = typer.Option(None, "--problem", help="Problem code."),
    customer_phone: str = typer.Option(None, "--customer-phone", help="Caller's number."),
    as_json: bool = JSON,
) -> None:
    """Save first: create and commit a numbered request now; print its number and time."""
    cli = ctx.obj
    engine = cli.engine()
    now = cli.now()
    with read_session(engine) as session:
        agent_id = agent_by_login(session, agent).id if agent else None
        category_id = category_by_path(session, category).id if category else None
        problem_id = None
        if problem:
            row = session.exec(select(ProblemCode).where(ProblemCode.code == problem)).first()
            if row is None:
                raise NotFound(f"--problem: no problem code {problem!r}")
            problem_id = row.id
    actor = agent or "cli"
    customer_id = None
    if customer_phone:
        phone = normalise_phone(customer_phone, region=phone_region(engine), where="--customer-phone")
        customer_id = customer_for_phone(engine, phone=phone, now=now, actor_id=agent_id, actor=actor).id
    record = open_request(engine, now=now, agent_id=agent_id, actor=actor, channel=channel,
                          type=type, subject=subject, category_id=category_id,
                          problem_code_id=problem_id, customer_id=customer_id)
    if as_json:
        emit_json(record.to_json())
    else:
        say(f"request {record.number} opened at {record.created_at.isoformat()}")


@request_app.command("show")
def show(ctx: typer.Context, number: int = typer.Argument(..., help="Request number."),
         as_json: bool = JSON) -> None:
    """The whole request: fields, work order, deadlines, activity and audit trail."""
    detail = request_detail(ctx.obj.engine(), number)
    if as_json:
        emit_json(detail)
        return
    for key, value in detail.items():
        if key not in ("activity", "audit"):
            say(f"{key}: {value}")
    for line in detail["activity"]:
        say(f"  {line['at']} {line['kind']} {line['agent'] or ''}: {line['body']}")
    for entry in detail["audit"]:
        say(f"  {entry['at']} {entry['actor']} {entry['action']} {entry['changes']}")
