"""`callcenter demo`: a realistic office, loaded once; a second run changes nothing and says so."""

import json
import random
import shutil
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app
from domain.demo_people import people
from domain.demo_plan import plan_month
from domain.demo_script import DemoAgent, DemoProblem
from domain.passwords import verify_password
from storage.engine import make_engine, read_session
from storage.tables import (Activity, Agent, Article, AuditEntry, Customer, CustomerContact, Department,
                            ProblemCode, Request, TemplateField, WorkOrder)
from tests.seed_dump import dump

COUNTED = (Request, Customer, CustomerContact, WorkOrder, Activity, Article, AuditEntry)


def _counts(engine) -> dict[str, int]:
    with read_session(engine) as session:
        return {m.__tablename__: session.exec(select(func.count()).select_from(m)).one() for m in COUNTED}


def _run(url: str, *args: str):
    result = CliRunner().invoke(app, ["--db", url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def _load_twice(url: str) -> dict:
    engine = make_engine(url)
    started = datetime.now(timezone.utc)
    first = json.loads(_run(url, "demo", "--json").stdout)
    before = (dump(engine), _counts(engine))
    second = json.loads(_run(url, "demo", "--json").stdout)
    after = (dump(engine), _counts(engine))
    human = _run(url, "demo").stdout
    return {"engine": engine, "started": started, "first": first, "second": second,
            "before": before, "after": after, "human": human}


@pytest.fixture(scope="module")
def demo(sqlite_template, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    loaded = _load_twice(str(path))
    yield loaded
    loaded["engine"].dispose()


def test_a_second_demo_changes_nothing_and_says_so(demo):
    assert demo["first"]["changed"] is True
    assert demo["second"]["changed"] is False and demo["second"]["requests"] is None
    assert demo["second"]["office"]["changed"] == 0
    assert demo["before"] == demo["after"]
    assert "already loaded: nothing changed" in demo["human"]


def test_the_demo_prints_passwords_that_sign_in(demo):
    agents = {a["login"]: a for a in demo["first"]["agents"]}
    assert len(agents) >= 8 and {"admin", "supervisor"} <= {a["role"] for a in agents.values()}
    with read_session(demo["engine"]) as session:
        for row in session.exec(select(Agent)):
            assert verify_password(row.password_hash, agents[row.login]["password"]), row.login
    for login in agents:
        assert login in demo["human"] and agents[login]["password"] in demo["human"]


def test_the_catalogue_has_the_domain_hierarchy_in_four_languages(demo):
    with read_session(demo["engine"]) as session:
        assert session.exec(select(func.count()).select_from(Department)).one() >= 4
        codes = session.exec(select(ProblemCode)).all()
        pickup = next(c for c in codes if c.code == "appliance-pickup")
        appliance = session.exec(select(TemplateField).where(
            TemplateField.problem_code_id == pickup.id, TemplateField.code == "appliance")).one()
        environment = session.exec(select(Department).where(Department.code == "environment")).one()
    assert len(codes) >= 30 and all(c.template_title for c in codes)
    assert pickup.names == {"en": "Appliance Pickup", "pl": "Odbiór urządzeń", "nl": "Witgoedverwijdering",
                            "pt": "Coleta de eletrodomésticos"}
    assert environment.names["nl"] == "Milieuservices"
    assert [c["key"] for c in appliance.choices] == ["stove", "washer", "dryer", "fridge", "other"]


def test_a_month_of_requests_of_every_type_channel_and_status(demo):
    with read_session(demo["engine"]) as session:
        requests = session.exec(select(Request)).all()
        phones = session.exec(select(CustomerContact.value).where(CustomerContact.kind == "phone")).all()
        shared = session.exec(select(Request.work_order_id, func.count()).where(
            Request.work_order_id.is_not(None)).group_by(Request.work_order_id).having(func.count() > 1)).all()
        activity = session.exec(select(func.count()).select_from(Activity)).one()
    assert len(requests) == 1000
    oldest = demo["started"] - timedelta(days=31)
    assert all(oldest <= r.created_at <= demo["started"] for r in requests)
    assert {r.type for r in requests} == {"information", "action", "comment"}
    assert {r.channel for r in requests} == {"phone", "email", "fax", "web", "social", "chat", "walk_in"}
    assert {r.status for r in requests} == {"new", "in_progress", "pending_customer", "resolved", "closed",
                                            "reopened"}
    assert all(r.priority and r.resolution_due_at and r.deadline_explanation for r in requests)
    # Complaints: 15% comments x 30% complaints of 1,000 requests, about 45 +- 7 whatever
    # the clock (the plan depends on the time it is made); 50 failed at 06:20 one day.
    assert sum(r.complaint for r in requests) >= 25 and len(shared) >= 20 and activity >= 2000
    assert all(r.resolution_note for r in requests if r.status in ("resolved", "closed"))
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in phones)
    assert len(set(phones)) == len(phones)


def test_agents_who_are_not_supervisors_can_pull_at_once(demo):
    with read_session(demo["engine"]) as session:
        held = session.exec(select(Agent.login, Agent.role).join(Request, Request.assigned_agent_id == Agent.id).where(
            Request.status.in_(["new", "in_progress", "reopened"]))).all()
    assert {role for _login, role in held} <= {"supervisor", "admin"}


def test_the_demo_articles_are_imported_in_four_languages(demo):
    with read_session(demo["engine"]) as session:
        languages = Counter(session.exec(select(Article.language)).all())
    assert sum(languages.values()) >= 40 and set(languages) >= {"en", "pl", "nl", "pt"}


def test_the_demo_refuses_to_invent_requests_next_to_real_ones(sqlite_url):
    _run(sqlite_url, "request", "new", "--channel", "email")
    result = CliRunner().invoke(app, ["--db", sqlite_url, "demo"], catch_exceptions=False)
    assert result.exit_code == 1 and "already holds 1 request" in result.stderr
    assert _counts(make_engine(sqlite_url))["request"] == 1


def test_the_plan_is_the_same_for_the_same_seed_and_clock():
    now = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)
    agents = [DemoAgent("ann", "agent", ("en", "pl"), ("Waste",)), DemoAgent("sue", "supervisor", ("en",),
                                                                           ("Complaints",))]
    problems = [DemoProblem("bins", {"en": "Bins"}, "Waste", "Empty bins", "", ())]

    def plan():
        rng = random.Random(7)
        return plan_month(rng=rng, now=now, zone=ZoneInfo("Europe/Warsaw"), agents=agents,
                          problems=problems, customers=people(rng, 30), count=200)

    assert plan() == plan()


@pytest.mark.postgres
def test_the_demo_loads_on_postgresql_too(pg_url):
    loaded = _load_twice(pg_url)
    try:
        assert loaded["first"]["requests"]["requests"] == 1000
        assert loaded["second"]["changed"] is False and loaded["before"] == loaded["after"]
    finally:
        loaded["engine"].dispose()
