"""`callcenter queue next|show`, `sla due` and the request lifecycle commands, as scripts use them."""

import pytest

from storage.engine import make_engine
from tests.routing_office import build_office, set_mode


@pytest.fixture
def office(db_url, now):
    engine = make_engine(db_url)
    made = build_office(engine, now)
    set_mode(engine, "Billing", "queue")
    engine.dispose()
    return made


def new_request(cli, *args):
    result = cli("request", "new", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()["number"]


def test_an_empty_queue_prints_null_and_exits_0(cli, office):
    result = cli("queue", "next", "--agent", "ann", "--json")
    assert result.exit_code == 0 and result.stdout.strip() == "null"
    human = cli("queue", "next", "--agent", "ann")
    assert human.exit_code == 0 and "the queue is empty" in human.stdout


def test_queue_next_gives_the_request_with_its_deadline_explanation(cli, office):
    number = new_request(cli, "--category", "Billing", "--subject", "Invoice twice")
    result = cli("queue", "next", "--agent", "ann", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert (data["number"], data["assigned_agent"], data["status"]) == (number, "ann", "in_progress")
    assert data["deadline_explanation"]["text"].startswith("low (no rule matched")
    assert "resolution" in data["deadline_explanation"]


def test_an_agent_holding_a_request_is_told_to_finish_it_first(cli, office):
    first = new_request(cli, "--category", "Billing")
    new_request(cli, "--category", "Billing")
    assert cli("queue", "next", "--agent", "ann", "--json").exit_code == 0
    refused = cli("queue", "next", "--agent", "ann", "--json")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert f"you still hold request {first}" in refused.stderr and refused.stderr.count("\n") == 1


def test_queue_show_lists_in_pull_order(cli, office):
    numbers = [new_request(cli, "--category", "Billing", "--subject", s) for s in ("a", "b")]
    urgent = new_request(cli, "--category", "Billing", "--subject", "total outage")
    listed = cli("queue", "show", "--category", "Billing", "--json")
    assert listed.exit_code == 0
    assert [i["number"] for i in listed.json()] == [urgent, *numbers]
    assert listed.json()[0]["priority"] == "urgent"
    table = cli("queue", "show", "--category", "Billing")
    assert table.exit_code == 0 and "total outage" in table.stdout


def test_queue_show_of_an_unknown_category_is_a_data_error(cli, office):
    result = cli("queue", "show", "--category", "Nowhere")
    assert result.exit_code == 1 and "Nowhere" in result.stderr


def test_sla_due_checks_both_fixtures_of_the_calendar(cli, office):
    result = cli("sla", "due", "--at", "2026-11-27T15:00+01:00", "--hours", "3", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["deadline"]["due_local"] == "2026-11-30T09:00:00+01:00"
    assert data["deadline"]["text"] == "3 h: Fri 15:00 → Mon 09:00 — 2 h Fri, weekend skipped, 1 h Mon"
    human = cli("sla", "due", "--at", "2026-11-27T15:00+01:00", "--priority", "medium")
    assert human.exit_code == 0 and "resolution: due 2026-11-30T09:00:00+01:00" in human.stdout


def test_sla_due_needs_exactly_one_target_and_a_valid_time(cli, office):
    assert cli("sla", "due", "--at", "2026-11-27T15:00+01:00").exit_code == 2
    assert cli("sla", "due", "--at", "2026-11-27T15:00+01:00", "--hours", "1", "--priority", "low").exit_code == 2
    bad = cli("sla", "due", "--at", "friday", "--hours", "1")
    assert bad.exit_code == 1 and "--at" in bad.stderr
    unknown = cli("sla", "due", "--at", "2026-11-27T15:00+01:00", "--priority", "whenever")
    assert unknown.exit_code == 1 and "whenever" in unknown.stderr


def test_lifecycle_commands_write_history_that_request_show_returns(cli, office):
    number = new_request(cli, "--agent", "ann", "--subject", "Container missing")
    steps = [
        ("pend", "--question", "Which street?"),
        ("resume", "--note", "Main street"),
        ("reassign", "--category", "Billing", "--reason", "a billing matter"),
    ]
    for command, *options in steps:
        result = cli("request", command, str(number), "--agent", "ann", "--json", *options)
        assert result.exit_code == 0, result.stderr
    assert cli("request", "escalate", str(number), "--agent", "bob", "--reason", "angry").exit_code == 0
    assert cli("request", "resolve", str(number), "--agent", "sue", "--note", "refunded").exit_code == 0
    reopened = cli("request", "reopen", str(number), "--agent", "ann", "--reason", "not refunded", "--json")
    assert reopened.exit_code == 0 and reopened.json()["status"] == "reopened"
    shown = cli("request", "show", str(number), "--json").json()
    actions = [a["action"] for a in shown["audit"] if a["action"] not in ("route", "assign")]
    assert actions[-6:] == ["pend", "resume", "reassign", "escalate", "resolve", "reopen"]
    assignment = [a for a in shown["activity"] if a["kind"] == "assignment"]
    assert any("reassigned by ann: a billing matter" in a["body"] for a in assignment)
    assert any(a["data"] and a["data"].get("mode") == "queue" for a in assignment)
    assert shown["deadline_explanation"]["category"]["source"] == "escalation"


def test_a_lifecycle_command_without_its_reason_is_a_usage_error(cli, office):
    number = new_request(cli, "--agent", "ann")
    assert cli("request", "escalate", str(number), "--agent", "ann").exit_code == 2
    assert cli("request", "reassign", str(number), "--agent", "ann", "--reason", "x").exit_code == 2
    blank = cli("request", "pend", str(number), "--agent", "ann", "--question", "  ")
    assert blank.exit_code == 1 and "question" in blank.stderr


def test_the_real_process_prints_null_for_an_empty_queue(cli_process, sqlite_url, now):
    engine = make_engine(sqlite_url)
    build_office(engine, now)
    engine.dispose()
    result = cli_process("queue", "next", "--agent", "bob", "--json")
    assert result.exit_code == 0 and result.stdout.strip() == "null", result.stderr
