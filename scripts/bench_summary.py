"""`scripts/bench summary`: the latest result of each benchmark as Markdown (for docs/performance.md).

Reads bench-results/*.json and prints, per benchmark and database engine, the newest
run: every metric with its raw baseline and ratio, and each target met or missed.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from benchlib.report import RESULTS_DIR


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _engine(result: dict) -> str:
    return "PostgreSQL" if str(result.get("database", "")).startswith("postgresql") else "SQLite"


def latest(directory: Path, min_scale: float) -> dict[tuple[str, str], tuple[Path, dict]]:
    """The newest result per (benchmark, engine) among runs at `min_scale` or more."""
    found: dict[tuple[str, str], tuple[Path, dict]] = {}
    for path in sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        scale = (result.get("dataset") or {}).get("scale")
        if isinstance(scale, (int, float)) and scale < min_scale:
            continue
        found[(result.get("benchmark", path.stem), _engine(result))] = (path, result)
    return found


def markdown(path: Path, result: dict) -> str:
    """One result as a Markdown section."""
    machine = result.get("machine") or {}
    dataset = result.get("dataset") or {}
    lines = [f"### {result.get('benchmark')} — {_engine(result)}", "",
             f"`{path.name}`: {result.get('started_at', '?')[:16]} UTC, scale {dataset.get('scale', '?')}, "
             f"{machine.get('nproc', '?')} cores ({machine.get('cpu', '?')}), "
             f"{machine.get('ram_mb', '?')} MB RAM, {dataset.get('server') or 'SQLite ' + str(machine.get('sqlite', '?'))}", "",
             "| metric | unit | median | p95 | p99 | max | raw median | raw p99 | ratio median | ratio p99 | targets |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in result.get("metrics", []):
        measured, base, ratio = m.get("measured") or {}, m.get("baseline") or {}, m.get("ratio") or {}
        targets = "; ".join(f"{t['target']}: {_fmt(t['figure'])} {'met' if t['met'] else '**missed**'}"
                            for t in m.get("targets", []))
        lines.append(f"| {m['name']} | {m['unit']} | {_fmt(measured.get('median'))} | "
                     f"{_fmt(measured.get('p95'))} | {_fmt(measured.get('p99'))} | {_fmt(measured.get('max'))} | "
                     f"{_fmt(base.get('median'))} | {_fmt(base.get('p99'))} | {_fmt(ratio.get('median'))} | "
                     f"{_fmt(ratio.get('p99'))} | {targets} |")
    notes = result.get("notes") or []
    if notes:
        lines.append("")
        lines.extend(f"- {note}" for note in notes)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the newest result of each benchmark as Markdown."""
    parser = argparse.ArgumentParser(prog="scripts/bench summary", description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=RESULTS_DIR, help="where the JSON results are")
    parser.add_argument("--min-scale", type=float, default=0.0,
                        help="ignore runs on smaller data sets (e.g. 1 for the full-size figures)")
    args = parser.parse_args(argv)
    results = latest(args.dir, args.min_scale)
    if not results:
        print(f"no results in {args.dir}")
        return 1
    print("\n\n".join(markdown(path, result) for _key, (path, result) in sorted(results.items())))
    return 0
