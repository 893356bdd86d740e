"""The knowledge-base screen (F3): the knowledge base's own when installed, else the
console's stand-in article browser."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen


def show_knowledge_base(app: App, *, number: int | None, article_id: int | None = None) -> None:
    """Push the knowledge-base screen for request `number`, opening `article_id` if given."""
    try:
        from screens.kb_reader import ArticleReader
        from screens.kb_screen import KnowledgeBaseScreen
    except ImportError:  # pragma: no cover - before the knowledge-base screens are installed
        from screens.article_browser import ArticleBrowserScreen

        app.push_screen(ArticleBrowserScreen(number=number, article_id=article_id))
        return
    screen: Screen = KnowledgeBaseScreen(number=number)
    app.push_screen(screen)
    if article_id is not None:
        # Queued behind the screen's own mounting, so the reader exists by then.
        screen.call_later(lambda: screen.query_one(ArticleReader).show_article(article_id))
