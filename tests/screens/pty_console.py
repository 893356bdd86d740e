"""The console in a real pseudo-terminal, for keys typed ahead in one burst (Pilot waits
after each key and cannot type ahead)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from scripts.benchlib.terminal import KEYS, Terminal
from storage.agents import add_agent
from storage.engine import make_engine

PASSWORD = "pty-console-password"


@contextmanager
def on_a_new_call(sqlite_url: str, now) -> Iterator[Terminal]:
    """Ann signed in on an empty office, request 1 just taken with F2."""
    engine = make_engine(sqlite_url)
    add_agent(engine, login="ann", name="Ann Agent", role="agent", password=PASSWORD, now=now)
    engine.dispose()
    terminal = Terminal([sys.executable, "-m", "console.cli", "--db", sqlite_url], rows=48, columns=160)
    try:
        terminal.wait_for("Sign in to the console", timeout=120)
        terminal.send("ann" + KEYS["tab"] + PASSWORD + KEYS["enter"])
        terminal.wait_for("No request open", timeout=120)
        terminal.send(KEYS["f2"])
        terminal.wait_for("Current request 1", timeout=60)
        yield terminal
    finally:
        terminal.close()


def first_request(path: str) -> tuple | None:
    """(id, subject, notes) of the first request in the SQLite file, if any."""
    with sqlite3.connect(path, timeout=30) as connection:
        return connection.execute("SELECT id, subject, notes FROM request ORDER BY id").fetchone()
