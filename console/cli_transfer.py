"""`callcenter backup|restore|import`, and the JSON export that `callcenter export --json` runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from console.context import CliContext
from console.options import JSON
from console.output import emit_json, say
from storage import backup as backups
from storage import schema, transfer
from storage.engine import display_url


@contextlib.contextmanager
def _progress(description: str, total: int | None) -> Iterator[Any]:
    """A Rich progress bar on stderr (stdout stays one JSON document); yields `advance(table, n)`."""
    # Imported here: every `callcenter` start (the console too) loads this module.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as bar:
        task = bar.add_task(description, total=total)

        def advance(table: str, rows: int) -> None:
            bar.update(task, advance=rows, description=f"{description} {table}")

        yield advance


def export_json(cli_context: CliContext, directory: Path) -> dict:
    """Export the whole office as JSON files into `directory`; return a summary for printing."""
    engine = cli_context.engine()
    with _progress("exporting", None) as advance:
        manifest = transfer.export_office(engine, directory, progress=advance,
                                          source=display_url(cli_context.settings.db))
    counts = {name: info["rows"] for name, info in manifest["tables"].items()}
    return {"directory": str(directory), "schema": manifest["schema"], "rows": sum(counts.values()),
            "tables": counts}


def _manifest_total(directory: Path) -> int:
    """Rows the export holds (its manifest is checked here, before any progress is shown)."""
    tables = transfer.read_manifest(directory)["tables"].values()
    return sum(t.get("rows") or 0 for t in tables if isinstance(t, dict))


def register(app: typer.Typer) -> None:
    """Add `backup`, `restore` and `import` to the app."""

    @app.command()
    def backup(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="The backup file to write (must not exist)."),
        as_json: bool = JSON,
    ) -> None:
        """Copy the database consistently while consoles keep working (PostgreSQL: pg_dump)."""
        engine = ctx.obj.engine()
        result = backups.backup(engine, file)
        _report(result, "backed up to", as_json)

    @app.command()
    def restore(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="A file made by `callcenter backup`."),
        force: bool = typer.Option(False, "--force", help="Overwrite a database that holds data."),
        as_json: bool = JSON,
    ) -> None:
        """Put a backup back; refuses to overwrite a non-empty database without --force."""
        engine = ctx.obj.raw_engine()
        result = backups.restore(engine, file, force=force)
        if result.ran:
            schema.ensure_current(engine)  # a backup from an older version is upgraded
        _report(result, "restored from", as_json)

    @app.command("import")
    def import_(
        ctx: typer.Context,
        directory: Path = typer.Argument(..., help="A directory made by `callcenter export --json`."),
        force: bool = typer.Option(False, "--force", help="Replace the contents of a non-empty database."),
        as_json: bool = JSON,
    ) -> None:
        """Load an office exported as JSON (from SQLite or PostgreSQL) in one transaction."""
        engine = ctx.obj.engine()
        total = _manifest_total(directory)
        with _progress("importing", total) as advance:
            counts = transfer.import_office(engine, directory, force=force, progress=advance)
        summary = {"directory": str(directory), "database": display_url(ctx.obj.settings.db),
                   "rows": sum(counts.values()), "tables": counts}
        if as_json:
            emit_json(summary)
        else:
            say(f"imported {summary['rows']:,} rows in {len(counts)} tables into {summary['database']}")


def _report(result: backups.BackupResult, verb: str, as_json: bool) -> None:
    if as_json:
        emit_json({"file": result.path, "bytes": result.bytes, "engine": result.engine,
                   "command": result.command, "ran": result.ran})
        return
    if not result.ran:
        say(f"{result.command[0]} is not installed here. On a machine that has the PostgreSQL "
            "client tools, run (password in PGPASSWORD):")
        say("  " + " ".join(result.command))
        return
    say(f"{verb} {result.path} ({result.bytes / 1e6:,.1f} MB, {result.engine})")


__all__ = ["export_json", "register"]
