"""What every screen needs from the app: the database, the clock, the signed-in agent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from domain.clock import Clock, system_clock
from domain.records import AgentRecord


@dataclass
class Services:
    """Handed to screens as `self.app.services` (the app is built by `console.app.build_app`)."""

    engine: Engine
    clock: Clock = system_clock
    agent: AgentRecord | None = None
    """The signed-in agent; None until sign-in."""
    autosave_ms: int = 300
    language: str = "en"
    extras: dict = field(default_factory=dict)

    def now(self) -> datetime:
        """The current time from the injected clock."""
        return self.clock()
