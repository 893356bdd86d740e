"""Automatic assignment within a routing category, and the reasons for each choice.

`round_robin` gives the request to the available member who got one longest ago,
`least_open` to the available member with the fewest open requests, `queue` leaves it
unassigned in the pool. Out-of-office and inactive agents are never chosen; when nobody
is available the request stays in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.errors import InvalidInput


class Mode(StrEnum):
    """How a category hands out its requests."""

    QUEUE = "queue"
    ROUND_ROBIN = "round_robin"
    LEAST_OPEN = "least_open"


def parse_mode(value: str, *, where: str = "mode") -> Mode:
    """`value` as a Mode, or a clear error."""
    try:
        return Mode(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not one of {', '.join(m.value for m in Mode)}",
                           where=where) from None


@dataclass(frozen=True)
class Candidate:
    """An agent who might get the request, with what the choice looks at."""

    agent_id: int
    login: str
    member: bool = True
    active: bool = True
    away: str | None = None
    """Why the agent is out of office now (None when present)."""
    open_requests: int = 0
    last_assigned_at: datetime | None = None


@dataclass(frozen=True)
class AssignmentDecision:
    """Who got the request (or nobody), and why: mode, candidates, skips, loads compared."""

    mode: str
    category: str | None
    agent_id: int | None
    login: str | None
    candidates: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    """(login, why) for each agent passed over."""
    loads: dict[str, int] = field(default_factory=dict)
    last_assigned: dict[str, str | None] = field(default_factory=dict)
    note: str = ""

    def text(self) -> str:
        """One line a supervisor can read in the request's history."""
        where = f" in {self.category}" if self.category else ""
        skipped = "; ".join(f"{login}: {why}" for login, why in self.skipped)
        skipped = f"; skipped {skipped}" if skipped else ""
        if self.mode == Mode.QUEUE:
            return f"stays unassigned in the {self.category or 'uncategorised'} queue (mode queue)"
        if self.login is None:
            return f"{self.mode}{where}: nobody available, stays in the queue{skipped}"
        if self.mode == "preferred":
            return f"back to {self.login}, {self.note}{skipped}"
        among = ", ".join(self.candidates)
        if self.mode == Mode.ROUND_ROBIN:
            got = self.last_assigned.get(self.login) or "never"
            return (f"round_robin{where}: {self.login} got one longest ago ({got}) among "
                    f"{among}{skipped}")
        loads = ", ".join(f"{login} {self.loads[login]}" for login in self.candidates)
        return f"least_open{where}: {self.login} has the fewest open requests ({loads}){skipped}"

    def to_json(self) -> dict[str, Any]:
        """The decision as JSON-ready data."""
        return {"mode": str(self.mode), "category": self.category, "agent": self.login,
                "candidates": list(self.candidates),
                "skipped": [{"agent": login, "reason": why} for login, why in self.skipped],
                "loads": dict(self.loads), "last_assigned": dict(self.last_assigned),
                "text": self.text()}


def _unavailable(candidate: Candidate) -> str | None:
    if not candidate.active:
        return "inactive"
    if candidate.away:
        return f"out of office ({candidate.away})"
    if not candidate.member:
        return "not a member of the category"
    return None


def _stamp(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def choose_assignee(mode: Mode | str, *, category: str | None, candidates: list[Candidate],
                    prefer: Candidate | None = None, prefer_note: str = "") -> AssignmentDecision:
    """Pick the agent for a request in `category` by `mode`; `prefer` is tried first."""
    mode = parse_mode(str(mode))
    skipped: list[tuple[str, str]] = []
    if prefer is not None:
        why = _unavailable(prefer)
        if why is None:
            return AssignmentDecision(mode="preferred", category=category, agent_id=prefer.agent_id,
                                      login=prefer.login, candidates=(prefer.login,), note=prefer_note)
        skipped.append((prefer.login, f"{why}; {prefer_note}" if prefer_note else why))
    if mode == Mode.QUEUE:
        return AssignmentDecision(mode=mode, category=category, agent_id=None, login=None,
                                  skipped=tuple(skipped))
    available = []
    for candidate in sorted(candidates, key=lambda c: c.login):
        if prefer is not None and candidate.agent_id == prefer.agent_id:
            continue
        why = _unavailable(candidate)
        if why:
            skipped.append((candidate.login, why))
        else:
            available.append(candidate)
    loads = {c.login: c.open_requests for c in available}
    last = {c.login: _stamp(c.last_assigned_at) for c in available}
    if not available:
        return AssignmentDecision(mode=mode, category=category, agent_id=None, login=None,
                                  skipped=tuple(skipped), loads=loads, last_assigned=last)

    def longest_ago(c: Candidate) -> tuple:
        return (c.last_assigned_at is not None, c.last_assigned_at or datetime.min, c.login)

    if mode == Mode.ROUND_ROBIN:
        chosen = min(available, key=longest_ago)
    else:
        chosen = min(available, key=lambda c: (c.open_requests, *longest_ago(c)))
    return AssignmentDecision(mode=mode, category=category, agent_id=chosen.agent_id,
                              login=chosen.login, candidates=tuple(c.login for c in available),
                              skipped=tuple(skipped), loads=loads, last_assigned=last)
