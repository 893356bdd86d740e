"""Driving a real program in a pseudo-terminal: wait for text on its screen, type, kill.

The program's output is fed to a `pyte` terminal emulator, so `screen_text()` is what a
person would see (escape sequences applied), and `wait_for` means "painted on screen".
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Sequence

import pexpect
import pyte

KEYS = {"f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS", "f5": "\x1b[15~",
        "f6": "\x1b[17~", "enter": "\r", "tab": "\t", "escape": "\x1b", "backspace": "\x7f",
        "down": "\x1b[B", "up": "\x1b[A"}


class Terminal:
    """One program running in a pty of `rows` x `columns`, with its screen emulated."""

    def __init__(self, argv: Sequence[str], *, env: dict[str, str] | None = None,
                 rows: int = 40, columns: int = 140) -> None:
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.started = time.perf_counter()
        self.child = pexpect.spawn(argv[0], list(argv[1:]), env={**os.environ, **(env or {}),
                                   "TERM": "xterm-256color", "COLUMNS": str(columns),
                                   "LINES": str(rows)}, dimensions=(rows, columns), encoding=None)

    @property
    def pid(self) -> int:
        """The program's process id."""
        return self.child.pid

    def pump(self, timeout: float = 0.05) -> bool:
        """Read what the program wrote within `timeout`; False once it has exited."""
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return True
        except pexpect.EOF:
            return False
        self.stream.feed(data)
        return True

    def screen_text(self) -> str:
        """The emulated screen as lines of text."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, text: str, *, timeout: float = 30.0) -> float:
        """Seconds since start when `text` appeared on screen; TimeoutError if it did not."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            alive = self.pump()
            if text in self.screen_text():
                return time.perf_counter() - self.started
            if not alive:
                raise TimeoutError(f"the program exited before showing {text!r}:\n{self.screen_text()}")
        raise TimeoutError(f"{text!r} did not appear within {timeout:g} s:\n{self.screen_text()}")

    def settle(self, seconds: float) -> None:
        """Keep reading output for `seconds` (so the program never blocks on a full pty)."""
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and self.pump(min(0.05, max(0.0, deadline - time.perf_counter()))):
            pass

    def send(self, text: str) -> None:
        """Type `text` (no Enter)."""
        self.child.send(text.encode())

    def press(self, *keys: str) -> None:
        """Press named keys (`f2`, `enter`, `tab`, …) or single characters."""
        for key in keys:
            self.child.send(KEYS.get(key, key).encode())

    def rss_bytes(self) -> tuple[int, int]:
        """Resident memory now and at its peak (VmRSS, VmHWM) of the program."""
        values = {}
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, amount, _unit = line.split()
                    values[key] = int(amount) * 1024
        return values.get("VmRSS:", 0), values.get("VmHWM:", 0)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the program and reap it."""
        if self.child.isalive():
            os.kill(self.pid, sig)
            # On a busy machine the kernel may take a while; pexpect's own wait is short.
            deadline = time.perf_counter() + 30
            while self.child.isalive() and time.perf_counter() < deadline:
                time.sleep(0.02)
        try:
            self.child.close(force=True)
        except pexpect.ExceptionPexpect:
            pass  # already gone or unkillable: nothing more to do for it here

    def close(self, *, grace: float = 2.0) -> None:
        """Ask the program to quit (ctrl+q), then kill it if it is still there after `grace`."""
        if self.child.isalive():
            self.child.send(b"\x11")
            deadline = time.perf_counter() + grace
            while time.perf_counter() < deadline and self.pump():
                pass
        self.kill()
