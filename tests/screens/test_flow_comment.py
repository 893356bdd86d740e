"""A comment end to end: what it is about, compliment or complaint, recorded and closed."""

from textual.widgets import RadioButton

from screens.desk import DeskScreen
from storage.engine import read_session
from storage.tables import RoutingCategory
from tests.screens.conftest import SIZE, new_call, request_row, saved, screen_text, sign_in, wait_for


async def _comment(pilot, about: str, kind: str, text: str) -> int:
    app = pilot.app
    number = await new_call(pilot)
    await pilot.press("f9")  # comment
    await wait_for(pilot, lambda: app.screen.query("#comment-about"))
    await pilot.pause()
    assert "Comment (as the caller said it)" in screen_text(app)
    app.screen.query_one("#field-notes").focus()
    await pilot.press(*text)
    app.screen.query_one(f"#about-{about}", RadioButton).value = True
    app.screen.query_one(f"#kind-{kind}", RadioButton).value = True
    await saved(pilot)
    return number


async def test_a_compliment_is_recorded_and_closed(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await _comment(pilot, "office", "compliment", "The new office is lovely")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
    row = request_row(sqlite_engine, number)
    assert (row.type, row.comment_about, row.comment_kind) == ("comment", "office", "compliment")
    assert (row.notes, row.complaint, row.status) == ("The new office is lovely", False, "resolved")


async def test_a_complaint_is_flagged_and_goes_to_the_supervisors(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await _comment(pilot, "employee", "complaint", "Nobody called me back")
        await pilot.pause()
        assert "Complaint: flagged for the supervisors." in screen_text(app)
        await wait_for(pilot, lambda: app.screen.record.complaint)
        await pilot.pause()
        assert "COMPLAINT" in screen_text(app)
    row = request_row(sqlite_engine, number)
    assert (row.comment_about, row.comment_kind, row.complaint) == ("employee", "complaint", True)
    with read_session(sqlite_engine) as session:
        assert session.get(RoutingCategory, row.category_id).path == "Supervisors"
