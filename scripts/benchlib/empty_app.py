"""The baseline for console start: an empty Textual app that paints one line of text."""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class EmptyApp(App[None]):
    """Nothing but the text the benchmark waits for."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text)


if __name__ == "__main__":
    EmptyApp(sys.argv[1] if len(sys.argv) > 1 else "ready").run()
