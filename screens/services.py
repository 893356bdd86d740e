"""What every screen needs from the app: the database, the clock, the signed-in agent."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from domain.clock import Clock, system_clock
from domain.records import AgentRecord

if TYPE_CHECKING:  # the console paints its first screen before SQLAlchemy is imported
    from sqlalchemy import Engine


def _opened() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass
class Services:
    """Handed to screens as `self.app.services` (the app is built by `console.app.build_app`)."""

    engine: Engine | None
    """None only while the console opens its database after the first paint
    (`wait_for_engine` waits for it)."""
    clock: Clock = system_clock
    agent: AgentRecord | None = None
    """The signed-in agent; None until sign-in."""
    autosave_ms: int = 300
    language: str = "en"
    extras: dict = field(default_factory=dict)
    engine_ready: threading.Event = field(default_factory=_opened, repr=False)
    """Set once `engine` is there (or could not be opened: `engine_error`)."""
    engine_error: str | None = None

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.clock()

    def wait_for_engine(self) -> Engine:
        """The engine, once the database is open (call from a worker thread, not the UI)."""
        self.engine_ready.wait()
        if self.engine is None:
            from storage.errors import StorageError

            raise StorageError(self.engine_error or "the database is not open")
        return self.engine
