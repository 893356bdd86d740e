"""The customer part of an action request: find the caller, see their history, or add them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static

from console.i18n import _
from domain.contacts import format_phone
from screens.customer_form import CustomerForm
from screens.db import ReportsWorkerErrors
from screens.fmt import local, status_name, type_name
from screens.keys import N_
from screens.inputs import SafeInput
from screens.office import office_of, zone_of
from screens.safe import literal_line
from screens.services import Services
from screens.tables import fill
from storage.customer_lookup import CustomerRequest, customer_history, lookup_customers
from storage.customers import CustomerRecord


def customer_line(customer: CustomerRecord) -> Text:
    """Name, phones, e-mails and address on one line, literally."""
    parts = [customer.name, *map(format_phone, customer.phones), *customer.emails, customer.address]
    return literal_line(" · ".join(p for p in parts if p))


HISTORY_COLUMNS = (N_("No."), N_("Opened"), N_("Type"), N_("Status"), N_("Subject"))


def show_history(table: DataTable, requests: list[CustomerRequest], services: Services) -> None:
    """Fill `table` (columns HISTORY_COLUMNS) with a customer's requests, literally."""
    zone, now = zone_of(services), services.now()
    fill(table, [(str(r.number), [literal_line(str(r.number)), literal_line(local(r.created_at, zone, now)),
                                  literal_line(type_name(r.type)), literal_line(status_name(r.status)),
                                  literal_line(r.subject)]) for r in requests])


class CustomerPanel(ReportsWorkerErrors, Vertical):
    """Type a phone number, e-mail or name; enter on a row makes that customer the caller."""

    @dataclass
    class Chosen(Message):
        """This customer is the caller."""

        customer: CustomerRecord

    @dataclass
    class Found(Message):
        """Customers matching `query`."""

        query: str
        customers: list[CustomerRecord]

    @dataclass
    class HistoryLoaded(Message):
        """Earlier requests of one customer."""

        customer_id: int
        requests: list[CustomerRequest]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer: CustomerRecord | None = None
        self.found: dict[str, CustomerRecord] = {}

    def compose(self) -> ComposeResult:
        yield Static(_("Customer"), classes="section-title")
        yield Static(_("No customer yet."), id="customer-chosen")
        with Horizontal(id="customer-find"):
            yield SafeInput(id="customer-query", compact=True,
                            placeholder=_("Phone, e-mail or name (ctrl+f)"))
            yield Button(_("New customer"), id="customer-new", compact=True)
            yield Button(_("Edit"), id="customer-edit", disabled=True, compact=True)
        yield DataTable(id="customer-results", cursor_type="row", classes="-hidden")
        yield Static(_("Earlier requests"), id="customer-history-title", classes="-hidden")
        yield DataTable(id="customer-history", cursor_type="row", classes="-hidden")

    def on_mount(self) -> None:
        self.query_one("#customer-results", DataTable).add_columns(
            _("Name"), _("Phones"), _("E-mails"), _("Address"))
        self.query_one("#customer-history", DataTable).add_columns(*map(_, HISTORY_COLUMNS))

    def show(self, customer: CustomerRecord | None) -> None:
        """Show the request's customer (None: not chosen yet)."""
        self.customer = customer
        chosen = self.query_one("#customer-chosen", Static)
        chosen.update(customer_line(customer) if customer else _("No customer yet."))
        chosen.set_class(customer is not None, "-chosen")
        self.query_one("#customer-edit", Button).disabled = customer is None
        if customer is not None:
            self._history(customer.id)

    # --- finding -------------------------------------------------------------------

    @on(Input.Changed, "#customer-query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        if len(event.value.strip()) >= 2:
            self._find(event.value.strip())
        else:
            self.query_one("#customer-results", DataTable).add_class("-hidden")

    @work(thread=True, exit_on_error=False, exclusive=True, group="customer-find")
    def _find(self, query: str) -> None:
        services = self.app.services
        found = lookup_customers(services.engine, text=query, region=office_of(services).region)
        self.post_message(self.Found(query, found))

    def on_customer_panel_found(self, message: Found) -> None:
        message.stop()
        if message.query != self.query_one("#customer-query", Input).value.strip():
            return
        self.found = {str(c.id): c for c in message.customers}
        table = self.query_one("#customer-results", DataTable)
        fill(table, [(str(c.id), [literal_line(c.name), literal_line(", ".join(map(format_phone, c.phones))),
                                  literal_line(", ".join(c.emails)), literal_line(c.address)])
                     for c in message.customers])
        table.set_class(not message.customers, "-hidden")
        if not message.customers:
            self.notify(_("No customer found; 'New customer' adds one."), markup=False)

    @on(Input.Submitted, "#customer-query")
    def _to_results(self, event: Input.Submitted) -> None:
        event.stop()
        table = self.query_one("#customer-results", DataTable)
        if len(self.found) == 1:
            self._choose(next(iter(self.found.values())))
        elif table.row_count:
            table.focus()

    @on(DataTable.RowHighlighted, "#customer-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._history(int(event.row_key.value))

    @on(DataTable.RowSelected, "#customer-results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._choose(self.found[event.row_key.value])

    def _choose(self, customer: CustomerRecord) -> None:
        self.query_one("#customer-results", DataTable).add_class("-hidden")
        self.show(customer)
        self.post_message(self.Chosen(customer))

    # --- history -------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, exclusive=True, group="customer-history")
    def _history(self, customer_id: int) -> None:
        before = self.screen.number
        self.post_message(self.HistoryLoaded(
            customer_id, customer_history(self.app.services.engine, customer_id, before=before)))

    def on_customer_panel_history_loaded(self, message: HistoryLoaded) -> None:
        message.stop()
        table = self.query_one("#customer-history", DataTable)
        show_history(table, message.requests, self.app.services)
        hidden = not message.requests
        table.set_class(hidden, "-hidden")
        self.query_one("#customer-history-title", Static).set_class(hidden, "-hidden")

    # --- adding and editing ----------------------------------------------------------

    @on(Button.Pressed, "#customer-new")
    def _new(self, event: Button.Pressed) -> None:
        event.stop()
        query = self.query_one("#customer-query", Input).value.strip()
        self.app.push_screen(CustomerForm(initial=query), self._saved)

    @on(Button.Pressed, "#customer-edit")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        if self.customer is not None:
            self.app.push_screen(CustomerForm(customer=self.customer), self._saved)

    def _saved(self, customer: CustomerRecord | None) -> None:
        if customer is not None:
            self._choose(customer)

    def focus_search(self) -> None:
        """Put the cursor in the search box (ctrl+f), at once: keys typed next land there."""
        self.screen.set_focus(self.query_one("#customer-query", Input))
