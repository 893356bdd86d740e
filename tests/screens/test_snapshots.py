"""Snapshots of the console at 160x48 with a fixed clock and no blinking cursor.

`pytest --snapshot-update tests/screens/test_snapshots.py` accepts a deliberate change.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from tests.screens.conftest import SIZE, new_call, saved, sign_in, wait_for


async def _steady(pilot) -> None:
    """No blinking cursor and nothing still loading, so two runs draw the same picture."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
    await pilot.pause(0.3)
    await pilot.wait_for_scheduled_animations()


def test_sign_in(snap_compare, make_app):
    async def run_before(pilot):
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_desk(snap_compare, make_app):
    async def run_before(pilot):
        await sign_in(pilot)
        await wait_for(pilot, lambda: pilot.app.screen.desk is not None)
        await _steady(pilot)

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
