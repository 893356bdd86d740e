"""Keys typed ahead in one burst land in the box they were meant for.

A fast agent (or a password manager) types `login TAB password ENTER`, or `subject TAB
notes`, faster than the screen answers. Textual queues each key for the widget that had
focus when the key arrived, so a plain Tab binding moved focus only after the following
keys had already been handed to the old box: "def" ended up in the subject. The console
runs in a real pseudo-terminal here, because Pilot waits after each key and cannot type
ahead.
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

PASSWORD = "type-ahead-password"


def _request(path: str) -> tuple | None:
    with sqlite3.connect(path, timeout=30) as connection:
        return connection.execute("SELECT id, subject, notes FROM request ORDER BY id").fetchone()


def test_tab_typed_ahead_moves_to_the_next_box_before_the_next_keys(sqlite_url, now):
    engine = make_engine(sqlite_url)
    add_agent(engine, login="ann", name="Ann Agent", role="agent", password=PASSWORD, now=now)
    engine.dispose()

    terminal = Terminal([sys.executable, "-m", "console.cli", "--db", sqlite_url],
                        rows=48, columns=160)
    try:
        terminal.wait_for("Sign in to the console", timeout=120)
        terminal.send("ann" + KEYS["tab"] + PASSWORD + KEYS["enter"])
        terminal.wait_for("No request open", timeout=120)
        terminal.send(KEYS["f2"])
        terminal.wait_for("Current request 1", timeout=60)
        terminal.send("Bins not collected" + KEYS["tab"] + "Since Monday, Elm Street 4")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            terminal.settle(0.1)
            row = _request(sqlite_url)
            if row and (row[2] == "Since Monday, Elm Street 4" or "Since" in row[1]):
                break
    finally:
        terminal.close()
    assert _request(sqlite_url) == (1, "Bins not collected", "Since Monday, Elm Street 4")
