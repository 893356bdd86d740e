"""The small value types of a seed file: codes, languages, durations, opening hours.

Each is an annotated type for pydantic that refuses bad input with a message an admin
can act on, so a seed error names the problem as well as the place.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import phonenumbers
from babel import localedata
from pydantic import AfterValidator, BeforeValidator, StringConstraints

CODE_PATTERN = r"^[\w@+:-][\w.@+:-]{0,63}$"
_CODE = re.compile(CODE_PATTERN)
_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAY_MINUTES = 8 * 60


def check_code(value: str) -> str:
    """A code: letters, digits and `_ - . @ + :`, not starting with a dot, at most 64 long."""
    if not _CODE.match(value):
        raise ValueError(f"{value!r} is not a code (letters, digits, _ - . @ + : ; at most 64; "
                         "no spaces or slashes)")
    return value


def check_login(value: str) -> str:
    """A sign-in name: letters, digits, '.', '_' and '-'."""
    if not _LOGIN.match(value):
        raise ValueError(f"{value!r} is not a login (letters, digits, '.', '_', '-')")
    return value


def check_language(value: str) -> str:
    """An ISO 639 language code that Babel knows (`en`, `pl`, `nl`, `pt`)."""
    if not _LANGUAGE.match(value) or not localedata.exists(value):
        raise ValueError(f"{value!r} is not a known language code (like en, pl, nl, pt)")
    return value


def check_path(value: str) -> str:
    """A routing-category path: `/`-separated names, none empty."""
    parts = value.split("/")
    if any(not part.strip() or part != part.strip() for part in parts):
        raise ValueError(f"{value!r} is not a category path like 'Technical support/Hardware/Printers' "
                         "(no empty parts, no spaces around '/')")
    return value


def check_timezone(value: str) -> str:
    """An IANA time zone such as Europe/Warsaw."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone (like Europe/Warsaw)") from None
    return value


@cache
def _holiday_countries() -> dict[str, list[str]]:
    return holidays.list_supported_countries()


def check_holiday_country(value: str) -> str:
    """A country whose public holidays the `holidays` package knows (ISO 3166 alpha-2)."""
    if value not in _holiday_countries():
        raise ValueError(f"{value!r} is not a country with known public holidays (like PL, NL, PT)")
    return value


def check_region(value: str) -> str:
    """A country code that phone numbers can be read in (ISO 3166 alpha-2: PL, NL, PT)."""
    if value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"{value!r} is not a country code (like PL, NL, PT)")
    return value


def subdivisions(country: str) -> list[str]:
    """The subdivisions (states, provinces) `holidays` knows for `country`."""
    return list(_holiday_countries().get(country, []))


def parse_duration(text: str, *, day_minutes: int = DEFAULT_DAY_MINUTES) -> int:
    """Business minutes of `90m`, `3h`, `1h30m` or `2d` (a day = one working day's hours)."""
    match = _DURATION.match(text)
    if not text or not match:
        raise ValueError(f"{text!r} is not a duration like 90m, 3h, 1h30m or 2d")
    days, hours, minutes = (int(group or 0) for group in match.groups())
    total = days * day_minutes + hours * 60 + minutes
    if total <= 0:
        raise ValueError(f"{text!r} must be longer than zero")
    return total


def check_duration(value: str) -> str:
    """Validate a duration string, keeping it as written (days depend on the calendar)."""
    parse_duration(value)
    return value


def _clock_minutes(text: str) -> int:
    match = _CLOCK.match(text)
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValueError(f"{text!r} is not a time of day like 08:00")
    return int(match.group(1)) * 60 + int(match.group(2))


def parse_range(text: str) -> tuple[str, str]:
    """`"08:00-12:00"` -> `("08:00", "12:00")`; the start must come before the end."""
    parts = text.replace(" ", "").split("-")
    if len(parts) != 2:
        raise ValueError(f"{text!r} is not a time range like 08:00-17:00")
    start, end = parts
    if _clock_minutes(start) >= _clock_minutes(end):
        raise ValueError(f"{text!r}: the start must be before the end")
    return start, end


def _days(key: str) -> list[str]:
    if key in WEEKDAYS:
        return [key]
    first, _, last = key.partition("-")
    if first in WEEKDAYS and last in WEEKDAYS and WEEKDAYS.index(first) < WEEKDAYS.index(last):
        return list(WEEKDAYS[WEEKDAYS.index(first):WEEKDAYS.index(last) + 1])
    raise ValueError(f"{key!r} is not a weekday or a range of weekdays (mon, tue, …, sun; mon-fri)")


def weekly_hours(spec: dict[str, Any]) -> dict[str, list[list[str]]]:
    """`{"mon-fri": "08:00-17:00", "sat": ["09:00-12:00"]}` -> `{"mon": [["08:00", "17:00"]], …}`.

    A day given as `closed`, null or an empty list is closed (and left out). Ranges of one
    day must be in order and must not overlap.
    """
    hours: dict[str, list[list[str]]] = {}
    seen: set[str] = set()
    for key, value in spec.items():
        ranges = _ranges(key, value)
        for day in _days(key):
            if day in seen:
                raise ValueError(f"{day} is given twice (again in {key!r})")
            seen.add(day)
            if ranges:
                hours[day] = [list(r) for r in ranges]
    return {day: hours[day] for day in WEEKDAYS if day in hours}


def _ranges(key: str, value: Any) -> list[tuple[str, str]]:
    if value is None or value == "closed" or value == []:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise ValueError(f"{key}: give a range like '08:00-17:00', a list of them, or 'closed'")
    ranges = [parse_range(item) for item in items]
    for (_s1, end), (start, _e2) in zip(ranges, ranges[1:]):
        if _clock_minutes(start) < _clock_minutes(end):
            raise ValueError(f"{key}: {start} starts before the previous range ends at {end}")
    return ranges


def working_day_minutes(hours: dict[str, list[list[str]]]) -> int:
    """The length of a usual working day: the most common opening length, the longer on a tie."""
    lengths = [sum(_clock_minutes(end) - _clock_minutes(start) for start, end in ranges)
               for ranges in hours.values() if ranges]
    if not lengths:
        return DEFAULT_DAY_MINUTES
    counted = Counter(lengths)
    return max(counted, key=lambda length: (counted[length], length))


def _no_yaml_bool(value: Any) -> Any:
    # YAML 1.1 reads unquoted yes/no/on/off as booleans: say so rather than "not a string".
    if isinstance(value, bool):
        raise ValueError(f"got {str(value).lower()}, not text (YAML reads unquoted yes/no/on/off "
                         "as true/false: put it in quotes)")
    if isinstance(value, (int, float)):
        raise ValueError(f"got the number {value!r}, not text (put it in quotes)")
    return value


Text = Annotated[str, BeforeValidator(_no_yaml_bool)]
NonEmpty = Annotated[str, BeforeValidator(_no_yaml_bool),
                     StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_code)]
Login = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_login)]
Language = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_language)]
CategoryPath = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_path)]
Duration = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_duration)]
TimeZone = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_timezone)]
Region = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_region)]
HolidayCountry = Annotated[str, BeforeValidator(_no_yaml_bool), AfterValidator(check_holiday_country)]
