"""The comment section: what the comment is about, and whether it praises or complains."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, RadioButton, RadioSet, Static

from console.i18n import _
from screens.fields import FieldEdited
from screens.keys import N_
from storage.intake import IntakeView

ABOUT = {"employee": N_("an employee"), "office": N_("the office"), "service": N_("a service"),
         "other": N_("something else")}
KIND = {"compliment": N_("compliment"), "complaint": N_("complaint"), "remark": N_("remark")}


class CommentSection(Vertical):
    """Praise, remarks and complaints: recorded, and complaints flagged for supervisors."""

    def compose(self) -> ComposeResult:
        yield Static(_("Comment"), classes="section-title")
        yield Static(_("Write the comment itself in Notes below."), classes="hint")
        with Horizontal(classes="comment-choices"):
            with Vertical():
                yield Label(_("What is it about?"))
                with RadioSet(id="comment-about"):
                    for key, name in ABOUT.items():
                        yield RadioButton(_(name), id=f"about-{key}")
            with Vertical():
                yield Label(_("Compliment or complaint?"))
                with RadioSet(id="comment-kind"):
                    for key, name in KIND.items():
                        yield RadioButton(_(name), id=f"kind-{key}")
        yield Static("", id="complaint-flag")

    def on_mount(self) -> None:
        if self.screen.view is not None:
            self.call_after_refresh(self.show, self.screen.view)

    def show(self, view: IntakeView) -> None:
        """Show the saved choices (without reporting them as edits)."""
        record = view.record
        with self.prevent(RadioSet.Changed):
            for prefix, value in (("about", record.comment_about), ("kind", record.comment_kind)):
                if value:
                    self.query_one(f"#{prefix}-{value}", RadioButton).value = True
        self._flag(record.complaint)

    @on(RadioSet.Changed, "#comment-about")
    def _about(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.post_message(FieldEdited("comment_about", event.pressed.id.removeprefix("about-"),
                                      now=True))

    @on(RadioSet.Changed, "#comment-kind")
    def _kind(self, event: RadioSet.Changed) -> None:
        event.stop()
        kind = event.pressed.id.removeprefix("kind-")
        self.post_message(FieldEdited("comment_kind", kind, now=True))
        self.post_message(FieldEdited("complaint", kind == "complaint", now=True))
        self._flag(kind == "complaint")

    def _flag(self, complaint: bool) -> None:
        flag = self.query_one("#complaint-flag", Static)
        flag.update(_("Complaint: flagged for the supervisors.") if complaint else "")
        flag.set_class(complaint, "-complaint")
