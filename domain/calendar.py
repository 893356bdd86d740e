"""Business-hours arithmetic on an office calendar, with deadlines that explain themselves.

Business time is real elapsed time while the office is open: weekly hours per weekday
(possibly split), minus public holidays of the office's country (from `holidays`) and
extra closures, in the office's time zone. Opening hours are wall-clock times, so on a
DST change day an office open around the clock is open 23 or 25 hours.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.calendar_steps import Deadline, Elapsed, Step
from domain.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")
# How far ahead a deadline may be looked for before the calendar is called unusable.
MAX_DAYS = 3 * 366

Interval = tuple[datetime, datetime]


def _clock(text: object, *, where: str, closing: bool) -> time | None:
    """Parse "HH:MM"; "24:00" (returned as None) is allowed only as a closing time."""
    if closing and text == "24:00":
        return None
    try:
        hours, minutes = str(text).split(":")
        if len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise InvalidInput(f"{text!r} is not a time like 08:00", where=where) from None


def parse_weekly_hours(weekly: Mapping[str, Sequence[Sequence[str]]] | None, *,
                       where: str = "weekly_hours") -> dict[int, tuple[tuple[time, time | None], ...]]:
    """Check `{"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ...}`; a missing day is closed."""
    if weekly is None:
        return {}
    if not isinstance(weekly, Mapping):
        raise InvalidInput("must map weekdays (mon … sun) to lists of [opens, closes]", where=where)
    parsed: dict[int, tuple[tuple[time, time | None], ...]] = {}
    for key, spans in weekly.items():
        if key not in WEEKDAYS:
            raise InvalidInput(f"{key!r} is not a weekday (use {', '.join(WEEKDAYS)})", where=where)
        if not isinstance(spans, Sequence) or isinstance(spans, str):
            raise InvalidInput("must be a list of [opens, closes] pairs", where=f"{where}.{key}")
        day: list[tuple[time, time | None]] = []
        for index, span in enumerate(spans):
            here = f"{where}.{key}[{index}]"
            if not isinstance(span, Sequence) or isinstance(span, str) or len(span) != 2:
                raise InvalidInput("must be a pair [opens, closes] like [\"08:00\", \"17:00\"]", where=here)
            opens = _clock(span[0], where=here, closing=False)
            closes = _clock(span[1], where=here, closing=True)
            if closes is not None and closes <= opens:
                raise InvalidInput(f"{span[0]}–{span[1]} closes before it opens", where=here)
            if day and (day[-1][1] is None or opens < day[-1][1]):
                raise InvalidInput(f"{span[0]}–{span[1]} overlaps or precedes the span before it",
                                   where=here)
            day.append((opens, closes))
        if day:
            parsed[WEEKDAYS.index(key)] = tuple(day)
    return parsed


def _zone(name: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInput(f"{name!r} is not a time zone like Europe/Warsaw", where=where) from None


def _holiday_table(country: str | None, subdivision: str | None, where: str):
    if not country:
        return None
    import holidays

    try:
        return holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as exc:
        raise InvalidInput(str(exc).split("\n")[0], where=where) from None


class OfficeCalendar:
    """Opening hours, holidays and closures of one office, and business-time arithmetic on them."""

    def __init__(self, *, timezone: str = "UTC",
                 weekly_hours: Mapping[str, Sequence[Sequence[str]]] | None = None,
                 country: str | None = None, subdivision: str | None = None,
                 closures: Mapping[date | str, str] | None = None, where: str = "calendar") -> None:
        self.timezone = timezone
        self.zone = _zone(timezone, f"{where}.timezone")
        self.hours = parse_weekly_hours(weekly_hours, where=f"{where}.weekly_hours")
        self.country = country
        self._holidays = _holiday_table(country, subdivision, f"{where}.country")
        self.closures = {self._day(d, f"{where}.closures"): reason for d, reason in (closures or {}).items()}
        self._plans: dict[date, tuple[tuple[Interval, ...], str | None, str]] = {}

    def __repr__(self) -> str:
        hours = {WEEKDAYS[d]: [(o.strftime("%H:%M"), c.strftime("%H:%M") if c else "24:00")
                               for o, c in spans] for d, spans in self.hours.items()}
        return (f"OfficeCalendar(timezone={self.timezone!r}, hours={hours}, "
                f"country={self.country!r}, closures={len(self.closures)})")

    @classmethod
    def around_the_clock(cls) -> "OfficeCalendar":
        """A calendar that is always open (used when an office has set none up)."""
        return cls(timezone="UTC", weekly_hours={day: [["00:00", "24:00"]] for day in WEEKDAYS})

    @staticmethod
    def _day(value: date | str, where: str) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(f"{value!r} is not a date like 2026-12-24", where=where) from None

    # --- days -----------------------------------------------------------------------

    def day_plan(self, day: date) -> tuple[tuple[Interval, ...], str | None, str]:
        """The day's opening intervals in UTC, and if it is closed the kind and the reason."""
        plan = self._plans.get(day)
        if plan is None:
            plan = self._plans[day] = self._make_plan(day)
        return plan

    def _make_plan(self, day: date) -> tuple[tuple[Interval, ...], str | None, str]:
        spans = self.hours.get(day.weekday(), ())
        if not spans:
            weekend = day.weekday() >= 5
            return (), "weekend" if weekend else "weekly", (
                "weekend" if weekend else f"closed on {WEEKDAY_NAMES[day.weekday()]}")
        if day in self.closures:
            return (), "closure", self.closures[day] or "closed"
        # `holidays` tables fill in years lazily: an empty table is not "no holidays".
        holiday = self._holidays.get(day) if self._holidays is not None else None
        if holiday:
            return (), "holiday", holiday
        intervals = []
        for opens, closes in spans:
            # fold=0 on opening and fold=1 on closing: a repeated (fall-back) hour counts
            # in full; a skipped (spring-forward) hour does not exist and is not counted.
            start = datetime.combine(day, opens, tzinfo=self.zone)
            end = (datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone) if closes is None
                   else datetime.combine(day, closes, tzinfo=self.zone).replace(fold=1))
            start_utc, end_utc = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
            if end_utc > start_utc:
                intervals.append((start_utc, end_utc))
        return tuple(intervals), None, ""

    def local_day(self, at: datetime) -> date:
        """The calendar day `at` falls on in the office's zone."""
        return _aware(at).astimezone(self.zone).date()

    def _days_from(self, at: datetime) -> Iterator[date]:
        day = self.local_day(at)
        for offset in range(MAX_DAYS):
            yield day + timedelta(days=offset)
        raise InvalidInput(f"the office is not open long enough within {MAX_DAYS} days of "
                           f"{at.date()}: check its weekly hours, holidays and closures",
                           where="calendar")

    def is_open(self, at: datetime) -> bool:
        """True when the office is open at the instant `at` (closing time itself is closed)."""
        at = _aware(at)
        intervals, _kind, _reason = self.day_plan(self.local_day(at))
        return any(start <= at < end for start, end in intervals)

    def is_closing_time(self, at: datetime) -> bool:
        """True when `at` is exactly the end of an opening span."""
        at = _aware(at)
        for day in (self.local_day(at) - timedelta(days=1), self.local_day(at)):
            if any(end == at for _start, end in self.day_plan(day)[0]):
                return True
        return False

    def next_opening(self, at: datetime) -> datetime:
        """The first instant at or after `at` when the office is open."""
        at = _aware(at)
        for day in self._days_from(at):
            for start, end in self.day_plan(day)[0]:
                if end > at:
                    return max(start, at)
        raise AssertionError("unreachable")

    # --- arithmetic -------------------------------------------------------------------

    def add_business_time(self, start: datetime, minutes: float | timedelta) -> Deadline:
        """The instant when `minutes` of business time have passed since `start`, explained.

        Counting starts at the next opening when the office is closed at `start`; a
        deadline always falls inside opening hours or exactly at a closing time.
        """
        start = _aware(start).astimezone(timezone.utc)
        target = minutes if isinstance(minutes, timedelta) else timedelta(minutes=minutes)
        if target < timedelta(0):
            raise InvalidInput(f"{target} is negative", where="minutes")
        if target == timedelta(0) and (self.is_open(start) or self.is_closing_time(start)):
            return Deadline(start=start, counting_from=start, due_at=start, target=target,
                            zone=self.zone, steps=())
        remaining = target
        counting_from: datetime | None = None
        steps: list[Step] = []
        for day in self._days_from(start):
            intervals, kind, reason = self.day_plan(day)
            if kind:
                steps.append(Step.skipped(day, kind, reason))
                continue
            spans: list[Interval] = []
            for opens, closes in intervals:
                if closes <= start:
                    continue
                begin = max(opens, start)
                counting_from = counting_from or begin
                if remaining <= closes - begin:
                    spans.append((begin, begin + remaining))
                    steps.append(Step.counted(day, spans, self.zone))
                    return Deadline(start=start, counting_from=counting_from, due_at=begin + remaining,
                                    target=target, zone=self.zone, steps=tuple(steps))
                remaining -= closes - begin
                spans.append((begin, closes))
            steps.append(Step.counted(day, spans, self.zone) if spans else Step.outside_hours(day))
        raise AssertionError("unreachable")

    def business_time_between(self, a: datetime, b: datetime) -> Elapsed:
        """How much business time lies between `a` and `b` (negative when `b` is earlier), explained."""
        a, b = _aware(a).astimezone(timezone.utc), _aware(b).astimezone(timezone.utc)
        lo, hi = (a, b) if a <= b else (b, a)
        total = timedelta(0)
        steps: list[Step] = []
        last_day = self.local_day(hi)
        for day in self._days_from(lo):
            if day > last_day:
                break
            intervals, kind, reason = self.day_plan(day)
            if kind:
                steps.append(Step.skipped(day, kind, reason))
                continue
            spans = [(max(s, lo), min(e, hi)) for s, e in intervals if min(e, hi) > max(s, lo)]
            total += sum((e - s for s, e in spans), timedelta(0))
            if spans:
                steps.append(Step.counted(day, spans, self.zone))
            elif day == self.local_day(lo):
                steps.append(Step.outside_hours(day))
        return Elapsed(start=a, end=b, duration=total if a <= b else -total, zone=self.zone,
                       steps=tuple(steps))

    def business_minutes_between(self, a: datetime, b: datetime) -> float:
        """Business minutes between `a` and `b` (see `business_time_between` for the why)."""
        return self.business_time_between(a, b).minutes


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise InvalidInput(f"{at.isoformat()} has no time zone", where="time")
    return at
