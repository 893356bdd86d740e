"""Console start: the sign-in screen paints before the database is opened; a sign-in typed
meanwhile waits for it; a database that cannot be opened ends the console with a reason."""

from __future__ import annotations

import threading

from console.app import build_app
from console.settings import Settings
from domain.clock import fixed_clock
from screens.desk import DeskScreen
from screens.sign_in import SignInScreen
from storage.errors import StorageError
from tests.screens.conftest import SIZE, screen_text, wait_for
from tests.screens.seed import PASSWORDS


async def test_the_sign_in_screen_paints_and_takes_typing_before_the_database_is_open(
        sqlite_engine, sqlite_url, now, office):
    release = threading.Event()
    calls: list[str] = []

    def connect():
        calls.append("connect")
        assert release.wait(30)
        return sqlite_engine

    app = build_app(connect=connect, settings=Settings(db=sqlite_url, autosave_ms=50),
                    clock=fixed_clock(now))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SignInScreen))
        await pilot.pause()
        assert "Sign in to the console" in screen_text(app)
        assert app.services.engine is None
        await wait_for(pilot, lambda: calls == ["connect"])  # opened after the first paint
        app.screen.query_one("#login").value = "ann"
        app.screen.query_one("#password").value = PASSWORDS["ann"]
        app.screen.query_one("#password").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Checking…" in screen_text(app))
        await pilot.pause(0.2)
        assert isinstance(app.screen, SignInScreen)  # still waiting for the database
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
        await wait_for(pilot, lambda: app.screen.desk is not None)
        await pilot.pause()
        assert app.services.engine is sqlite_engine
        assert "Ann Agent (ann)" in screen_text(app)


async def test_a_database_that_cannot_be_opened_ends_the_console_with_its_reason(sqlite_url, now):
    def connect():
        raise StorageError("database error: unable to open database file")

    app = build_app(connect=connect, settings=Settings(db=sqlite_url), clock=fixed_clock(now))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.services.engine_ready.is_set())
        await pilot.pause()
    assert app.return_code == 1
    assert app.services.engine_error == "database error: unable to open database file"
