"""Starting the Textual console from the CLI (imported only when the console is wanted)."""

from __future__ import annotations

from console.context import CliContext


def run_console(cli: CliContext) -> None:
    """Open the console on the configured database.

    When a plain read of the SQLite file shows its schema is current, the sign-in screen
    paints first and the engine is made in a worker right after (`console.app`); any other
    database is opened, checked and upgraded before the console starts, as the commands do.
    """
    from console.app import build_app
    from storage.schema import sqlite_file_is_current

    if sqlite_file_is_current(cli.settings.db):
        app = build_app(connect=cli.engine, settings=cli.settings, clock=cli.clock)
    else:
        app = build_app(engine=cli.engine(), settings=cli.settings, clock=cli.clock)
    app.run()
    if app.services.engine_error is not None:
        from storage.errors import StorageError

        raise StorageError(app.services.engine_error)
