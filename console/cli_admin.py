"""`callcenter init` and `callcenter info`."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import typer
from sqlalchemy import func, select

from console.options import JSON
from console.output import emit_json, say, table
from storage import schema
from storage.engine import display_url, read_session
from storage.tables import (Agent, Article, AuditEntry, Customer, Department, ProblemCode,
                            Provider, Request, RoutingCategory, ServiceCategory, WorkOrder)

COUNTED = {"requests": Request, "customers": Customer, "work_orders": WorkOrder,
           "articles": Article, "agents": Agent, "departments": Department,
           "providers": Provider, "service_categories": ServiceCategory,
           "problem_codes": ProblemCode, "routing_categories": RoutingCategory,
           "audit_entries": AuditEntry}


def program_version() -> str:
    try:
        return version("callcenter")
    except PackageNotFoundError:
        return "0+unknown"


def register(app: typer.Typer) -> None:
    """Add `init` and `info` to the app."""

    @app.command()
    def init(ctx: typer.Context, as_json: bool = JSON) -> None:
        """Create the database or upgrade its schema to this program's version."""
        engine = ctx.obj.raw_engine()
        before = schema.current_revision(engine)
        schema.upgrade(engine)
        after = schema.current_revision(engine)
        result = {"database": display_url(ctx.obj.settings.db), "from": before, "to": after}
        if as_json:
            emit_json(result)
        else:
            say(f"{result['database']}: schema {before or 'empty'} -> {after}")

    @app.command()
    def info(ctx: typer.Context, as_json: bool = JSON) -> None:
        """Version, database (without password), schema revision and row counts."""
        engine = ctx.obj.engine()
        with read_session(engine) as session:
            counts = {name: session.execute(select(func.count()).select_from(model)).scalar_one()
                      for name, model in COUNTED.items()}
        result = {"version": program_version(), "database": display_url(ctx.obj.settings.db),
                  "schema": schema.current_revision(engine), "counts": counts}
        if as_json:
            emit_json(result)
            return
        say(f"callcenter {result['version']}")
        say(f"database: {result['database']} (schema {result['schema']})")
        table("Rows", ["table", "rows"], sorted(counts.items()))
