"""The request on the agent's screen: committed at once, then saved field by field as typed.

Save first: `open()` commits a numbered request before the agent has typed anything.
Every edit goes into `pending`; a save starts at most `autosave_ms` after the first
unsaved keystroke (so killing the program loses at most that much typing), one save at
a time per request so they land in order. A save that fails (database locked or gone)
keeps its values pending and is retried; nothing typed is dropped. `flush_blocking()`
saves synchronously when the program exits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from textual.app import App
from textual.timer import Timer

from domain.errors import InvalidInput
from domain.records import RequestRecord
from screens.db import error_text
from storage.requests import open_request, save_fields

RETRY_SECONDS = 2.0


class DraftState(StrEnum):
    """Where the draft's saving stands."""

    OPENING = "opening"
    SAVED = "saved"
    PENDING = "pending"
    SAVING = "saving"
    FAILED = "failed"


@dataclass(frozen=True)
class DraftEvent:
    """What a draft tells its screen: the new state, the saved record, an error text."""

    state: DraftState
    record: RequestRecord | None = None
    error: str | None = None
    rejected: tuple[str, ...] = ()


class RequestDraft:
    """One request being taken; owned by its intake screen and registered with the app."""

    def __init__(self, app: App, *, number: int | None = None) -> None:
        self.app = app
        self.services = app.services
        self.agent = app.services.agent
        """Who is taking the request (kept: saves after signing out still name them)."""
        self.number = number
        self.pending: dict[str, Any] = {}
        self.state = DraftState.SAVED if number else DraftState.OPENING
        self._listener: Callable[[DraftEvent], None] | None = None
        self._last: DraftEvent | None = None
        self._record: RequestRecord | None = None
        self._timer: Timer | None = None
        self._in_flight: dict[str, Any] | None = None
        self._lock = threading.Lock()  # one save of this request at a time, in order
        self._closing = False
        app.drafts.add(self)

    def listen(self, listener: Callable[[DraftEvent], None]) -> None:
        """Tell `listener` (the screen) about changes, starting with what happened so far."""
        self._listener = listener
        if self._record is not None:
            listener(DraftEvent(self.state, record=self._record))
        elif self._last is not None:
            listener(self._last)

    def _notify(self, event: DraftEvent) -> None:
        self._last = event
        if event.record is not None:
            self._record = event.record
        if self._listener is not None:
            self._listener(event)

    # --- opening -------------------------------------------------------------------

    def open(self, *, channel: str) -> None:
        """Commit a new request now (in a thread; never cancelled by a later call)."""
        services, agent = self.services, self.agent

        def work() -> None:
            try:
                record = open_request(services.engine, now=services.now(), channel=channel,
                                      agent_id=agent.id, actor=agent.login)
            except Exception as exc:  # shown and retried: the request must exist
                self._from_thread(self._open_failed, channel, exc)
            else:
                self._from_thread(self._opened, record)

        self.app.run_worker(work, thread=True, exit_on_error=False, group="open-request",
                            name="open request")

    def _opened(self, record: RequestRecord) -> None:
        self.number = record.number
        self.state = DraftState.PENDING if self.pending else DraftState.SAVED
        self._notify(DraftEvent(self.state, record=record))
        self.flush()

    def _open_failed(self, channel: str, exc: Exception) -> None:
        self.state = DraftState.FAILED
        self._notify(DraftEvent(self.state, error=error_text(exc)))
        self.app.set_timer(RETRY_SECONDS, lambda: self.open(channel=channel))

    # --- saving --------------------------------------------------------------------

    def edit(self, field: str, value: Any, *, now: bool = False) -> None:
        """Remember an edited field; it is saved shortly (at once with `now=True`)."""
        self.pending[field] = value
        if self.state in (DraftState.SAVED, DraftState.SAVING):
            self.state = DraftState.PENDING
            self._notify(DraftEvent(self.state))
        if now:
            self.flush()
        elif self._timer is None:
            self._timer = self.app.set_timer(self.services.autosave_ms / 1000, self.flush)

    def flush(self) -> None:
        """Start saving what is pending, unless a save of this request is running."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.number is None or self._in_flight is not None or not self.pending:
            return
        values = dict(self.pending)
        self._in_flight = values
        self.state = DraftState.SAVING
        number, services, agent = self.number, self.services, self.agent

        def work() -> None:
            try:
                with self._lock:
                    record = save_fields(services.engine, number=number, values=values,
                                         now=services.now(), agent_id=agent.id, actor=agent.login)
            except Exception as exc:  # kept pending and retried, or reported
                self._from_thread(self._save_failed, values, exc)
            else:
                self._from_thread(self._saved, values, record)

        self.app.run_worker(work, thread=True, exit_on_error=False, group="autosave",
                            name=f"save request {number}")

    def _saved(self, values: dict[str, Any], record: RequestRecord) -> None:
        self._in_flight = None
        self._forget(values)
        self.state = DraftState.PENDING if self.pending else DraftState.SAVED
        self._notify(DraftEvent(self.state, record=record))
        if self.pending and self._timer is None:
            self.flush()
        elif self._closing and not self.pending:
            self.app.drafts.discard(self)

    def _save_failed(self, values: dict[str, Any], exc: Exception) -> None:
        self._in_flight = None
        if isinstance(exc, InvalidInput):
            # The rules refuse this value; retrying cannot help. Everything else is kept.
            field = (exc.where or "").split(".")[0]
            rejected = tuple(k for k in values if k == field) or tuple(values)
            for key in rejected:
                if self.pending.get(key) == values[key]:
                    del self.pending[key]
            self.state = DraftState.PENDING if self.pending else DraftState.SAVED
            self._notify(DraftEvent(self.state, error=error_text(exc), rejected=rejected))
            self.flush()
            return
        self.state = DraftState.FAILED
        self._notify(DraftEvent(self.state, error=error_text(exc)))
        self._timer = self.app.set_timer(RETRY_SECONDS, self.flush)

    def _forget(self, values: dict[str, Any]) -> None:
        for key, value in values.items():
            if key in self.pending and self.pending[key] == value:
                del self.pending[key]

    def pending_snapshot(self) -> dict[str, Any]:
        """What is typed but not saved yet (taken on the UI thread for `save_in_thread`)."""
        return dict(self.pending)

    def save_in_thread(self, values: dict[str, Any]) -> None:
        """Save `values` from a worker thread, after any running save (for lifecycle actions)."""
        if not values or self.number is None:
            return
        with self._lock:
            save_fields(self.services.engine, number=self.number, values=values,
                        now=self.services.now(), agent_id=self.agent.id, actor=self.agent.login)
        self._from_thread(self._forget, values)

    def flush_blocking(self) -> None:
        """Save everything pending now, in this thread (when the program exits)."""
        if self.number is None or not self.pending:
            return
        with self._lock:  # a running save finishes first, so this one lands last
            values = dict(self.pending)
            try:
                save_fields(self.services.engine, number=self.number, values=values,
                            now=self.services.now(), agent_id=self.agent.id,
                            actor=self.agent.login)
            except Exception:  # exiting anyway; a failed final save must not hang the exit
                return
        self._forget(values)

    def close(self) -> None:
        """Save what is pending; the app forgets the draft once everything is saved."""
        self._closing = True
        self._listener = self._notify_app  # the screen is going away
        self.flush()
        if not self.pending and self._in_flight is None:
            self.app.drafts.discard(self)

    def _notify_app(self, event: DraftEvent) -> None:
        if event.error:
            self.app.notify(f"{self.number}: {event.error}", severity="error", markup=False)

    def _from_thread(self, callback: Callable[..., None], *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app has stopped; flush_blocking covers what is left
            pass
