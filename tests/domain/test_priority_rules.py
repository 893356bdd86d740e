"""Priority rules (ordered, first match wins) and keyword categorisation, diacritics-insensitive."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.categorise import CategoryKeywords, categorise, find_keywords
from domain.errors import InvalidInput
from domain.priority_rules import PriorityRule, RequestFacts, choose_priority


def rule(code, priority, **conditions):
    return PriorityRule.parse(code=code, priority=priority, conditions=conditions)


RULES = [
    rule("complaints", "urgent", complaint=True),
    rule("outage", "urgent", keywords=["awaria", "outage"]),
    rule("vip", "high", vip=True),
    rule("printers-mail", "medium", category="Technical support/Printers", channel=["email", "web"]),
    rule("tech", "low", category="Technical support"),
]


def test_the_first_matching_rule_wins():
    facts = RequestFacts(complaint=True, vip=True)
    choice = choose_priority(RULES, facts)
    assert (choice.priority, choice.rule) == ("urgent", "complaints")


def test_a_later_rule_applies_when_earlier_ones_do_not_match():
    choice = choose_priority(RULES, RequestFacts(vip=True, channel="phone"))
    assert (choice.priority, choice.rule, choice.matched) == ("high", "vip", ("the customer is VIP",))


def test_keywords_match_without_diacritics_or_case():
    choice = choose_priority(RULES, RequestFacts(text="Wielka AWARIA wody na ulicy Łódzkiej"))
    assert choice.rule == "outage" and choice.matched == ("keywords: awaria",)
    assert find_keywords("Awária!", ["awaria"]) == ["awaria"]
    assert find_keywords("wywoz odpadow", ["Wywóz odpadów"]) == ["Wywóz odpadów"]


def test_keywords_match_at_word_starts_only():
    assert find_keywords("printers are down", ["printer"]) == ["printer"]
    assert find_keywords("restart it", ["art"]) == []


def test_a_category_condition_matches_the_whole_subtree():
    printers = RequestFacts(category="Technical support/Printers", channel="phone")
    assert choose_priority(RULES, printers).rule == "tech"
    assert choose_priority(RULES, RequestFacts(category="Technical supportive")).rule is None


def test_all_conditions_of_a_rule_must_match():
    facts = RequestFacts(category="Technical support/Printers", channel="email")
    choice = choose_priority(RULES, facts)
    assert choice.rule == "printers-mail" and len(choice.matched) == 2


def test_without_a_match_the_problem_code_default_then_the_fallback_apply():
    facts = RequestFacts(problem_code="APPLIANCE")
    assert choose_priority(RULES, facts, problem_default="high", fallback="low").source == "problem_code"
    assert choose_priority(RULES, RequestFacts(), fallback="low").priority == "low"
    assert choose_priority([], RequestFacts()).priority is None


def test_the_choice_explains_itself():
    text = choose_priority(RULES, RequestFacts(vip=True)).text()
    assert text == "high (rule vip: the customer is VIP)"


@pytest.mark.parametrize("conditions, where", [
    ({"colour": "red"}, "conditions.colour"),
    ({"vip": "yes"}, "conditions.vip"),
    ({"channel": []}, "conditions.channel"),
    ({"keywords": "awaria"}, "conditions.keywords"),
])
def test_bad_conditions_are_refused_naming_the_place(conditions, where):
    with pytest.raises(InvalidInput, match=where):
        PriorityRule.parse(code="r", priority="low", conditions=conditions)


CATEGORIES = [
    CategoryKeywords("Technical support", ("computer", "komputer")),
    CategoryKeywords("Technical support/Printers", ("printer", "drukarka", "toner")),
    CategoryKeywords("Waste", ("wywóz odpadów", "afval")),
]


def test_written_requests_are_categorised_by_keywords_in_any_language():
    choice = categorise(channel="email", subject="Drukarka nie drukuje", body="", categories=CATEGORIES)
    assert choice.path == "Technical support/Printers" and choice.matched == ("drukarka",)
    assert categorise(channel="web", subject="", body="Wywoz odpadow nie przyjechal",
                      categories=CATEGORIES).path == "Waste"


def test_the_category_with_most_keywords_wins_and_ties_go_to_the_deeper_one():
    choice = categorise(channel="chat", subject="computer printer", body="", categories=CATEGORIES)
    assert choice.path == "Technical support/Printers"
    choice = categorise(channel="chat", subject="computer komputer printer", body="", categories=CATEGORIES)
    assert choice.path == "Technical support"


def test_phone_requests_and_texts_without_keywords_are_not_categorised():
    assert categorise(channel="phone", subject="printer", body="", categories=CATEGORIES) is None
    assert categorise(channel="email", subject="hello", body="", categories=CATEGORIES) is None


@given(st.text(max_size=40))
def test_a_keyword_is_always_found_in_text_that_contains_it_as_a_word(noise):
    text = f"{noise} drukarka {noise}"
    assert find_keywords(text, ["DRUKARKA"]) == ["DRUKARKA"]
