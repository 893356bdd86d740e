"""Command palette (ctrl+p) sources: a request by number, a customer, an article.

Each search runs its query in a thread worker; what the database holds is shown literally
(never as markup), with the typed words highlighted. Labels and help are `Content`
objects: the palette parses plain strings as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.worker import WorkerFailed

from console.i18n import _
from domain.text import fold, one_line
from screens.office import office_of
from storage.customer_lookup import lookup_customers
from storage.errors import NotFound
from storage.kb_search import search_articles
from storage.requests import get_request


def highlighted(text: str, query: str) -> Content:
    """`text` on one line, literally, with the folded query's words underlined where found."""
    plain = one_line(text)
    content = Content(plain)
    folded = fold(plain)
    if len(folded) != len(plain):
        return content  # folding changed lengths (ß -> ss): offsets would be wrong
    for word in fold(query).split():
        start = folded.find(word)
        if start >= 0:
            content = content.stylize("bold underline", start, start + len(word))
    return content


class DatabaseCommands(Provider):
    """Base: run a query off the UI thread; a failed query shows no hits instead of an error."""

    async def query(self, work: Callable[[], Any]) -> Any:
        if self.app.services.agent is None:
            return None
        worker = self.app.run_worker(work, thread=True, exit_on_error=False, group="palette")
        try:
            return await worker.wait()
        except WorkerFailed:
            return None


class RequestCommands(DatabaseCommands):
    """`1234` opens request 1234."""

    async def search(self, query: str) -> Hits:
        text = query.strip().lstrip("#")
        if not text.isdigit():
            return
        number = int(text)
        engine = self.app.services.engine

        def find():
            try:
                return get_request(engine, number)
            except NotFound:
                return None

        record = await self.query(find)
        if record is None:
            return
        label = Content.assemble((_("Request {number}").format(number=number), "bold"), "  ",
                                 Content(one_line(record.subject)))
        yield Hit(1.0, label, lambda: self.app.open_request_screen(number),
                  text=f"request {number}", help=_("Open the request"))


class CustomerCommands(DatabaseCommands):
    """A phone number, e-mail or name finds customers and their latest requests."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 3:
            return
        services = self.app.services
        found = await self.query(lambda: lookup_customers(
            services.engine, text=query, region=office_of(services).region, limit=8))
        for customer in found or []:
            label = Content.assemble((_("Customer") + ": ", "dim"), highlighted(customer.name, query))
            contacts = one_line(" · ".join(customer.phones + customer.emails))
            yield Hit(0.8, label, lambda c=customer: self.app.show_customer(c),
                      text=customer.name, help=Content(contacts) if contacts else None)


class ArticleCommands(DatabaseCommands):
    """Words find knowledge-base articles; choosing one opens it."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 3:
            return
        engine = self.app.services.engine
        hits = await self.query(lambda: search_articles(engine, query, limit=8))
        for hit in hits or []:
            label = Content.assemble((_("Article") + ": ", "dim"), highlighted(hit.title, query))
            yield Hit(0.7, label, lambda a=hit.id: self.app.show_article(a), text=hit.title,
                      help=Content(one_line(hit.language)))
