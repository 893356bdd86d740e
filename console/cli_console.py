"""`callcenter console`: the agent console (plain `callcenter` opens it too)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the `console` command to the app."""

    @app.command()
    def console(ctx: typer.Context) -> None:
        """Open the agent console: sign in, take calls, work the queues."""
        from console.launch import run_console

        run_console(ctx.obj)
