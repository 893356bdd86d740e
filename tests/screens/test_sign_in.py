"""Signing in: no hint which part was wrong, a back-off after repeated failures, the desk."""

from domain.requests import Status
from screens.desk import DeskScreen
from screens.intake import IntakeScreen
from screens.sign_in import SignInScreen, back_off_seconds
from storage.engine import run_write
from storage.requests import open_request
from storage.tables import Request
from tests.screens.conftest import SIZE, screen_text, sign_in, wait_for


def test_the_first_failures_cost_nothing_then_waits_grow_to_a_cap():
    assert [back_off_seconds(n) for n in range(1, 10)] == [0, 0, 2, 4, 8, 16, 30, 30, 30]


async def _try(pilot, login, password):
    screen = pilot.app.screen
    screen.query_one("#login").value = login
    screen.query_one("#password").value = password
    screen.query_one("#password").focus()
    failures = screen.failures
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.failures > failures)


async def test_a_wrong_password_and_an_unknown_login_read_the_same(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _try(pilot, "ann", "not-her-password")
        first = str(app.screen.query_one("#sign-in-message").content)
        await _try(pilot, "nobody", "whatever-123")
        second = str(app.screen.query_one("#sign-in-message").content)
        assert first == second == "Login or password is wrong."
        assert app.screen.query_one("#password").value == ""
        assert isinstance(app.screen, SignInScreen)


async def test_repeated_failures_make_the_agent_wait(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(3):
            await _try(pilot, "ann", "wrong-password")
        assert "wait 2 s" in screen_text(app)
        screen = app.screen
        screen.query_one("#password").value = "ann-secret-1"
        await pilot.press("enter")  # still waiting: ignored
        await pilot.pause(0.3)
        assert isinstance(app.screen, SignInScreen) and screen.checking


async def test_signing_in_shows_the_desk_with_the_agents_queues(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert isinstance(app.screen, DeskScreen)
        await wait_for(pilot, lambda: app.screen.desk is not None)
        await pilot.pause()
        text = screen_text(app)
        assert "Ann Agent (ann)" in text and "Environment/Waste" in text
        assert "No request open" in text


async def test_signing_in_again_brings_the_agent_back_to_their_open_request(make_app, sqlite_engine, office, now):
    number = open_request(sqlite_engine, now=now, agent_id=office.ann, actor="ann",
                          subject="Broken bin").number
    pending = open_request(sqlite_engine, now=now, agent_id=office.ann, actor="ann").number

    def wait_for_customer(session):
        session.get(Request, pending).status = Status.PENDING_CUSTOMER.value

    run_write(sqlite_engine, wait_for_customer)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, IntakeScreen) and app.screen.record)
        assert app.screen.number == number
        await wait_for(pilot, lambda: app.screen.query_one("#field-subject").value == "Broken bin")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen) and app.screen.desk)
        assert [line.number for line in app.screen.desk.others] == [pending]


async def test_signing_out_saves_what_was_typed_and_shows_the_sign_in_screen(make_app, sqlite_engine):
    from tests.screens.conftest import new_call, request_row

    app = make_app(autosave_ms=60_000)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"Typed before signing out")
        await pilot.press("ctrl+p")
        await pilot.press(*"sign out")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen))
        assert app.services.agent is None and len(app.screen_stack) == 2
    assert request_row(sqlite_engine, number).subject == "Typed before signing out"
