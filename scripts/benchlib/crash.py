"""Killing the real console mid-call and checking that nothing it showed or saved was lost.

One round: start `python -m console.cli` in a pseudo-terminal, sign in, press F2 (save
first), type a subject and notes key by key (sometimes F2 again for a second call), and
SIGKILL the process at a random moment. Then read the database: every request number
the screen showed must exist (`requests_lost`); text the console showed while its header
said "saved" must be saved (`fields_lost`); text that was on the screen at least
`autosave + grace` before the kill should be saved (`fields_late`: this one depends on
how busy the machine is, so only the benchmark counts it); `PRAGMA integrity_check` must
say ok.
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
SAVED_LINE = "saved"  # the request header's save state when nothing is pending
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
    """Keystrokes typed into one field of one request: when sent, when seen on screen."""

    request_index: int
    field: str
    times: list[float] = field(default_factory=list)
    shown_at: list[float | None] = field(default_factory=list)
    text: str = ""
    confirmed: int = 0
    """Keystrokes on screen while the console kept saying "saved" (see `_Session.look`)."""

    def add(self, char: str, at: float) -> None:
        """One more keystroke sent at `at`."""
        self.text += char
        self.times.append(at)
        self.shown_at.append(None)

    def saw(self, region: str, at: float) -> None:
        """Mark the keystrokes whose text is on screen (inside `region`) as shown at `at`."""
        length = len(self.text)
        while length and self.shown_at[length - 1] is None:
            if self.text[:length] in region:
                for index in range(length):
                    if self.shown_at[index] is None:
                        self.shown_at[index] = at
                return
            length -= 1

    def shown_count(self) -> int:
        """How many keystrokes have been seen on screen so far."""
        return sum(1 for t in self.shown_at if t is not None)

    def shown_by(self, instant: float) -> str:
        """The text that was on the agent's screen at `instant`."""
        return self.text[:sum(1 for t in self.shown_at if t is not None and t <= instant)]

    def echo_lags(self) -> list[float]:
        """Seconds from sending each keystroke to seeing it on screen."""
        return [seen - sent for sent, seen in zip(self.times, self.shown_at) if seen is not None]


def _says_saved(line: str) -> bool:
    """True for the header's save-state line saying "saved" (it may share the line with digits)."""
    text = line.rstrip()
    return text.endswith(" " + SAVED_LINE) or text == SAVED_LINE


def _region(lines: list[str], field: str) -> str:
    """The screen text where `field` shows what was typed (its input line, or below the label)."""
    for index, line in enumerate(lines):
        if field == "subject" and line.lstrip().startswith("Subject"):
            return line
        if field == "notes" and line.strip() in ("Notes", "Comment (as the caller said it)"):
            return "\n".join(lines[index + 1:])
    return ""


@dataclass
class Round:
    """What one kill found."""

    shown: set[int]
    requests_lost: list[int]
    fields_checked: int
    fields_lost: list[str]  # text the console showed as saved, missing after the kill
    fields_late: list[str]  # text on screen longer than autosave + grace, missing
    confirmed_chars: int  # keystrokes the console showed as saved (all must be in the database)
    unsaved_seconds: float  # how long before the kill the oldest unsaved keystroke was on screen
    echo_lags: list[float]  # keystroke sent -> seen on screen, seconds
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

    def __init__(self, terminal: Terminal, rng: random.Random, *, known: set[int],
                 during_start: float, min_seconds: float, max_seconds: float) -> None:
        self.terminal, self.rng, self.known = terminal, rng, known
        started = time.perf_counter()
        # Some kills land while the console starts or signs in; most during a call.
        self.early = rng.random() < during_start
        self.kill_at = started + rng.uniform(0.1, 3.0) if self.early else float("inf")
        self.min_seconds, self.max_seconds = min_seconds, max_seconds
        self.shown: set[int] = set()
        self.last_view: tuple = (False, ())
        self.last_look = 0.0
        self.typed: list[Typed] = []

    def due(self) -> bool:
        return time.perf_counter() >= self.kill_at

    def look(self) -> None:
        lines = self.terminal.screen.display
        now = time.perf_counter()
        self.shown |= shown_numbers(lines)
        if not self.typed:
            return
        current = self.typed[-1]
        current.saw(_region(lines, current.field), now)
        # "saved" on looks far enough apart with the same text: everything on screen was
        # saved. A keystroke is painted before its Changed message reaches the screen (and
        # turns "saved" into "typing…"); on a busy machine that gap grows like the echo
        # lag, so the window is twice the largest echo lag seen in this round.
        fields = [t for t in self.typed if t.request_index == current.request_index]
        # Only while this request's text is on screen: after F2 the "saved" is the next one's.
        visible = all(t.text[:t.shown_count()] in _region(lines, t.field) for t in fields)
        view = (visible and any(_says_saved(line) for line in lines),
                tuple(t.shown_count() for t in fields))
        lags = [lag for t in self.typed for lag in t.echo_lags()]
        window = max(0.05, 2 * max(lags, default=0.0))
        if view[0] and self.last_view == view and now - self.last_look >= window:
            for typed, count in zip(fields, view[1]):
                typed.confirmed = max(typed.confirmed, count)
        if view != self.last_view:
            self.last_view, self.last_look = view, now

    def wait(self, seconds: float) -> None:
        end = min(time.perf_counter() + seconds, self.kill_at)
        next_look = time.perf_counter() + 0.04
        while time.perf_counter() < end:
            self.terminal.pump(max(0.0, min(0.02, end - time.perf_counter())))
            if time.perf_counter() >= next_look:
                self.look()
                next_look = time.perf_counter() + 0.04
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
            record.add(char, time.perf_counter())
            # Agents type in bursts of a few words and stop to listen; many pauses
            # outlast the autosave interval, some do not.
            burst_over = len(record.text) % self.rng.randint(4, 9) == 0
            self.wait(self.rng.uniform(0.2, 1.2) if burst_over else self.rng.uniform(0.02, 0.12))

    def drive(self) -> None:
        if not self.until(SIGN_IN_TEXT):
            return
        self.terminal.send(LOGIN)
        self.terminal.press("enter")
        self.terminal.send(PASSWORD)
        self.terminal.press("enter")
        if not self.until(DESK_TEXT):
            return
        for request_index in range(2):
            self.terminal.press("f2")
            # The call is on screen when a number appears that existed neither before this
            # round (the desk may show the agent's open request) nor for the last call.
            before = self.known | self.shown
            end = time.perf_counter() + 30
            while not self.due() and time.perf_counter() < end and not self.shown - before:
                self.wait(0.02)
            if self.due() or not self.shown - before:
                return
            if self.kill_at == float("inf"):  # the first call is on screen: its kill time
                self.kill_at = time.perf_counter() + self.rng.uniform(self.min_seconds, self.max_seconds)
            self.type_field(request_index, "subject", self.rng.randint(5, 30))
            if self.due():
                return
            self.wait(self.rng.uniform(0.1, 0.8))
            self.terminal.press("tab")
            self.wait(0.05)
            self.type_field(request_index, "notes", self.rng.randint(10, 50))
            self.wait(self.rng.uniform(0.0, 0.6))
        self.wait(max(0.0, self.kill_at - time.perf_counter()))


def one_round(url: str, *, rng: random.Random, autosave_ms: int = 300, grace_ms: int = 300,
              min_seconds: float = 0.0, max_seconds: float = 6.0, during_start: float = 0.1) -> Round:
    """Start the console on the SQLite database `url`, drive it, SIGKILL it, check the database.

    The kill comes `during_start` of the time within the first 3 s (start, sign-in),
    otherwise `min_seconds` to `max_seconds` after the first call's number appeared (while
    typing, during the second F2's save-first, or typing the second call).
    """
    before = set(_requests(url))
    terminal = Terminal([sys.executable, "-m", "console.cli", "--db", url],
                        env={"CALLCENTER_AUTOSAVE_MS": str(autosave_ms)})
    started = time.perf_counter()
    session = _Session(terminal, rng, known=before, during_start=during_start, min_seconds=min_seconds,
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
    fields_lost, fields_late, oldest_unsaved = [], [], 0.0
    for typed in session.typed:
        number = by_index.get(typed.request_index)
        saved = "" if number is None else after[number][0 if typed.field == "subject" else 1] or ""
        confirmed = typed.text[:typed.confirmed]
        if not saved.startswith(confirmed):
            fields_lost.append(f"request {number} {typed.field}: saved {saved!r}, but the console "
                               f"showed {confirmed!r} as saved")
        must_have = typed.shown_by(cutoff)
        if not saved.startswith(must_have):
            fields_late.append(f"request {number} {typed.field}: saved {saved!r}, but "
                               f"{must_have!r} was on screen {autosave_ms + grace_ms} ms before the kill")
        saved_length = len(saved) if typed.text.startswith(saved) else 0
        first_unsaved = typed.shown_at[saved_length] if saved_length < len(typed.text) else None
        if first_unsaved is not None:
            oldest_unsaved = max(oldest_unsaved, killed - first_unsaved)
    return Round(shown=session.shown - before, requests_lost=requests_lost,
                 fields_checked=len(session.typed), fields_lost=fields_lost, fields_late=fields_late,
                 confirmed_chars=sum(typed.confirmed for typed in session.typed),
                 unsaved_seconds=oldest_unsaved,
                 echo_lags=[lag for typed in session.typed for lag in typed.echo_lags()],
                 integrity=_integrity(url), killed_after=killed - started)
