"""`callcenter report volume|sla`: the same exact numbers as JSON, CSV and a table."""

import csv
import io
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from storage.engine import make_engine
from tests.report_data import build_office

WARSAW = ZoneInfo("Europe/Warsaw")
NOW = datetime.now(timezone.utc) - timedelta(hours=1)
FIRST = (NOW - timedelta(days=20)).astimezone(WARSAW).date()
LAST = (NOW - timedelta(days=3)).astimezone(WARSAW).date()


@pytest.fixture
def office(db_url):
    engine = make_engine(db_url)
    try:
        yield build_office(engine, now=NOW, count=250, start=NOW - timedelta(days=30))
    finally:
        engine.dispose()


def _inside(office):
    return [r for r in office.requests if FIRST <= r["created_at"].astimezone(WARSAW).date() <= LAST]


def _period():
    return "--from", FIRST.isoformat(), "--to", LAST.isoformat()


def test_volume_json_counts_every_request_of_the_period_by_category(cli, office):
    result = cli("report", "volume", *_period(), "--by", "category", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    expected = Counter(office.categories.get(r["category_id"]) for r in _inside(office))
    assert {row["key"]: row["count"] for row in data["rows"]} == expected
    assert data["total"] == len(_inside(office))
    assert (data["from"], data["to"], data["timezone"]) == (str(FIRST), str(LAST), "Europe/Warsaw")


def test_volume_csv_has_a_header_and_the_none_row(cli, office):
    result = cli("report", "volume", *_period(), "--by", "type", "--csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["type", "requests"]
    counts = {label: int(count) for label, count in rows[1:]}
    assert counts["(none)"] == sum(1 for r in _inside(office) if r["type"] is None)
    assert sum(counts.values()) == len(_inside(office))


def test_volume_by_day_lists_every_day_of_the_period(cli, office):
    data = cli("report", "volume", *_period(), "--by", "day", "--json").json()
    days = [row["key"] for row in data["rows"]]
    assert days[0] == str(FIRST) and days[-1] == str(LAST) and len(days) == (LAST - FIRST).days + 1


def test_the_table_prints_the_total(cli, office):
    result = cli("report", "volume", *_period(), "--by", "channel")
    assert result.exit_code == 0
    assert f"total: {len(_inside(office))}" in result.stdout


def test_sla_json_counts_requests_and_deadlines_met_per_category(cli, office):
    result = cli("report", "sla", *_period(), "--by", "category", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {row["key"]: row for row in result.json()["rows"]}
    for key in set(rows) | {office.categories.get(r["category_id"]) for r in _inside(office)}:
        mine = [r for r in _inside(office) if office.categories.get(r["category_id"]) == key]
        met = sum(1 for r in mine if r["resolved_at"] and r["resolution_due_at"]
                  and r["resolved_at"] <= r["resolution_due_at"])
        assert rows[key]["requests"] == len(mine)
        assert rows[key]["resolution_met"] == met
    assert result.json()["business_hours"] is True  # the generated office has a calendar


def test_sla_csv_has_the_full_columns(cli, office):
    result = cli("report", "sla", *_period(), "--csv")
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:3] == ["priority", "requests", "response_met"] and "compliance" in header


def test_json_and_csv_together_is_a_usage_error(cli):
    assert cli("report", "volume", "--json", "--csv").exit_code == 2


def test_an_unknown_dimension_is_a_usage_error(cli):
    result = cli("report", "volume", "--by", "weather")
    assert result.exit_code == 2 and "weather" in result.stderr


def test_a_bad_date_is_one_line_naming_the_option(cli):
    result = cli("report", "volume", "--from", "2026-02-30")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --from:") and result.stderr.count("\n") == 1


def test_a_period_ending_before_it_starts_is_refused(cli):
    result = cli("report", "sla", "--from", "2026-11-10", "--to", "2026-11-01")
    assert result.exit_code == 1 and "--to" in result.stderr


def test_the_default_period_is_this_month_so_far(cli):
    data = cli("report", "volume", "--json").json()
    today = date.today()
    assert data["from"] == today.replace(day=1).isoformat() and data["to"] >= data["from"]
