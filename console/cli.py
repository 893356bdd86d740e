"""The `callcenter` command: a contract that scripts rely on.

Every data command takes `--json` and then prints exactly one JSON document on stdout.
Usage errors exit 2; data errors exit 1 with a one-line reason on stderr; never a
traceback (set CALLCENTER_DEBUG=1 to see one).
"""

from __future__ import annotations

import os
import sys

import typer
import typer.main
from typer import TyperException
from typer.core import TyperGroup

from console.commands import COMMANDS, attach
from console.context import CliContext
from console.settings import Settings
from domain.errors import DomainError
from domain.text import one_line
from storage.errors import NotFound, StorageError


class CliGroup(TyperGroup):
    """Turns known errors into one line on stderr and exit 1, anywhere below it.

    Top-level commands are loaded on first use (see `console.commands`).
    """

    def list_commands(self, ctx) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self._load(cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx, args):
        if args and args[0] not in COMMANDS:  # unknown: load all, so "did you mean" sees them
            for name in COMMANDS:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)

    def _load(self, cmd_name: str) -> None:
        scratch = typer.Typer(add_completion=False, pretty_exceptions_enable=False,
                              rich_markup_mode=self.rich_markup_mode,
                              suggest_commands=self.suggest_commands)
        attach(scratch, COMMANDS[cmd_name])
        loaded = typer.main.get_group(scratch).commands
        for name, command in loaded.items():
            self.commands.setdefault(name, command)

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except (DomainError, NotFound, StorageError) as exc:
            _fail(ctx, str(exc))
        except Exception as exc:  # a bug: still one line, unless debugging
            if os.environ.get("CALLCENTER_DEBUG"):
                raise
            _fail(ctx, f"internal error: {type(exc).__name__}: {exc}")


def _fail(ctx: typer.Context, message: str) -> None:
    typer.echo(f"error: {one_line(message)}", err=True)
    ctx.exit(1)


app = typer.Typer(cls=CliGroup, invoke_without_command=True, add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Keyboard-first call-center console and its admin commands.")


@app.callback()
def _main(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", help="Database URL or SQLite file (default: CALLCENTER_DB or the user data dir)."),
) -> None:
    """Keyboard-first call-center console and its admin commands."""
    settings = Settings(db=db) if db else Settings()
    ctx.obj = CliContext(settings=settings)
    if ctx.invoked_subcommand is None:
        from console.launch import run_console

        run_console(ctx.obj)


def main() -> None:
    """Entry point of the `callcenter` script."""
    sys.exit(app(prog_name="callcenter") or 0)


if __name__ == "__main__":
    main()
