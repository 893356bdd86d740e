"""The command palette (ctrl+p) finds actions, a request by number, a customer, an article."""

from textual.command import CommandList, CommandPalette

from screens.customer_card import CustomerCard
from screens.intake import IntakeScreen
from storage.customers import add_customer
from storage.requests import open_request
from tests.screens.conftest import SIZE, request_row, screen_text, sign_in, wait_for


async def _palette(pilot, typed: str, expect: str) -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*typed)
    hits = pilot.app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: any(expect in str(hits.get_option_at_index(i).prompt)
                                      for i in range(hits.option_count)))
    index = next(i for i in range(hits.option_count) if expect in str(hits.get_option_at_index(i).prompt))
    hits.highlighted = index
    await pilot.pause()


async def test_the_palette_runs_the_keys_of_the_screen_by_name(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await _palette(pilot, "new call", "New call")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.number)
    assert request_row(sqlite_engine, 1) is not None


async def test_a_request_number_opens_the_request(make_app, sqlite_engine, office, now):
    number = open_request(sqlite_engine, now=now, agent_id=office.sue, actor="sue",
                          subject="Pothole on Main St").number
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await _palette(pilot, str(number), "Pothole on Main St")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.view)
        assert app.screen.number == number


async def test_a_customer_is_found_by_phone_and_shown_literally_with_their_requests(make_app, sqlite_engine, office, now):
    customer = add_customer(sqlite_engine, name="[b]Zoë[/b] Nowak", phones=["601 234 567"],
                            region="PL", now=now, actor_id=None, actor="cli")
    number = open_request(sqlite_engine, now=now, agent_id=None, actor="cli", subject="Missed bins",
                          customer_id=customer.id).number
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await _palette(pilot, "601234", "[b]Zoë[/b] Nowak")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerCard))
        table = app.screen.query_one("#card-requests")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert "[b]Zoë[/b] Nowak" in screen_text(app) and "Missed bins" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.view)
        assert app.screen.number == number


async def test_an_article_is_found_by_words_and_opened(make_app, office):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await _palette(pilot, "bin collection", "Bin collection days")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Tell the caller their street's day." in screen_text(app))
