"""Work orders: duplicates at the same address are found, templates are checked, links audited."""

import pytest
from sqlmodel import select

from domain.errors import InvalidInput
from storage.engine import read_session
from storage.requests import open_request, request_detail
from storage.tables import AuditEntry, WorkOrder
from storage.work_orders import (address_key, create_work_order, link_work_order,
                                 open_work_orders_like)
from tests.screens.seed import seed_office


@pytest.fixture
def office(engine, now):
    return seed_office(engine, now)


def _new(engine, now, office):
    return open_request(engine, now=now, agent_id=office.ann, actor="ann", type="action").number


def test_addresses_compare_without_case_diacritics_or_punctuation():
    assert address_key("  Ulica Łąkowa 5,  Kraków ") == address_key("ulica lakowa 5 krakow")
    assert address_key("Main St 5") != address_key("Main St 6")


def test_creating_a_work_order_fills_the_template_and_links_the_request(engine, now, office):
    number = _new(engine, now, office)
    order = create_work_order(engine, number=number, problem_code_id=office.appliance_pickup,
                              address="Main St 5", values={"appliance": "washer", "count": "2",
                                                           "heavy": "tak"},
                              now=now, agent_id=office.ann, actor="ann")
    assert order.title == "Collect appliance" and order.priority == "medium"
    assert order.field_values == {"appliance": "washer", "count": 2, "heavy": "yes"}
    assert order.open_requests == (number,)
    detail = request_detail(engine, number)
    assert detail["work_order"]["id"] == order.id and detail["address"] == "Main St 5"
    assert detail["problem_code"] == "appliance-pickup"
    assert [e["action"] for e in detail["audit"]] == ["open", "work_order"]
    assert detail["activity"][0]["body"] == "work order 1: Collect appliance"


def test_a_missing_required_field_names_the_field_and_writes_nothing(engine, now, office):
    number = _new(engine, now, office)
    with pytest.raises(InvalidInput, match="appliance: is required"):
        create_work_order(engine, number=number, problem_code_id=office.appliance_pickup,
                          address="Main St 5", values={"count": "2"}, now=now,
                          agent_id=office.ann, actor="ann")
    with pytest.raises(InvalidInput, match="count: 'many' is not a number"):
        create_work_order(engine, number=number, problem_code_id=office.appliance_pickup,
                          address="Main St 5", values={"appliance": "stove", "count": "many"},
                          now=now, agent_id=office.ann, actor="ann")
    with read_session(engine) as session:
        assert session.exec(select(WorkOrder)).all() == []
        assert [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))] == ["create", "create", "open"]


def test_an_address_is_required(engine, now, office):
    with pytest.raises(InvalidInput, match="address"):
        create_work_order(engine, number=_new(engine, now, office),
                          problem_code_id=office.appliance_pickup, address=" ",
                          values={"appliance": "stove"}, now=now, agent_id=None, actor="cli")


def test_an_open_order_at_the_same_address_is_offered_and_linking_avoids_a_duplicate(engine, now, office):
    first = _new(engine, now, office)
    order = create_work_order(engine, number=first, problem_code_id=office.missed_collection,
                              address="Rynek 1, Kraków", values={"bin": "blue"}, now=now,
                              agent_id=office.ann, actor="ann")
    assert open_work_orders_like(engine, problem_code_id=office.missed_collection,
                                 address="rynek 1 krakow") == [order]
    assert open_work_orders_like(engine, problem_code_id=office.appliance_pickup,
                                 address="Rynek 1, Kraków") == []
    assert open_work_orders_like(engine, problem_code_id=office.missed_collection,
                                 address="Rynek 2, Kraków") == []
    second = _new(engine, now, office)
    linked = link_work_order(engine, number=second, work_order_id=order.id, now=now,
                             agent_id=office.ann, actor="ann")
    assert linked.open_requests == (first, second)
    assert request_detail(engine, second)["problem_code"] == "missed-collection"


def test_a_request_is_linked_to_one_work_order_only(engine, now, office):
    number = _new(engine, now, office)
    order = create_work_order(engine, number=number, problem_code_id=office.missed_collection,
                              address="Rynek 1", values={"bin": "blue"}, now=now, agent_id=None,
                              actor="cli")
    with pytest.raises(InvalidInput, match="already linked to work order"):
        link_work_order(engine, number=number, work_order_id=order.id, now=now, agent_id=None,
                        actor="cli")
