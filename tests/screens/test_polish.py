"""The console speaks Polish with CALLCENTER_LANGUAGE=pl: screens, keys and messages."""

from tests.screens.conftest import SIZE, new_call, screen_text, sign_in, wait_for


async def test_the_console_in_polish(make_app):
    app = make_app(language="pl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Logowanie do konsoli" in screen_text(app)
        await sign_in(pilot)
        await wait_for(pilot, lambda: app.screen.desk is not None)
        await pilot.pause()
        text = screen_text(app)
        assert "Bieżące zgłoszenie" in text and "Moje kolejki" in text
        assert "Nowe zgłoszenie" in text and "Baza wiedzy" in text  # footer keys
        await new_call(pilot)
        await pilot.press("f9")
        await wait_for(pilot, lambda: app.screen.query("#comment-about"))
        await pilot.pause()
        text = screen_text(app)
        assert "Czego dotyczy?" in text and "Uwaga (słowami dzwoniącego)" in text
        assert "Typ: Uwaga" in text
