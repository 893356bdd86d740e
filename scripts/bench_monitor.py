"""`scripts/bench monitor`: the supervisors' board and the reports on a big office database.

Measured, each next to a raw baseline from the same run on the same database:
- one full board refresh (`storage.monitor.snapshot`: every query the board shows) vs a
  bare covering-index `SELECT category_id, status, count(*) … GROUP BY category_id, status`
  over the whole request table. Target (issue 6): median <= 1.5x.
- a month's volume report (by type, day, category, agent, hour) vs a bare `count(*)` of the
  month's requests, run alternately with it. Target: <= 200 ms. For reference, a bare SQL
  `GROUP BY type` / `category_id` / `assigned_agent_id` over the same month, and the
  reports' CPU time.
- the monitor app's memory: `callcenter monitor`'s app run headless on the database for a
  few refreshes, peak RSS vs an empty Textual app in the same kind of process.
  Target: <= 200 MB. The same run checks that reads never start less than a second apart
  while a supervisor hammers `r`.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text

import benchlib
from storage.engine import display_url, make_engine, read_session
from storage.office import get_setting
from storage.schema import ensure_current
from storage.monitor import snapshot
from storage.reports import office_period, office_zone_of, volume

ROOT = Path(__file__).resolve().parents[1]
BARE_GROUP_BY = "SELECT category_id, status, count(*) FROM request GROUP BY category_id, status"
BARE_MONTH = "SELECT count(*) FROM request WHERE created_at >= :start AND created_at < :end"
BARE_MONTH_GROUP_BY = ("SELECT {column}, count(*) FROM request "
                       "WHERE created_at >= :start AND created_at < :end GROUP BY {column}")
REPORTS = ("type", "day", "category", "agent", "hour")
MONTH_GROUP_BY = {"type": "type", "category": "category_id", "agent": "assigned_agent_id"}
REPORT_CALLS = 10

# Run in a child process so its peak RSS is the monitor's alone.
_APP_PROBE = r"""
import asyncio, json, resource, sys, time
from datetime import datetime
sys.path.insert(0, {root!r})
mode, url, now = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def monitor():
    from console.monitor_app import MonitorApp
    from domain.clock import fixed_clock
    from screens import monitor as board
    from screens.services import Services
    from storage.engine import make_engine
    starts, real = [], board.snapshot
    def timed(engine, *, now):
        starts.append(time.monotonic())
        return real(engine, now=now)
    board.snapshot = timed
    app = MonitorApp(Services(engine=make_engine(url), clock=fixed_clock(now)), refresh_seconds=1)
    async with app.run_test(size=(160, 50)) as pilot:
        while app.screen.refreshes < 4:
            await pilot.press("r")
            await pilot.pause(0.1)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    return {{"reads": len(starts), "min_gap_s": min(gaps) if gaps else None}}

async def empty():
    from textual.app import App
    from textual.widgets import Static
    class Empty(App):
        def compose(self):
            yield Static("empty")
    async with Empty().run_test(size=(160, 50)) as pilot:
        await pilot.pause(1.0)
    return {{}}

result = asyncio.run(monitor() if mode == "monitor" else empty())
print(json.dumps({{**result, "peak_mb": peak_mb()}}))
"""


def _probe(mode: str, url: str, now: datetime) -> dict:
    done = subprocess.run([sys.executable, "-c", _APP_PROBE.format(root=str(ROOT)), mode, url,
                           now.isoformat()], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} probe failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _bare(engine: Engine, sql: str, **params):
    def run() -> None:
        with engine.connect() as connection:
            connection.execute(text(sql), params).all()
    return run


def _cpu_timed(fn, cpu: list[float]) -> list[float]:
    """REPORT_CALLS wall-clock samples of `fn` (after one warm-up); its CPU seconds go to `cpu`."""
    fn()
    samples = []
    for _ in range(REPORT_CALLS):
        wall, used = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - used)
    return samples


def _plan(engine: Engine, sql: str) -> str:
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        return " / ".join(str(row[-1]) for row in connection.exec_driver_sql(explain + sql))


def _existing(path: str) -> benchlib.Dataset:
    """A data set made before under another schema hash, upgraded to the current schema."""
    engine = make_engine(path)
    try:
        ensure_current(engine)
        with read_session(engine) as session:
            marker = get_setting(session, "bench_dataset")
    finally:
        engine.dispose()
    if not marker:
        raise SystemExit(f"{path} is not a benchmark data set (no bench_dataset marker)")
    return benchlib.Dataset(url=path, scale=marker["scale"], seed=marker["seed"],
                            sizes=benchlib.Sizes.for_scale(marker["scale"]),
                            now=datetime.fromisoformat(marker["now"]),
                            generated_seconds=marker.get("generated_seconds"))


def main(argv: list[str]) -> int:
    """Run the monitor benchmark and print/save its report."""
    parser = benchlib.parser("monitor", __doc__.splitlines()[0])
    parser.add_argument("--refreshes", type=int, default=20, help="board refreshes per run")
    parser.add_argument("--skip-rss", action="store_true", help="leave out the app memory probe")
    parser.add_argument("--file", metavar="PATH", default=None,
                        help="use this SQLite data set file (made before under another schema)")
    args = parser.parse_args(argv)
    console = benchlib.wide_console()
    data = _existing(args.file) if args.file else benchlib.dataset_from(args, console)
    engine = make_engine(data.url)
    now = data.now
    # The last whole month before the data set's "now", in the office's zone.
    last_day = now.astimezone(office_zone_of(engine)).date().replace(day=1) - timedelta(days=1)
    zone, start, end = office_period(engine, last_day.replace(day=1), last_day)
    try:
        refresh = lambda: snapshot(engine, now=now)  # noqa: E731
        bare = _bare(engine, BARE_GROUP_BY)
        refresh(), bare()  # warm caches and connections on both sides
        board_runs, bare_runs = benchlib.interleaved(
            lambda: benchlib.time_calls(refresh, count=args.refreshes, warmup=1),
            lambda: benchlib.time_calls(bare, count=args.refreshes, warmup=1), runs=args.runs)
        month_bare, reports, month_group_by, report_cpu = [], {}, {}, {}
        for by in REPORTS:
            cpu: list[float] = []
            report_runs, count_runs = benchlib.interleaved(
                lambda by=by, cpu=cpu: _cpu_timed(
                    lambda: volume(engine, start=start, end=end, by=by), cpu),
                lambda: benchlib.time_calls(_bare(engine, BARE_MONTH, start=start, end=end),
                                            count=REPORT_CALLS, warmup=1), runs=args.runs)
            reports[by] = [s for run in report_runs for s in run]
            month_bare += [s for run in count_runs for s in run]
            report_cpu[by] = cpu
        for by, column in MONTH_GROUP_BY.items():
            month_group_by[by] = benchlib.time_calls(
                _bare(engine, BARE_MONTH_GROUP_BY.format(column=column), start=start, end=end),
                count=REPORT_CALLS, warmup=1)
        month_total = volume(engine, start=start, end=end, by="type").total
        board = snapshot(engine, now=now)
        plan = _plan(engine, BARE_GROUP_BY)
    finally:
        engine.dispose()
    report = benchlib.Report("monitor", database=display_url(data.url), dataset=data.describe(),
                             console=console)
    report.add(benchlib.metric(
        "full board refresh", "ms", [s for run in board_runs for s in run],
        [s for run in bare_runs for s in run], factor=1000,
        baseline_label="bare covering-index GROUP BY category_id, status",
        targets=[benchlib.Target("median", "<=", 1.5)]))
    for by, samples in reports.items():
        report.add(benchlib.metric(
            f"month volume report by {by}", "ms", samples, month_bare, factor=1000,
            baseline_label="bare count(*) of the month",
            targets=[benchlib.Target("p95", "<=", 200, kind="absolute")]))
    for by, samples in month_group_by.items():
        report.add(benchlib.metric(
            f"bare SQL GROUP BY {MONTH_GROUP_BY[by]} of the month (reference)", "ms", samples,
            month_bare, factor=1000, baseline_label="bare count(*) of the month"))
    if not args.skip_rss:
        empty = _probe("empty", data.url, now)
        app = _probe("monitor", data.url, now)
        report.add(benchlib.metric(
            "monitor app peak RSS", "MB", [app["peak_mb"]], [empty["peak_mb"]],
            baseline_label="empty Textual app", targets=[benchlib.Target("max", "<=", 200, kind="absolute")]))
        report.add(benchlib.metric(
            "shortest gap between board reads", "s", [app["min_gap_s"]],
            baseline_label="", higher_is_better=True,
            targets=[benchlib.Target("min", ">=", 0.99, kind="absolute")]))
        report.note(f"app probe: {app['reads']} reads while `r` was pressed every 0.1 s")
    open_requests = sum(c.depth for c in board.categories)
    report.note(f"board: {len(board.categories)} queues, {open_requests:,} open requests, "
                f"{len(board.agents)} agents, {board.today.total} requests today")
    report.note(f"month {start.astimezone(zone).date()} – {(end - timedelta(seconds=1)).astimezone(zone).date()} "
                f"({zone.key}): {month_total:,} requests")
    report.note(f"baseline plan: {plan}")
    report.note("month reports, CPU time of this process per call (median ms; less "
                "sensitive to other load than wall time): " + ", ".join(
                    f"by {by} {statistics.median(cpu) * 1000:.1f}" for by, cpu in report_cpu.items()))
    report.note("the board reads open requests in one pass over the partial index ix_request_open, "
                "what agents work on by a seek per agent in ix_request_held, today's volume through "
                "ix_request_reporting, today's resolutions through ix_request_resolved")
    report.print()
    report.save(Path(args.out) if args.out else None)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
