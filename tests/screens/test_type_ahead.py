"""Keys typed ahead in one burst land in the box they were meant for.

A fast agent (or a password manager) types `login TAB password ENTER`, or `subject TAB
notes`, faster than the screen answers. Textual queues each key for the widget that had
focus when the key arrived, so a plain Tab binding moved focus only after the following
keys had already been handed to the old box: "def" ended up in the subject. The console
runs in a real pseudo-terminal here, because Pilot waits after each key and cannot type
ahead.
"""

from __future__ import annotations

import time

import pytest

from scripts.benchlib.terminal import KEYS
from tests.screens.pty_console import first_request, on_a_new_call

pytestmark = pytest.mark.slow


def test_tab_typed_ahead_moves_to_the_next_box_before_the_next_keys(sqlite_url, now):
    with on_a_new_call(sqlite_url, now) as terminal:
        terminal.send("Bins not collected" + KEYS["tab"] + "Since Monday, Elm Street 4")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            terminal.settle(0.1)
            row = first_request(sqlite_url)
            if row and (row[2] == "Since Monday, Elm Street 4" or "Since" in row[1]):
                break
    assert first_request(sqlite_url) == (1, "Bins not collected", "Since Monday, Elm Street 4")
