"""Reports: their dimensions, row models, SLA outcomes and CSV writing (plain Python).

A volume row with `key=None` holds the requests that have no value for the dimension
yet (no type, no category, no problem code ...): save-first records every contact from
its first second, so those are part of every total and are shown as "(none)".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from statistics import median
from typing import Any, TextIO

from domain.errors import InvalidInput
from domain.records import JsonRecord

NONE_LABEL = "(none)"


class Dimension(StrEnum):
    """What a volume report groups requests by."""

    TYPE = "type"
    CHANNEL = "channel"
    DEPARTMENT = "department"
    PROVIDER = "provider"
    CATEGORY = "category"
    PROBLEM = "problem"
    AGENT = "agent"
    DAY = "day"
    HOUR = "hour"


class SlaDimension(StrEnum):
    """What an SLA report groups requests by."""

    PRIORITY = "priority"
    CATEGORY = "category"


class Outcome(StrEnum):
    """Whether a request kept a deadline, missed it, or it is still ahead."""

    MET = "met"
    BREACHED = "breached"
    OPEN = "open"


def parse_choice(enum: type[StrEnum], value: str, where: str) -> Any:
    """`value` as a member of `enum`, or InvalidInput listing the allowed values."""
    try:
        return enum(value)
    except ValueError:
        allowed = "|".join(m.value for m in enum)
        raise InvalidInput(f"{value!r} is not one of {allowed}", where=where) from None


def outcome(due: datetime | None, done: datetime | None, now: datetime,
            paused_at: datetime | None = None) -> Outcome | None:
    """The outcome against a deadline; None when there is no deadline to keep.

    A request waiting for the customer has its clock stopped: it is not breached while
    paused, unless its deadline had already passed when it was paused.
    """
    if due is None:
        return None
    if done is not None:
        return Outcome.MET if done <= due else Outcome.BREACHED
    if paused_at is not None:
        return Outcome.BREACHED if paused_at > due else Outcome.OPEN
    return Outcome.BREACHED if now > due else Outcome.OPEN


@dataclass(frozen=True)
class VolumeRow(JsonRecord):
    """How many requests share one value of the dimension (None: no value yet)."""

    key: str | None
    count: int

    @property
    def label(self) -> str:
        """The key as shown in tables: "(none)" for requests without a value."""
        return NONE_LABEL if self.key is None else self.key


@dataclass(frozen=True)
class VolumeReport(JsonRecord):
    """Requests created in [start, end), counted by one dimension; rows sum to `total`."""

    by: str
    start: datetime
    end: datetime
    timezone: str
    rows: list[VolumeRow] = field(default_factory=list)
    total: int = 0

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Column names and rows for a table or a CSV file."""
        return [self.by, "requests"], [[row.label, row.count] for row in self.rows]


@dataclass(frozen=True)
class SlaRow(JsonRecord):
    """Deadlines kept and missed by the requests of one priority or category."""

    key: str | None
    requests: int
    response_met: int = 0
    response_breached: int = 0
    response_open: int = 0
    resolution_met: int = 0
    resolution_breached: int = 0
    resolution_open: int = 0
    median_response_hours: float | None = None
    median_resolution_hours: float | None = None

    @property
    def label(self) -> str:
        """The key as shown in tables."""
        return NONE_LABEL if self.key is None else self.key

    @property
    def compliance(self) -> float | None:
        """Share of decided resolution deadlines that were met (None when none decided)."""
        decided = self.resolution_met + self.resolution_breached
        return None if decided == 0 else self.resolution_met / decided


SLA_COLUMNS = ["requests", "response_met", "response_breached", "response_open",
               "resolution_met", "resolution_breached", "resolution_open", "compliance",
               "median_response_hours", "median_resolution_hours"]


@dataclass(frozen=True)
class SlaReport(JsonRecord):
    """SLA outcomes of requests created in [start, end), by priority or category."""

    by: str
    start: datetime
    end: datetime
    now: datetime
    business_hours: bool
    """True when durations are counted on the office calendar, False for wall-clock hours."""
    rows: list[SlaRow] = field(default_factory=list)

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """Column names and rows for a table or a CSV file."""
        rows = []
        for row in self.rows:
            rows.append([row.label, row.requests, row.response_met, row.response_breached,
                         row.response_open, row.resolution_met, row.resolution_breached,
                         row.resolution_open, _rounded(row.compliance, 4),
                         _rounded(row.median_response_hours, 2),
                         _rounded(row.median_resolution_hours, 2)])
        return [self.by, *SLA_COLUMNS], rows

    def summary(self) -> tuple[list[str], list[list[Any]]]:
        """A narrower table for people: "met/breached/open" in one cell per deadline."""
        rows = []
        for row in self.rows:
            rows.append([
                row.label, row.requests,
                f"{row.response_met}/{row.response_breached}/{row.response_open}",
                f"{row.resolution_met}/{row.resolution_breached}/{row.resolution_open}",
                "" if row.compliance is None else f"{row.compliance:.1%}",
                _hours(row.median_response_hours), _hours(row.median_resolution_hours)])
        return [self.by, "requests", "response", "resolution", "kept", "median response h",
                "median resolution h"], rows

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        for row, source in zip(data["rows"], self.rows):
            row["compliance"] = source.compliance
        return data


def _hours(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def median_hours(seconds: Sequence[float]) -> float | None:
    """The median of durations given in seconds, in hours (None for no durations)."""
    return median(seconds) / 3600 if seconds else None


# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    """Write a header and rows as CSV; text that a spreadsheet would run is neutralised."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
