"""The work order of an action request: link to an open one for the same problem and place,
or create one from the template."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from console.i18n import _
from screens.db import ReportsWorkerErrors
from screens.fmt import local
from screens.office import zone_of
from screens.safe import literal_line
from screens.tables import fill, selected_key
from storage.work_orders import WorkOrderRecord, open_work_orders_like


class WorkOrderPanel(ReportsWorkerErrors, Vertical):
    """Shows open work orders like this one before a new one is made."""

    @dataclass
    class SimilarFound(Message):
        """Open work orders for the problem code at the address."""

        key: tuple[int, str]
        orders: list[WorkOrderRecord]

    @dataclass
    class LinkWanted(Message):
        """The agent wants the request linked to this work order."""

        work_order_id: int

    @dataclass
    class CreateWanted(Message):
        """The agent wants a new work order made from the template."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.linked: WorkOrderRecord | None = None
        self._key: tuple[int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Work order"), classes="section-title")
        yield Static(_("Choose a problem code and an address first."), id="work-order-state")
        yield Static(_("Open work orders for this problem at this address — enter links to one:"),
                     id="similar-title", classes="-hidden")
        yield DataTable(id="similar-orders", cursor_type="row", classes="-hidden")
        with Horizontal(id="work-order-buttons"):
            yield Button(_("Create work order"), id="create-work-order", variant="primary",
                         disabled=True, compact=True)
            yield Button(_("Link to selected"), id="link-work-order", disabled=True, compact=True)

    def on_mount(self) -> None:
        self.query_one("#similar-orders", DataTable).add_columns(
            _("Work order"), _("Title"), _("Opened"), _("Open requests linked"))

    def show_linked(self, order: WorkOrderRecord | None) -> None:
        """Show the work order the request is linked to (None: not linked yet)."""
        self.linked = order
        if order is not None:
            text = Text(_("Linked to work order {id}: ").format(id=order.id), style="bold")
            text.append_text(literal_line(order.title))
            requests = ", ".join(map(str, order.open_requests))
            text.append("  " + _("open requests: {numbers}").format(numbers=requests), style="dim")
            self.query_one("#work-order-state", Static).update(text)
        self._buttons()

    def look_for_similar(self, problem_code_id: int | None, address: str) -> None:
        """Find open work orders for this problem at this address (when both are known)."""
        if self.linked is not None:
            return
        state = self.query_one("#work-order-state", Static)
        if problem_code_id is None or not address.strip():
            self._key = None
            state.update(_("Choose a problem code and an address first."))
            self._show_similar([])
            return
        self._key = (problem_code_id, address.strip())
        state.update(_("No work order yet."))
        self._similar(self._key)

    @work(thread=True, exit_on_error=False, exclusive=True, group="similar-orders")
    def _similar(self, key: tuple[int, str]) -> None:
        orders = open_work_orders_like(self.app.services.engine, problem_code_id=key[0], address=key[1])
        self.post_message(self.SimilarFound(key, orders))

    def on_work_order_panel_similar_found(self, message: SimilarFound) -> None:
        message.stop()
        if message.key == self._key and self.linked is None:
            self._show_similar(message.orders)

    def _show_similar(self, orders: list[WorkOrderRecord]) -> None:
        services = self.app.services
        zone, now = zone_of(services), services.now()
        table = self.query_one("#similar-orders", DataTable)
        fill(table, [(str(o.id), [literal_line(str(o.id)), literal_line(o.title),
                                  literal_line(local(o.created_at, zone, now)),
                                  literal_line(", ".join(map(str, o.open_requests)))])
                     for o in orders])
        hidden = not orders or self.linked is not None
        table.set_class(hidden, "-hidden")
        self.query_one("#similar-title", Static).set_class(hidden, "-hidden")
        self._buttons()

    def _buttons(self) -> None:
        linked = self.linked is not None
        self.query_one("#create-work-order", Button).disabled = linked or self._key is None
        self.query_one("#link-work-order", Button).disabled = (
            linked or not self.query_one("#similar-orders", DataTable).row_count)
        if linked:
            self.query_one("#similar-orders", DataTable).add_class("-hidden")
            self.query_one("#similar-title", Static).add_class("-hidden")

    @on(Button.Pressed, "#create-work-order")
    def _create(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CreateWanted())

    @on(Button.Pressed, "#link-work-order")
    def _link_button(self, event: Button.Pressed) -> None:
        event.stop()
        key = selected_key(self.query_one("#similar-orders", DataTable))
        if key is not None:
            self.post_message(self.LinkWanted(int(key)))

    @on(DataTable.RowSelected, "#similar-orders")
    def _link_row(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.LinkWanted(int(event.row_key.value)))
