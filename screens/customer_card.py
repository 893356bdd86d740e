"""A customer found from the palette: contact details and every earlier request."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.i18n import _
from screens.customer_panel import HISTORY_COLUMNS, customer_line, show_history
from screens.db import ReportsWorkerErrors
from screens.keys import N_, TranslatedBindings
from screens.safe import literal_line
from storage.customer_lookup import CustomerRequest, customer_history
from storage.customers import CustomerRecord


class CustomerCard(ReportsWorkerErrors, TranslatedBindings, ModalScreen[int | None]):
    """Returns the number of the request chosen with enter, or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"), id="dialog-cancel")]

    @dataclass
    class Loaded(Message):
        """The customer's requests were read."""

        requests: list[CustomerRequest]

    def __init__(self, customer: CustomerRecord) -> None:
        super().__init__()
        self.customer = customer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal_line(self.customer.name, "bold"), classes="dialog-title")
            yield Static(customer_line(self.customer))
            yield Static(_("Requests (enter opens one)"), classes="section-title")
            yield DataTable(id="card-requests", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*map(_, HISTORY_COLUMNS))
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        self.post_message(self.Loaded(customer_history(self.app.services.engine, self.customer.id,
                                                       limit=50)))

    def on_customer_card_loaded(self, message: Loaded) -> None:
        table = self.query_one(DataTable)
        show_history(table, message.requests, self.app.services)
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.dismiss(int(event.row_key.value))

    def action_close(self) -> None:
        """Close the card."""
        self.dismiss(None)
