"""The service catalogue: narrowing by level, finding codes in any language, templates."""

import pytest

from domain.templates import FieldKind
from storage.catalogue import (codes_in_category, departments, find_problem_codes,
                               problem_code, providers, service_categories, template_specs)
from storage.errors import NotFound
from tests.screens.seed import seed_office


@pytest.fixture
def office(engine, now):
    return seed_office(engine, now)


def test_the_hierarchy_narrows_from_department_to_problem_code(engine, office):
    env = next(d for d in departments(engine) if d.code == "environment")
    assert env.name("pl") == "Usługi środowiskowe"
    [waste] = providers(engine, env.id)
    [garbage] = service_categories(engine, waste.id)
    assert [c.code for c in codes_in_category(engine, garbage.id)] == [
        "appliance-pickup", "missed-collection"]


def test_a_code_is_found_by_part_of_its_name_in_any_language_without_diacritics(engine, office):
    for typed in ("odbior urz", "Witgoed", "eletrodomesticos", "APPLIANCE pick"):
        assert [c.code for c in find_problem_codes(engine, typed)] == ["appliance-pickup"], typed


def test_every_typed_word_must_match(engine, office):
    assert find_problem_codes(engine, "appliance pothole") == []
    assert find_problem_codes(engine, "   ") == []


def test_codes_whose_name_in_the_agents_language_starts_with_the_word_come_first(engine, office):
    # "col" starts "Missed collection" (en) and "Coleta de eletrodomésticos" (pt).
    assert [c.code for c in find_problem_codes(engine, "col", language="en")] == [
        "missed-collection", "appliance-pickup"]
    assert [c.code for c in find_problem_codes(engine, "col", language="pt")] == [
        "appliance-pickup", "missed-collection"]


def test_a_problem_code_knows_its_path_and_template(engine, office):
    code = problem_code(engine, office.appliance_pickup)
    assert code.path("en") == "Environmental Services › Solid Waste › Residential Garbage Collection"
    assert code.template_title == "Collect appliance" and code.default_priority == "medium"
    specs = template_specs(engine, office.appliance_pickup)
    assert [s.code for s in specs] == ["notice", "appliance", "count", "heavy"]
    assert specs[1].kind is FieldKind.CHOICE and specs[1].choice_keys() == ("stove", "washer", "fridge")
    assert specs[0].variable is False


def test_an_unknown_problem_code_is_not_found(engine, office):
    with pytest.raises(NotFound):
        problem_code(engine, 9999)
