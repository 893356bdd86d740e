"""`callcenter report volume|sla`: exact request counts and deadlines kept, as tables, JSON or CSV.

Other report commands (`report kb`) attach to the same `report_app` from their own modules.
"""

from __future__ import annotations

import sys
from datetime import date

import typer

from console.options import JSON
from console.output import emit_json, say, table
from domain.errors import InvalidInput
from domain.reporting import Dimension, SlaDimension, write_csv
from storage.reports import office_period, office_sla, office_zone_of, volume

report_app = typer.Typer(help="Reports: volume, SLA, knowledge-base usage.", no_args_is_help=True)

CSV = typer.Option(False, "--csv", help="Print CSV (a header line, then one line per row).")
FROM = typer.Option(None, "--from", help="First day, YYYY-MM-DD in the office's time zone "
                                         "(default: the first of this month).")
TO = typer.Option(None, "--to", help="Last day, included (default: today).")


def _day(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date like 2026-11-30", where=where) from None


def _period(ctx: typer.Context, first: str | None, last: str | None):
    """The engine, and the UTC bounds of the office-local days asked for."""
    engine = ctx.obj.engine()
    today = ctx.obj.now().astimezone(office_zone_of(engine)).date()
    start_day = _day(first, "--from") if first else today.replace(day=1)
    end_day = _day(last, "--to") if last else max(today, start_day)
    zone, start, end = office_period(engine, start_day, end_day)
    return engine, zone, start_day, end_day, start, end


def _check_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv", param_hint="--csv")


def _print(report, first, last, *, as_json: bool, as_csv: bool, heading: str,
           human: tuple[list[str], list[list]], footer: str) -> None:
    """One JSON document, CSV with every column, or a heading, a narrow table and a footer."""
    if as_json:
        emit_json({**report.to_json(), "from": first.isoformat(), "to": last.isoformat()})
    elif as_csv:
        write_csv(*report.table(), sys.stdout)
        sys.stdout.flush()
    else:
        say(heading)
        table("", *human)
        say(footer)


@report_app.command("volume")
def volume_command(
    ctx: typer.Context,
    from_: str = FROM,
    to: str = TO,
    by: Dimension = typer.Option(Dimension.TYPE, "--by", help="What to count requests by."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """How many requests were opened, by type, channel, hierarchy, category, agent, day or hour.

    Every request opened in the period is counted exactly once; requests that have no
    value yet (no type, no category, ...) are the "(none)" row.
    """
    _check_format(as_json, as_csv)
    engine, zone, first, last, start, end = _period(ctx, from_, to)
    report = volume(engine, start=start, end=end, by=by, zone=zone)
    _print(report, first, last, as_json=as_json, as_csv=as_csv, human=report.table(),
           heading=f"Requests opened {first} – {last} by {by.value} (days in {zone.key})",
           footer=f"total: {report.total}")


@report_app.command("sla")
def sla_command(
    ctx: typer.Context,
    from_: str = FROM,
    to: str = TO,
    by: SlaDimension = typer.Option(SlaDimension.PRIORITY, "--by", help="Group by priority or category."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """Response and resolution deadlines met and breached, with median times in business hours.

    Covers requests opened in the period; deadlines not yet due count as open.
    """
    _check_format(as_json, as_csv)
    engine, zone, first, last, start, end = _period(ctx, from_, to)
    report = office_sla(engine, start=start, end=end, now=ctx.obj.now(), by=by)
    hours = "business hours" if report.business_hours else "wall-clock hours (no office calendar)"
    _print(report, first, last, as_json=as_json, as_csv=as_csv, human=report.summary(),
           heading=f"Deadlines of requests opened {first} – {last} by {by.value}; times in {hours}",
           footer="response, resolution: deadlines met/breached/still open; "
                  "kept: resolution deadlines met")
