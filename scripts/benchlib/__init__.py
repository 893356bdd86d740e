"""Shared benchmark harness: data sets, timing, and tables with raw baselines.

Benchmarks are modules `scripts/bench_<name>.py` exposing `main(argv) -> int`;
`scripts/bench <name> [options]` runs them (`scripts/` is put on `sys.path`, so they
`import benchlib`). Absolute times on shared machines are noise: every figure is printed
next to a raw baseline measured in the same run on the same database, and the ratio is
the result.

Getting a database (generated once, then reused; see `benchlib.dataset`)::

    args = benchlib.parser("kb", "knowledge-base search").parse_args(argv)
    data = benchlib.dataset_from(args)   # --db URL (PostgreSQL server) or SQLite under bench-data/
    engine = storage.engine.make_engine(data.url)   # data.sizes, data.now, data.describe()
    with benchlib.working_copy(data) as url:        # for benchmarks that write
        ...

`--scale 1.0` (default) is 1,000,000 requests over a year, 100,000 articles in
pl/nl/pt/en (~300 words, Zipf-distributed words: `benchlib.words.common_words(lang)` /
`rare_words(lang)`), 200 agents (`agent001`… with password `BENCH_PASSWORD`), 5,000 work
orders, 150,000 customers; every request has its `open` audit entry.

Timing and reporting::

    samples = benchlib.time_calls(lambda: search("wywoz"), count=200, warmup=10)  # seconds
    raw = benchlib.time_calls(lambda: bare_fts("wywoz"), count=200, warmup=10)
    report = benchlib.Report("kb", database=display_url(data.url), dataset=data.describe())
    report.add(benchlib.metric("common word", "ms", samples, raw, factor=1000,
                               baseline_label="bare FTS5 MATCH",
                               targets=[benchlib.Target("p95", "<=", 1.5),
                                        benchlib.Target("p95", "<=", 25, kind="absolute")]))
    report.note("what limits this figure")
    report.print(); report.save(args.out)   # JSON in bench-results/<name>-<UTC time>.json
    return 0

`benchlib.interleaved(run_measured, run_baseline, runs=args.runs)` alternates whole runs
of both sides so drift hits them alike. `benchlib.summarise(samples)` gives median, p95,
p99, min, max; `benchlib.machine_info()` the machine a result came from.

Also here: `benchlib.terminal.Terminal` (a program in a pty, its screen emulated by pyte:
`wait_for(text)`, `press("f2")`, `rss_bytes()`), `benchlib.crash` (the SIGKILL rounds of
`scripts/bench crash` and `tests/test_crash_safety.py`). `scripts/bench summary` prints
the newest result of every benchmark as Markdown. A data set is keyed by a hash of the
migration files; `--stale-ok` reuses an older one (SQLite) instead of generating again.
"""

from .cli import dataset_from, parser
from .dataset import DATA_DIR, Dataset, database_size, dataset, working_copy
from .generate import Sizes
from .machine import machine_info, server_version
from .organisation import BENCH_PASSWORD
from .report import RESULTS_DIR, Metric, Report, Target, metric, wide_console
from .stats import Summary, interleaved, percentile, summarise, time_calls

__all__ = ["BENCH_PASSWORD", "DATA_DIR", "RESULTS_DIR", "Dataset", "Metric", "Report", "Sizes",
           "Summary", "Target", "database_size", "dataset", "dataset_from", "interleaved",
           "machine_info", "metric", "parser", "percentile", "server_version", "summarise",
           "time_calls", "wide_console", "working_copy"]
