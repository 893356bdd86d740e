"""Text boxes that never hold raw control characters: an escape sequence pasted in, or
stored by another channel (e-mail), would otherwise be drawn straight to the terminal."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from domain.text import one_line, printable


class SafeInput(Input):
    """A one-line box; pasted or loaded control characters are shown as `\\xNN`."""

    def load(self, text: str | None) -> None:
        """Show stored text (the caller prevents the Changed message when it must)."""
        self.value = one_line(text or "")

    def _on_paste(self, event: events.Paste) -> None:
        # Textual then runs Input's own paste handler (handlers run along the MRO) on the
        # cleaned text; calling it here too would paste twice.
        event.text = one_line(event.text.splitlines()[0]) if event.text else ""


class SafeTextArea(TextArea):
    """A multi-line box; pasted or loaded control characters are shown as `\\xNN`."""

    def load(self, text: str | None) -> None:
        """Show stored text (the caller prevents the Changed message when it must)."""
        self.text = printable(text or "")

    def _on_paste(self, event: events.Paste) -> None:
        event.text = printable(event.text)  # then TextArea's own handler pastes it
