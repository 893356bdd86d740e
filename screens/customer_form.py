"""Adding or correcting a customer: name, phones, e-mails, address, checked as they are saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from console.i18n import _
from domain.errors import InvalidInput
from domain.text import one_line
from screens.db import error_text
from screens.inputs import SafeInput
from screens.keys import N_, TranslatedBindings
from screens.office import office_of
from screens.safe import literal_line
from storage.customers import CustomerRecord, add_customer, update_customer

_SPLIT = re.compile(r"[,;]")
FIELD_OF_ERROR = {"name": "name", "phone": "phones", "e-mail": "emails", "address": "address"}


def split_list(text: str) -> list[str]:
    """Several phones or e-mails typed in one box, separated by commas or semicolons."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _initial_values(initial: str) -> dict[str, str]:
    if "@" in initial:
        return {"emails": initial}
    if initial and re.fullmatch(r"[+\d(][\d\s()./-]*", initial):
        return {"phones": initial}
    return {"name": initial}


class CustomerForm(TranslatedBindings, ModalScreen[CustomerRecord | None]):
    """A dialog returning the saved customer, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog-cancel"),
                Binding("ctrl+s", "save", N_("Save"), id="dialog-save", priority=True)]

    @dataclass
    class Saved(Message):
        """The customer was written."""

        customer: CustomerRecord

    @dataclass
    class Refused(Message):
        """What was typed is not valid; `field` names where."""

        field: str | None
        error: str

    def __init__(self, *, customer: CustomerRecord | None = None, initial: str = "") -> None:
        super().__init__()
        self.customer = customer
        self.values = ({"name": customer.name, "phones": ", ".join(customer.phones),
                        "emails": ", ".join(customer.emails), "address": customer.address}
                       if customer else _initial_values(initial))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Edit customer") if self.customer else _("New customer"),
                         classes="dialog-title")
            for field, label in (("name", _("Name")), ("phones", _("Phones (comma between)")),
                                 ("emails", _("E-mails (comma between)")), ("address", _("Address"))):
                yield Label(label)
                yield SafeInput(one_line(self.values.get(field, "")), id=f"customer-{field}")
                yield Static("", id=f"customer-{field}-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), id="customer-save", variant="primary")
                yield Button(_("Cancel (esc)"), id="customer-cancel")

    def on_mount(self) -> None:
        empty = [i for i in self.query(Input) if not i.value]
        (empty[0] if empty else self.query_one("#customer-name", Input)).focus()

    @on(Button.Pressed, "#customer-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        """Check and save (in a worker)."""
        for error in self.query(".field-error"):
            error.update("")
        typed = {field: self.query_one(f"#customer-{field}", Input).value
                 for field in ("name", "phones", "emails", "address")}
        self._save(typed)

    @on(Button.Pressed, "#customer-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @work(thread=True, exit_on_error=False, group="customer-save")
    def _save(self, typed: dict[str, str]) -> None:
        services = self.app.services
        common = dict(now=services.now(), actor_id=services.agent.id, actor=services.agent.login,
                      name=typed["name"], phones=split_list(typed["phones"]),
                      emails=split_list(typed["emails"]), address=typed["address"],
                      region=office_of(services).region)
        try:
            if self.customer is None:
                saved = add_customer(services.engine, **common)
            else:
                saved = update_customer(services.engine, customer_id=self.customer.id, **common)
        except InvalidInput as exc:
            self.post_message(self.Refused(FIELD_OF_ERROR.get(exc.where or ""), error_text(exc)))
        except Exception as exc:  # the dialog stays open with everything typed
            self.post_message(self.Refused(None, error_text(exc)))
        else:
            self.post_message(self.Saved(saved))

    def on_customer_form_saved(self, message: Saved) -> None:
        self.dismiss(message.customer)

    def on_customer_form_refused(self, message: Refused) -> None:
        field = message.field or "name"
        self.query_one(f"#customer-{field}-error", Static).update(literal_line(message.error))
        if message.field:
            self.query_one(f"#customer-{field}", Input).focus()
