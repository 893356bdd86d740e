"""Killing the real console mid-call and checking that nothing it showed or saved was lost.

One round: start `python -m console.cli` in a pseudo-terminal, sign in, press F2 (save
first), type a subject and notes key by key (sometimes F2 again for a second call), and
SIGKILL the process at a random moment. Then read the database: every request number
the screen showed must exist; every keystroke typed at least `autosave + grace` before
the kill must be saved (the saved text must begin with everything typed up to then);
`PRAGMA integrity_check` must say ok.
"""

from __future__ import annotations

import random
import sqlite3
import string
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

from storage.agents import add_agent
from storage.engine import make_engine

from .terminal import Terminal

LOGIN, PASSWORD = "crash-agent", "crash-password"
SIGN_IN_TEXT = "Sign in to the console"
DESK_TEXT = "Current request"
ALPHABET = string.ascii_letters + string.digits + "    ąęłóśżźćń"


def _glyphs() -> dict[tuple[str, str, str], str]:
    table = {}
    for source in (DIGITS3X3, DIGITS3X3_BOLD):
        for index, char in enumerate(DIGITS):
            if char.isdigit():
                rows = tuple(source[index * 3 + r].ljust(3)[:3] for r in range(3))
                table[rows] = char
    return table


GLYPHS = _glyphs()


def shown_numbers(screen_lines: list[str]) -> set[int]:
    """Numbers drawn in Textual's big `Digits` anywhere on the screen."""
    found = set()
    for top in range(len(screen_lines) - 2):
        rows = [line.ljust(200) for line in screen_lines[top:top + 3]]
        column = 0
        while column < 197:
            digits = ""
            while column < 197:
                glyph = tuple(row[column:column + 3] for row in rows)
                char = GLYPHS.get(glyph)
                if char is None:
                    break
                digits += char
                column += 3
            if digits:
                found.add(int(digits))
            else:
                column += 1
    return found


@dataclass
class Typed:
    """Keystrokes typed into one field of one request, with their times."""

    request_index: int
    field: str
    times: list[float] = field(default_factory=list)
    text: str = ""

    def due_by(self, instant: float) -> str:
        """The text typed up to `instant`."""
        return self.text[:sum(1 for t in self.times if t <= instant)]


@dataclass
class Round:
    """What one kill found."""

    shown: set[int]
    requests_lost: list[int]
    fields_checked: int
    fields_lost: list[str]
    unsaved_seconds: float  # how long before the kill the oldest unsaved keystroke was typed
    integrity: str
    killed_after: float


def prepare(url: str) -> None:
    """Add the agent the rounds sign in as (to a migrated database)."""
    engine = make_engine(url)
    try:
        add_agent(engine, login=LOGIN, name="Crash Test", role="agent", password=PASSWORD,
                  now=datetime.now(timezone.utc))
    finally:
        engine.dispose()


def _requests(path: str) -> dict[int, tuple[str, str]]:
    connection = sqlite3.connect(path, timeout=30)
    try:
        return {row[0]: (row[1], row[2]) for row in connection.execute(
            "SELECT request.id, subject, notes FROM request JOIN agent ON agent.id = created_by_id "
            "WHERE agent.login = ?", (LOGIN,))}
    finally:
        connection.close()


def _integrity(path: str) -> str:
    connection = sqlite3.connect(path, timeout=30)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


class _Session:
    """One console process being driven until its kill time."""

    def __init__(self, terminal: Terminal, rng: random.Random, *, during_start: float,
                 min_seconds: float, max_seconds: float) -> None:
        self.terminal, self.rng = terminal, rng
        started = time.perf_counter()
        # Some kills land while the console starts or signs in; most during a call.
        self.early = rng.random() < during_start
        self.kill_at = started + rng.uniform(0.1, 3.0) if self.early else float("inf")
        self.min_seconds, self.max_seconds = min_seconds, max_seconds
        self.shown: set[int] = set()
        self.typed: list[Typed] = []
        self.opened: list[set[int]] = []  # numbers seen after each F2

    def due(self) -> bool:
        return time.perf_counter() >= self.kill_at

    def look(self) -> None:
        self.shown |= shown_numbers(self.terminal.screen.display)

    def wait(self, seconds: float) -> None:
        end = min(time.perf_counter() + seconds, self.kill_at)
        while time.perf_counter() < end:
            self.terminal.pump(max(0.0, min(0.02, end - time.perf_counter())))
        self.look()

    def until(self, text: str, timeout: float = 60) -> bool:
        end = time.perf_counter() + timeout
        while not self.due():
            if time.perf_counter() > end:
                raise TimeoutError(f"{text!r} not shown:\n{self.terminal.screen_text()}")
            self.terminal.pump(0.02)
            if text in self.terminal.screen_text():
                return True
        return False

    def type_field(self, request_index: int, name: str, length: int) -> None:
        record = Typed(request_index, name)
        self.typed.append(record)
        for _ in range(length):
            if self.due():
                return
            char = self.rng.choice(ALPHABET)
            self.terminal.send(char)
            record.times.append(time.perf_counter())
            record.text += char
            self.wait(self.rng.uniform(0.02, 0.12))

    def drive(self) -> None:
        if not self.until(SIGN_IN_TEXT):
            return
        self.terminal.send(LOGIN)
        self.terminal.press("enter")
        self.terminal.send(PASSWORD)
        self.terminal.press("enter")
        if not self.until(DESK_TEXT):
            return
        if not self.early:
            self.kill_at = time.perf_counter() + self.rng.uniform(self.min_seconds, self.max_seconds)
        for request_index in range(2):
            self.terminal.press("f2")
            before = set(self.shown)
            end = time.perf_counter() + 10
            while not self.due() and time.perf_counter() < end and self.shown == before:
                self.wait(0.02)
            if self.due() or self.shown == before:
                return
            self.type_field(request_index, "subject", self.rng.randint(5, 30))
            if self.due():
                return
            self.terminal.press("tab")
            self.wait(0.05)
            self.type_field(request_index, "notes", self.rng.randint(10, 50))
            self.wait(self.rng.uniform(0.0, 0.6))
        self.wait(max(0.0, self.kill_at - time.perf_counter()))


def one_round(url: str, *, rng: random.Random, autosave_ms: int = 300, grace_ms: int = 300,
              min_seconds: float = 0.0, max_seconds: float = 6.0, during_start: float = 0.1) -> Round:
    """Start the console on the SQLite database `url`, drive it, SIGKILL it, check the database.

    The kill comes `during_start` of the time within the first 3 s (start, sign-in),
    otherwise `min_seconds` to `max_seconds` after the desk appeared (calls being typed).
    """
    before = set(_requests(url))
    terminal = Terminal([sys.executable, "-m", "console.cli", "--db", url],
                        env={"CALLCENTER_AUTOSAVE_MS": str(autosave_ms)})
    started = time.perf_counter()
    session = _Session(terminal, rng, during_start=during_start, min_seconds=min_seconds,
                       max_seconds=max_seconds)
    try:
        session.drive()
    finally:
        killed = time.perf_counter()
        terminal.kill()
    after = _requests(url)
    new_numbers = sorted(set(after) - before)
    requests_lost = sorted(n for n in session.shown - before if n not in after)
    # The k-th F2 of this round made the k-th new request (one console, numbers ascend).
    by_index = {index: number for index, number in enumerate(new_numbers)}
    cutoff = killed - (autosave_ms + grace_ms) / 1000
    fields_lost, oldest_unsaved = [], 0.0
    for typed in session.typed:
        number = by_index.get(typed.request_index)
        saved = "" if number is None else after[number][0 if typed.field == "subject" else 1] or ""
        must_have = typed.due_by(cutoff)
        if not saved.startswith(must_have):
            fields_lost.append(f"request {number} {typed.field}: saved {saved!r}, typed {must_have!r} by then")
        unsaved = typed.text[len(saved):] if typed.text.startswith(saved) else typed.text
        if unsaved:
            first = typed.times[len(typed.text) - len(unsaved)]
            oldest_unsaved = max(oldest_unsaved, killed - first)
    return Round(shown=session.shown - before, requests_lost=requests_lost,
                 fields_checked=len(session.typed), fields_lost=fields_lost,
                 unsaved_seconds=oldest_unsaved, integrity=_integrity(url),
                 killed_after=killed - started)
