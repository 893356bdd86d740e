"""Lifecycle keys on the request form: ask the customer, resume, hand over, reopen."""

from textual.widgets import Select

from screens.desk import DeskScreen
from screens.intake import IntakeScreen
from screens.prompts import HandOverDialog, TextPrompt
from storage.requests import request_detail
from tests.screens.conftest import SIZE, new_call, request_row, saved, sign_in, wait_for


async def _answer(pilot, text: str) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
    await pilot.press(*text, "enter")


async def test_asking_the_customer_waits_and_their_answer_resumes_the_request(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"Meter reading", "ctrl+o")
        await _answer(pilot, "Which meter number?")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert request_row(sqlite_engine, number).status == "pending_customer"
        assert request_row(sqlite_engine, number).subject == "Meter reading"  # saved on the way
        app.open_request_screen(number)
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.record)
        await pilot.press("ctrl+o")  # now: the customer answered
        await wait_for(pilot, lambda: request_row(sqlite_engine, number).status == "in_progress")
    activity = request_detail(sqlite_engine, number)["activity"]
    assert any(a["body"] == "Which meter number?" for a in activity)


async def test_handing_a_request_over_needs_a_reason(make_app, sqlite_engine, office):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.screen, HandOverDialog))
        dialog = app.screen
        await wait_for(pilot, lambda: len(dialog.query_one("#hand-category", Select)._options) > 2)
        dialog.query_one("#hand-category", Select).value = office.streets_queue
        dialog.query_one("#hand-ok").press()
        await wait_for(pilot, lambda: "Say why." in str(dialog.query_one("#hand-error").content))
        await pilot.press(*"Road damage, not waste", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
    assert request_row(sqlite_engine, number).category_id == office.streets_queue


async def test_a_resolved_request_is_read_only_until_reopened(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press("f9")
        await saved(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
        app.open_request_screen(number)
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.record)
        assert app.screen.query_one("#intake-body").disabled
        assert not app.screen.check_action("type_action", ())
        await pilot.press("ctrl+r")  # reopen
        await _answer(pilot, "Caller rang again")
        await wait_for(pilot, lambda: request_row(sqlite_engine, number).status == "reopened")
        await wait_for(pilot, lambda: not app.screen.query_one("#intake-body").disabled)


async def test_escalating_from_the_palette_sends_the_request_to_the_supervisors(make_app, sqlite_engine):
    from textual.command import CommandList, CommandPalette

    from storage.engine import read_session
    from storage.tables import RoutingCategory

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"escalate")
        hits = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: hits.option_count and "Escalate" in str(hits.get_option_at_index(0).prompt))
        await pilot.press("enter")
        await _answer(pilot, "Caller asks for the manager")
        await wait_for(pilot, lambda: request_row(sqlite_engine, number).escalated)
    with read_session(sqlite_engine) as session:
        assert session.get(RoutingCategory, request_row(sqlite_engine, number).category_id).path == "Supervisors"
