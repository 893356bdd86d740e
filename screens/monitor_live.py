"""Screens that show live data: read in a thread worker, re-armed only after each read is shown.

The next read is scheduled when the last one has been shown (never overlapping), never
sooner than a second after the last began, and not at all while the screen is hidden
under another (it reads at once when shown again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from textual import work
from textual.message import Message
from textual.worker import Worker

MIN_REFRESH_SECONDS = 1.0


class LiveRefresh:
    """Mixin for a Screen: implement `read()` (runs in a thread) and `show(data)`."""

    refresh_seconds: float = 3.0

    @dataclass
    class Read(Message):
        """The screen's data was read."""

        data: Any

    def init_live(self, refresh_seconds: float) -> None:
        """Call from `__init__`."""
        self.refresh_seconds = max(MIN_REFRESH_SECONDS, refresh_seconds)
        self.refreshes = 0
        """How many reads were shown."""
        self._reading = False
        self._started = 0.0
        self._timer = None

    def read(self) -> Any:
        """Read the data to show (in a worker thread; database work goes here)."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Put the data on screen (on the UI thread)."""
        raise NotImplementedError

    def refresh_live(self, *, now: bool = False) -> None:
        """Start a read unless one is running; `now` skips the once-a-second limit (after a write)."""
        if self._reading:
            return
        wait = 0.0 if now else self._started + MIN_REFRESH_SECONDS - time.monotonic()
        if wait > 0:
            self._arm(wait)
            return
        self._stop_timer()
        self._reading = True
        self._started = time.monotonic()
        self._read_in_thread()

    @work(thread=True, exit_on_error=False, group="live-read")
    def _read_in_thread(self) -> None:
        # The read really begins now (a busy machine may start the thread late): the
        # once-a-second limit counts from here.
        self._started = time.monotonic()
        self.post_message(LiveRefresh.Read(self.read()))

    def on_live_refresh_read(self, message: Read) -> None:
        message.stop()
        self._reading = False
        self.show(message.data)
        self.refreshes += 1
        self._arm(self.refresh_seconds)

    def live_read_failed(self, worker: Worker) -> bool:
        """Re-arm after a failed read (the database may come back); True if it was one."""
        if worker.group != "live-read":
            return False
        self._reading = False
        self._arm(self.refresh_seconds)
        return True

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _arm(self, seconds: float) -> None:
        self._stop_timer()
        self._timer = self.set_timer(seconds, self._tick, name="live-refresh")

    def _tick(self) -> None:
        self._timer = None
        if self.is_current:
            self.refresh_live()
        else:
            self._arm(self.refresh_seconds)

    def on_screen_resume(self) -> None:
        if self.refreshes:
            self.refresh_live()

    def on_unmount(self) -> None:
        self._stop_timer()
