"""Seeding the organisation: upsert by code in one transaction, audited, on SQLite and PostgreSQL."""

from pathlib import Path

import pytest
from sqlmodel import select

from domain.seed_format import SeedDocument
from domain.seed_load import load_document
from storage.engine import read_session
from storage.seeding import SeedProblem, seed_documents
from storage.tables import (Agent, AuditEntry, BusinessCalendar, CalendarClosure, Priority,
                            PriorityRule, ProblemCode, RoutingCategory, TemplateField)
from tests.seed_dump import dump

EXAMPLE = Path(__file__).parents[2] / "docs" / "example-office.yaml"


@pytest.fixture
def example() -> SeedDocument:
    return load_document(EXAMPLE)[1]


def _doc(**sections) -> SeedDocument:
    return SeedDocument.model_validate(sections)


def test_seeding_the_example_twice_leaves_identical_data_and_no_new_audit(engine, now, example):
    first = seed_documents(engine, [example], now=now)
    assert first.summary["problem_codes"]["created"] == 3 and first.changed > 40
    before = dump(engine)
    assert before["audit_entries"] == first.changed
    again = seed_documents(engine, [example], now=now)
    assert again.changed == 0 and again.details == []
    assert all(c["created"] == c["updated"] == c["deleted"] == 0 for c in again.summary.values())
    assert dump(engine) == before


def test_a_dry_run_reports_the_changes_and_writes_nothing(engine, now, example):
    before = dump(engine)
    dry = seed_documents(engine, [example], now=now, dry_run=True)
    assert dry.dry_run and dry.changed > 40
    assert dump(engine) == before
    real = seed_documents(engine, [example], now=now)
    assert real.to_json()["summary"] == dry.to_json()["summary"]


def test_a_problem_in_any_document_writes_nothing_at_all(engine, now, example):
    before = dump(engine)
    broken = _doc(priority_rules=[{"code": "r", "order": 1, "priority": "critical"}])
    with pytest.raises(SeedProblem) as caught:
        seed_documents(engine, [example, broken], now=now)
    assert caught.value.index == 1 and caught.value.cause.where == "priority_rules[0].priority"
    assert dump(engine) == before


def test_targets_count_working_days_of_the_calendar(engine, now, example):
    seed_documents(engine, [example], now=now)
    with read_session(engine) as session:
        high = session.exec(select(Priority).where(Priority.code == "high")).one()
        calendar = session.exec(select(BusinessCalendar)).one()
    assert (high.response_minutes, high.resolution_minutes) == (60, 9 * 60)
    assert calendar.weekly_hours["fri"] == [["08:00", "12:00"], ["13:00", "16:00"]]
    assert "sat" not in calendar.weekly_hours


def test_names_in_languages_the_file_leaves_out_are_kept(engine, now, example):
    seed_documents(engine, [example], now=now)
    result = seed_documents(engine, [_doc(departments=[{"code": "streets", "names": {"pl": "Ulice"}}])], now=now)
    assert result.summary["departments"]["updated"] == 1
    assert result.details[0]["changes"]["names"][1] == {"en": "Streets and Roads", "pl": "Ulice"}


def test_omitted_fields_are_left_alone_and_given_ones_set(engine, now, example):
    seed_documents(engine, [example], now=now)
    change = _doc(departments=[{"code": "streets", "providers": [{"code": "roads", "service_categories": [
        {"code": "road-surface", "problem_codes": [{"code": "pothole", "description": "Holes"}]}]}]}])
    seed_documents(engine, [change], now=now)
    with read_session(engine) as session:
        pothole = session.exec(select(ProblemCode).where(ProblemCode.code == "pothole")).one()
        fields = session.exec(select(TemplateField).where(TemplateField.problem_code_id == pothole.id)).all()
    assert pothole.description == "Holes" and pothole.template_title == "Repair pothole"
    assert len(fields) == 2


def test_a_template_becomes_exactly_the_fields_the_file_lists(engine, now, example):
    seed_documents(engine, [example], now=now)
    change = _doc(departments=[{"code": "streets", "providers": [{"code": "roads", "service_categories": [
        {"code": "road-surface", "problem_codes": [{"code": "pothole", "template": {"fields": [
            {"code": "details", "kind": "text", "labels": {"en": "Where exactly?"}}]}}]}]}]}])
    result = seed_documents(engine, [change], now=now)
    assert result.summary["template_fields"] == {"created": 0, "updated": 1, "unchanged": 0, "deleted": 1}
    with read_session(engine) as session:
        field = session.exec(select(TemplateField).where(TemplateField.code == "details")).one()
        assert session.exec(select(TemplateField).where(TemplateField.code == "size")).first() is None
        entries = session.exec(select(AuditEntry).where(AuditEntry.entity == "template_field",
                                                        AuditEntry.action == "seed_delete")).all()
    assert field.position == 1 and field.labels == {"en": "Where exactly?", "pl": "Dokładne miejsce i szczegóły"}
    assert len(entries) == 1


def test_an_agents_categories_become_exactly_the_listed_ones_and_the_password_stays(engine, now, example):
    seed_documents(engine, [example], now=now)
    with read_session(engine) as session:
        marta = session.exec(select(Agent).where(Agent.login == "marta")).one()
    assert marta.password_hash is None
    change = _doc(agents=[{"login": "marta", "name": "Marta Kowalska", "categories": ["Streets/Roads"]}])
    result = seed_documents(engine, [change], now=now)
    assert result.summary["agents"]["updated"] == 1
    assert result.details[0]["changes"]["categories"] == [["Complaints", "Environment/Waste"], ["Streets/Roads"]]
    assert seed_documents(engine, [change], now=now).changed == 0


def test_a_password_hash_is_set_but_never_shown(engine, now):
    from domain.passwords import hash_password, verify_password

    hashed = hash_password("long-enough")
    result = seed_documents(engine, [_doc(agents=[{"login": "ann", "name": "Ann", "password_hash": hashed}])],
                            now=now)
    assert hashed not in str(result.to_json())
    with read_session(engine) as session:
        ann = session.exec(select(Agent).where(Agent.login == "ann")).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "agent")).one()
    assert verify_password(ann.password_hash, "long-enough") and hashed not in str(entry.changes)


def test_parents_of_routing_paths_are_created_and_closures_replaced(engine, now, example):
    seed_documents(engine, [example], now=now)
    with read_session(engine) as session:
        printers = session.exec(select(RoutingCategory).where(
            RoutingCategory.path == "Technical support/Hardware/Printers")).one()
        hardware = session.get(RoutingCategory, printers.parent_id)
        assert (hardware.path, hardware.name, printers.name) == ("Technical support/Hardware", "Hardware", "Printers")
        assert printers.keywords["pl"] == ["drukarka", "toner"]
    change = _doc(calendar={"code": "main", "closures": [{"date": "2026-12-24", "reason": "Wigilia"}]})
    result = seed_documents(engine, [change], now=now)
    assert result.summary["closures"] == {"created": 0, "updated": 1, "unchanged": 0, "deleted": 1}
    with read_session(engine) as session:
        assert [(c.day, c.reason) for c in session.exec(select(CalendarClosure))] == [("2026-12-24", "Wigilia")]


def test_rules_keep_their_conditions_as_the_routing_code_reads_them(engine, now, example):
    from domain.priority_rules import PriorityRule as Rule

    seed_documents(engine, [example], now=now)
    with read_session(engine) as session:
        rules = session.exec(select(PriorityRule).order_by(PriorityRule.position)).all()
    assert [r.code for r in rules] == ["complaints-high", "vip-high", "burst-urgent", "default-medium"]
    for row in rules:
        Rule.parse(code=row.code, priority=row.priority, conditions=row.conditions)
    assert rules[2].conditions["channel"] == ["phone", "email", "web"]


def test_a_new_calendar_needs_a_time_zone(engine, now):
    with pytest.raises(SeedProblem) as caught:
        seed_documents(engine, [_doc(calendar={"code": "night", "hours": {"mon": "20:00-24:00"}})], now=now)
    assert caught.value.cause.where == "calendar.timezone"
