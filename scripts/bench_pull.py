"""`scripts/bench pull`: pull-next claims by concurrent processes vs bare single-row UPDATE commits.

On a working copy of the data set (1,000,000 requests at scale 1), a backlog of requests
is put back into the queues of 8 agents, each a member of several categories. Then, in
interleaved runs of a few seconds, the same 8 OS processes either
- pull: call `storage.queue.claim_next_request`, what F5 calls (the atomic claim with its
  audit entry, returning the request's number; the console then opens the request with
  an ordinary read, outside the claim), or
- raw: commit bare single-row `UPDATE request SET assigned_agent_id = ?, assigned_at = ?,
  status = ?, updated_at = ? WHERE id = ? RETURNING id` — the bare `UPDATE … RETURNING`
  commit the issues name, writing the very columns a claim writes, without choosing the
  row or auditing it — (BEGIN IMMEDIATE on SQLite) on raw connections of the same
  engine, each commit on a different finished request.
A `touch` run (`UPDATE request SET updated_at = ? WHERE id = ?`, which changes no indexed
column and so is cheaper than any claim can be) is reported alongside for reference.
Reported: claims per second, claim latency (p99, max), double claims and errors, and on
SQLite how many claims each write transaction carried (the puller whose turn it is
claims for every puller waiting: `storage.pull_sqlite`). Targets
(issue 5): >= 0.5x the raw rate, zero doubles, zero errors, max latency <= 0.5x the busy
timeout on SQLite and <= 100 ms on PostgreSQL. Then the naive select-then-update (plain
SQLAlchemy sessions, default pysqlite transactions) runs once to show the check sees doubles.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, func, select, text, update

import benchlib
from storage.engine import BUSY_TIMEOUT_MS, display_url, make_engine, normalise_url
from storage.tables import Request
from storage.tables_routing import queued

R = Request.__table__


@dataclass
class RunResult:
    """What the workers of one run did."""

    claims: list[tuple[int, int]] = field(default_factory=list)  # (agent id, request number)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    per_turn: Counter = field(default_factory=Counter)  # SQLite: claims per write transaction

    @property
    def rate(self) -> float:
        """Claims (or commits) per second of the run."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def _raw_update(engine, agent_id: int):
    """Commit one bare single-row UPDATE by id: the claim's columns, or with `touch` only
    `updated_at`."""
    sqlite = engine.dialect.name == "sqlite"
    connection = engine.raw_connection()
    cursor = connection.cursor()
    mark = "?" if sqlite else "%s"
    claim_sql = (f"UPDATE request SET assigned_agent_id = {mark}, assigned_at = {mark}, "
                 f"status = 'in_progress', updated_at = {mark} WHERE id = {mark} RETURNING id")
    touch_sql = f"UPDATE request SET updated_at = {mark} WHERE id = {mark}"

    def commit_one(number: int, touch: bool) -> None:
        stamp = datetime.now(timezone.utc)
        if sqlite:
            stamp = stamp.strftime("%Y-%m-%d %H:%M:%S.%f")
        values = (stamp, number) if touch else (agent_id, stamp, stamp, number)
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(touch_sql if touch else claim_sql, values)
        if not touch:
            cursor.fetchall()  # RETURNING: read the row back, as a claim does
        if sqlite:
            cursor.execute("COMMIT")
        else:
            connection.commit()

    return commit_one


def _naive_claim(url: str, agent_id: int, categories: list[int]):
    """Select-then-update in plain SQLAlchemy sessions: what not to do."""
    from sqlalchemy.orm import Session

    engine = create_engine(normalise_url(url), connect_args={"timeout": 60}
                           if url.startswith("sqlite") or "://" not in url else {})

    def claim(now: datetime) -> int | None:
        with Session(engine) as session:
            number = session.execute(select(R.c.id).where(
                R.c.category_id.in_(categories), queued()).order_by(
                R.c.resolution_due_at, R.c.id).limit(1)).scalar()
            if number is None:
                return None
            session.execute(update(R).where(R.c.id == number).values(
                assigned_agent_id=agent_id, assigned_at=now, status="in_progress"))
            session.commit()
            return number

    return claim


def _worker(url: str, agent_id: int, categories: list[int], raw_ids: list[int], commands, results) -> None:
    """One agent's process: runs the commands it is sent until told to stop."""
    from storage.pull_sqlite import claims_per_turn
    from storage.queue import claim_next_request

    engine = make_engine(url)
    raw = _raw_update(engine, agent_id)
    naive = None
    position = 0  # never write the same row twice: a repeated write could skip its indexes
    while (command := commands.get()) is not None:
        kind, start_at, seconds = command
        result = RunResult()
        claims_per_turn.clear()
        while time.time() < start_at:
            time.sleep(0.0005)
        end = start_at + seconds
        while time.time() < end:
            t0 = time.perf_counter()
            try:
                if kind in ("raw", "touch"):
                    raw(raw_ids[position % len(raw_ids)], kind == "touch")
                    position += 1
                    number = 0
                elif kind == "pull":
                    number = claim_next_request(engine, agent_id=agent_id, now=datetime.now(timezone.utc))
                else:
                    naive = naive or _naive_claim(url, agent_id, categories)
                    number = naive(datetime.now(timezone.utc))
            except Exception as exc:  # counted and shown: an error must never reach an agent
                result.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            if number is None:
                break  # the agent's queues are empty
            result.latencies.append(time.perf_counter() - t0)
            if number:
                result.claims.append((agent_id, number))
        result.seconds = min(time.time(), end) - start_at
        result.per_turn = Counter(claims_per_turn)
        results.put(result)


class Pool:
    """The benchmark's agent processes, kept alive across runs (start-up is not measured)."""

    def __init__(self, url: str, agents: dict[int, list[int]], raw_ids: list[int]) -> None:
        context = multiprocessing.get_context("spawn")
        self.results = context.Queue()
        self.commands = []
        self.processes = []
        slices = [raw_ids[i::len(agents)] for i in range(len(agents))]
        for (agent_id, categories), ids in zip(agents.items(), slices):
            commands = context.Queue()
            process = context.Process(target=_worker, args=(url, agent_id, categories, ids,
                                                             commands, self.results), daemon=True)
            process.start()
            self.commands.append(commands)
            self.processes.append(process)

    def run(self, kind: str, seconds: float) -> RunResult:
        """All processes do `kind` at once for `seconds`; their results merged."""
        start_at = time.time() + 1.0
        for commands in self.commands:
            commands.put((kind, start_at, seconds))
        merged = RunResult()
        for _ in self.processes:
            part = self.results.get(timeout=seconds + 600)
            merged.claims += part.claims
            merged.latencies += part.latencies
            merged.errors += part.errors
            merged.seconds = max(merged.seconds, part.seconds)
            merged.per_turn += part.per_turn
        return merged

    def close(self) -> None:
        for commands in self.commands:
            commands.put(None)
        for process in self.processes:
            process.join(timeout=30)


def _prepare(engine, *, processes: int, backlog: int) -> tuple[dict[int, list[int]], list[int], int]:
    """Pick the pulling agents (made supervisors: they may hold several), put `backlog`
    finished requests back into their queues, and pick rows for the raw updates."""
    with engine.begin() as connection:
        rows = connection.execute(text(
            "SELECT a.id, m.category_id FROM agent a JOIN category_member m ON m.agent_id = a.id "
            "JOIN routing_category c ON c.id = m.category_id "
            "WHERE a.role = 'agent' AND NOT c.supervisors_only ORDER BY a.id, m.category_id")).all()
        agents: dict[int, list[int]] = {}
        for agent_id, category_id in rows:
            if len(agents) < processes or agent_id in agents:
                agents.setdefault(agent_id, []).append(category_id)
        connection.execute(text(
            f"UPDATE agent SET role = 'supervisor' WHERE id IN ({', '.join(map(str, agents))})"))
        categories = sorted({c for cs in agents.values() for c in cs})
        connection.execute(text(
            "UPDATE request SET status = 'new', assigned_agent_id = NULL, assigned_at = NULL "
            f"WHERE id IN (SELECT id FROM request WHERE category_id IN ({', '.join(map(str, categories))}) "
            "AND status IN ('resolved', 'closed') ORDER BY id DESC LIMIT :n)"), {"n": backlog})
        waiting = connection.execute(select(func.count()).select_from(R).where(
            R.c.category_id.in_(categories), queued())).scalar_one()
        raw_ids = connection.execute(text(  # enough that no run writes one row twice
            "SELECT id FROM request WHERE status = 'closed' ORDER BY id LIMIT 60000")).scalars().all()
    if engine.dialect.name == "postgresql":  # as autovacuum would; SQLite offices never ANALYZE
        with engine.connect() as connection:
            connection.execute(text("ANALYZE request"))
            connection.commit()
    return agents, list(raw_ids), waiting


def _verify(engine, claims: list[tuple[int, int]]) -> int:
    """How many claimed requests the database does not show with the agent that claimed them."""
    wrong = 0
    claimed = dict((number, agent) for agent, number in claims)
    numbers = sorted(claimed)
    with engine.connect() as connection:
        for start in range(0, len(numbers), 5000):
            chunk = numbers[start:start + 5000]
            for number, agent in connection.execute(select(R.c.id, R.c.assigned_agent_id).where(
                    R.c.id.in_(chunk))):
                wrong += agent != claimed[number]
    return wrong


def main(argv: list[str]) -> int:
    """Run the pull benchmark and print/save its report."""
    parser = benchlib.parser("pull", __doc__.splitlines()[0])
    parser.set_defaults(runs=3)
    parser.add_argument("--processes", type=int, default=8, help="concurrent pulling agents")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each run")
    parser.add_argument("--backlog", type=int, default=40000,
                        help="finished requests put back into the agents' queues first")
    args = parser.parse_args(argv)
    console = benchlib.wide_console()
    data = benchlib.dataset_from(args, console)
    with benchlib.working_copy(data) as url:
        engine = make_engine(url)
        agents, raw_ids, waiting = _prepare(engine, processes=args.processes, backlog=args.backlog)
        engine.dispose()
        pool = Pool(url, agents, raw_ids)
        try:
            pool.run("raw", 0.5)  # warm both paths: connections, statement caches
            pool.run("pull", 0.5)
            runs = {"raw": [], "pull": [], "touch": []}
            for index in range(args.runs):
                order = ("raw", "pull", "touch") if index % 2 == 0 else ("touch", "pull", "raw")
                for kind in order:
                    runs[kind].append(pool.run(kind, args.seconds))
            pulls, raws, touches = runs["pull"], runs["raw"], runs["touch"]
            naive = pool.run("naive", min(args.seconds, 3.0))
        finally:
            pool.close()
        engine = make_engine(url)
        claims = [c for run in pulls for c in run.claims]
        misrecorded = _verify(engine, claims)
        engine.dispose()
    sqlite = data.engine_name == "sqlite"
    doubles = len(claims) - len({number for _agent, number in claims})
    naive_counts = Counter(number for _agent, number in naive.claims)
    naive_doubles = sum(n - 1 for n in naive_counts.values() if n > 1)
    errors = [e for run in pulls for e in run.errors]
    report = benchlib.Report("pull", database=display_url(data.url), dataset=data.describe(),
                             console=console)
    report.add(benchlib.metric(
        f"claims per second ({args.processes} processes)", "1/s", [r.rate for r in pulls],
        [r.rate for r in raws], baseline_label="bare UPDATE … WHERE id = ? RETURNING id commits",
        higher_is_better=True, targets=[benchlib.Target("median", ">=", 0.5)]))
    limit = BUSY_TIMEOUT_MS * 0.5 if sqlite else 100
    report.add(benchlib.metric(
        "claim latency (whole claim_next_request)", "ms", [s for r in pulls for s in r.latencies],
        [s for r in raws for s in r.latencies], factor=1000, baseline_label="bare UPDATE … RETURNING commit",
        targets=[benchlib.Target("max", "<=", limit, kind="absolute")]))
    report.add(benchlib.metric("double claims", "claims", [doubles],
                               targets=[benchlib.Target("max", "<=", 0, kind="absolute")]))
    report.add(benchlib.metric("errors reaching the caller", "errors", [len(errors)],
                               targets=[benchlib.Target("max", "<=", 0, kind="absolute")]))
    report.add(benchlib.metric("claims recorded for another agent", "claims", [misrecorded],
                               targets=[benchlib.Target("max", "<=", 0, kind="absolute")]))
    categories = {c for cs in agents.values() for c in cs}
    report.note(f"{args.runs} runs x {args.seconds:g} s per side, interleaved; {len(claims):,} claims "
                f"from a backlog of {waiting:,} waiting requests in {len(categories)} categories; "
                f"each agent in {min(map(len, agents.values()))}+ categories")
    report.note(f"naive select-then-update ({naive.seconds:.1f} s, same processes): "
                f"{len(naive.claims):,} claims, {naive_doubles:,} double claims, "
                f"{len(naive.errors):,} errors — the double-claim check sees them")
    report.note(f"touch (UPDATE request SET updated_at = ? WHERE id = ?, no indexed column): "
                f"median {statistics.median(r.rate for r in touches):,.0f} commits/s, p99 "
                f"{benchlib.summarise([s for r in touches for s in r.latencies]).p99 * 1000:,.1f} ms")
    report.note("pullers are supervisors (who may hold several requests), so every call claims one")
    per_turn = sum((run.per_turn for run in pulls), Counter())
    if per_turn:
        turns = sum(per_turn.values())
        combined = sum(size * n for size, n in per_turn.items())
        report.note(f"SQLite: {combined:,} claims in {turns:,} write transactions, {combined / turns:.1f} "
                    f"per transaction (the puller whose turn it is claims for all waiting; "
                    f"most in one: {max(per_turn)})")
        report.extra["claims_per_transaction"] = {str(k): v for k, v in sorted(per_turn.items())}
    if errors:
        report.note(f"first error: {errors[0]}")
    report.extra["naive"] = {"claims": len(naive.claims), "doubles": naive_doubles,
                             "errors": len(naive.errors)}
    report.print()
    report.save(Path(args.out) if args.out else None)
    return 0 if report.all_met() and naive_doubles > 0 else 1
