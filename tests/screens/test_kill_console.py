"""SIGKILL the real console mid-call: the request and what was typed are in the database.

The console runs in a pseudo-terminal as an agent would use it. Waits are generous and
the database is polled, so a busy machine makes the test slower, not flaky.
"""

from __future__ import annotations

import sqlite3
import sys
import time

import pytest

from scripts.benchlib.terminal import KEYS, Terminal
from storage.agents import add_agent
from storage.engine import make_engine

pytestmark = pytest.mark.slow

PASSWORD = "kill-test-password"
SUBJECT = "Water leak in the basement"
NOTES = "Since this morning, tenant on floor 2"


def _rows(path: str) -> list[tuple]:
    with sqlite3.connect(path, timeout=30) as connection:
        return connection.execute(
            "SELECT request.id, subject, notes, channel FROM request "
            "JOIN agent ON agent.id = request.created_by_id WHERE agent.login = 'ann' "
            "ORDER BY request.id").fetchall()


def _poll(terminal: Terminal, path: str, wanted, timeout: float = 60.0) -> list[tuple]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        terminal.settle(0.1)
        rows = _rows(path)
        if wanted(rows):
            return rows
    raise AssertionError(f"database never showed what was typed: {_rows(path)}\n{terminal.screen_text()}")


def _console(url: str) -> Terminal:
    terminal = Terminal([sys.executable, "-m", "console.cli", "--db", url], rows=48, columns=160)
    terminal.wait_for("Sign in to the console", timeout=120)
    terminal.send("ann")
    terminal.press("enter")
    terminal.send(PASSWORD)
    terminal.press("enter")
    terminal.wait_for("Current request", timeout=120)  # the desk, or the request left open
    return terminal


def test_a_console_killed_mid_call_keeps_the_request_and_what_was_typed(sqlite_url, now):
    engine = make_engine(sqlite_url)
    add_agent(engine, login="ann", name="Ann Agent", role="agent", password=PASSWORD, now=now)
    engine.dispose()

    terminal = _console(sqlite_url)
    try:
        # F2 and the first words in one burst, as a fast agent types while the form opens.
        terminal.send(KEYS["f2"] + SUBJECT)
        _poll(terminal, sqlite_url, lambda rows: rows and rows[0][1] == SUBJECT)
        terminal.wait_for("Current request 1", timeout=60)
        terminal.press("tab")
        terminal.settle(0.5)
        terminal.send(NOTES)
        _poll(terminal, sqlite_url, lambda rows: rows[0][2] == NOTES)
        terminal.send(" and more")  # killed while this may still be unsaved
        terminal.kill()
    finally:
        terminal.close()

    [(number, subject, notes, channel)] = _rows(sqlite_url)
    assert (number, subject, channel) == (1, SUBJECT, "phone")
    assert notes.startswith(NOTES) and " and more".startswith(notes[len(NOTES):])
    with sqlite3.connect(sqlite_url) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    terminal = _console(sqlite_url)  # signing in again goes back to the open request
    try:
        terminal.wait_for("Current request 1", timeout=60)
        terminal.wait_for(SUBJECT, timeout=60)
    finally:
        terminal.close()
