"""Save first: F2 commits the request before anything is typed; typing is saved as it goes."""

import time

from screens import draft as draft_module
from screens.desk import DeskScreen
from screens.draft import DraftState
from storage.errors import StorageError
from storage.requests import request_detail
from tests.screens.conftest import SIZE, new_call, request_row, saved, screen_text, sign_in, wait_for


async def test_the_request_row_exists_right_after_f2_before_any_other_key(make_app, sqlite_engine, office, now):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await pilot.press("f2")
        # No other key: poll the database itself until the committed row shows up.
        deadline = time.monotonic() + 30
        while request_row(sqlite_engine, 1) is None and time.monotonic() < deadline:
            await pilot.pause(0.01)
        row = request_row(sqlite_engine, 1)
        assert row is not None and row.created_at == now and row.channel == "phone"
        assert row.created_by_id == office.ann and row.assigned_agent_id == office.ann
        assert row.type is None and row.subject == ""
        await wait_for(pilot, lambda: app.screen.number == 1)
        await pilot.pause()
        assert "Current request 1" in screen_text(app)


async def test_every_field_is_saved_as_typed_and_the_channel_changes_with_one_key(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"Bins not emptied")
        await saved(pilot)
        assert request_row(sqlite_engine, number).subject == "Bins not emptied"
        await pilot.press("tab", *"Since Monday")
        await pilot.press("f4", "f4")  # phone -> e-mail -> fax
        await saved(pilot)
        row = request_row(sqlite_engine, number)
        assert (row.notes, row.channel) == ("Since Monday", "fax")
        assert "Channel: Fax" in screen_text(app)


async def test_leaving_the_screen_saves_at_once(make_app, sqlite_engine):
    app = make_app(autosave_ms=60_000)  # a save would only come from leaving
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"Streetlight out")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
        await wait_for(pilot, lambda: request_row(sqlite_engine, number).subject == "Streetlight out")


async def test_quitting_saves_what_was_typed(make_app, sqlite_engine):
    app = make_app(autosave_ms=60_000)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"Last words")
        await pilot.press("ctrl+q")
    assert request_row(sqlite_engine, number).subject == "Last words"


async def test_a_database_error_keeps_the_typing_and_retries(make_app, sqlite_engine, monkeypatch):
    real = draft_module.save_fields
    failures = []

    def flaky(*args, **kwargs):
        if len(failures) < 2:
            failures.append(1)
            raise StorageError("database error: database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(draft_module, "RETRY_SECONDS", 1.0)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        monkeypatch.setattr(draft_module, "save_fields", flaky)
        await pilot.press(*"Kept")
        await wait_for(pilot, lambda: app.screen.draft.state is DraftState.FAILED)
        shown = str(app.screen.query_one("#request-save-state").content)
        assert "NOT SAVED" in shown and "database is locked" in shown
        assert app.screen.query_one("#field-subject").value == "Kept"
        await saved(pilot)
        assert request_row(sqlite_engine, number).subject == "Kept"
        assert len(failures) == 2


async def test_a_second_f2_opens_another_request_and_keeps_the_first(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        first = await new_call(pilot)
        await pilot.press(*"First caller")
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.number not in (None, first))
        second = app.screen.number
        await pilot.press(*"Second caller")
        await saved(pilot)
    assert request_row(sqlite_engine, first).subject == "First caller"
    assert request_row(sqlite_engine, second).subject == "Second caller"
    assert [e["action"] for e in request_detail(sqlite_engine, first)["audit"]][:2] == ["open", "update"]

