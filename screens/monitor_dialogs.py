"""Small dialogs of the board: out of office, reassign, change priority, answer an escalation.

Each returns what was chosen (or None when cancelled); the screen that opened it writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from console.i18n import _
from domain.errors import InvalidInput
from domain.office_time import parse_local_end
from screens.keys import N_, TranslatedBindings
from screens.office import zone_of
from screens.safe import literal_line


@dataclass(frozen=True)
class AwayRequest:
    """Mark `login` out of office from now until `ends_at` (None: until set back)."""

    login: str
    reason: str
    ends_at: datetime | None


@dataclass(frozen=True)
class ReassignRequest:
    """Move a request to a category and/or an agent, saying why."""

    category_id: int | None
    agent_id: int | None
    reason: str


@dataclass(frozen=True)
class PriorityRequest:
    """Give a request another priority, saying why."""

    priority: str
    reason: str


@dataclass(frozen=True)
class AnswerRequest:
    """The supervisor's answer to an escalation, and whether it goes back to the agent."""

    answer: str
    hand_back: bool


class _Dialog(TranslatedBindings, ModalScreen):
    """A dialog with OK (ctrl+s or Enter in a field) and Cancel (Esc), and an error line."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog-cancel"),
                Binding("ctrl+s", "ok", N_("OK"), id="dialog-ok", priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text(), classes="dialog-title")
            yield from self.fields()
            yield Static("", id="dialog-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK (ctrl+s)"), id="dialog-ok", variant="primary")
                yield Button(_("Cancel (esc)"), id="dialog-cancel")

    def title_text(self):
        """The dialog's heading."""
        return ""

    def fields(self) -> ComposeResult:
        """The dialog's own widgets."""
        yield from ()

    def result(self):
        """What to return; raise InvalidInput to keep the dialog open with a message."""
        raise NotImplementedError

    @on(Button.Pressed, "#dialog-ok")
    @on(Input.Submitted)
    def action_ok(self) -> None:
        """Check what was typed and close with it."""
        try:
            chosen = self.result()
        except InvalidInput as exc:
            self.query_one("#dialog-error", Static).update(literal_line(str(exc), "bold red"))
            return
        self.dismiss(chosen)

    @on(Button.Pressed, "#dialog-cancel")
    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)

    def _text(self, selector: str, where: str) -> str:
        value = self.query_one(selector, Input).value.strip()
        if not value:
            raise InvalidInput(_("please fill this in"), where=where)
        return value


class AwayDialog(_Dialog):
    """Out of office from now: why, and until when (empty: until set back)."""

    def __init__(self, login: str, name: str) -> None:
        super().__init__()
        self.login, self.agent_name = login, name

    def title_text(self):
        return literal_line(_("{name} ({login}) out of office").format(name=self.agent_name, login=self.login))

    def fields(self) -> ComposeResult:
        yield Label(_("Reason"))
        yield Input(id="away-reason", placeholder=_("sick, leave, training …"))
        yield Label(_("Until (office time: 2026-12-01 or 2026-12-01 14:00; empty: until set back)"))
        yield Input(id="away-until")

    def result(self) -> AwayRequest:
        reason = self.query_one("#away-reason", Input).value.strip()
        ends = parse_local_end(self.query_one("#away-until", Input).value,
                               zone_of(self.app.services), where=_("Until"))
        if ends is not None and ends <= self.app.services.now():
            raise InvalidInput(_("is already past"), where=_("Until"))
        return AwayRequest(self.login, reason, ends)


class ReassignDialog(_Dialog):
    """Another category (its assignment mode picks who) and/or an agent, and why."""

    def __init__(self, number: int, categories: list[tuple[int, str]],
                 agents: list[tuple[int, str]]) -> None:
        super().__init__()
        self.number, self.categories, self.agents = number, categories, agents

    def title_text(self):
        return _("Reassign request {number}").format(number=self.number)

    def fields(self) -> ComposeResult:
        yield Label(_("Category (keep: leave empty)"))
        yield Select([(path, cid) for cid, path in self.categories], id="reassign-category",
                     prompt=_("keep the category"))
        yield Label(_("Agent (empty: the category's assignment decides)"))
        yield Select([(label, aid) for aid, label in self.agents], id="reassign-agent",
                     prompt=_("no one in particular"))
        yield Label(_("Reason"))
        yield Input(id="reassign-reason")

    def result(self) -> ReassignRequest:
        category = self.query_one("#reassign-category", Select).value
        agent = self.query_one("#reassign-agent", Select).value
        category = None if category is Select.NULL else category
        agent = None if agent is Select.NULL else agent
        if category is None and agent is None:
            raise InvalidInput(_("choose a category or an agent"), where=_("Reassign"))
        return ReassignRequest(category, agent, self._text("#reassign-reason", _("Reason")))


class PriorityDialog(_Dialog):
    """A new priority, and why; the deadlines are counted again."""

    def __init__(self, number: int, current: str | None, priorities: list[tuple[str, int]]) -> None:
        super().__init__()
        self.number, self.current, self.priorities = number, current, priorities

    def title_text(self):
        return _("Priority of request {number} (now: {current})").format(
            number=self.number, current=self.current or _("none"))

    def fields(self) -> ComposeResult:
        yield Label(_("Priority"))
        yield Select([(code, code) for code, _rank in self.priorities if code != self.current],
                     id="priority-code", prompt=_("choose"))
        yield Label(_("Reason"))
        yield Input(id="priority-reason")

    def result(self) -> PriorityRequest:
        code = self.query_one("#priority-code", Select).value
        if code is Select.NULL:
            raise InvalidInput(_("choose one"), where=_("Priority"))
        return PriorityRequest(code, self._text("#priority-reason", _("Reason")))


class AnswerDialog(_Dialog):
    """The answer to an escalation; by default the request goes back to who escalated it."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number

    def title_text(self):
        return _("Answer the escalation of request {number}").format(number=self.number)

    def fields(self) -> ComposeResult:
        yield Label(_("Answer"))
        yield TextArea(id="answer-text")
        yield Label(_("Where it goes next"))
        yield Select([(_("back to the agent and category it came from"), True),
                      (_("stays with the supervisors"), False)], id="answer-back",
                     value=True, allow_blank=False)

    def result(self) -> AnswerRequest:
        answer = self.query_one("#answer-text", TextArea).text.strip()
        if not answer:
            raise InvalidInput(_("please fill this in"), where=_("Answer"))
        return AnswerRequest(answer, bool(self.query_one("#answer-back", Select).value))
