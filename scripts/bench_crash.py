"""`scripts/bench crash --kills N`: SIGKILL the console mid-call N times; count what was lost.

Runs on a working copy of the SQLite data set (crash safety is about SQLite's file on
this machine; PostgreSQL's durability is the server's). Reports requests shown but lost,
fields saved longer than the autosave interval ago but lost, integrity check failures,
and how old the oldest unsaved keystroke was at each kill.
"""

from __future__ import annotations

import random
from pathlib import Path

from rich.progress import Progress

import benchlib
from benchlib import crash
from storage.engine import display_url


def main(argv: list[str]) -> int:
    """Run the kills and print/save the report; exit 1 if anything was lost."""
    parser = benchlib.parser("crash", __doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="how many times to kill the console")
    parser.add_argument("--autosave-ms", type=int, default=300, help="the console's autosave interval")
    parser.add_argument("--grace-ms", type=int, default=300,
                        help="time allowed for a started save to commit, on top of the interval")
    parser.set_defaults(scale=0.01)
    args = parser.parse_args(argv)
    if args.db:
        parser.error("the crash benchmark runs on SQLite only (it checks the database file)")
    console = benchlib.wide_console()
    data = benchlib.dataset_from(args, console)
    rng = random.Random(args.seed)
    rounds: list[crash.Round] = []
    with benchlib.working_copy(data) as url:
        crash.prepare(url)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("killing the console", total=args.kills)
            for _ in range(args.kills):
                rounds.append(crash.one_round(url, rng=rng, autosave_ms=args.autosave_ms,
                                              grace_ms=args.grace_ms))
                progress.advance(task)
    report = benchlib.Report("crash", database=display_url(data.url), dataset=data.describe(),
                             console=console)
    shown = sum(len(r.shown) for r in rounds)
    requests_lost = sum(len(r.requests_lost) for r in rounds)
    fields = sum(r.fields_checked for r in rounds)
    fields_lost = sum(len(r.fields_lost) for r in rounds)
    fields_late = sum(len(r.fields_late) for r in rounds)
    bad_integrity = sum(1 for r in rounds if r.integrity != "ok")
    report.add(benchlib.metric("requests lost per kill", "count", [len(r.requests_lost) for r in rounds],
                               targets=[benchlib.Target("max", "==", 0, kind="absolute")]))
    report.add(benchlib.metric("fields lost per kill", "count", [len(r.fields_lost) for r in rounds],
                               targets=[benchlib.Target("max", "==", 0, kind="absolute")]))
    report.add(benchlib.metric("fields not saved autosave + grace after typing", "count",
                               [len(r.fields_late) for r in rounds],
                               targets=[benchlib.Target("max", "==", 0, kind="absolute")]))
    report.add(benchlib.metric("keystroke sent -> on screen", "ms",
                               [lag for r in rounds for lag in r.echo_lags], factor=1000))
    report.add(benchlib.metric("oldest unsaved keystroke at kill", "ms",
                               [r.unsaved_seconds for r in rounds], factor=1000,
                               targets=[benchlib.Target("max", "<=", args.autosave_ms + args.grace_ms,
                                                        kind="absolute")]))
    report.add(benchlib.metric("kill moment after start", "s", [r.killed_after for r in rounds]))
    report.extra["totals"] = {"kills": len(rounds), "requests_shown": shown,
                              "requests_lost": requests_lost, "fields_checked": fields,
                              "fields_lost": fields_lost, "fields_late": fields_late,
                              "integrity_failures": bad_integrity}
    report.extra["losses"] = [line for r in rounds for line in r.fields_lost + r.fields_late] + [
        f"request {n} shown but missing" for r in rounds for n in r.requests_lost]
    report.note(f"{len(rounds)} kills: {shown} requests shown, {requests_lost} lost; {fields} fields "
                f"typed into, {fields_lost} lost, {fields_late} late; integrity_check failed "
                f"{bad_integrity} times")
    report.note("lost = text the console showed while its header said 'saved' is missing; late = "
                f"text on screen more than {args.autosave_ms} ms (autosave) + {args.grace_ms} ms "
                "(commit) before the kill is missing (depends on how busy the machine is)")
    for line in report.extra["losses"][:10]:
        report.note(line)
    report.print()
    report.save(Path(args.out) if args.out else None)
    return 0 if requests_lost == fields_lost == fields_late == bad_integrity == 0 else 1
