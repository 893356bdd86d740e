"""Text boxes for request fields.

They never hold raw control characters (an escape sequence pasted in, or stored by
another channel such as e-mail, would otherwise be drawn straight to the terminal), and
they report each edit to their screen at once (`field_typed`), in the same step that
changes the text: so the "saved" indicator can never be on screen next to text that is
not saved yet, as it could while a Changed message is still on its way.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input, TextArea

from domain.text import one_line, printable


class _ReportsEdits:
    """Mixin: tell `screen.field_typed(widget, text)` about every edit but loads."""

    _loading = False

    def _report(self, text: str) -> None:
        typed = getattr(self.screen, "field_typed", None) if self.is_attached else None
        if typed is not None and not self._loading:
            typed(self, text)


class SafeInput(_ReportsEdits, Input):
    """A one-line box; pasted or loaded control characters are shown as `\\xNN`."""

    def load(self, text: str | None) -> None:
        """Show stored text; it is not reported as an edit."""
        self._loading = True
        try:
            self.value = one_line(text or "")
        finally:
            self._loading = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, Input.Changed):
            self._report(message.value)
        return super().post_message(message)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual then runs Input's own paste handler (handlers run along the MRO) on the
        # cleaned text; calling it here too would paste twice.
        event.text = one_line(event.text.splitlines()[0]) if event.text else ""


class SafeTextArea(_ReportsEdits, TextArea):
    """A multi-line box; pasted or loaded control characters are shown as `\\xNN`."""

    def load(self, text: str | None) -> None:
        """Show stored text; it is not reported as an edit."""
        self._loading = True
        try:
            self.text = printable(text or "")
        finally:
            self._loading = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, TextArea.Changed):
            self._report(self.text)
        return super().post_message(message)

    def _on_paste(self, event: events.Paste) -> None:
        event.text = printable(event.text)  # then TextArea's own handler pastes it
