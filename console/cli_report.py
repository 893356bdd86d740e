"""`callcenter report …`: the group that report commands attach to (volume, sla, kb)."""

from __future__ import annotations

import typer

report_app = typer.Typer(help="Reports: volume, SLA, knowledge-base usage.", no_args_is_help=True)
