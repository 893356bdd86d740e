"""The request form of a live call: saved first, saved as typed, sections by request type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Footer, Header, Input, Label, Static, TextArea

from console.i18n import _
from domain.records import RequestRecord
from domain.requests import OPEN_STATUSES, Channel
from screens.db import ReportsWorkerErrors
from screens.draft import DraftEvent, RequestDraft
from screens.fields import FieldEdited, field_of
from screens.inputs import SafeInput, SafeTextArea
from screens.intake_lifecycle import LifecycleActions, LifecycleDone
from screens.keys import N_, TranslatedBindings
from screens.request_header import RequestHeader
from screens.section_action import ActionSection
from screens.section_comment import CommentSection
from screens.section_information import InformationSection
from storage.intake import IntakeView, intake_view

CHANNELS = [c.value for c in Channel]
TYPE_ACTIONS = {"information": "type_information", "action": "type_action", "comment": "type_comment"}
LIFECYCLE = {"resolve", "pend", "resume", "reassign", "escalate", "reopen"}
TYPE_KEYS = Binding.Group(N_("Type"), compact=True)
SECTIONS = {"information": InformationSection, "action": ActionSection, "comment": CommentSection}


class IntakeScreen(LifecycleActions, ReportsWorkerErrors, TranslatedBindings, Screen):
    """One request on screen; `number` is None until save-first has committed it."""

    CSS_PATH = "intake.tcss"
    BINDINGS = [
        Binding("f4", "next_channel", N_("Channel"), id="intake-channel", priority=True,
                tooltip=N_("Next contact channel: phone, e-mail, fax, web, …")),
        Binding("f7", "type_information", N_("Information"), id="type-information", priority=True,
                group=TYPE_KEYS),
        Binding("f8", "type_action", N_("Action"), id="type-action", priority=True, group=TYPE_KEYS),
        Binding("f9", "type_comment", N_("Comment"), id="type-comment", priority=True,
                group=TYPE_KEYS),
        Binding("ctrl+t", "answered", N_("Answered with this"), id="intake-answered",
                tooltip=N_("The article in the reader answered the caller")),
        # Keys that move the cursor are priority bindings: they act while the key is being
        # dispatched, so what is typed right after them lands in the new place.
        Binding("ctrl+f", "find_customer", N_("Find customer"), id="intake-find-customer",
                priority=True),
        Binding("ctrl+l", "problem_code", N_("Problem code"), id="intake-problem-code",
                priority=True),
        Binding("ctrl+r", "resolve", N_("Resolve"), id="intake-resolve"),
        Binding("ctrl+r", "reopen", N_("Reopen"), id="intake-reopen"),
        Binding("ctrl+o", "pend", N_("Ask customer"), id="intake-pend",
                tooltip=N_("Ask the customer a question and wait (the deadline clock stops)")),
        Binding("ctrl+o", "resume", N_("Customer answered"), id="intake-resume"),
        Binding("ctrl+g", "reassign", N_("Reassign"), id="intake-reassign"),
        Binding("ctrl+s", "save_now", N_("Save now"), id="intake-save", show=False),
        Binding("escape", "back", N_("Desk"), id="intake-back"),
    ]

    @dataclass
    class Loaded(Message):
        """The request and what hangs off it were read."""

        view: IntakeView

    def __init__(self, draft: RequestDraft) -> None:
        super().__init__()
        self.draft = draft
        self.record: RequestRecord | None = None
        self.view: IntakeView | None = None
        """The request as last read whole (sections fill themselves from it when built)."""
        self.request_type: str | None = None
        self.channel = Channel.PHONE.value

    @property
    def number(self) -> int | None:
        """The request number, once committed."""
        return self.draft.number

    def compose(self) -> ComposeResult:
        yield Header()
        yield RequestHeader(id="request-header")
        with VerticalScroll(id="intake-body"):
            with Horizontal(id="subject-row"):
                yield Label(_("Subject"), id="subject-label")
                yield SafeInput(id="field-subject", compact=True,
                                placeholder=_("what the caller wants, in a few words"))
            with ContentSwitcher(initial="no-type", id="sections"):
                # A type's section is built when the type is first chosen (see _show_type).
                yield Static(_("Choose the type: F7 information · F8 action · F9 comment. "
                               "Subject and notes are saved meanwhile."), id="no-type")
            yield Label(_("Notes"), id="notes-label")
            yield SafeTextArea(id="field-notes", classes="notes", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#request-header", RequestHeader).show_state(DraftEvent(self.draft.state))
        self.draft.listen(self._draft_changed)
        if self.draft.number is not None:
            self._load(self.draft.number)
        self.set_focus(self.query_one("#field-subject", Input))

    def on_unmount(self) -> None:
        self.draft.close()

    # --- loading and saving ----------------------------------------------------------

    @work(thread=True, exit_on_error=False, exclusive=True, group="intake-load")
    def _load(self, number: int) -> None:
        self.post_message(self.Loaded(intake_view(self.app.services.engine, number)))

    def on_intake_screen_loaded(self, message: Loaded) -> None:
        view = self.view = message.view
        with self.prevent(Input.Changed, TextArea.Changed):
            self.query_one("#field-subject", SafeInput).load(view.record.subject)
            self.query_one("#field-notes", SafeTextArea).load(view.record.notes)
        for section in self.query_one("#sections").query_children(".type-section"):
            section.show(view)
        self._show_record(view.record)

    def _show_record(self, record: RequestRecord) -> None:
        # Called after every autosave: redraw only what changed, typing must stay fluid.
        before, self.record = self.record, record
        shown = ("number", "channel", "type", "status", "complaint", "resolution_due_at",
                 "deadline_explanation", "escalated")
        if before is not None and all(getattr(before, k) == getattr(record, k) for k in shown):
            return
        self.sub_title = _("Current request {number}").format(number=record.number) + (
            f" · {self.app.sub_title}" if self.app.sub_title else "")
        self.channel = self.draft.pending.get("channel", record.channel)
        self._show_type(self.draft.pending.get("type", record.type))
        self.query_one("#request-header", RequestHeader).show_record(record)
        closed = record.status not in OPEN_STATUSES
        if before is None or (before.status not in OPEN_STATUSES) != closed:
            self.query_one("#intake-body").disabled = closed
        self.refresh_bindings()

    def _draft_changed(self, event: DraftEvent) -> None:
        if not self.is_mounted:
            return
        self.query_one("#request-header", RequestHeader).show_state(event)
        if event.record is not None:
            self._show_record(event.record)

    def _edit(self, field: str, value: Any, *, now: bool = False) -> None:
        self.draft.edit(field, value, now=now)

    def field_typed(self, widget: Widget, text: str) -> None:
        """A request field's box changed (called by the box itself, see screens.inputs)."""
        field = field_of(widget.id)
        if field is not None:
            self._edit(field, text)

    @on(FieldEdited)
    def _field_edited(self, message: FieldEdited) -> None:
        message.stop()
        self._edit(message.field, message.value, now=message.now)

    def on_descendant_blur(self) -> None:
        self.draft.flush()  # leaving a field saves it without waiting

    # --- type and channel ----------------------------------------------------------------

    def _show_type(self, request_type: str | None) -> None:
        if request_type == self.request_type and self.is_mounted and self.record is not None:
            return
        self.request_type = request_type
        switcher = self.query_one("#sections", ContentSwitcher)
        if request_type and not switcher.query_children(f"#{request_type}"):
            switcher.mount(SECTIONS[request_type](id=request_type, classes="type-section"))
        switcher.current = request_type or "no-type"
        self.query_one("#notes-label", Label).update(
            _("Comment (as the caller said it)") if request_type == "comment" else _("Notes"))
        self.refresh_bindings()

    def _set_type(self, request_type: str) -> None:
        if request_type != self.request_type:
            self._edit("type", request_type, now=True)
            self._show_type(request_type)

    async def action_type_information(self) -> None:
        """The caller wants to know something: the cursor goes to the knowledge-base search."""
        self._set_type("information")
        await self.query_one(InformationSection).focus_search()

    def action_type_action(self) -> None:
        """The caller needs work done."""
        self._set_type("action")

    def action_type_comment(self) -> None:
        """The caller praises, remarks or complains."""
        self._set_type("comment")

    def action_next_channel(self) -> None:
        """Switch to the next contact channel."""
        self.channel = CHANNELS[(CHANNELS.index(self.channel) + 1) % len(CHANNELS)]
        self._edit("channel", self.channel, now=True)
        if self.record is not None:
            self.query_one("#request-header", RequestHeader).show_record(
                replace(self.record, channel=self.channel, type=self.request_type))

    # --- the rest of the keys ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        editable = self.record is None or self.record.status in OPEN_STATUSES
        if action in TYPE_ACTIONS.values() or action == "next_channel":
            return editable
        if action == "answered":
            return editable and self.request_type == "information"
        if action in ("find_customer", "problem_code"):
            return editable and self.request_type == "action"
        if action in LIFECYCLE:
            return self.lifecycle_allowed(action)
        return True

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Actions without a key of their own, offered in the command palette."""
        if self.lifecycle_allowed("escalate"):
            yield SystemCommand(_("Escalate to the supervisors"),
                                _("Send this request to the supervisors' queue, saying why"),
                                self.action_escalate)

    def action_answered(self) -> None:
        """The article in the reader answered the caller."""
        self.query_one(InformationSection).mark_answered()

    def action_find_customer(self) -> None:
        """Search for the caller by phone, e-mail or name."""
        self.query_one(ActionSection).focus_customer()

    def action_problem_code(self) -> None:
        """Choose the problem code."""
        self.query_one(ActionSection).choose_problem()

    def action_save_now(self) -> None:
        """Save what is typed without waiting."""
        self.draft.flush()

    def action_back(self) -> None:
        """Back to the desk (typing is saved on the way)."""
        self.draft.flush()
        self.app.pop_screen()

    def resolution_note(self) -> str:
        """The resolution note as typed."""
        boxes = self.query("#field-resolution-note")
        if boxes:
            return boxes.first(Input).value.strip()
        return self.record.resolution_note.strip() if self.record else ""

    def focus_resolution_note(self) -> None:
        """Put the cursor in the resolution note."""
        self.query_one("#field-resolution-note", Input).focus()

    def on_lifecycle_done(self, message: LifecycleDone) -> None:
        self.notify(self.lifecycle_done_text(message), markup=False)
        if message.action in ("resolve", "pend", "reassign", "escalate"):
            self.app.pop_screen()
        else:
            self._load(message.record.number)

    def on_action_section_work_order_linked(self) -> None:
        self._load(self.number)
