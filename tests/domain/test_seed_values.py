"""Seed values: durations in business time, opening hours, codes and languages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.seed_values import (check_code, check_language, check_path, parse_duration, parse_range,
                                weekly_hours, working_day_minutes)


def test_durations_are_read_in_minutes_hours_and_working_days():
    assert parse_duration("90m") == 90
    assert parse_duration("3h") == 180
    assert parse_duration("1h30m") == 90
    assert parse_duration("2d", day_minutes=540) == 1080


@given(days=st.integers(0, 30), hours=st.integers(0, 99), minutes=st.integers(0, 999),
       day=st.integers(60, 1440))
def test_a_duration_is_the_sum_of_its_parts(days, hours, minutes, day):
    text = (f"{days}d" if days else "") + (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    if not text:
        return
    assert parse_duration(text, day_minutes=day) == days * day + hours * 60 + minutes


@pytest.mark.parametrize("text", ["3 hours", "h", "", "0m", "1.5h", "-3h", "3h2d"])
def test_a_duration_that_is_not_one_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_a_time_range_must_start_before_it_ends():
    assert parse_range("08:00-17:00") == ("08:00", "17:00")
    assert parse_range("13:00-24:00") == ("13:00", "24:00")
    for bad in ("17:00-08:00", "08:00-08:00", "8-17", "08:00-25:00", "08:60-09:00", "08:00"):
        with pytest.raises(ValueError):
            parse_range(bad)


def test_weekly_hours_expand_day_ranges_and_split_days():
    hours = weekly_hours({"mon-thu": "08:00-17:00", "fri": ["08:00-12:00", "13:00-16:00"], "sat": "closed"})
    assert hours == {"mon": [["08:00", "17:00"]], "tue": [["08:00", "17:00"]], "wed": [["08:00", "17:00"]],
                     "thu": [["08:00", "17:00"]], "fri": [["08:00", "12:00"], ["13:00", "16:00"]]}


@pytest.mark.parametrize("spec, problem", [
    ({"mon-fri": "08:00-17:00", "fri": "09:00-10:00"}, "given twice"),
    ({"mon": ["08:00-12:00", "11:00-15:00"]}, "before the previous range ends"),
    ({"fri-mon": "08:00-17:00"}, "not a weekday"),
    ({"monday": "08:00-17:00"}, "not a weekday"),
    ({"mon": 8}, "give a range"),
])
def test_weekly_hours_that_overlap_or_name_no_day_are_refused(spec, problem):
    with pytest.raises(ValueError, match=problem):
        weekly_hours(spec)


def test_a_working_day_is_the_most_common_opening_length():
    hours = weekly_hours({"mon-thu": "08:00-17:00", "fri": "08:00-14:00", "sat": "09:00-12:00"})
    assert working_day_minutes(hours) == 9 * 60
    assert working_day_minutes({}) == 8 * 60


def test_codes_languages_and_paths_are_checked():
    assert check_code("appliance-pickup") == "appliance-pickup"
    for bad in ("has space", "a/b", ".hidden", "x" * 65, ""):
        with pytest.raises(ValueError):
            check_code(bad)
    assert check_language("pl") == "pl"
    for bad in ("xx", "PL", "english", "pt-BR"):
        with pytest.raises(ValueError):
            check_language(bad)
    assert check_path("Technical support/Hardware/Printers")
    for bad in ("/Printers", "A//B", "A/ B", "A/"):
        with pytest.raises(ValueError):
            check_path(bad)
