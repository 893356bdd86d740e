"""A request's response and resolution deadlines from its priority, and the story behind them.

The clock starts at the save-first instant (or at reopening), counts business time on
the office calendar, and stands still while the request waits for the customer: each
pause adds its business time to both targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.calendar import OfficeCalendar
from domain.calendar_steps import Deadline, format_duration
from domain.priority_rules import PriorityChoice


@dataclass(frozen=True)
class Targets:
    """A priority level: its rank (1 = most urgent) and its business-time targets."""

    code: str
    rank: int
    response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class Deadlines:
    """Both deadlines of a request, how its priority was chosen, and how they were counted."""

    choice: PriorityChoice
    calendar: str
    start: datetime
    response: Deadline | None = None
    resolution: Deadline | None = None
    paused: timedelta = timedelta(0)

    def text(self) -> str:
        """The priority's story, then the resolution deadline's:
        "medium (rule …) — resolution 3 h: Fri 15:00 → Mon 09:00 — 2 h Fri, weekend skipped, 1 h Mon"."""
        if self.resolution is None:
            return self.choice.text()
        target = None
        if self.paused:
            target = (f"{format_duration(self.resolution.target - self.paused)} + "
                      f"{format_duration(self.paused)} waiting for the customer")
        return f"{self.choice.text()} — resolution {self.resolution.text(target)}"

    def to_json(self) -> dict[str, Any]:
        """The whole explanation, as stored with the request and shown by `request show --json`."""
        return {"text": self.text(), "priority": self.choice.to_json(), "calendar": self.calendar,
                "start": self.start.isoformat(),
                "response": self.response.to_json() if self.response else None,
                "resolution": self.resolution.to_json() if self.resolution else None,
                "paused_seconds": self.paused.total_seconds()}


def compute_deadlines(calendar: OfficeCalendar, *, calendar_label: str, start: datetime,
                      choice: PriorityChoice, targets: Targets | None,
                      paused: timedelta = timedelta(0)) -> Deadlines:
    """The deadlines for `targets` counted from `start`, moved later by the business time `paused`."""
    if targets is None:
        return Deadlines(choice=choice, calendar=calendar_label, start=start, paused=paused)
    response = calendar.add_business_time(start, timedelta(minutes=targets.response_minutes) + paused)
    resolution = calendar.add_business_time(start, timedelta(minutes=targets.resolution_minutes) + paused)
    return Deadlines(choice=choice, calendar=calendar_label, start=start, response=response,
                     resolution=resolution, paused=paused)
