"""Starting the Textual console from the CLI (imported only when the console is wanted)."""

from __future__ import annotations

from console.context import CliContext


def run_console(cli: CliContext) -> None:
    """Open the console on the configured database."""
    from console.app import build_app

    build_app(engine=cli.engine(), settings=cli.settings, clock=cli.clock).run()
