"""Where every command group is attached to the `callcenter` app, loaded only when used.

One module per area keeps each owner's commands apart: `cli_admin` (init, info),
`cli_agent`, `cli_request`, `cli_seed` (seed, demo, export open311), `cli_kb`,
`cli_queue` (queue, sla, request lifecycle), `cli_report`, `cli_monitor`,
`cli_transfer` (backup, restore, export/import JSON).

Importing them all (and through them SQLModel's tables, Rich progress bars, ...) took
longer than the console needs to paint, so `callcenter` imports only the module of the
command it runs: `COMMANDS` names, for every top-level command, the module that defines
it. `callcenter --help` (and a mistyped command, for its suggestions) still loads them all.
`tests/cli/test_lazy_commands.py` checks that `COMMANDS` matches `register_all`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import typer


@dataclass(frozen=True)
class Source:
    """Where a top-level command comes from."""

    module: str
    attribute: str
    """`register(app)` adding plain commands, or a Typer sub-app."""
    group: str | None = None
    """The sub-app's name, None when `attribute` is a `register` function."""
    also: tuple[str, ...] = ()
    """Modules that add commands to the sub-app when imported (imported first)."""


_ADMIN = Source("console.cli_admin", "register")
_SEED = Source("console.cli_seed", "register")
_TRANSFER = Source("console.cli_transfer", "register")

# Every top-level command in the order `callcenter --help` lists it: plain commands in
# the order they were registered, then the groups.
COMMANDS: dict[str, Source] = {
    "init": _ADMIN,
    "info": _ADMIN,
    "console": Source("console.cli_console", "register"),
    "seed": _SEED,
    "demo": _SEED,
    "export": _SEED,
    "monitor": Source("console.cli_monitor", "register"),
    "backup": _TRANSFER,
    "restore": _TRANSFER,
    "import": _TRANSFER,
    "agent": Source("console.cli_agent", "agent_app", "agent"),
    # cli_queue adds the request lifecycle commands (resolve, pend, ...)
    "request": Source("console.cli_request", "request_app", "request", also=("console.cli_queue",)),
    "queue": Source("console.cli_queue", "queue_app", "queue"),
    "sla": Source("console.cli_queue", "sla_app", "sla"),
    # cli_kb_report adds `report kb`
    "report": Source("console.cli_report", "report_app", "report", also=("console.cli_kb_report",)),
    "kb": Source("console.cli_kb", "kb_app", "kb"),
}


def attach(app: typer.Typer, source: Source) -> None:
    """Import `source` and attach its commands (or sub-app) to `app`."""
    for name in source.also:
        importlib.import_module(name)
    target = getattr(importlib.import_module(source.module), source.attribute)
    if source.group is None:
        target(app)
    else:
        app.add_typer(target, name=source.group)


def register_all(app: typer.Typer) -> None:
    """Attach every command module's group (or plain commands) to `app`, eagerly."""
    for source in dict.fromkeys(COMMANDS.values()):
        attach(app, source)
