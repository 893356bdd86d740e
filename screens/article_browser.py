"""The knowledge base on a whole screen (F3), when the knowledge-base screen is not installed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header

from screens.article_reader import ArticleReader
from screens.article_search import ArticleSearch
from screens.keys import N_, TranslatedBindings


class ArticleBrowserScreen(TranslatedBindings, Screen):
    """Search on the left, the article on the right; escape goes back."""

    CSS_PATH = "article_browser.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"), id="kb-close")]

    def __init__(self, *, number: int | None = None, article_id: int | None = None) -> None:
        super().__init__()
        self.number = number
        self.article_id = article_id

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield ArticleSearch(id="browser-search")
            yield ArticleReader(id="browser-reader")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#kb-query").focus()
        if self.article_id is not None:
            self.query_one(ArticleReader).show_article(self.article_id)

    @on(ArticleSearch.ResultHighlighted)
    def _preview(self, message: ArticleSearch.ResultHighlighted) -> None:
        self.query_one(ArticleReader).show_article(message.article_id, opened=False)

    @on(ArticleSearch.ArticleChosen)
    def _show(self, message: ArticleSearch.ArticleChosen) -> None:
        self.query_one(ArticleReader).show_article(message.article_id)
        self.query_one(ArticleReader).focus()

    def action_close(self) -> None:
        """Back to where F3 was pressed."""
        self.app.pop_screen()
