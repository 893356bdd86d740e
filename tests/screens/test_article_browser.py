"""The console's own article browser (used when the knowledge base's screens are absent)."""

from screens.article_browser import ArticleBrowserScreen
from tests.screens.conftest import SIZE, screen_text, sign_in, wait_for


async def test_search_read_follow_a_link_and_go_back(make_app, office):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        app.push_screen(ArticleBrowserScreen())
        await wait_for(pilot, lambda: isinstance(app.screen, ArticleBrowserScreen))
        await pilot.press(*"garbage")
        results = app.screen.query_one("#kb-results")
        await wait_for(pilot, lambda: results.option_count and results.get_option_at_index(0).id)
        await pilot.press("enter", "enter")  # to the results, open the first
        reader = app.screen.query_one("#browser-reader")
        await wait_for(pilot, lambda: reader.article is not None and reader.article.id == office.bins_article)
        await pilot.pause()
        text = screen_text(app)
        assert "Tell the caller their street's day." in text and "+48 22 123 45 67" in text
        assert "https://example.org/bins" in text and "→ Office hours" in text
        app.screen.query_one("#article-links").focus()
        await pilot.press("enter")  # follow the link
        await wait_for(pilot, lambda: reader.article.id == office.hours_article)
        await pilot.press("backspace")
        await wait_for(pilot, lambda: reader.article.id == office.bins_article)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ArticleBrowserScreen))
