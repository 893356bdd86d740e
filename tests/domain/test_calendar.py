"""Business-hours deadlines: the two fixtures, DST, holidays, closures, split hours, closed starts."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import OfficeCalendar
from domain.errors import InvalidInput

WARSAW = ZoneInfo("Europe/Warsaw")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def office(opens="08:00", closes="17:00", **kwargs) -> OfficeCalendar:
    return OfficeCalendar(timezone="Europe/Warsaw",
                          weekly_hours={d: [[opens, closes]] for d in WEEKDAYS}, **kwargs)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


def test_a_medium_request_posted_friday_1500_is_due_monday_0900():
    deadline = office().add_business_time(local(2026, 11, 27, 15, 0), 3 * 60)
    assert deadline.due_at == local(2026, 11, 30, 9, 0)
    assert deadline.text() == "3 h: Fri 15:00 → Mon 09:00 — 2 h Fri, weekend skipped, 1 h Mon"


def test_two_hours_from_friday_1600_with_hours_0900_to_1700_is_monday_1000():
    deadline = office("09:00", "17:00").add_business_time(local(2026, 11, 27, 16, 0), 2 * 60)
    assert deadline.due_at == local(2026, 11, 30, 10, 0)
    assert deadline.text() == "2 h: Fri 16:00 → Mon 10:00 — 1 h Fri, weekend skipped, 1 h Mon"


def test_the_explanation_lists_each_day_counted_and_skipped_in_json():
    data = office().add_business_time(local(2026, 11, 27, 15, 0), 180).to_json()
    assert [(s["weekday"], s["kind"]) for s in data["steps"]] == [
        ("Fri", "counted"), ("Sat", "weekend"), ("Sun", "weekend"), ("Mon", "counted")]
    assert data["steps"][0]["spans"] == [["15:00", "17:00"]] and data["steps"][0]["minutes"] == 120
    assert data["due_local"] == "2026-11-30T09:00:00+01:00"


def test_a_deadline_over_the_spring_dst_weekend_keeps_wall_clock_hours():
    deadline = office().add_business_time(local(2026, 3, 27, 15, 0), 180)
    assert deadline.due_at == local(2026, 3, 30, 9, 0)
    assert deadline.due_at.astimezone(timezone.utc).hour == 7  # CEST now, was CET on Friday


def test_a_deadline_over_the_autumn_dst_weekend_keeps_wall_clock_hours():
    deadline = office().add_business_time(local(2026, 10, 23, 15, 0), 180)
    assert deadline.due_at == local(2026, 10, 26, 9, 0)
    assert deadline.due_at.astimezone(timezone.utc).hour == 8  # CET now, was CEST on Friday


def test_an_office_open_round_the_clock_has_23_hours_on_the_spring_change_day():
    always = OfficeCalendar(timezone="Europe/Warsaw",
                            weekly_hours={d: [["00:00", "24:00"]] for d in WEEKDAYS + ("sat", "sun")})
    day = always.business_time_between(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0))
    assert day.duration == timedelta(hours=23)
    # five real hours from midnight end at 06:00 on the wall clock
    assert always.add_business_time(local(2026, 3, 29, 0, 0), 300).due_at == local(2026, 3, 29, 6, 0)


def test_an_office_open_round_the_clock_has_25_hours_on_the_autumn_change_day():
    always = OfficeCalendar(timezone="Europe/Warsaw",
                            weekly_hours={d: [["00:00", "24:00"]] for d in WEEKDAYS + ("sat", "sun")})
    day = always.business_time_between(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0))
    assert day.duration == timedelta(hours=25)


def test_opening_hours_across_the_skipped_and_the_repeated_hour_count_real_time():
    night = OfficeCalendar(timezone="Europe/Warsaw", weekly_hours={"sun": [["01:00", "04:00"]]})
    spring = night.business_time_between(local(2026, 3, 29, 0, 0), local(2026, 3, 29, 12, 0))
    autumn = night.business_time_between(local(2026, 10, 25, 0, 0), local(2026, 10, 25, 12, 0))
    assert spring.duration == timedelta(hours=2) and autumn.duration == timedelta(hours=4)


def test_a_public_holiday_on_a_friday_is_skipped_and_named():
    # 1 May 2026 is a Friday and a public holiday in Poland.
    deadline = office(country="PL").add_business_time(local(2026, 4, 30, 15, 0), 180)
    assert deadline.due_at == local(2026, 5, 4, 9, 0)
    assert "Fri skipped (holiday:" in deadline.text()
    assert [s.kind for s in deadline.steps] == ["counted", "holiday", "weekend", "weekend", "counted"]


def test_without_a_country_the_same_friday_is_an_ordinary_day():
    assert office().add_business_time(local(2026, 4, 30, 15, 0), 180).due_at == local(2026, 5, 1, 9, 0)


def test_an_extra_closure_is_skipped_with_its_reason():
    calendar = office(closures={"2026-11-30": "Staff training"})
    deadline = calendar.add_business_time(local(2026, 11, 27, 15, 0), 180)
    assert deadline.due_at == local(2026, 12, 1, 9, 0)
    assert "Mon skipped (closed: Staff training)" in deadline.text()


def test_split_hours_skip_the_lunch_break():
    calendar = OfficeCalendar(timezone="Europe/Warsaw", weekly_hours={
        d: [["08:00", "12:00"], ["13:00", "17:00"]] for d in WEEKDAYS})
    deadline = calendar.add_business_time(local(2026, 11, 24, 11, 0), 120)
    assert deadline.due_at == local(2026, 11, 24, 14, 0)
    assert deadline.steps[0].spans == (("11:00", "12:00"), ("13:00", "14:00"))
    assert calendar.business_minutes_between(local(2026, 11, 24, 8, 0), local(2026, 11, 24, 17, 0)) == 480


def test_a_request_created_after_closing_starts_counting_at_the_next_opening():
    deadline = office().add_business_time(local(2026, 11, 27, 18, 30), 60)
    assert deadline.counting_from == local(2026, 11, 30, 8, 0)
    assert deadline.due_at == local(2026, 11, 30, 9, 0)
    assert deadline.text().startswith("1 h: Fri 18:30 → Mon 09:00 — counting from Mon 08:00")


def test_a_request_created_on_a_saturday_or_before_opening_starts_at_the_next_opening():
    assert office().add_business_time(local(2026, 11, 28, 10, 0), 60).due_at == local(2026, 11, 30, 9, 0)
    assert office().add_business_time(local(2026, 11, 30, 6, 15), 60).due_at == local(2026, 11, 30, 9, 0)


def test_a_target_that_ends_at_closing_time_is_due_at_closing_time():
    assert office().add_business_time(local(2026, 11, 27, 15, 0), 120).due_at == local(2026, 11, 27, 17, 0)


def test_next_opening_and_is_open():
    calendar = office()
    assert calendar.next_opening(local(2026, 11, 27, 17, 0)) == local(2026, 11, 30, 8, 0)
    assert calendar.is_open(local(2026, 11, 27, 16, 59)) and not calendar.is_open(local(2026, 11, 27, 17, 0))


def test_business_time_backwards_is_negative():
    calendar = office()
    assert calendar.business_minutes_between(local(2026, 11, 30, 9, 0), local(2026, 11, 27, 15, 0)) == -180


def test_long_spans_name_dates_and_sum_ordinary_weeks():
    text = office(country="PL").add_business_time(local(2026, 11, 10, 15, 0), 9 * 60 * 20).text()
    assert "Wed 11 Nov skipped (holiday: National Independence Day)" in text
    assert "weekends skipped" in text and text.count(" h ") < 8


@pytest.mark.parametrize("hours, where", [
    ({"mon": [["17:00", "08:00"]]}, "weekly_hours.mon[0]"),
    ({"mon": [["8 am", "17:00"]]}, "weekly_hours.mon[0]"),
    ({"monday": [["08:00", "17:00"]]}, "weekly_hours"),
    ({"mon": [["08:00", "13:00"], ["12:00", "17:00"]]}, "weekly_hours.mon[1]"),
    ({"mon": ["08:00-17:00"]}, "weekly_hours.mon[0]"),
])
def test_bad_weekly_hours_are_refused_naming_the_place(hours, where):
    with pytest.raises(InvalidInput, match=where.replace("[", r"\[").replace("]", r"\]")):
        OfficeCalendar(timezone="Europe/Warsaw", weekly_hours=hours)


def test_an_unknown_zone_or_country_is_refused():
    with pytest.raises(InvalidInput, match="timezone"):
        OfficeCalendar(timezone="Europe/Atlantis")
    with pytest.raises(InvalidInput, match="country"):
        OfficeCalendar(timezone="UTC", country="XX")


def test_a_calendar_that_never_opens_says_so():
    with pytest.raises(InvalidInput, match="not open long enough"):
        OfficeCalendar(timezone="UTC").add_business_time(datetime(2026, 1, 1, tzinfo=timezone.utc), 60)


def test_closure_days_must_be_dates():
    with pytest.raises(InvalidInput, match="closures"):
        office(closures={"next friday": "party"})
    assert office(closures={date(2026, 11, 30): "x"}).day_plan(date(2026, 11, 30))[1] == "closure"
