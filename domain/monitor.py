"""The supervisors' board: read models of one snapshot and the rules for urgency and state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.records import JsonRecord

SIGNED_IN_WINDOW = timedelta(minutes=15)
"""An agent seen by the console within this long is shown as signed in."""

AT_RISK_WINDOW = timedelta(hours=1)
"""A deadline this close counts as "due within the hour": the row turns amber."""


class LoadState(StrEnum):
    """How a queue (or one request) stands against its deadlines."""

    OVERDUE = "overdue"
    AT_RISK = "at_risk"
    OK = "ok"


@dataclass(frozen=True)
class CategoryLoad(JsonRecord):
    """Open requests of one routing category (None: not yet categorised)."""

    category_id: int | None
    path: str | None
    depth: int
    """Open requests in the category, assigned or not."""
    unassigned: int
    """Open requests waiting in the pool for someone to pull them."""
    oldest_waiting_at: datetime | None
    """When the longest-waiting unassigned request was opened."""
    earliest_due_at: datetime | None
    """The nearest resolution deadline among open requests whose clock runs."""
    overdue: int
    due_soon: int
    """Open requests due within the hour."""
    complaints: int = 0
    escalations: int = 0
    overdue_today: int = 0
    """Overdue requests whose deadline passed earlier today (missed today, for the SLA line)."""

    @property
    def state(self) -> LoadState:
        """Overdue if any request is, at risk if any is due within the hour, else ok."""
        if self.overdue:
            return LoadState.OVERDUE
        if self.due_soon:
            return LoadState.AT_RISK
        return LoadState.OK


def _far(value: datetime | None) -> tuple[int, float]:
    return (1, 0.0) if value is None else (0, value.timestamp())


def urgency_key(load: CategoryLoad) -> tuple:
    """Sort key, most urgent first: overdue, due soon, nearest deadline, pool size, age."""
    return (-load.overdue, -load.due_soon, _far(load.earliest_due_at), -load.unassigned,
            _far(load.oldest_waiting_at), load.path or "")


def by_urgency(loads: list[CategoryLoad]) -> list[CategoryLoad]:
    """The categories ordered as the board shows them."""
    return sorted(loads, key=urgency_key)


def deadline_state(due: datetime | None, now: datetime, *, paused: bool = False) -> LoadState:
    """The state of one deadline: overdue, due within the hour, or fine (a paused clock is fine)."""
    if due is None or paused:
        return LoadState.OK
    if due < now:
        return LoadState.OVERDUE
    return LoadState.AT_RISK if due < now + AT_RISK_WINDOW else LoadState.OK


@dataclass(frozen=True)
class AgentLoad(JsonRecord):
    """One agent on the board: there or not, what they hold, what they finished today."""

    id: int
    login: str
    name: str
    role: str
    signed_in: bool
    last_seen_at: datetime | None
    busy_with: int | None
    """The request the agent works on now (latest taken, not waiting for the customer)."""
    busy_since: datetime | None
    away: bool
    away_until: datetime | None
    away_reason: str
    open_requests: int
    handled_today: int
    """Requests assigned to the agent and resolved today."""


@dataclass(frozen=True)
class TodaySummary(JsonRecord):
    """Today in the office's time zone, up to now."""

    day: str
    timezone: str
    total: int
    by_type: dict[str, int] = field(default_factory=dict)
    """Counts keyed by type; requests without a type are under "(none)"."""
    by_channel: dict[str, int] = field(default_factory=dict)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    """Requests opened in each office-local hour 00..23."""
    sla_met: int = 0
    sla_breached: int = 0
    complaints_waiting: int = 0
    escalations_waiting: int = 0

    @property
    def compliance(self) -> float | None:
        """Share of today's decided resolution deadlines that were met."""
        decided = self.sla_met + self.sla_breached
        return None if decided == 0 else self.sla_met / decided


@dataclass(frozen=True)
class MonitorSnapshot(JsonRecord):
    """Everything the board shows, read at one instant."""

    at: datetime
    categories: list[CategoryLoad]
    agents: list[AgentLoad]
    today: TodaySummary


@dataclass(frozen=True)
class QueueItem(JsonRecord):
    """One open request in a category's queue, in pull order."""

    number: int
    subject: str
    type: str | None
    channel: str
    status: str
    priority: str | None
    created_at: datetime
    due_at: datetime | None
    assigned_agent: str | None
    complaint: bool
    escalated: bool
    state: LoadState
