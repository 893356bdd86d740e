"""`ArticleReader`: one article as the agent reads it to the caller, links followed by keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from console.i18n import _
from domain.contacts import format_phone
from domain.kb_records import ArticleRecord
from domain.roles import can_supervise
from domain.text import printable
from screens.db import error_text
from screens.keys import N_, TranslatedBindings
from screens.safe import literal, literal_line
from storage.kb_articles import get_article

KB_SCHEME = "kb:"


class ArticleReader(TranslatedBindings, VerticalScroll):
    """Title, call script, phones, URL, Markdown body and links; back/forward like a browser."""

    DEFAULT_CSS = """
    ArticleReader { height: 1fr; padding: 0 1; }
    ArticleReader #kb-reader-title { text-style: bold; }
    ArticleReader #kb-reader-meta { color: $text-muted; }
    ArticleReader #kb-reader-script { border: round $accent; padding: 0 1; }
    ArticleReader .-hidden { display: none; }
    ArticleReader #kb-reader-links { height: auto; max-height: 10; }
    """

    BINDINGS = [
        Binding("alt+left,backspace", "back", N_("Back"), id="kb-back",
                tooltip=N_("The article read before this one")),
        Binding("alt+right", "forward", N_("Forward"), id="kb-forward"),
        Binding("ctrl+t", "answered", N_("Answered with this"), id="kb-answered",
                tooltip=N_("Record that this article answered the caller")),
        Binding("l", "links", N_("Links"), id="kb-links", tooltip=N_("Jump to the links to other articles")),
    ]

    @dataclass
    class ArticleOpened(Message):
        """The agent opened an article (picked it or followed a link to it)."""

        article_id: int

    @dataclass
    class ArticleAnswered(Message):
        """The agent said this article answered the caller."""

        article_id: int

    @dataclass
    class _Loaded(Message):
        article: ArticleRecord | None
        error: str | None
        opened: bool

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.article: ArticleRecord | None = None
        self.back_history: list[int] = []
        self.forward_history: list[int] = []
        self._pending: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Pick an article to read it here."), id="kb-reader-title")
        yield Static("", id="kb-reader-meta")
        yield Static("", id="kb-reader-script", classes="-hidden")
        yield Static("", id="kb-reader-phones", classes="-hidden")
        yield Markdown("", id="kb-reader-body", open_links=False)
        yield Static(_("Links"), id="kb-reader-links-title", classes="-hidden")
        yield OptionList(id="kb-reader-links", classes="-hidden")

    def show_article(self, article_id: int, *, opened: bool = True, remember: bool = True) -> None:
        """Load and show an article; the one on screen goes on the back history.

        `opened` False is a preview (the cursor resting on a search result): nothing is recorded.
        """
        if not opened and article_id in (self._pending, self.article.id if self.article else None):
            return  # already on its way or on screen: a preview must not cancel an opening
        if opened and remember and self.article is not None and self.article.id != article_id:
            self.back_history.append(self.article.id)
            self.forward_history.clear()
        self._pending = article_id
        self._load(article_id, opened)

    def show_slug(self, slug: str) -> None:
        """Follow a link by slug (a missing target is reported, never a crash)."""
        target = next((link for link in self.article.links if link.slug == slug), None) if self.article else None
        if target is None or target.broken:
            self.notify(_("Broken link: no article {slug}").format(slug=slug), severity="warning",
                        markup=False)
            return
        self.show_article(target.article_id)

    def action_back(self) -> None:
        """Back to the article read before."""
        if self.back_history and self.article is not None:
            self.forward_history.append(self.article.id)
            self._load(self.back_history.pop(), True)

    def action_forward(self) -> None:
        """Forward again after going back."""
        if self.forward_history and self.article is not None:
            self.back_history.append(self.article.id)
            self._load(self.forward_history.pop(), True)

    def action_answered(self) -> None:
        """Say the article on screen answered the caller."""
        if self.article is None:
            self.notify(_("Open an article first."), markup=False)
            return
        self.post_message(self.ArticleAnswered(self.article.id))

    def action_links(self) -> None:
        """Move the cursor to the list of linked articles."""
        links = self.query_one("#kb-reader-links", OptionList)
        if links.option_count:
            links.focus()
            if links.highlighted is None:
                links.highlighted = 0

    @work(thread=True, exit_on_error=False, exclusive=True, group="kb-read")
    def _load(self, article_id: int, opened: bool) -> None:
        agent = self.app.services.agent
        drafts = agent is not None and can_supervise(agent.role)
        try:
            article = get_article(self.app.services.engine, article_id=article_id, include_drafts=drafts)
        except Exception as exc:  # shown in the reader; the console goes on
            self.post_message(self._Loaded(None, error_text(exc), opened))
            return
        self.post_message(self._Loaded(article, None, opened))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        message.stop()
        self._pending = None
        if message.article is None:
            self.notify(message.error or "", severity="error", markup=False)
            return
        self._display(message.article)
        if message.opened:
            self.post_message(self.ArticleOpened(message.article.id))

    def _display(self, article: ArticleRecord) -> None:
        self.article = article
        doc = article.doc
        self.query_one("#kb-reader-title", Static).update(literal_line(doc.title, "bold"))
        meta = Text(f"{doc.language} · {doc.kind} · v{article.version}", style="dim")
        if doc.status != "published":
            meta.append(f" · {_('draft')}", style="bold yellow")
        if doc.tags:
            meta.append("  #" + " #".join(doc.tags), style="dim")
        if doc.url:
            meta.append("\n")
            meta.append_text(literal_line(doc.url, "underline"))
        self.query_one("#kb-reader-meta", Static).update(meta)
        script = self.query_one("#kb-reader-script", Static)
        script.update(Text.assemble((_("Say:") + " ", "bold"), literal(doc.script)))
        script.set_class(not doc.script, "-hidden")
        phones = Text()
        for phone in doc.phones:
            phones.append(f"☎ {format_phone(phone.number)}", style="bold")
            if phone.label:
                phones.append("  ")
                phones.append_text(literal_line(phone.label))
            phones.append("\n")
        phones_widget = self.query_one("#kb-reader-phones", Static)
        phones_widget.update(phones)
        phones_widget.set_class(not doc.phones, "-hidden")
        self.query_one("#kb-reader-body", Markdown).update(printable(doc.body))
        links = self.query_one("#kb-reader-links", OptionList)
        links.clear_options()
        for link in article.links:
            if link.broken:
                label = Text.assemble("✗ ", literal_line(link.slug), (f"  ({_('broken link')})", "red"))
                links.add_option(Option(label, id=f"broken:{link.slug}", disabled=True))
            else:
                links.add_option(Option(Text.assemble("→ ", literal_line(link.title or link.slug)),
                                        id=str(link.article_id)))
        for widget_id in ("#kb-reader-links", "#kb-reader-links-title"):
            self.query_one(widget_id).set_class(not article.links, "-hidden")
        self.scroll_home(animate=False)

    @on(OptionList.OptionSelected, "#kb-reader-links")
    def _follow(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and not event.option.id.startswith("broken:"):
            self.show_article(int(event.option.id))

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # article text never opens a browser or runs anything
        if event.href.startswith(KB_SCHEME):
            self.show_slug(event.href[len(KB_SCHEME):])
        else:
            self.notify(event.href, title=_("Link"), markup=False)
