"""Opening the knowledge base's screen (F3, or an article chosen in the palette)."""

from __future__ import annotations

from textual.app import App

from screens.kb_reader import ArticleReader
from screens.kb_screen import KnowledgeBaseScreen


def show_knowledge_base(app: App, *, number: int | None, article_id: int | None = None) -> None:
    """Push the knowledge-base screen for request `number`, opening `article_id` if given."""
    if isinstance(app.screen, KnowledgeBaseScreen):
        return
    screen = KnowledgeBaseScreen(number=number)
    app.push_screen(screen)
    if article_id is not None:
        # Queued behind the screen's own mounting, so the reader exists by then.
        screen.call_later(lambda: screen.query_one(ArticleReader).show_article(article_id))
