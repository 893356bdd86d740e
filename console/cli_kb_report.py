"""`callcenter report kb`: most used articles, searches that found nothing, articles never used."""

from __future__ import annotations

import typer

from console.cli_report import report_app
from console.options import JSON, parse_time
from console.output import emit_json, say, table
from storage.kb_report import kb_report


@report_app.command("kb")
def report_kb(
    ctx: typer.Context,
    since: str = typer.Option(None, "--since", help="Only usage from this time on (ISO, e.g. 2026-11-01)."),
    limit: int = typer.Option(20, "--limit", min=1, help="Rows per list."),
    as_json: bool = JSON,
) -> None:
    """Knowledge-base usage: most used articles, content gaps (searches with no result), never used."""
    start = parse_time(since, where="--since") if since else None
    report = kb_report(ctx.obj.engine(), since=start, limit=limit)
    if as_json:
        emit_json(report)
        return
    table("Most used articles", ["slug", "title", "lang", "opened", "answered"],
          [(r["slug"], r["title"], r["language"], r["opened"], r["answered"]) for r in report["most_used"]])
    table(f"Searches that found nothing ({report['content_gaps_total']})", ["query", "searches", "last"],
          [(g["query"], g["searches"], g["last_at"]) for g in report["content_gaps"]])
    table(f"Published articles never used ({report['never_used_total']})", ["slug", "title", "lang"],
          [(r["slug"], r["title"], r["language"]) for r in report["never_used"]])
    if report["never_used_total"] > len(report["never_used"]):
        say(f"… and {report['never_used_total'] - len(report['never_used'])} more never used")
