"""Where every command group is attached to the `callcenter` app.

One module per area keeps each owner's commands apart: `cli_admin` (init, info),
`cli_agent`, `cli_request`, `cli_seed` (seed, demo, export open311), `cli_kb`,
`cli_queue` (queue, sla, request lifecycle), `cli_report`, `cli_monitor`,
`cli_transfer` (backup, restore, export/import JSON).
"""

from __future__ import annotations

import importlib

import typer

# (module, attribute, group name or None when the module adds plain commands)
_GROUPS: list[tuple[str, str, str | None]] = [
    ("console.cli_admin", "register", None),
    ("console.cli_console", "register", None),
    ("console.cli_agent", "agent_app", "agent"),
    ("console.cli_request", "request_app", "request"),
    ("console.cli_queue", "queue_app", "queue"),  # also adds the request lifecycle commands
    ("console.cli_queue", "sla_app", "sla"),
    ("console.cli_seed", "register", None),
    ("console.cli_report", "report_app", "report"),
    ("console.cli_kb", "kb_app", "kb"),  # also adds `report kb`
    ("console.cli_monitor", "register", None),
    ("console.cli_transfer", "register", None),
]


def register_all(app: typer.Typer) -> None:
    """Attach every command module's group (or plain commands) to `app`."""
    for module_name, attribute, name in _GROUPS:
        module = importlib.import_module(module_name)
        target = getattr(module, attribute)
        if name is None:
            target(app)
        else:
            app.add_typer(target, name=name)
