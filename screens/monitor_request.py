"""A request seen from the board: its state and history, and the supervisor's actions on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker

from console.i18n import _
from domain.monitor import deadline_state
from domain.roles import can_supervise
from screens.db import ReportsWorkerErrors
from screens.fmt import channel_name, local, status_name, type_name
from screens.keys import N_, TranslatedBindings
from screens.monitor_cells import STATE_STYLE, until
from screens.monitor_dialogs import (AnswerDialog, AnswerRequest, PriorityDialog, PriorityRequest,
                                     ReassignDialog, ReassignRequest)
from screens.monitor_tables import sync_rows
from screens.office import zone_of
from screens.safe import literal, literal_line
from storage.agents import list_agents
from storage.lifecycle import reassign_request
from storage.monitor_actions import answer_escalation, change_priority
from storage.monitor_queue import RoutingChoices, routing_choices
from storage.requests import request_detail

ACTIVITY_SHOWN = 30


@dataclass(frozen=True)
class RequestView:
    """What the screen shows and offers: the request, and where it could be moved."""

    detail: dict[str, Any]
    choices: RoutingChoices
    agents: list[tuple[int, str]]


class SupervisedRequestScreen(ReportsWorkerErrors, TranslatedBindings, Screen):
    """One request opened from a queue on the board: reassign, reprioritise, answer."""

    CSS_PATH = "monitor.tcss"
    AUTO_FOCUS = "#supervised-activity"
    BINDINGS = [
        Binding("a", "reassign", N_("Reassign"), id="supervised-reassign",
                tooltip=N_("Move the request to another category or agent")),
        Binding("p", "priority", N_("Priority"), id="supervised-priority",
                tooltip=N_("Change the priority; the deadlines are counted again")),
        Binding("e", "answer", N_("Answer escalation"), id="supervised-answer"),
        Binding("r", "reload", N_("Refresh"), id="supervised-refresh"),
        Binding("escape", "close", N_("Back to the queue"), id="supervised-close"),
    ]

    @dataclass
    class Loaded(Message):
        """The request was read."""

        view: RequestView

    @dataclass
    class Done(Message):
        """A supervisor's action was written; `note` says what happened."""

        note: str

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.view: RequestView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="supervised-body"):
            yield Static(id="supervised-summary")
            yield Static(_("History (newest first)"), classes="monitor-heading")
            yield DataTable(id="supervised-activity", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#supervised-activity", DataTable)
        for index, title in enumerate((_("When"), _("Who"), _("What"), _("Text"))):
            table.add_column(title, key=f"h{index}")
        self.load()

    @work(thread=True, exit_on_error=False, group="supervised-load")
    def load(self) -> None:
        """Read the request and the choices for moving it."""
        services = self.app.services
        now = services.now()
        agents = [(a.id, f"{a.login} – {a.name}" + (f" ({_('out of office')})" if a.away else ""))
                  for a in list_agents(services.engine, now=now) if a.active]
        self.post_message(self.Loaded(RequestView(request_detail(services.engine, self.number),
                                                  routing_choices(services.engine), agents)))

    def on_supervised_request_screen_loaded(self, message: Loaded) -> None:
        self.view = message.view
        self._show(message.view.detail)
        self.refresh_bindings()

    def _show(self, data: dict[str, Any]) -> None:
        services = self.app.services
        zone, now = zone_of(services), services.now()
        self.query_one("#supervised-summary", Static).update(summary(data, zone, now))
        rows = []
        for index, line in enumerate(reversed(data["activity"][-ACTIVITY_SHOWN:])):
            at = datetime.fromisoformat(line["at"])
            rows.append((f"{data['number']}-{len(data['activity']) - index}", [
                Text(local(at, zone, now)), literal_line(line["agent"] or ""),
                literal_line(line["kind"]), literal_line(line["body"])]))
        sync_rows(self.query_one("#supervised-activity", DataTable), rows)

    # --- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reassign", "priority", "answer"):
            agent = self.app.services.agent
            if self.view is None or agent is None or not can_supervise(agent.role):
                return False
            if action == "answer":
                return bool(self.view.detail["escalated"])
        return True

    def action_close(self) -> None:
        """Back to the queue."""
        self.app.pop_screen()

    def action_reload(self) -> None:
        """Read the request again."""
        self.load()

    def action_reassign(self) -> None:
        """Choose another category and/or agent, and why."""
        self.app.push_screen(ReassignDialog(self.number, self.view.choices.categories, self.view.agents),
                             self._reassign_chosen)

    def action_priority(self) -> None:
        """Choose another priority, and why."""
        self.app.push_screen(PriorityDialog(self.number, self.view.detail["priority"],
                                            self.view.choices.priorities), self._priority_chosen)

    def action_answer(self) -> None:
        """Answer the escalation."""
        self.app.push_screen(AnswerDialog(self.number), self._answer_chosen)

    def _reassign_chosen(self, choice: ReassignRequest | None) -> None:
        if choice is not None:
            self._write(lambda engine, agent_id, now: reassign_request(
                engine, number=self.number, agent_id=agent_id, now=now, reason=choice.reason,
                category_id=choice.category_id, to_agent_id=choice.agent_id),
                _("Request {number} reassigned"))

    def _priority_chosen(self, choice: PriorityRequest | None) -> None:
        if choice is not None:
            self._write(lambda engine, agent_id, now: change_priority(
                engine, number=self.number, priority=choice.priority, reason=choice.reason,
                agent_id=agent_id, now=now), _("Priority of request {number} changed"))

    def _answer_chosen(self, choice: AnswerRequest | None) -> None:
        if choice is not None:
            self._write(lambda engine, agent_id, now: answer_escalation(
                engine, number=self.number, answer=choice.answer, agent_id=agent_id, now=now,
                hand_back=choice.hand_back), _("Escalation of request {number} answered"))

    @work(thread=True, exit_on_error=False, group="supervised-write")
    def _write(self, write, note: str) -> None:
        services = self.app.services
        write(services.engine, services.agent.id, services.now())
        self.post_message(self.Done(note.format(number=self.number)))

    def on_supervised_request_screen_done(self, message: Done) -> None:
        self.notify(message.note, markup=False)
        self.load()

    def worker_failed(self, worker: Worker) -> None:
        self.load()  # show what is really stored after a refused change


def summary(data: dict[str, Any], zone, now: datetime) -> Text:
    """The request's state in a few lines; everything typed by people shown literally."""
    text = Text()
    text.append(_("Request {number}").format(number=data["number"]), style="bold")
    text.append(f"  {status_name(data['status'])}")
    for flag, on in ((_("complaint"), data["complaint"]), (_("escalated"), data["escalated"])):
        if on:
            text.append(f"  {flag}", style="bold yellow")
    text.append("\n" + _("Subject") + ": ", style="bold")
    text.append_text(literal_line(data["subject"]))
    text.append("\n" + _("Type") + ": ", style="bold")
    text.append(f"{type_name(data['type'])} · {channel_name(data['channel'])}")
    text.append("\n" + _("Category") + ": ", style="bold")
    text.append_text(literal_line(data["category"] or _("(uncategorised)")))
    text.append("\n" + _("Agent") + ": ", style="bold")
    text.append_text(literal_line(data["assigned_agent"] or _("in the queue")))
    text.append("\n" + _("Priority") + ": ", style="bold")
    text.append(data["priority"] or _("none"))
    paused = data["status"] == "pending_customer"
    for label, key in ((_("Response due"), "response_due_at"), (_("Resolution due"), "resolution_due_at")):
        due = datetime.fromisoformat(data[key]) if data[key] else None
        text.append("\n" + label + ": ", style="bold")
        style = STATE_STYLE[deadline_state(due, now, paused=paused)]
        text.append(f"{local(due, zone, now)} ({until(due, now)})" if due else "—", style=style)
    if data.get("customer"):
        text.append("\n" + _("Customer") + ": ", style="bold")
        text.append_text(literal_line(data["customer"]["name"]))
    if data["notes"]:
        text.append("\n" + _("Notes") + ":\n", style="bold")
        text.append_text(literal(data["notes"]))
    return text
