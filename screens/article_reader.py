"""Reading an article to the caller: call script, phone numbers, URL, body, linked articles."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from console.i18n import _
from domain.contacts import format_phone
from domain.text import one_line, printable
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings
from screens.safe import literal, literal_line
from storage.article_lookup import ArticleView, article_view


class ArticleReader(ReportsWorkerErrors, TranslatedBindings, VerticalScroll):
    """One article; links are followed with enter, back with backspace (a plain stand-in for
    the knowledge base's own reader, with the same messages)."""

    BINDINGS = [Binding("backspace", "back", N_("Back"), id="article-back"),
                Binding("ctrl+t", "answered", N_("Answered with this"), id="article-answered")]

    @dataclass
    class Shown(Message):
        """An article is on screen."""

        article: ArticleView
        opened: bool

    @dataclass
    class ArticleOpened(Message):
        """The agent opened an article (picked it or followed a link to it)."""

        article_id: int

    @dataclass
    class ArticleAnswered(Message):
        """The agent said this article answered the caller."""

        article_id: int

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: ArticleView | None = None
        self.history: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(_("Pick an article to read it here."), id="article-title")
        yield Static("", id="article-meta")
        yield Static("", id="article-script")
        yield Static("", id="article-phones")
        yield Markdown("", id="article-body", open_links=False)
        yield OptionList(id="article-links")

    def show_article(self, article_id: int, *, opened: bool = True, remember: bool = True) -> None:
        """Load and show an article (the one on screen goes onto the back history);
        `opened` False is a preview that is not recorded."""
        if remember and self.article is not None and self.article.id != article_id:
            self.history.append(self.article.id)
        self._load(article_id, opened)

    def action_back(self) -> None:
        """Back to the article read before."""
        if self.history:
            self.show_article(self.history.pop(), remember=False)

    def action_answered(self) -> None:
        """Say the article on screen answered the caller."""
        if self.article is not None:
            self.post_message(self.ArticleAnswered(self.article.id))

    @work(thread=True, exit_on_error=False, exclusive=True, group="article-read")
    def _load(self, article_id: int, opened: bool) -> None:
        self.post_message(self.Shown(article_view(self.app.services.engine, article_id), opened))

    def on_article_reader_shown(self, message: Shown) -> None:
        message.stop()
        if message.opened:
            self.post_message(self.ArticleOpened(message.article.id))
        article = self.article = message.article
        self.query_one("#article-title", Static).update(literal_line(article.title, "bold"))
        meta = Text(f"{article.language} · {article.kind}", style="dim")
        if article.url:
            meta.append("  ")
            meta.append_text(literal_line(article.url, "underline"))
        self.query_one("#article-meta", Static).update(meta)
        script = self.query_one("#article-script", Static)
        script.update(literal(article.script))
        script.set_class(not article.script, "-hidden")
        phones = Text()
        for phone in article.phones:
            phones.append_text(literal_line(str(phone.get("label", "")), "bold"))
            phones.append(f"  {format_phone(str(phone.get('number', '')))}\n")
        self.query_one("#article-phones", Static).update(phones)
        self.query_one("#article-body", Markdown).update(printable(article.body))
        links = self.query_one("#article-links", OptionList)
        had_focus = links.has_focus
        links.clear_options()
        for link in article.links:
            if link.article_id is None:
                label = Content.assemble("✗ ", one_line(link.slug), (" " + _("(missing)"), "red"))
                links.add_option(Option(label, disabled=True))
            else:
                links.add_option(Option(Content.assemble("→ ", one_line(link.title or link.slug)),
                                        id=str(link.article_id)))
        links.set_class(not article.links, "-hidden")
        if had_focus and not article.links:
            self.screen.set_focus(self)  # keep the keys (back) working in the reader
        if any(link.article_id is not None for link in article.links):
            links.highlighted = next(i for i, link in enumerate(article.links) if link.article_id)

    @on(OptionList.OptionSelected, "#article-links")
    def _follow(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.show_article(int(event.option.id))

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # never open a browser or run anything from article text
        self.notify(one_line(event.href), title=_("Link"), markup=False)
