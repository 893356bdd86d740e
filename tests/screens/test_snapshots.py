"""Snapshots of the console at 160x48 with a fixed clock and no blinking cursor.

`pytest --snapshot-update tests/screens/test_snapshots.py` accepts a deliberate change.
"""

from __future__ import annotations

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


def test_information_request(snap_compare, make_app):
    async def run_before(pilot):
        await sign_in(pilot)
        await new_call(pilot)
        await pilot.press(*"When are bins collected", "f7")
        await wait_for(pilot, lambda: pilot.app.screen.query("#kb-search Input"))
        await saved(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_action_request(snap_compare, make_app):
    async def run_before(pilot):
        await sign_in(pilot)
        await new_call(pilot)
        await pilot.press(*"Old washer to collect", "f8")
        await wait_for(pilot, lambda: pilot.app.screen.query("#customer-query"))
        await saved(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_comment_request(snap_compare, make_app):
    async def run_before(pilot):
        await sign_in(pilot)
        await new_call(pilot)
        await pilot.press(*"Praise for the new office", "f9")
        await wait_for(pilot, lambda: pilot.app.screen.query("#comment-about"))
        await saved(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
