"""The routing set-up is kept in memory between save-firsts, and read again whenever it changed,
whoever changed it (this process, another engine, another OS process, plain SQL)."""

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlmodel import Session

from storage.engine import make_engine, read_session
from storage.requests import open_request
from storage.routing_config import load_config, read_config
from tests.routing_office import build_office

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY_0900 = datetime(2026, 11, 30, 9, 0, tzinfo=WARSAW)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def office(engine, now):
    return build_office(engine, now)


def _printer_mail(engine):
    return open_request(engine, now=MONDAY_0900, agent_id=None, actor="mail", channel="email",
                        subject="printer jammed")


def _change(db_url: str, sql: str) -> None:
    """Run `sql` on its own engine, as another console or the CLI would."""
    other = make_engine(db_url)
    try:
        with other.begin() as connection:
            connection.execute(text(sql))
    finally:
        other.dispose()


def test_an_unchanged_set_up_is_the_same_object_and_equal_to_a_fresh_read(engine, office):
    with read_session(engine) as session:
        first, second = load_config(session), load_config(session)
        assert first is second
        assert first == read_config(session)
        assert first.category_ids["Technical support/Printers"] == office.categories["Technical support/Printers"]
        assert first.supervisors == office.categories["Supervisors"]


@pytest.mark.parametrize("sql, check", [
    ("UPDATE priority SET resolution_minutes = 240 WHERE code = 'medium'",
     lambda r: r.resolution_due_at == datetime(2026, 11, 30, 13, 0, tzinfo=WARSAW)),
    ("DELETE FROM priority_rule WHERE code = 'printers'",
     lambda r: r.priority == "low"),
    ("UPDATE routing_category SET keywords = '{\"en\": [\"scanner\"]}' WHERE path = 'Technical support/Printers'",
     lambda r: r.category is None),
    ("INSERT INTO calendar_closure (calendar_id, day, reason) "
     "SELECT id, '2026-11-30', 'staff day' FROM business_calendar",
     lambda r: r.resolution_due_at == datetime(2026, 12, 1, 11, 0, tzinfo=WARSAW)),
    ("UPDATE business_calendar SET timezone = 'UTC'",
     lambda r: r.deadline_explanation["calendar"].startswith("main (UTC")),
])
def test_a_change_made_through_another_engine_is_seen_by_the_next_save_first(engine, db_url, office, sql, check):
    before = _printer_mail(engine)
    assert (before.category, before.priority) == ("Technical support/Printers", "medium")
    assert before.resolution_due_at == datetime(2026, 11, 30, 12, 0, tzinfo=WARSAW)
    assert not check(before)
    _change(db_url, sql)
    assert check(_printer_mail(engine))


def test_a_change_made_by_another_process_is_seen_by_the_next_save_first(engine, db_url, office):
    assert _printer_mail(engine).priority == "medium"
    script = ("import sys; from sqlalchemy import text; from storage.engine import make_engine\n"
              "engine = make_engine(sys.argv[1])\n"
              "with engine.begin() as c:\n"
              "    c.execute(text(\"UPDATE priority_rule SET priority = 'urgent' WHERE code = 'printers'\"))\n")
    subprocess.run([sys.executable, "-c", script, db_url], cwd=ROOT, check=True, timeout=120)
    assert _printer_mail(engine).priority == "urgent"


def test_a_change_pending_in_the_same_session_is_seen(engine, office):
    with Session(engine) as session:
        assert "medium" in load_config(session).priorities
        session.execute(text("DELETE FROM priority WHERE code = 'medium'"))
        assert "medium" not in load_config(session).priorities
        session.rollback()
        assert "medium" in load_config(session).priorities
