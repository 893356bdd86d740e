"""What the request form reads in one go."""

import pytest

from storage.customers import add_customer
from storage.intake import intake_view
from storage.kb_usage import record_answer
from storage.requests import open_request, save_fields
from storage.work_orders import create_work_order
from tests.screens.seed import seed_office


@pytest.fixture
def office(engine, now):
    return seed_office(engine, now)


def test_the_view_brings_customer_problem_code_work_order_and_answers(engine, now, office):
    customer = add_customer(engine, name="Ann", now=now, actor_id=None, actor="cli")
    number = open_request(engine, now=now, agent_id=office.ann, actor="ann", type="action",
                          customer_id=customer.id).number
    save_fields(engine, number=number, values={"problem_code_id": office.missed_collection},
                now=now, agent_id=office.ann, actor="ann")
    create_work_order(engine, number=number, problem_code_id=office.missed_collection,
                      address="Rynek 1", values={"bin": "blue"}, now=now, agent_id=office.ann,
                      actor="ann")
    record_answer(engine, request_number=number, article_id=office.bins_article,
                  agent_id=office.ann, now=now)
    view = intake_view(engine, number)
    assert view.customer.name == "Ann" and view.problem.code == "missed-collection"
    assert view.work_order.open_requests == (number,)
    assert view.answered_with == [(office.bins_article, "Bin collection days")]


def test_a_bare_request_has_nothing_hanging_off_it(engine, now, office):
    view = intake_view(engine, open_request(engine, now=now, agent_id=None, actor="cli").number)
    assert (view.customer, view.problem, view.work_order, view.answered_with) == (None, None, None, [])
