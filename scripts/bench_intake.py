"""`scripts/bench intake`: save-first commits through the real code vs a bare INSERT commit.

Measured: `storage.requests.open_request` (the request row, its audit entry and its
routing in one BEGIN IMMEDIATE transaction, read back as a record), with the data set's
million rows present. Baseline: one bare single-row `INSERT INTO request` committed on a raw DB-API
connection of the same engine (same `synchronous` setting), in the same run.
Targets (issue 7): rate >= 0.25x the raw rate, p99 <= 3x the raw p99.
"""

from __future__ import annotations

import time
from pathlib import Path
from datetime import datetime, timezone

from sqlalchemy import Engine

import benchlib
from storage.engine import display_url, make_engine
from storage.requests import open_request

RAW_INSERT = ("INSERT INTO request (channel, status, created_at, complaint, escalated, subject, "
              "notes, resolution_note, address, field_values) "
              "VALUES ('phone', 'new', {p}, {f}, {f}, '', '', '', '', '{{}}')")


def _raw_run(engine: Engine, count: int) -> tuple[list[float], float]:
    """`count` bare INSERT commits; their latencies and the run's wall time."""
    sqlite = engine.dialect.name == "sqlite"
    sql = RAW_INSERT.format(p="?" if sqlite else "%s", f="0" if sqlite else "false")
    connection = engine.raw_connection()
    cursor = connection.cursor()
    samples = []
    try:
        started = time.perf_counter()
        for _ in range(count):
            t0 = time.perf_counter()
            now = datetime.now(timezone.utc)
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(sql, (now.strftime("%Y-%m-%d %H:%M:%S.%f"),))
                cursor.execute("COMMIT")
            else:
                cursor.execute(sql, (now,))
                connection.commit()
            samples.append(time.perf_counter() - t0)
        return samples, time.perf_counter() - started
    finally:
        cursor.close()
        connection.close()


def _real_run(engine: Engine, count: int, agent_ids: list[int]) -> tuple[list[float], float]:
    """`count` save-first opens by rotating agents; latencies and wall time."""
    samples = []
    started = time.perf_counter()
    for index in range(count):
        agent = agent_ids[index % len(agent_ids)]
        t0 = time.perf_counter()
        open_request(engine, now=datetime.now(timezone.utc), agent_id=agent,
                     actor=f"agent{agent:03d}", channel="phone")
        samples.append(time.perf_counter() - t0)
    return samples, time.perf_counter() - started


def _durability(engine: Engine) -> str:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            level = connection.exec_driver_sql("PRAGMA synchronous").scalar_one()
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
            return f"SQLite journal_mode={mode}, synchronous={ {0: 'OFF', 1: 'NORMAL', 2: 'FULL', 3: 'EXTRA'}[level]}"
        sync = connection.exec_driver_sql("SHOW synchronous_commit").scalar_one()
        fsync = connection.exec_driver_sql("SHOW fsync").scalar_one()
        return f"PostgreSQL synchronous_commit={sync}, fsync={fsync}"


def main(argv: list[str]) -> int:
    """Run the intake benchmark and print/save its report."""
    parser = benchlib.parser("intake", __doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=300, help="commits per run and side")
    args = parser.parse_args(argv)
    console = benchlib.wide_console()
    data = benchlib.dataset_from(args, console)
    agent_ids = list(range(1, data.sizes.agents + 1))
    with benchlib.working_copy(data) as url:
        engine = make_engine(url)
        try:
            _real_run(engine, 20, agent_ids)  # warm both paths: connections, statement caches
            _raw_run(engine, 20)
            real_runs, raw_runs = benchlib.interleaved(
                lambda: _real_run(engine, args.commits, agent_ids),
                lambda: _raw_run(engine, args.commits), runs=args.runs)
            durability = _durability(engine)
        finally:
            engine.dispose()
    report = benchlib.Report("intake", database=display_url(data.url), dataset=data.describe(),
                             console=console)
    report.add(benchlib.metric(
        "commits per second", "1/s", [args.commits / wall for _s, wall in real_runs],
        [args.commits / wall for _s, wall in raw_runs], baseline_label="bare INSERT commits",
        higher_is_better=True, targets=[benchlib.Target("median", ">=", 0.25)]))
    report.add(benchlib.metric(
        "open_request latency", "ms", [s for samples, _w in real_runs for s in samples],
        [s for samples, _w in raw_runs for s in samples], factor=1000,
        baseline_label="bare INSERT commit", targets=[benchlib.Target("p99", "<=", 3.0)]))
    report.note(f"{args.runs} runs x {args.commits} commits per side, interleaved; {durability}")
    report.note("each open_request is one write transaction (BEGIN IMMEDIATE on SQLite): request row, audit entry, "
                "routing (routing set-up read, priority rules, deadlines on the business calendar), "
                "then the record read back; the raw side inserts one row")
    report.note("limited by the fsync of each commit (WAL append + sync): both sides pay it once")
    report.print()
    report.save(Path(args.out) if args.out else None)
    return 0
