"""Console fixtures: a seeded SQLite office, the app built on it with a fixed clock."""

from __future__ import annotations

import pytest

from console.app import build_app
from console.settings import Settings
from domain.clock import fixed_clock
from tests.screens.seed import PASSWORDS, seed_office

SIZE = (160, 48)


@pytest.fixture
def office(sqlite_engine, now):
    """The seeded test office (ids of what was made)."""
    return seed_office(sqlite_engine, now)


@pytest.fixture
def make_app(sqlite_engine, sqlite_url, now, office):
    """`make_app(language="en")` builds the console on the test database."""

    def make(language: str = "en", autosave_ms: int = 50):
        settings = Settings(db=sqlite_url, language=language, autosave_ms=autosave_ms)
        return build_app(engine=sqlite_engine, settings=settings, clock=fixed_clock(now))

    yield make
    from console.i18n import set_language

    set_language("en")


async def sign_in(pilot, login: str = "ann", password: str | None = None) -> None:
    """Type the login and password and wait until the desk (or the open request) shows."""
    from screens.desk import DeskScreen
    from screens.intake import IntakeScreen

    app = pilot.app
    app.screen.query_one("#login").value = login
    app.screen.query_one("#password").value = password or PASSWORDS[login]
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, (DeskScreen, IntakeScreen)))


async def wait_for(pilot, condition, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (workers run in threads)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def request_row(engine, number: int):
    """The request table's row (None when it does not exist)."""
    from storage.engine import read_session
    from storage.tables import Request

    with read_session(engine) as session:
        return session.get(Request, number)


async def new_call(pilot) -> int:
    """Press F2 and wait until the request number is known; returns it."""
    await pilot.press("f2")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "number", None) is not None)
    return pilot.app.screen.number


async def saved(pilot) -> None:
    """Wait until every edit of the request on screen is saved."""
    from screens.draft import DraftState

    draft = pilot.app.screen.draft
    await wait_for(pilot, lambda: not draft.pending and draft.state is DraftState.SAVED)
