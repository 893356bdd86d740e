"""Choosing who gets a request: round robin, least open, queue, and why."""

from datetime import datetime, timezone

import pytest

from domain.assignment import Candidate, choose_assignee
from domain.errors import InvalidInput


def at(hour):
    return datetime(2026, 11, 27, hour, tzinfo=timezone.utc)


ANN = Candidate(1, "ann", open_requests=3, last_assigned_at=at(9))
BOB = Candidate(2, "bob", open_requests=1, last_assigned_at=at(11))
CAROL = Candidate(3, "carol", open_requests=0, last_assigned_at=None, away="sick, until set back")
DAN = Candidate(4, "dan", open_requests=0, active=False)


def test_round_robin_gives_it_to_the_member_who_got_one_longest_ago():
    decision = choose_assignee("round_robin", category="Billing", candidates=[BOB, ANN])
    assert decision.login == "ann" and decision.candidates == ("ann", "bob")


def test_a_member_who_never_got_one_goes_first():
    new = Candidate(5, "eve", last_assigned_at=None)
    assert choose_assignee("round_robin", category="B", candidates=[ANN, BOB, new]).login == "eve"


def test_out_of_office_and_inactive_agents_are_skipped_with_the_reason():
    decision = choose_assignee("round_robin", category="Billing", candidates=[ANN, BOB, CAROL, DAN])
    assert decision.login == "ann"
    assert dict(decision.skipped) == {"carol": "out of office (sick, until set back)", "dan": "inactive"}
    assert "carol: out of office" in decision.text()


def test_least_open_gives_it_to_the_member_with_fewest_open_requests_and_shows_loads():
    decision = choose_assignee("least_open", category="Billing", candidates=[ANN, BOB, CAROL])
    assert decision.login == "bob" and decision.loads == {"ann": 3, "bob": 1}
    assert "ann 3, bob 1" in decision.text()


def test_queue_mode_leaves_it_unassigned():
    decision = choose_assignee("queue", category="Billing", candidates=[ANN, BOB])
    assert decision.agent_id is None and "stays unassigned" in decision.text()


def test_when_nobody_is_available_it_stays_in_the_queue():
    decision = choose_assignee("round_robin", category="Billing", candidates=[CAROL, DAN])
    assert decision.agent_id is None
    assert decision.text().startswith("round_robin in Billing: nobody available, stays in the queue")


def test_a_preferred_agent_is_chosen_when_available_or_skipped_with_the_reason():
    back = choose_assignee("queue", category="B", candidates=[], prefer=ANN, prefer_note="who handled it before")
    assert back.login == "ann" and back.text() == "back to ann, who handled it before"
    outsider = Candidate(9, "zed", member=False)
    decision = choose_assignee("least_open", category="B", candidates=[ANN, BOB], prefer=outsider)
    assert decision.login == "bob" and ("zed", "not a member of the category") in decision.skipped


def test_an_unknown_mode_is_refused():
    with pytest.raises(InvalidInput, match="mode"):
        choose_assignee("lottery", category="B", candidates=[ANN])
