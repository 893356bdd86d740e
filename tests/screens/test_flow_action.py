"""An action call end to end: customer, problem code, template, work order, and a duplicate."""

import pytest
from textual.widgets import Select

from storage.customers import add_customer
from storage.requests import request_detail
from storage.work_orders import open_work_orders_like
from tests.screens.conftest import SIZE, new_call, request_row, saved, screen_text, sign_in, wait_for


@pytest.fixture
def caller(sqlite_engine, now, office):
    return add_customer(sqlite_engine, name="Łukasz Żółw", phones=["601 234 567"],
                        address="Rynek 1, Kraków", region="PL", now=now, actor_id=None, actor="cli")


async def _take_action_call(pilot, subject: str) -> int:
    app = pilot.app
    number = await new_call(pilot)
    await pilot.press(*subject)
    await pilot.press("f8")  # action
    await wait_for(pilot, lambda: app.screen.query("#customer-query"))
    await pilot.press("ctrl+f")
    await pilot.press(*"601 234 567")
    table = app.screen.query_one("#customer-results")
    await wait_for(pilot, lambda: table.row_count == 1)
    await pilot.press("enter")  # the only match is the caller
    address = app.screen.query_one("#field-address")
    await wait_for(pilot, lambda: address.value == "Rynek 1, Kraków")
    await pilot.press("ctrl+l")  # problem code picker
    await wait_for(pilot, lambda: app.screen.query("#problem-query"))
    await pilot.press(*"odbior urz")  # Polish name, typed without diacritics
    matches = app.screen.query_one("#problem-matches")
    await wait_for(pilot, lambda: matches.option_count and matches.get_option_at_index(0).id)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query("#tpl-1"))
    return number


async def test_an_action_call_creates_a_work_order_from_the_template(make_app, sqlite_engine, office, caller):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await _take_action_call(pilot, "Old washer to collect")
        assert "Pickups happen on Tuesdays." in screen_text(app)
        app.screen.query_one("#create-work-order").focus()
        await pilot.press("enter")  # the required appliance is missing
        await wait_for(pilot, lambda: "appliance: is required" in str(
            app.screen.query_one("#tpl-1-error").content))
        app.screen.query_one("#tpl-1", Select).value = "washer"
        app.screen.query_one("#tpl-2").focus()
        await pilot.press(*"lots")
        await wait_for(pilot, lambda: "not a number" in str(app.screen.query_one("#tpl-2-error").content))
        await pilot.press("ctrl+u", "2")
        app.screen.query_one("#tpl-3", Select).value = "yes"
        await saved(pilot)
        app.screen.query_one("#create-work-order").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: request_row(sqlite_engine, number).work_order_id is not None)
        await wait_for(pilot, lambda: "Linked to work order 1" in screen_text(app))
    detail = request_detail(sqlite_engine, number)
    assert detail["type"] == "action" and detail["customer"]["id"] == caller.id
    assert detail["problem_code"] == "appliance-pickup" and detail["address"] == "Rynek 1, Kraków"
    order = detail["work_order"]
    assert order["title"] == "Collect appliance" and order["requests"] == [number]
    assert order["field_values"] == {"appliance": "washer", "count": 2, "heavy": "yes"}


async def test_a_second_caller_about_the_same_problem_links_to_the_open_work_order(make_app, sqlite_engine, office, caller):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        first = await _take_action_call(pilot, "Washer on the kerb")
        app.screen.query_one("#tpl-1", Select).value = "washer"
        await saved(pilot)
        app.screen.query_one("#create-work-order").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: request_row(sqlite_engine, first).work_order_id is not None)
        second = await _take_action_call(pilot, "Same washer again")
        similar = app.screen.query_one("#similar-orders")
        await wait_for(pilot, lambda: similar.row_count == 1)
        await pilot.pause()
        assert "Open work orders for this problem at this address" in screen_text(app)
        similar.focus()
        await pilot.press("enter")  # link instead of a duplicate
        await wait_for(pilot, lambda: request_row(sqlite_engine, second).work_order_id is not None)
    [order] = open_work_orders_like(sqlite_engine, problem_code_id=office.appliance_pickup,
                                    address="Rynek 1, Kraków")
    assert order.open_requests == (first, second)


async def test_changing_information_to_action_keeps_what_was_typed_and_is_audited(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"Question about bins")
        await pilot.press("f7")
        await saved(pilot)
        await pilot.press("f8")
        await saved(pilot)
        assert app.screen.query_one("#field-subject").value == "Question about bins"
    row = request_row(sqlite_engine, number)
    assert (row.type, row.subject) == ("action", "Question about bins")
    changes = [e["changes"].get("type") for e in request_detail(sqlite_engine, number)["audit"]
               if e["action"] == "update" and "type" in e["changes"]]
    assert changes == [[None, "information"], ["information", "action"]]
