"""`callcenter agent add|passwd|list|away|back`."""

from __future__ import annotations

import sys

import typer

from console.options import JSON, parse_time
from console.output import emit_json, say, table
from domain.errors import InvalidInput
from storage.agents import add_agent, list_agents, set_away, set_back, set_password

agent_app = typer.Typer(help="Manage agents, supervisors and admins.", no_args_is_help=True)


def _read_password(from_stdin: bool, *, confirm: bool) -> str | None:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InvalidInput("no password on standard input", where="--password-stdin")
        return password
    if not sys.stdin.isatty():
        return None
    return typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@agent_app.command("add")
def add(
    ctx: typer.Context,
    login: str = typer.Argument(...),
    name: str = typer.Option(..., "--name"),
    role: str = typer.Option("agent", "--role", help="agent, supervisor or admin."),
    category: list[str] = typer.Option([], "--category", help="Routing category path (repeatable)."),
    language: list[str] = typer.Option([], "--language", help="Language the agent speaks (repeatable)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    as_json: bool = JSON,
) -> None:
    """Add an agent; without a password they cannot sign in until `agent passwd`."""
    password = _read_password(password_stdin, confirm=True)
    record = add_agent(ctx.obj.engine(), login=login, name=name, role=role, now=ctx.obj.now(),
                       password=password, languages=language or None, categories=category)
    if as_json:
        emit_json(record.to_json())
    else:
        say(f"agent {record.login} added ({record.role})")


@agent_app.command("passwd")
def passwd(ctx: typer.Context, login: str = typer.Argument(...),
           password_stdin: bool = typer.Option(False, "--password-stdin")) -> None:
    """Set an agent's password."""
    password = _read_password(password_stdin, confirm=True)
    if password is None:
        raise InvalidInput("give the password on standard input with --password-stdin", where="password")
    set_password(ctx.obj.engine(), login=login, password=password, now=ctx.obj.now())
    say(f"password of {login} changed")


@agent_app.command("list")
def list_(ctx: typer.Context, as_json: bool = JSON) -> None:
    """Every agent with role, categories and whether they are away now."""
    agents = list_agents(ctx.obj.engine(), now=ctx.obj.now())
    if as_json:
        emit_json([a.to_json() for a in agents])
        return
    table("Agents", ["login", "name", "role", "away", "categories"],
          [(a.login, a.name, a.role, "yes" if a.away else "", ", ".join(a.categories)) for a in agents])


@agent_app.command("away")
def away(
    ctx: typer.Context,
    login: str = typer.Argument(...),
    from_: str = typer.Option(None, "--from", help="Start (ISO time; default now)."),
    to: str = typer.Option(None, "--to", help="End (ISO time; default until `agent back`)."),
    reason: str = typer.Option("", "--reason"),
) -> None:
    """Mark an agent out of office: no automatic assignment reaches them."""
    now = ctx.obj.now()
    starts = parse_time(from_, where="--from") if from_ else now
    ends = parse_time(to, where="--to") if to else None
    set_away(ctx.obj.engine(), login=login, starts_at=starts, ends_at=ends, reason=reason, now=now)
    say(f"{login} away from {starts.isoformat()}" + (f" to {ends.isoformat()}" if ends else ""))


@agent_app.command("back")
def back(ctx: typer.Context, login: str = typer.Argument(...)) -> None:
    """End an agent's out-of-office period now."""
    ended = set_back(ctx.obj.engine(), login=login, now=ctx.obj.now())
    say(f"{login} is back ({ended} absence(s) ended)")
