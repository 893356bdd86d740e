"""Command-line options every benchmark shares, and turning them into a data set."""

from __future__ import annotations

import argparse

from rich.console import Console

from .dataset import Dataset, dataset


def parser(benchmark: str, description: str) -> argparse.ArgumentParser:
    """An argument parser with --db, --scale, --seed, --runs, --fresh and --out."""
    out = argparse.ArgumentParser(prog=f"scripts/bench {benchmark}", description=description)
    out.add_argument("--db", metavar="URL", default=None,
                     help="run on PostgreSQL: a server URL (the data set gets its own database)")
    out.add_argument("--scale", type=float, default=1.0,
                     help="data set size; 1.0 = 1,000,000 requests (use 0.01 while developing)")
    out.add_argument("--seed", type=int, default=42, help="random seed of the data set")
    out.add_argument("--runs", type=int, default=5, help="how many times each measurement runs")
    out.add_argument("--fresh", action="store_true", help="generate the data set again")
    out.add_argument("--stale-ok", action="store_true",
                     help="SQLite: reuse the newest data set made under older migration files")
    out.add_argument("--out", metavar="FILE", default=None,
                     help="JSON results file (default bench-results/<benchmark>-<time>.json)")
    return out


def dataset_from(args: argparse.Namespace, console: Console | None = None) -> Dataset:
    """The data set the parsed options ask for (generated if needed)."""
    return dataset(args.db, scale=args.scale, seed=args.seed, fresh=args.fresh,
                   stale_ok=args.stale_ok, console=console)
