"""Timing runs and summarising samples: median, p95, p99, min, max."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The `fraction` (0..1) percentile of already sorted values, by linear interpolation."""
    if not sorted_values:
        return math.nan
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


@dataclass(frozen=True)
class Summary:
    """Distribution of one measured quantity (all in the same unit)."""

    count: int
    median: float
    p95: float
    p99: float
    min: float
    max: float

    def to_json(self) -> dict[str, float]:
        """The summary as a JSON-ready dict."""
        return asdict(self)


def summarise(samples: Sequence[float]) -> Summary:
    """Summarise raw samples (seconds, bytes, rates: whatever they are)."""
    values = sorted(samples)
    if not values:
        return Summary(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    return Summary(len(values), percentile(values, 0.5), percentile(values, 0.95),
                   percentile(values, 0.99), values[0], values[-1])


def time_calls(fn: Callable[[], object], *, count: int, warmup: int = 0) -> list[float]:
    """Call `fn` `warmup` times unmeasured, then `count` times; each call's seconds."""
    for _ in range(warmup):
        fn()
    samples = []
    clock = time.perf_counter
    for _ in range(count):
        start = clock()
        fn()
        samples.append(clock() - start)
    return samples


def interleaved(measured: Callable[[], list[float]], baseline: Callable[[], list[float]], *,
                runs: int) -> tuple[list[list[float]], list[list[float]]]:
    """Run measured and baseline alternately `runs` times (so drift hits both alike).

    Each callable performs one run and returns its samples; the result is the list of
    runs for each side.
    """
    measured_runs, baseline_runs = [], []
    for index in range(runs):
        # Alternate which goes first so a warming cache favours neither.
        if index % 2 == 0:
            baseline_runs.append(baseline())
            measured_runs.append(measured())
        else:
            measured_runs.append(measured())
            baseline_runs.append(baseline())
    return measured_runs, baseline_runs
