"""The seed document: strict shapes, and checks across it and the database."""

import pytest
from pydantic import ValidationError

from domain.errors import InvalidInput
from domain.seed_checks import Known, check_document, priority_targets
from domain.seed_format import Agent, Conditions, FieldSpec, SeedDocument

KNOWN = Known(languages=frozenset({"en", "pl"}))


def _doc(**sections) -> SeedDocument:
    return SeedDocument.model_validate(sections)


def _code(code: str, **extra) -> dict:
    return {"code": code, "names": {"en": code}, **extra}


def _tree(*problem_codes: dict, provider: str = "p", category: str = "c") -> list[dict]:
    return [{"code": "d", "providers": [{"code": provider, "service_categories": [
        {"code": category, "problem_codes": list(problem_codes)}]}]}]


def _refused(doc: SeedDocument, known: Known = KNOWN) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_document(doc, known)
    return caught.value


def test_a_code_used_twice_anywhere_in_the_hierarchy_is_named_at_its_second_place():
    doc = _doc(departments=[{"code": "d", "providers": [
        {"code": "p1", "service_categories": [{"code": "c", "problem_codes": [_code("x")]}]},
        {"code": "p2", "service_categories": [{"code": "c2", "problem_codes": [_code("x")]}]}]}])
    error = _refused(doc)
    assert error.where == "departments[0].providers[1].service_categories[0].problem_codes[0].code"
    assert "first at departments[0].providers[0]" in str(error)


def test_names_must_be_in_the_offices_languages():
    error = _refused(_doc(departments=[{"code": "d", "names": {"en": "D", "nl": "D"}}]))
    assert error.where == "departments[0].names.nl" and "office.languages" in str(error)
    check_document(_doc(office={"languages": ["en", "nl"]},
                        departments=[{"code": "d", "names": {"nl": "D"}}]), KNOWN)


def test_references_must_exist_in_the_file_or_the_database():
    doc = _doc(departments=_tree(_code("x", routing_category="Streets/Roads",
                                       template={"default_priority": "high"})))
    assert _refused(doc).where.endswith("problem_codes[0].routing_category")
    known = Known(languages=frozenset({"en"}), categories=frozenset({"Streets/Roads"}))
    assert _refused(doc, known).where.endswith("template.default_priority")
    check_document(doc, Known(languages=frozenset({"en"}), categories=frozenset({"Streets/Roads"}),
                              priorities=frozenset({"high"})))


def test_a_parent_of_a_listed_category_counts_as_known():
    doc = _doc(routing_categories=[{"path": "Technical support/Hardware/Printers"}],
               agents=[{"login": "tom", "name": "Tom", "categories": ["Technical support"]}])
    check_document(doc, KNOWN)
    doc = _doc(agents=[{"login": "tom", "name": "Tom", "categories": ["Technical"]}])
    assert _refused(doc).where == "agents[0].categories[0]"


def test_rules_refer_to_priorities_categories_and_problem_codes():
    rule = {"code": "r", "order": 1, "priority": "urgent", "conditions": {"problem_code": "nope"}}
    assert _refused(_doc(priority_rules=[rule])).where == "priority_rules[0].priority"
    known = Known(languages=frozenset({"en"}), priorities=frozenset({"urgent"}))
    assert _refused(_doc(priority_rules=[rule]), known).where == "priority_rules[0].conditions.problem_code[0]"


def test_rule_orders_and_priority_ranks_are_unique():
    rules = [{"code": "a", "order": 1, "priority": "p"}, {"code": "b", "order": 1, "priority": "p"}]
    assert _refused(_doc(priority_rules=rules)).where == "priority_rules[1].order"
    levels = [{"code": c, "rank": 1, "response": "1h", "resolution": "2h"} for c in ("a", "b")]
    assert _refused(_doc(priorities=levels)).where == "priorities[1].rank"


def test_a_resolution_target_shorter_than_the_response_is_refused():
    doc = _doc(priorities=[{"code": "p", "rank": 1, "response": "1d", "resolution": "4h"}])
    assert priority_targets(doc, day_minutes=180) == {"p": (180, 240)}
    with pytest.raises(InvalidInput, match="shorter than the response"):
        priority_targets(doc, day_minutes=540)


def test_choice_fields_need_choices_and_yes_no_fields_only_yes_and_no():
    with pytest.raises(ValidationError, match="needs choices"):
        FieldSpec.model_validate({"code": "f", "kind": "choice"})
    with pytest.raises(ValidationError, match="exactly yes and no"):
        FieldSpec.model_validate({"code": "f", "kind": "yes_no", "choices": [{"key": "maybe"}]})
    with pytest.raises(ValidationError, match="has no choices"):
        FieldSpec.model_validate({"code": "f", "kind": "number", "choices": [{"key": "1"}]})
    with pytest.raises(ValidationError, match="cannot be required"):
        FieldSpec.model_validate({"code": "f", "kind": "string", "variable": False, "required": True})


def test_a_choice_key_given_twice_is_named():
    doc = _doc(departments=_tree(_code("x", template={"fields": [
        {"code": "f", "kind": "choice", "choices": [{"key": "a"}, {"key": "a"}]}]})))
    assert _refused(doc).where.endswith("template.fields[0].choices[1].key")


def test_agents_never_bring_plain_passwords():
    with pytest.raises(ValidationError, match="plain-text passwords"):
        Agent.model_validate({"login": "a", "name": "A", "password": "secret123"})
    with pytest.raises(ValidationError):
        Agent.model_validate({"login": "a", "name": "A", "password_hash": "secret123"})


def test_rule_conditions_are_stored_with_lists_for_the_multi_valued_ones():
    conditions = Conditions.model_validate({"type": "action", "channel": ["phone", "email"],
                                            "category": "A/B", "complaint": True,
                                            "keywords": {"pl": ["pożar"]}})
    assert conditions.stored() == {"type": ["action"], "channel": ["phone", "email"],
                                   "category": ["A/B"], "complaint": True, "keywords": {"pl": ["pożar"]}}
    with pytest.raises(ValidationError):
        Conditions.model_validate({"channel": "pigeon"})
    with pytest.raises(ValidationError):
        Conditions.model_validate({"weather": "rain"})


def test_only_the_fields_a_file_gives_are_set():
    doc = _doc(departments=_tree({"code": "x", "description": "d"}))
    problem = doc.departments[0].providers[0].service_categories[0].problem_codes[0]
    assert problem.given("names", "description", "active") == {"description": "d"}
