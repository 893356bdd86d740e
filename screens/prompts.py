"""Small dialogs: one line of text (a question, a reason), and where to hand a request over."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from console.i18n import _
from screens.db import ReportsWorkerErrors
from screens.inputs import SafeInput
from screens.keys import N_, TranslatedBindings
from screens.safe import literal_line
from storage.desk import HandOverTargets, hand_over_targets


class TextPrompt(TranslatedBindings, ModalScreen[str | None]):
    """Asks for one line of text; returns it, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog-cancel")]

    def __init__(self, title: str, label: str, *, initial: str = "", required: bool = True) -> None:
        super().__init__()
        self.title_text, self.label, self.initial, self.required = title, label, initial, required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Label(self.label)
            yield SafeInput(self.initial, id="prompt-text")
            yield Static("", id="prompt-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK (enter)"), id="prompt-ok", variant="primary")
                yield Button(_("Cancel (esc)"), id="prompt-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#prompt-ok")
    def _ok(self) -> None:
        text = self.query_one("#prompt-text", Input).value.strip()
        if self.required and not text:
            self.query_one("#prompt-error", Static).update(_("Please write something."))
            return
        self.dismiss(text)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)


class HandOverDialog(ReportsWorkerErrors, TranslatedBindings,
                     ModalScreen[tuple[int | None, int | None, str] | None]):
    """Asks where to reassign a request: a category and/or an agent, and why."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog-cancel")]

    class Loaded(Message):
        """The categories and agents were read."""

        def __init__(self, targets: HandOverTargets) -> None:
            super().__init__()
            self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Reassign the request"), classes="dialog-title")
            yield Label(_("To the queue"))
            yield Select([], id="hand-category", prompt=_("(keep the queue)"))
            yield Label(_("To the agent"))
            yield Select([], id="hand-agent", prompt=_("(whoever the queue picks)"))
            yield Label(_("Why (kept in the history)"))
            yield SafeInput(id="hand-reason")
            yield Static("", id="hand-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Reassign"), id="hand-ok", variant="primary")
                yield Button(_("Cancel (esc)"), id="hand-cancel")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        self.post_message(self.Loaded(hand_over_targets(self.app.services.engine)))

    def on_hand_over_dialog_loaded(self, message: Loaded) -> None:
        self.query_one("#hand-category", Select).set_options(
            (literal_line(path), cid) for cid, path in message.targets.categories)
        self.query_one("#hand-agent", Select).set_options(
            (literal_line(f"{name} ({login})"), aid) for aid, login, name in message.targets.agents)
        self.query_one("#hand-category", Select).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#hand-ok")
    def _ok(self) -> None:
        category = self.query_one("#hand-category", Select).value
        agent = self.query_one("#hand-agent", Select).value
        reason = self.query_one("#hand-reason", Input).value.strip()
        category = None if category is Select.NULL else category
        agent = None if agent is Select.NULL else agent
        error = self.query_one("#hand-error", Static)
        if category is None and agent is None:
            error.update(_("Choose a queue or an agent."))
        elif not reason:
            error.update(_("Say why."))
            self.query_one("#hand-reason", Input).focus()
        else:
            self.dismiss((category, agent, reason))

    @on(Button.Pressed, "#hand-cancel")
    def action_cancel(self) -> None:
        """Close without reassigning."""
        self.dismiss(None)
