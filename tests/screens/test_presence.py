"""A signed-in console keeps its agent "seen", so the supervisors' board still counts the
agent as signed in long after the sign-in itself (issue 6)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from console.app import build_app
from console.settings import Settings
from domain.monitor import SIGNED_IN_WINDOW
from storage.engine import read_session
from storage.tables import Agent
from tests.screens.conftest import SIZE, sign_in, wait_for


def _last_seen(engine, login: str):
    with read_session(engine) as session:
        return session.exec(select(Agent.last_seen_at).where(Agent.login == login)).one()


async def test_the_console_marks_its_agent_seen_while_it_runs_and_stops_after_sign_out(
        sqlite_engine, sqlite_url, now, office):
    clock = [now]
    app = build_app(engine=sqlite_engine, settings=Settings(db=sqlite_url, autosave_ms=50),
                    clock=lambda: clock[0])
    app.PRESENCE_SECONDS = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        assert _last_seen(sqlite_engine, "ann") == now
        later = now + SIGNED_IN_WINDOW + timedelta(minutes=5)
        clock[0] = later
        await wait_for(pilot, lambda: _last_seen(sqlite_engine, "ann") == later, timeout=10)
        app.sign_out()
        await pilot.pause(0.3)
        clock[0] = later + timedelta(hours=1)
        await pilot.pause(0.5)
        assert _last_seen(sqlite_engine, "ann") == later
