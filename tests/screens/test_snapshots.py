"""Snapshots of the console at 160x48 with a fixed clock and no blinking cursor.

`pytest --snapshot-update tests/screens/test_snapshots.py` accepts a deliberate change.
"""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input, TextArea
from textual.worker import WorkerState

from tests.screens.conftest import SIZE, new_call, saved, screen_text, sign_in, wait_for


async def _steady(pilot, timeout: float = 30.0) -> None:
    """No blinking cursor, no worker running and a screen that has stopped changing.

    A fixed pause is not enough on a loaded machine: a table filled by a worker can
    still be laying out its columns when the picture is taken.
    """
    app = pilot.app
    for widget in app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)
        picture = app.export_screenshot()
        if not busy and picture == previous:
            return
        previous = picture
    raise AssertionError("the screen did not settle")


def test_sign_in(snap_compare, make_app):
    async def run_before(pilot):
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_desk(snap_compare, make_app):
    async def run_before(pilot):
        await sign_in(pilot)
        await wait_for(pilot, lambda: pilot.app.screen.desk is not None)
        await _steady(pilot)
        # Said in words too, so a failure names what differs rather than only an SVG.
        text = screen_text(pilot.app)
        for expected in ("Ann Agent (ann)", "No request open", "Environment/Waste", "f2 New call"):
            assert expected in text, text
        # Every column of the open requests in view (Due and Updated were cut off at 160).
        header = next(line for line in text.splitlines() if line.lstrip().startswith("No."))
        assert header.split() == ["No.", "Status", "Type", "Subject", "Customer", "Due", "Updated"], text

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("key, subject, section", [
    ("f7", "When are bins collected", "#kb-search Input"),
    ("f8", "Old washer to collect", "#customer-query"),
    ("f9", "Praise for the new office", "#comment-about"),
], ids=["information_request", "action_request", "comment_request"])
def test_request_of_each_type(snap_compare, make_app, key, subject, section):
    async def run_before(pilot):
        await sign_in(pilot)
        await new_call(pilot)
        await pilot.press(*subject, key)
        await wait_for(pilot, lambda: pilot.app.screen.query(section))
        await saved(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
