"""How a deadline or a span of business time was counted, day by day, in words and JSON.

"3 h: Fri 15:00 → Mon 09:00 — 2 h Fri, weekend skipped, 1 h Mon".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

# Beyond this many days between start and end, days are named with their date too.
_SHORT_SPAN_DAYS = 6


def format_duration(duration: timedelta) -> str:
    """`2 h`, `1 h 30 min`, `45 min`, `0 min` (rounded to the minute; sign kept)."""
    minutes = round(duration.total_seconds() / 60)
    sign, minutes = ("-" if minutes < 0 else ""), abs(minutes)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{sign}{hours} h {rest} min"
    return f"{sign}{hours} h" if hours else f"{sign}{rest} min"


@dataclass(frozen=True)
class Step:
    """One calendar day of a count: hours counted on it, or why it was skipped."""

    day: date
    kind: str
    """`counted`, `outside_hours`, or why the day was skipped: `weekend`, `weekly`, `holiday`, `closure`."""
    spans: tuple[tuple[str, str], ...] = ()
    """Local wall-clock spans counted, like ("15:00", "17:00")."""
    duration: timedelta = timedelta(0)
    reason: str = ""

    @classmethod
    def counted(cls, day: date, spans: Sequence[tuple[datetime, datetime]], zone: ZoneInfo) -> "Step":
        """A day on which the spans `spans` (UTC) were counted."""
        local = tuple((s.astimezone(zone).strftime("%H:%M"), _closing(day, e, zone)) for s, e in spans)
        return cls(day=day, kind="counted", spans=local,
                   duration=sum((e - s for s, e in spans), timedelta(0)))

    @classmethod
    def skipped(cls, day: date, kind: str, reason: str) -> "Step":
        """A day the office is closed on, and why."""
        return cls(day=day, kind=kind, reason=reason)

    @classmethod
    def outside_hours(cls, day: date) -> "Step":
        """An open day on which nothing was counted: the start was after closing."""
        return cls(day=day, kind="outside_hours", reason="outside opening hours")

    def to_json(self) -> dict[str, Any]:
        """The step as JSON-ready data."""
        data: dict[str, Any] = {"day": self.day.isoformat(), "weekday": self.day.strftime("%a"),
                                "kind": self.kind}
        if self.kind == "counted":
            data["spans"] = [list(span) for span in self.spans]
            data["minutes"] = self.duration.total_seconds() / 60
        else:
            data["reason"] = self.reason
        return data


def _closing(day: date, end: datetime, zone: ZoneInfo) -> str:
    local = end.astimezone(zone)
    return "24:00" if local.date() > day else local.strftime("%H:%M")


def _label(day: date, long: bool) -> str:
    return day.strftime("%a %d %b") if long else day.strftime("%a")


def _moment(at: datetime, zone: ZoneInfo, long: bool) -> str:
    local = at.astimezone(zone)
    return f"{_label(local.date(), long)} {local.strftime('%H:%M')}"


def describe_steps(steps: Sequence[Step], *, long: bool) -> list[str]:
    """The steps in words; consecutive weekend days become one "weekend skipped", and long
    runs of ordinary weeks in the middle become one sum ("198 h Thu 12 Nov–Mon 14 Dec")."""
    words: list[str] = []
    index = 0
    while index < len(steps):
        run = _ordinary_run(steps, index)
        if run >= _RUN:
            block = steps[index:index + run]
            total = sum((s.duration for s in block), timedelta(0))
            weekends = ", weekends skipped" if any(s.kind == "weekend" for s in block) else ""
            words.append(f"{format_duration(total)} {_label(block[0].day, long)}–"
                         f"{_label(block[-1].day, long)}{weekends}")
            index += run
            continue
        step = steps[index]
        if step.kind != "weekend" or index == 0 or steps[index - 1].kind != "weekend":
            words.append(_word(step, long))
        index += 1
    return words


# A middle run of at least this many ordinary days (counted or weekend) is summed up.
_RUN = 6


def _ordinary_run(steps: Sequence[Step], index: int) -> int:
    """How many ordinary steps start at `index`, never counting the first or last step."""
    if index == 0 or steps[index].kind != "counted":
        return 0
    end = index
    while end < len(steps) - 1 and steps[end].kind in ("counted", "weekend"):
        end += 1
    while end > index and steps[end - 1].kind != "counted":
        end -= 1  # a run ends on a counted day, so a weekend after it keeps its own words
    return end - index


def _word(step: Step, long: bool) -> str:
    label = _label(step.day, long)
    if step.kind == "weekend":
        return "weekend skipped"
    if step.kind == "counted":
        return f"{format_duration(step.duration)} {label}"
    if step.kind == "holiday":
        return f"{label} skipped (holiday: {step.reason})"
    if step.kind == "closure":
        return f"{label} skipped (closed: {step.reason})"
    if step.kind == "weekly":
        return f"{label} skipped ({step.reason})"
    return f"outside hours {label}"


def _is_long(start: datetime, end: datetime) -> bool:
    return abs(end - start) > timedelta(days=_SHORT_SPAN_DAYS)


def _story(amount: str, start: datetime, end: datetime, zone: ZoneInfo, steps: Sequence[Step], *,
           counting_from: datetime | None = None) -> str:
    long = _is_long(start, end)
    head = f"{amount}: {_moment(start, zone, long)} → {_moment(end, zone, long)}"
    words = describe_steps(steps, long=long)
    if counting_from is not None and counting_from != start:
        words.insert(0, f"counting from {_moment(counting_from, zone, long)}")
    return f"{head} — {', '.join(words)}" if words else head


@dataclass(frozen=True)
class Deadline:
    """When a business-time target falls due, and how it was counted."""

    start: datetime
    counting_from: datetime
    """The first open instant at or after `start` (the clock starts there)."""
    due_at: datetime
    target: timedelta
    zone: ZoneInfo
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> float:
        """The target in minutes."""
        return self.target.total_seconds() / 60

    def text(self, target: str | None = None) -> str:
        """"3 h: Fri 15:00 → Mon 09:00 — 2 h Fri, weekend skipped, 1 h Mon" (`target` replaces "3 h")."""
        return _story(target or format_duration(self.target), self.start, self.due_at, self.zone,
                      self.steps, counting_from=self.counting_from)

    def to_json(self) -> dict[str, Any]:
        """The deadline and its explanation as JSON-ready data."""
        return {"minutes": self.minutes, "start": _utc(self.start),
                "counting_from": _utc(self.counting_from), "due_at": _utc(self.due_at),
                "due_local": self.due_at.astimezone(self.zone).isoformat(),
                "timezone": self.zone.key, "steps": [s.to_json() for s in self.steps],
                "text": self.text()}


@dataclass(frozen=True)
class Elapsed:
    """Business time between two instants, and how it was counted."""

    start: datetime
    end: datetime
    duration: timedelta
    zone: ZoneInfo
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> float:
        """The business time in minutes (negative when `end` is before `start`)."""
        return self.duration.total_seconds() / 60

    def text(self) -> str:
        """"3 h: Fri 15:00 → Mon 09:00 — 2 h Fri, weekend skipped, 1 h Mon"."""
        return _story(format_duration(self.duration), self.start, self.end, self.zone, self.steps)

    def to_json(self) -> dict[str, Any]:
        """The span and its explanation as JSON-ready data."""
        return {"minutes": self.minutes, "start": _utc(self.start), "end": _utc(self.end),
                "timezone": self.zone.key, "steps": [s.to_json() for s in self.steps],
                "text": self.text()}


def _utc(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat()
