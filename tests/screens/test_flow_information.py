"""An information call end to end: search, read, answered with this article, resolve."""

from sqlmodel import select

from screens.desk import DeskScreen
from storage.engine import read_session
from storage.requests import request_detail
from storage.tables import ArticleUsage
from tests.screens.conftest import SIZE, new_call, request_row, saved, screen_text, sign_in, wait_for


async def test_an_information_call_is_answered_from_the_knowledge_base_and_resolved(make_app, sqlite_engine, office):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press(*"When are bins collected")
        await pilot.press("f7", *"garbage")  # information: F7 puts the cursor in the search
        results = app.screen.query_one("#kb-search OptionList")
        await wait_for(pilot, lambda: results.option_count and results.get_option_at_index(0).id)
        await pilot.press("down", "enter")  # into the results, open the first
        reader = app.screen.query_one("#kb-reader")
        await wait_for(pilot, lambda: reader.article is not None)
        await pilot.pause()
        assert "Tell the caller their street's day." in screen_text(app)
        await pilot.press("ctrl+t")  # answered with this article
        note = app.screen.query_one("#field-resolution-note")
        await wait_for(pilot, lambda: note.value == "Answered with: Bin collection days")
        await saved(pilot)
        await pilot.press("ctrl+r")  # resolve
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
    row = request_row(sqlite_engine, number)
    assert (row.type, row.status, row.subject) == ("information", "resolved", "When are bins collected")
    assert row.resolution_note == "Answered with: Bin collection days"
    with read_session(sqlite_engine) as session:
        usage = session.exec(select(ArticleUsage.kind, ArticleUsage.article_id).where(
            ArticleUsage.request_id == number).order_by(ArticleUsage.id)).all()
    assert ("answered", office.bins_article) in usage and ("opened", office.bins_article) in usage
    actions = [e["action"] for e in request_detail(sqlite_engine, number)["audit"]]
    assert actions[0] == "open" and "answered" in actions and actions[-1] == "resolve"


async def test_an_information_request_needs_its_resolution_note_before_resolving(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press("f7")
        await saved(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.focused is app.screen.query_one("#field-resolution-note"))
        assert request_row(sqlite_engine, number).status == "new"
        await pilot.press(*"Told them to call back")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, DeskScreen))
    row = request_row(sqlite_engine, number)
    assert (row.status, row.resolution_note) == ("resolved", "Told them to call back")
