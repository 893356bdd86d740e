"""Properties of business-time arithmetic on random calendars, zones (DST included) and starts."""

from datetime import datetime, timedelta, timezone
from functools import lru_cache

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import WEEKDAYS, OfficeCalendar

ZONES = ["Europe/Warsaw", "America/New_York", "UTC", "Australia/Lord_Howe", "Asia/Kolkata"]


@st.composite
def day_hours(draw):
    """Zero to three sorted, non-overlapping [opens, closes] spans in quarter hours."""
    marks = sorted(draw(st.sets(st.integers(0, 96), min_size=0, max_size=6)))
    if len(marks) % 2:
        marks = marks[:-1]
    text = lambda q: "24:00" if q == 96 else f"{q // 4:02d}:{q % 4 * 15:02d}"  # noqa: E731
    return [[text(marks[i]), text(marks[i + 1])] for i in range(0, len(marks), 2)]


@lru_cache(maxsize=256)
def _calendar(zone: str, hours: tuple, country: str | None, closures: tuple) -> OfficeCalendar:
    return OfficeCalendar(timezone=zone, weekly_hours={d: [list(s) for s in h] for d, h in hours},
                          country=country, closures=dict(closures))


@st.composite
def calendars(draw):
    week = draw(st.fixed_dictionaries({d: day_hours() for d in WEEKDAYS}))
    if sum(len(h) for h in week.values()) < 2:
        week["wed"] = [["09:00", "17:00"]]  # enough hours a week to reach every target within the horizon
    closures = draw(st.lists(st.dates(min_value=datetime(2026, 1, 1).date(),
                                      max_value=datetime(2026, 12, 31).date()), max_size=5))
    hours = tuple((d, tuple(tuple(s) for s in h)) for d, h in week.items())
    return _calendar(draw(st.sampled_from(ZONES)), hours, draw(st.sampled_from([None, "PL", "NL"])),
                     tuple((c.isoformat(), "closed") for c in closures))


starts = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31),
                      timezones=st.just(timezone.utc))
minutes = st.integers(min_value=0, max_value=4000)


@settings(max_examples=150, deadline=None)
@given(calendars(), starts, minutes, minutes)
def test_adding_a_then_b_equals_adding_a_plus_b(calendar, start, a, b):
    first = calendar.add_business_time(start, a).due_at
    assert calendar.add_business_time(first, b).due_at == calendar.add_business_time(start, a + b).due_at


@settings(max_examples=150, deadline=None)
@given(calendars(), starts, minutes)
def test_a_deadline_falls_inside_opening_hours_or_exactly_at_a_closing_time(calendar, start, target):
    due = calendar.add_business_time(start, target).due_at
    assert due >= start
    assert calendar.is_open(due) or calendar.is_closing_time(due)


@settings(max_examples=150, deadline=None)
@given(calendars(), starts, minutes)
def test_business_time_from_start_to_deadline_equals_the_target(calendar, start, target):
    deadline = calendar.add_business_time(start, target)
    elapsed = calendar.business_time_between(start, deadline.due_at)
    assert elapsed.duration == timedelta(minutes=target)
    counted = sum((s.duration for s in deadline.steps if s.kind == "counted"), timedelta(0))
    assert counted == timedelta(minutes=target)


@settings(max_examples=100, deadline=None)
@given(calendars(), starts, st.integers(0, 20000), st.integers(0, 20000))
def test_business_time_between_adds_up_over_consecutive_spans(calendar, start, x, y):
    middle, end = start + timedelta(minutes=x), start + timedelta(minutes=x + y)
    assert (calendar.business_time_between(start, middle).duration
            + calendar.business_time_between(middle, end).duration
            == calendar.business_time_between(start, end).duration)
