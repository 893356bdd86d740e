"""Office-local days and hours for reports: UTC spans of one offset, day bounds, business time.

Reports group stored UTC timestamps by the office's local day or hour. Databases differ in
what they know about time zones (SQLite knows none), so the range is cut into spans in
which the zone's UTC offset is constant; within a span, local time is UTC plus a fixed
number of minutes, which every database can add.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidInput


def office_zone(name: str | None) -> ZoneInfo:
    """The zone called `name` (UTC when unset), or InvalidInput naming it."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name!r} is not a known time zone", where="timezone") from None


def _offset_minutes(zone: ZoneInfo, at: datetime) -> int:
    return int(at.astimezone(zone).utcoffset().total_seconds() // 60)


@dataclass(frozen=True)
class OffsetSpan:
    """A stretch of UTC time [start, end) in which the zone is `minutes` ahead of UTC."""

    start: datetime
    end: datetime
    minutes: int


def _first_second_of_change(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first whole second after `low` at which the offset differs from low's (≤ high)."""
    current = _offset_minutes(zone, low)
    lo, hi = int(low.timestamp()), int(high.timestamp())
    while hi - lo > 1:
        middle = (lo + hi) // 2
        if _offset_minutes(zone, datetime.fromtimestamp(middle, timezone.utc)) == current:
            lo = middle
        else:
            hi = middle
    return datetime.fromtimestamp(hi, timezone.utc)


def offset_spans(zone: ZoneInfo, start: datetime, end: datetime) -> list[OffsetSpan]:
    """Cut [start, end) into spans of constant UTC offset (a DST change starts a new span)."""
    spans: list[OffsetSpan] = []
    begin, current = start, _offset_minutes(zone, start)
    step = timedelta(hours=6)  # no zone changes its offset twice within six hours
    probe = start
    while probe < end:
        nxt = min(probe + step, end - timedelta(microseconds=1))
        if nxt <= probe:
            break
        if _offset_minutes(zone, nxt) != current:
            nxt = _first_second_of_change(zone, probe, nxt)
            spans.append(OffsetSpan(begin, nxt, current))
            begin, current = nxt, _offset_minutes(zone, nxt)
        probe = nxt if nxt < end - timedelta(microseconds=1) else end
    spans.append(OffsetSpan(begin, end, current))
    return spans


def local_buckets(zone: ZoneInfo, start: datetime, end: datetime,
                  unit: str) -> list[tuple[str, datetime, datetime]]:
    """[start, end) cut at office-local midnights (`unit="day"`) or hours (`"hour"`).

    Each piece is (key, UTC start, UTC end) with key "YYYY-MM-DD" or "HH:00" in office
    time; a DST change cuts a piece too, so keys may repeat (an hour lived twice).
    """
    step = timedelta(days=1) if unit == "day" else timedelta(hours=1)
    fmt = "%Y-%m-%d" if unit == "day" else "%H:00"
    pieces = []
    for span in offset_spans(zone, start, end):
        offset = timedelta(minutes=span.minutes)
        local, local_end = (span.start + offset).replace(tzinfo=None), (span.end + offset).replace(tzinfo=None)
        boundary = (local.replace(hour=0, minute=0, second=0, microsecond=0) if unit == "day"
                    else local.replace(minute=0, second=0, microsecond=0))
        while boundary < local_end:
            piece_start, piece_end = max(boundary, local), min(boundary + step, local_end)
            if piece_start < piece_end:
                pieces.append((boundary.strftime(fmt),
                               (piece_start - offset).replace(tzinfo=timezone.utc),
                               (piece_end - offset).replace(tzinfo=timezone.utc)))
            boundary += step
    return pieces


def day_bounds(zone: ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """UTC [start, end) covering the office-local days `first` to `last`, both included."""
    if last < first:
        raise InvalidInput(f"{last.isoformat()} is before {first.isoformat()}", where="--to")
    start = datetime.combine(first, time(0), zone).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(timezone.utc)
    return start, end


def local_day(zone: ZoneInfo, at: datetime) -> date:
    """The office-local date of the instant `at`."""
    return at.astimezone(zone).date()


def days_between(first: date, last: date) -> list[date]:
    """Every date from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class BusinessTimeline:
    """Business seconds between two instants, from a calendar's opening intervals.

    The intervals (UTC, sorted, not overlapping) are summed once; every question after
    that is two binary searches, so medians over a month of requests stay cheap.
    """

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        self._starts: list[datetime] = []
        self._ends: list[datetime] = []
        self._before: list[float] = []  # business seconds before each interval starts
        total = 0.0
        for opens, closes in intervals:
            if closes <= opens:
                continue
            self._starts.append(opens)
            self._ends.append(closes)
            self._before.append(total)
            total += (closes - opens).total_seconds()

    def _elapsed(self, at: datetime) -> float:
        index = bisect_right(self._starts, at) - 1
        if index < 0:
            return 0.0
        inside = min(at, self._ends[index]) - self._starts[index]
        return self._before[index] + inside.total_seconds()

    def seconds(self, start: datetime, end: datetime) -> float:
        """Business seconds from `start` to `end` (0 when `end` is not after `start`)."""
        if end <= start:
            return 0.0
        return self._elapsed(end) - self._elapsed(start)


def parse_local_end(text: str, zone: ZoneInfo, *, where: str) -> datetime | None:
    """An end typed in office time: "" (open-ended), "2026-12-01" (through that day) or
    "2026-12-01 14:00" (that minute); returned in UTC."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(timezone.utc)
        return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(timezone.utc)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a day like 2026-12-01 or a time like 2026-12-01 14:00",
                           where=where) from None
