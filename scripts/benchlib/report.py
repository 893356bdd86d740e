"""A benchmark's results: a Rich table with each figure next to its raw baseline, and JSON."""

from __future__ import annotations

import json
import math
import operator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .machine import machine_info
from .stats import Summary, summarise

RESULTS_DIR = Path(__file__).resolve().parents[2] / "bench-results"
STATS = ("median", "p95", "p99", "min", "max")
_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}


@dataclass(frozen=True)
class Target:
    """A goal for one statistic: `ratio` compares with the baseline, `absolute` with a value."""

    stat: str  # one of STATS
    op: str  # "<=", ">=", ...
    value: float
    kind: str = "ratio"  # ratio | absolute (absolute values are in the metric's display unit)

    def describe(self) -> str:
        """Human text, e.g. `p99 <= 3x raw`."""
        if self.kind == "ratio":
            return f"{self.stat} {self.op} {self.value:g}x raw"
        return f"{self.stat} {self.op} {self.value:g}"


@dataclass
class Metric:
    """One measured quantity, its baseline measured in the same run, and its targets.

    Samples are kept in base units (seconds, bytes, per second); `factor` converts them
    to the displayed `unit` (1000 for seconds shown as ms).
    """

    name: str
    unit: str
    measured: Summary
    baseline: Summary | None = None
    baseline_label: str = ""
    factor: float = 1.0
    targets: list[Target] = field(default_factory=list)
    higher_is_better: bool = False

    def value(self, stat: str, *, baseline: bool = False) -> float:
        """The statistic in display units."""
        summary = self.baseline if baseline else self.measured
        return math.nan if summary is None else getattr(summary, stat) * self.factor

    def ratio(self, stat: str) -> float:
        """Measured over baseline for `stat` (NaN without a baseline)."""
        base = self.value(stat, baseline=True)
        if not base or math.isnan(base):
            return math.nan
        return self.value(stat) / base

    def checks(self) -> list[dict[str, Any]]:
        """Each target with the figure it was judged on and whether it is met."""
        results = []
        for target in self.targets:
            figure = self.ratio(target.stat) if target.kind == "ratio" else self.value(target.stat)
            met = not math.isnan(figure) and _OPS[target.op](figure, target.value)
            results.append({"target": target.describe(), "figure": figure, "met": met})
        return results

    def to_json(self) -> dict[str, Any]:
        """Everything about the metric, in display units."""
        return {
            "name": self.name, "unit": self.unit,
            "measured": {s: self.value(s) for s in STATS} | {"count": self.measured.count},
            "baseline": None if self.baseline is None else (
                {s: self.value(s, baseline=True) for s in STATS} | {"count": self.baseline.count}),
            "baseline_label": self.baseline_label,
            "ratio": None if self.baseline is None else {s: self.ratio(s) for s in STATS},
            "targets": self.checks(),
        }


def metric(name: str, unit: str, samples, baseline_samples=None, **kwargs) -> Metric:
    """A Metric built from raw samples (summarised here)."""
    return Metric(name=name, unit=unit, measured=summarise(samples),
                  baseline=None if baseline_samples is None else summarise(baseline_samples), **kwargs)


def _fmt(value: float) -> str:
    if value is None or math.isnan(value):
        return "-"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def wide_console() -> Console:
    """A Rich console that is 140 columns wide when printing to a file or pipe."""
    probe = Console()
    return Console(highlight=False, width=None if probe.is_terminal else 140)


class Report:
    """Collects metrics of one benchmark run, prints them, and writes them as JSON."""

    def __init__(self, benchmark: str, *, database: str = "", dataset: dict | None = None,
                 console: Console | None = None) -> None:
        self.benchmark = benchmark
        self.database = database
        self.dataset = dataset or {}
        self.metrics: list[Metric] = []
        self.notes: list[str] = []
        self.extra: dict[str, Any] = {}
        self.console = console or wide_console()
        self.started_at = datetime.now(timezone.utc)

    def add(self, item: Metric) -> Metric:
        """Add a metric (returned for chaining)."""
        self.metrics.append(item)
        return item

    def note(self, text: str) -> None:
        """A line printed under the table and kept in the JSON (what limits a figure)."""
        self.notes.append(text)

    def all_met(self) -> bool:
        """True when every target of every metric is met."""
        return all(check["met"] for m in self.metrics for check in m.checks())

    def table(self) -> Table:
        """The Rich table: each metric's row, its raw baseline's row, and the ratio."""
        out = Table(title=f"{self.benchmark} — {self.database}", title_justify="left")
        out.add_column("metric")
        out.add_column("unit")
        for stat in STATS:
            out.add_column(stat, justify="right")
        out.add_column("target")
        for m in self.metrics:
            out.add_row(Text(m.name, style="bold"), m.unit, *(_fmt(m.value(s)) for s in STATS), "")
            if m.baseline is not None:
                out.add_row(Text(f"  raw: {m.baseline_label}", style="dim"), m.unit,
                            *(Text(_fmt(m.value(s, baseline=True)), style="dim") for s in STATS), "")
                out.add_row(Text("  ratio", style="italic"), "x",
                            *(_fmt(m.ratio(s)) for s in STATS), "")
            for check in m.checks():
                style = "green" if check["met"] else "bold red"
                out.add_row("", "", "", "", "", "", "",
                            Text(f"{check['target']}: {_fmt(check['figure'])} "
                                 f"{'met' if check['met'] else 'MISSED'}", style=style))
        return out

    def print(self) -> None:
        """Print the table and the notes."""
        self.console.print(self.table())
        for line in self.notes:
            self.console.print(Text(f"• {line}"))

    def to_json(self) -> dict[str, Any]:
        """The whole report as JSON-ready data."""
        return {"benchmark": self.benchmark, "started_at": self.started_at.isoformat(),
                "database": self.database, "dataset": self.dataset, "machine": machine_info(),
                "metrics": [m.to_json() for m in self.metrics], "notes": self.notes,
                "all_targets_met": self.all_met(), **self.extra}

    def save(self, path: Path | None = None) -> Path:
        """Write the JSON (default bench-results/<benchmark>-<UTC time>.json); return its path."""
        if path is None:
            stamp = self.started_at.strftime("%Y%m%dT%H%M%SZ")
            path = RESULTS_DIR / f"{self.benchmark}-{stamp}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n", encoding="utf-8")
        self.console.print(Text(f"results written to {path}", style="dim"))
        return path
