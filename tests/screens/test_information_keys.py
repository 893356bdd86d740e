"""F7 puts the cursor in the knowledge-base search: what the agent types next is a query.

It used to leave the cursor where it was (usually the notes), so the search words went
into the notes.
"""

import time

import pytest
from textual.widgets import Input, OptionList

from scripts.benchlib.terminal import KEYS
from tests.screens.conftest import SIZE, new_call, sign_in, wait_for
from tests.screens.pty_console import first_request, on_a_new_call

F7 = "\x1b[18~"


def _results(app) -> list[str]:
    options = app.screen.query_one("#kb-search OptionList", OptionList)
    return [options.get_option_at_index(i).prompt.plain.split("\n")[0]
            for i in range(options.option_count)]


async def test_f7_moves_the_cursor_to_the_search_and_what_is_typed_searches(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await new_call(pilot)
        await pilot.press(*"Bins", "tab", *"Caller asks")  # subject, then the notes
        notes = app.screen.query_one("#field-notes")
        assert app.focused is notes
        await pilot.press("f7", *"garbage")
        query = app.screen.query_one("#kb-search-input", Input)
        assert app.focused is query
        assert query.value == "garbage" and notes.text == "Caller asks"
        await wait_for(pilot, lambda: _results(app) and _results(app)[0].startswith("Bin collection days"))


async def test_f7_again_brings_the_cursor_back_to_the_search_for_a_new_query(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await new_call(pilot)
        await pilot.press("f7", *"garbage")
        await wait_for(pilot, lambda: _results(app) and _results(app)[0].startswith("Bin collection days"))
        await pilot.press("down")  # into the results
        assert isinstance(app.focused, OptionList)
        await pilot.press("f7", *"office")
        query = app.screen.query_one("#kb-search-input", Input)
        assert app.focused is query and query.value == "office"  # the old query is replaced
        await wait_for(pilot, lambda: _results(app) and _results(app)[0].startswith("Office hours"))
        await pilot.press("f8", "f7")  # back from another type: the query is kept, selected
        assert app.focused is query and query.value == "office"
        assert query.selected_text == "office"
        await pilot.press("end", *" hours")  # so end keeps it and typing on adds to it
        assert query.value == "office hours"


@pytest.mark.slow
def test_keys_typed_right_after_the_first_f7_land_in_the_search(sqlite_url, now):
    """In a real terminal, in one burst: the first F7 builds the section, and the keys
    after it wait for its search box instead of going on into the notes."""
    with on_a_new_call(sqlite_url, now) as terminal:
        terminal.send("Bins" + KEYS["tab"] + "Since Monday" + F7 + "garbage")
        terminal.wait_for("Nothing found", timeout=30)  # "garbage" was searched for
        shown = terminal.screen_text()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and first_request(sqlite_url) != (1, "Bins", "Since Monday"):
            terminal.settle(0.1)
    assert "garbage" in shown, shown
    assert first_request(sqlite_url) == (1, "Bins", "Since Monday")
