"""`callcenter monitor`: the supervisors' live board in the terminal, on the configured database."""

from __future__ import annotations

import typer

from domain.errors import InvalidInput
from domain.roles import can_supervise
from storage.agents import list_agents

MONITOR_HELP = "The live board of queues, agents and today's volume (q quits)."


def register(app: typer.Typer) -> None:
    """Add `monitor` to the app."""

    @app.command(help=MONITOR_HELP)
    def monitor(
        ctx: typer.Context,
        as_login: str = typer.Option(None, "--as", help="Supervisor acting from the board "
                                                        "(without it the board is read-only)."),
        refresh: float = typer.Option(3.0, "--refresh", min=1.0,
                                      help="Seconds between refreshes (at least 1)."),
    ) -> None:
        from console.i18n import set_language
        from console.monitor_app import MonitorApp
        from screens.services import Services

        cli = ctx.obj
        engine = cli.engine()
        now = cli.now()
        agent = None
        if as_login:
            agent = next((a for a in list_agents(engine, now=now) if a.login == as_login), None)
            if agent is None:
                raise InvalidInput(f"no agent with login {as_login!r}", where="--as")
            if not can_supervise(agent.role):
                raise InvalidInput(f"{as_login} is an {agent.role}, not a supervisor", where="--as")
        set_language(cli.settings.language)
        services = Services(engine=engine, clock=cli.clock, agent=agent,
                            language=cli.settings.language)
        MonitorApp(services, refresh_seconds=refresh).run()
