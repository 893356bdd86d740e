"""`ArticleEditorScreen`: supervisors write an article in Markdown with a live preview; save = new version."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Markdown, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from console.i18n import _
from domain.contacts import format_phone
from domain.kb_document import ArticleDoc, ArticleKind, ArticleStatus
from domain.kb_frontmatter import doc_from_form
from domain.kb_records import ArticleRecord
from domain.roles import can_supervise
from domain.text import printable
from screens.db import ReportsWorkerErrors
from screens.kb_search import KnowledgeBaseSearch
from screens.keys import N_, TranslatedBindings
from screens.safe import literal_line
from storage.kb_articles import get_article, save_article

PREVIEW_AFTER_S = 0.3


class ArticleEditorScreen(ReportsWorkerErrors, TranslatedBindings, Screen[int | None]):
    """Edit one article (or write a new one); dismisses with the article's id once saved."""

    CSS_PATH = "kb.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="kb-editor-save", tooltip=N_("Save as a new version")),
        Binding("escape", "close", N_("Close"), id="kb-editor-close"),
        Binding("delete", "remove_link", N_("Remove link"), id="kb-editor-remove-link", show=False),
    ]

    def __init__(self, *, article_id: int | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.version: int | None = None
        self.saved_doc: ArticleDoc | None = None
        self.links: list[str] = []
        self._preview_timer: Timer | None = None
        self._discard_armed = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="kb-editor"):
            with VerticalScroll(id="kb-editor-fields"):
                yield Label(_("Title"))
                yield Input(id="kb-editor-title")
                yield Label(_("Slug (the name links use; fixed once saved)"))
                yield Input(id="kb-editor-slug", placeholder=_("made from the title"))
                with Horizontal(classes="kb-editor-row"):
                    yield Input(id="kb-editor-language", placeholder=_("language (pl, nl, pt, en)"))
                    yield Select([(k.value, k.value) for k in ArticleKind], value=ArticleKind.ANSWER.value,
                                 allow_blank=False, id="kb-editor-kind")
                    yield Select([(_("draft"), ArticleStatus.DRAFT.value),
                                  (_("published"), ArticleStatus.PUBLISHED.value)],
                                 value=ArticleStatus.DRAFT.value, allow_blank=False, id="kb-editor-status")
                yield Input(id="kb-editor-tags", placeholder=_("tags, comma separated"))
                yield Input(id="kb-editor-url", placeholder=_("external URL (https://…)"))
                yield Input(id="kb-editor-problems", placeholder=_("problem codes, comma separated"))
                yield Label(_("Phone numbers, one per line: label: +48 22 123 45 67"))
                yield TextArea(id="kb-editor-phones")
                yield Label(_("Call script"))
                yield TextArea(id="kb-editor-script")
                yield Label(_("Links to other articles (delete removes one)"))
                yield OptionList(id="kb-editor-links")
                yield Label(_("Add a link: search, then enter"))
                yield KnowledgeBaseSearch(id="kb-editor-link-search", limit=8)
            with Vertical(id="kb-editor-text"):
                yield TextArea(id="kb-editor-body", language="markdown", soft_wrap=True)
                yield Markdown("", id="kb-editor-preview", open_links=False)
                yield Static("", id="kb-editor-message")
        yield Footer()

    def on_mount(self) -> None:
        agent = self.app.services.agent
        if agent is not None and not can_supervise(agent.role):
            self.notify(_("Only supervisors write articles."), severity="error", markup=False)
            self.dismiss(None)
            return
        if self.article_id is not None:
            self._load(self.article_id)
        else:
            self.query_one("#kb-editor-language", Input).value = self.app.services.language
            self.query_one("#kb-editor-title", Input).focus()

    @work(thread=True, exit_on_error=False, group="kb-editor-load")
    def _load(self, article_id: int) -> None:
        article = get_article(self.app.services.engine, article_id=article_id)
        self.app.call_from_thread(self._fill, article)

    def _fill(self, article: ArticleRecord) -> None:
        doc = self.saved_doc = article.doc
        self.version = article.version
        values = {"#kb-editor-title": doc.title, "#kb-editor-slug": doc.slug,
                  "#kb-editor-language": doc.language, "#kb-editor-tags": ", ".join(doc.tags),
                  "#kb-editor-url": doc.url or "", "#kb-editor-problems": ", ".join(doc.problem_codes)}
        for selector, value in values.items():
            self.query_one(selector, Input).value = value
        self.query_one("#kb-editor-slug", Input).disabled = True
        self.query_one("#kb-editor-kind", Select).value = doc.kind
        self.query_one("#kb-editor-status", Select).value = doc.status
        self.query_one("#kb-editor-phones", TextArea).text = "\n".join(
            f"{p.label}: {format_phone(p.number)}" if p.label else format_phone(p.number) for p in doc.phones)
        self.query_one("#kb-editor-script", TextArea).text = doc.script
        self.query_one("#kb-editor-body", TextArea).text = doc.body
        self.links = list(doc.links)
        self._show_links()
        self._status(_("Version {version}").format(version=article.version))
        self.query_one("#kb-editor-body", TextArea).focus()

    def _show_links(self) -> None:
        options = self.query_one("#kb-editor-links", OptionList)
        options.clear_options()
        for slug in self.links:
            options.add_option(Option(literal_line(slug), id=slug))

    def _status(self, text: str) -> None:
        self.query_one("#kb-editor-message", Static).update(literal_line(text))

    @on(TextArea.Changed, "#kb-editor-body")
    def _body_changed(self, event: TextArea.Changed) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_AFTER_S, self._refresh_preview)

    def _refresh_preview(self) -> None:
        body = self.query_one("#kb-editor-body", TextArea).text
        self.query_one("#kb-editor-preview", Markdown).update(printable(body))

    @on(Markdown.LinkClicked)
    def _no_browsing(self, event: Markdown.LinkClicked) -> None:
        event.stop()

    @on(KnowledgeBaseSearch.ArticleChosen)
    def _add_link(self, message: KnowledgeBaseSearch.ArticleChosen) -> None:
        message.stop()
        self._pick_link(message.article_id)

    @work(thread=True, exit_on_error=False, group="kb-editor-link")
    def _pick_link(self, article_id: int) -> None:
        slug = get_article(self.app.services.engine, article_id=article_id).doc.slug
        self.app.call_from_thread(self._append_link, slug)

    def _append_link(self, slug: str) -> None:
        if slug not in self.links:
            self.links.append(slug)
            self._show_links()

    @on(KnowledgeBaseSearch.ResultHighlighted)
    def _ignore_preview(self, message: KnowledgeBaseSearch.ResultHighlighted) -> None:
        message.stop()

    def action_remove_link(self) -> None:
        """Remove the highlighted link."""
        options = self.query_one("#kb-editor-links", OptionList)
        if options.has_focus and options.highlighted is not None:
            del self.links[options.highlighted]
            self._show_links()

    def form_doc(self) -> ArticleDoc:
        """The article as the fields describe it (InvalidInput names a bad field)."""
        def value(selector: str) -> str:
            return self.query_one(selector, Input).value.strip()

        def split(selector: str) -> list[str]:
            return [part.strip() for part in value(selector).split(",") if part.strip()]

        phones = []
        for line in self.query_one("#kb-editor-phones", TextArea).text.splitlines():
            if line.strip():
                label, _sep, number = line.rpartition(":")
                phones.append({"label": label.strip(), "number": number.strip()} if label.strip()
                              else number.strip())
        return doc_from_form({
            "title": value("#kb-editor-title"), "slug": value("#kb-editor-slug"),
            "language": value("#kb-editor-language"),
            "kind": self.query_one("#kb-editor-kind", Select).value,
            "status": self.query_one("#kb-editor-status", Select).value,
            "tags": split("#kb-editor-tags"), "url": value("#kb-editor-url"),
            "problem_codes": split("#kb-editor-problems"), "phones": phones,
            "links": list(self.links), "script": self.query_one("#kb-editor-script", TextArea).text,
        }, self.query_one("#kb-editor-body", TextArea).text)

    def action_save(self) -> None:
        """Check the fields and save; a change becomes a new version."""
        try:
            doc = self.form_doc()
        except ValueError as exc:
            self.notify(str(exc), severity="error", title=_("Not saved"), markup=False)
            return
        self._save(doc)

    @work(thread=True, exit_on_error=False, group="kb-editor-save")
    def _save(self, doc: ArticleDoc) -> None:
        services = self.app.services
        agent = services.agent
        saved = save_article(services.engine, doc=doc, now=services.now(),
                             agent_id=agent.id if agent else None, actor=agent.login if agent else "console",
                             expected_version=self.version)
        self.app.call_from_thread(self._saved, saved)

    def _saved(self, article: ArticleRecord) -> None:
        self.article_id, self.version, self.saved_doc = article.id, article.version, article.doc
        self.query_one("#kb-editor-slug", Input).value = article.doc.slug
        self.query_one("#kb-editor-slug", Input).disabled = True
        self._status(_("Saved: version {version}").format(version=article.version))
        self.notify(_("Saved: version {version}").format(version=article.version), markup=False)

    def action_close(self) -> None:
        """Close; unsaved changes need a second escape to be thrown away."""
        try:
            changed = self.form_doc() != self.saved_doc
        except ValueError:
            typed = [self.query_one(s, Input).value for s in ("#kb-editor-title", "#kb-editor-tags")]
            changed = any(typed) or bool(self.query_one("#kb-editor-body", TextArea).text)
        if changed and not self._discard_armed:
            self._discard_armed = True
            self.notify(_("Unsaved changes: ctrl+s saves, escape again throws them away."),
                        severity="warning", markup=False)
            return
        self.dismiss(self.article_id)
