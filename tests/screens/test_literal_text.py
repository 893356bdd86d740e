"""Text from customers, agents and articles is shown literally: never markup, never escapes."""

from sqlmodel import Session
from textual import events

from storage.customers import add_customer
from storage.engine import run_write
from storage.requests import open_request
from storage.tables import Article
from tests.screens.conftest import SIZE, screen_text, sign_in, wait_for

MARKUP = "[bold]x[/] [/] [link=https://evil.example]y[/link] [@click=app.quit]z[/]"
OSC = "\x1b]0;pwned\x07"
HOSTILE = f"{MARKUP} {OSC}end"
SHOWN = f"{MARKUP} \\x1b]0;pwned\\x07end"  # control characters made visible


def _assert_literal(app) -> str:
    text = screen_text(app)
    assert "\x1b" not in text and "\x07" not in text
    return text


async def test_markup_and_escapes_from_a_customer_a_note_and_an_article_show_literally(
        make_app, sqlite_engine, office, now):
    customer = add_customer(sqlite_engine, name=HOSTILE, phones=["601 234 567"],
                            address=HOSTILE, region="PL", now=now, actor_id=None, actor="cli")
    number = open_request(sqlite_engine, now=now, agent_id=office.ann, actor="ann", type="action",
                          subject=HOSTILE, customer_id=customer.id).number

    def hostile_article(session: Session) -> int:
        article = Article(slug="hostile", title=HOSTILE, language="en", body=f"{HOSTILE}\n",
                          script=HOSTILE, search_title="hostile", search_body="hostile")
        session.add(article)
        session.flush()
        return article.id

    article_id = run_write(sqlite_engine, hostile_article)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)  # back to the open request, an action with this customer
        await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None)
        chosen = app.screen.query_one("#customer-chosen")
        await wait_for(pilot, lambda: "Rynek" in str(chosen.content) or MARKUP in str(chosen.content))
        await pilot.pause()
        text = _assert_literal(app)
        assert text.count(MARKUP) >= 2  # customer line, subject box (and the address)
        assert "\\x1b]0;pwned\\x07end" in text
        notes = app.screen.query_one("#field-notes")
        notes.focus()
        app.post_message(events.Paste(HOSTILE))  # pasted from an e-mail, as the terminal sends it
        await wait_for(pilot, lambda: "pwned" in notes.text)
        await pilot.pause()
        assert notes.text == SHOWN
        _assert_literal(app)

        app.show_article(article_id)
        await wait_for(pilot, lambda: screen_text(app).count(MARKUP) >= 3)
        text = _assert_literal(app)  # title, script and body (lines may wrap)
        assert "\\x1b]0;pwned\\x07end" in text
        await pilot.press("escape")

        await pilot.press("escape")  # to the desk: subject and customer in the table
        await wait_for(pilot, lambda: getattr(app.screen, "desk", None) is not None)
        await pilot.pause()
        text = _assert_literal(app)
        assert MARKUP[:40] in text
        app.notify(HOSTILE, markup=False)
        await pilot.pause()
        _assert_literal(app)
    assert app.return_code in (None, 0)  # [@click=app.quit] never ran
