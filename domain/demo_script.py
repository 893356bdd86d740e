"""The pieces of the demo's month of requests: what is planned, and when and what callers say.

The plan (`domain.demo_plan`) names things by code, login and path;
`storage.demo_requests` turns it into rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from domain import demo_texts as texts
from domain.templates import FieldKind, TemplateFieldSpec, check_values

CHANNEL_WEIGHTS = {"phone": 48, "email": 20, "web": 12, "chat": 8, "social": 4, "fax": 2, "walk_in": 6}
TYPE_WEIGHTS = {"information": 42, "action": 43, "comment": 15}
LIVE_CHANNELS = ("phone", "chat", "walk_in", "fax")


@dataclass(frozen=True)
class DemoProblem:
    """A problem code as the planner needs it."""

    code: str
    names: dict[str, str]
    category: str | None
    title: str
    instructions: str
    fields: tuple[TemplateFieldSpec, ...]


@dataclass(frozen=True)
class DemoAgent:
    """An agent as the planner needs it."""

    login: str
    role: str
    languages: tuple[str, ...]
    categories: tuple[str, ...]

    def covers(self, path: str | None) -> bool:
        """True if the agent is a member of `path` or of a category above it."""
        return path is not None and any(path == c or path.startswith(c + "/") for c in self.categories)


@dataclass
class PlannedWorkOrder:
    """A work order several requests may link to."""

    problem_code: str
    title: str
    instructions: str
    address: str
    field_values: dict[str, Any]
    created_at: datetime
    created_by: str | None
    status: str = "open"
    closed_at: datetime | None = None


@dataclass
class PlannedRequest:
    """One request with its whole history."""

    created_at: datetime
    type: str
    channel: str
    language: str
    status: str = "new"
    customer: int | None = None
    created_by: str | None = None
    assigned: str | None = None
    assigned_at: datetime | None = None
    category: str | None = None
    problem_code: str | None = None
    work_order: int | None = None
    subject: str = ""
    notes: str = ""
    resolution_note: str = ""
    complaint: bool = False
    escalated: bool = False
    comment_about: str | None = None
    comment_kind: str | None = None
    address: str = ""
    field_values: dict[str, Any] = field(default_factory=dict)
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    paused_at: datetime | None = None
    answered_with_article: bool = False
    activities: list[tuple[datetime, str | None, str, str]] = field(default_factory=list)
    history: list[tuple[datetime, str | None, dict[str, list[Any]]]] = field(default_factory=list)

    @property
    def updated_at(self) -> datetime:
        """The time of the last thing that happened."""
        return max([self.created_at, *(a[0] for a in self.activities)])


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    """One key of `weights`, chosen with those weights."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def arrival(rng: random.Random, now: datetime, zone: ZoneInfo, channel: str, days: int) -> datetime:
    """When a contact came in: live channels in office hours on weekdays, others any time."""
    for _ in range(1000):
        day = (now.astimezone(zone).date() - timedelta(days=rng.randrange(days)))
        if channel in LIVE_CHANNELS:
            if day.weekday() >= 5:
                continue
            minute = rng.randrange(8 * 60, 17 * 60)
        else:
            minute = int(rng.triangular(0, 24 * 60, 13 * 60)) % (24 * 60)
        local = datetime.combine(day, time(minute // 60, minute % 60, rng.randrange(60)), tzinfo=zone)
        at = local.astimezone(timezone.utc)
        if at < now - timedelta(minutes=5):
            return at
    return now - timedelta(hours=1)


def field_values(rng: random.Random, specs: tuple[TemplateFieldSpec, ...], day: date) -> dict[str, Any]:
    """Plausible answers to a template: every required field, most optional ones."""
    values: dict[str, Any] = {}
    for spec in specs:
        if not spec.variable or (not spec.required and rng.random() < 0.3):
            continue
        match spec.kind:
            case FieldKind.CHOICE:
                values[spec.code] = rng.choice(spec.choice_keys())
            case FieldKind.MULTI_CHOICE:
                keys = list(spec.choice_keys())
                values[spec.code] = sorted(rng.sample(keys, rng.randint(1, min(2, len(keys)))), key=keys.index)
            case FieldKind.YES_NO:
                values[spec.code] = rng.choice(["yes", "no"])
            case FieldKind.NUMBER:
                values[spec.code] = rng.randint(1, 4)
            case FieldKind.DATE:
                values[spec.code] = (day + timedelta(days=rng.randint(-3, 7))).isoformat()
            case FieldKind.STRING | FieldKind.TEXT:
                make = texts.FIELD_TEXT.get(spec.code)
                values[spec.code] = make(rng) if make else rng.choice(
                    ["next to the school", "opposite the bakery", "by the bus stop", "behind block 12"])
    return check_values(list(specs), values)
