"""The top of the request form: the number in big digits, channel, type, status, deadline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Digits, Static

from console.i18n import _
from domain.records import RequestRecord
from screens.draft import DraftEvent, DraftState
from screens.fmt import channel_name, local, status_name, type_name
from screens.keys import N_
from screens.office import zone_of
from screens.safe import literal_line

STATE_TEXT = {DraftState.OPENING: N_("opening…"), DraftState.SAVED: N_("saved"),
              DraftState.PENDING: N_("typing…"), DraftState.SAVING: N_("saving…"),
              DraftState.FAILED: N_("NOT SAVED")}


def deadline_text(record: RequestRecord) -> str:
    """The deadline with its explanation, as routing worked it out (empty when none)."""
    story = record.deadline_explanation
    explained = story.get("text") if isinstance(story, dict) else (story if isinstance(story, str) else "")
    return explained or ""


class RequestHeader(Widget):
    """Number to read to the caller, and the request's state at a glance."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Digits("…", id="request-number")
            with Vertical(id="request-facts"):
                yield Static("", id="request-line")
                yield Static("", id="request-deadline")
                yield Static("", id="request-save-state")

    def show_record(self, record: RequestRecord) -> None:
        """Show the request as last saved."""
        services = self.app.services
        self.query_one("#request-number", Digits).update(str(record.number))
        line = Text()
        line.append(_("Channel") + ": ", style="dim")
        line.append(channel_name(record.channel) + " (F4)   ", style="bold")
        line.append(_("Type") + ": ", style="dim")
        line.append(type_name(record.type) + " (F7/F8/F9)   ", style="bold")
        line.append(_("Status") + ": ", style="dim")
        line.append(status_name(record.status) + "   ", style="bold")
        line.append(_("Opened") + ": ", style="dim")
        line.append(local(record.created_at, zone_of(services), services.now()))
        if record.complaint:
            line.append("   " + _("COMPLAINT"), style="bold red")
        self.query_one("#request-line", Static).update(line)
        deadline = self.query_one("#request-deadline", Static)
        if record.resolution_due_at:
            text = Text(_("Due") + ": ", style="dim")
            text.append(local(record.resolution_due_at, zone_of(services), services.now()),
                        style="bold")
            text.append("  ")
            text.append_text(literal_line(deadline_text(record)))
            deadline.update(text)
        else:
            deadline.update(literal_line(deadline_text(record)))

    def show_state(self, event: DraftEvent) -> None:
        """Show whether everything typed is saved."""
        text = Text(_(STATE_TEXT[event.state]),
                    style="bold red" if event.state is DraftState.FAILED else "dim")
        if event.error:
            text.append("  ")
            text.append_text(literal_line(event.error, "red"))
        state = self.query_one("#request-save-state", Static)
        state.update(text)
        state.set_class(event.state is DraftState.FAILED, "-failed")
