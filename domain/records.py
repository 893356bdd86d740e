"""Plain read models handed from storage to the console and the CLI (no lazy loading)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class JsonRecord:
    """Mixin: `to_json()` gives a dict with ISO timestamps."""

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[arg-type]


@dataclass(frozen=True)
class AgentRecord(JsonRecord):
    """An agent as shown in lists and after sign-in."""

    id: int
    login: str
    name: str
    role: str
    languages: list[str]
    active: bool
    categories: list[str] = field(default_factory=list)
    away: bool = False


@dataclass(frozen=True)
class RequestRecord(JsonRecord):
    """A request's own fields (its thread and audit trail are loaded separately)."""

    number: int
    type: str | None
    channel: str
    status: str
    created_at: datetime
    updated_at: datetime | None
    created_by: str | None
    assigned_agent: str | None
    customer_id: int | None
    category: str | None
    problem_code: str | None
    work_order_id: int | None
    priority: str | None
    response_due_at: datetime | None
    resolution_due_at: datetime | None
    complaint: bool
    escalated: bool
    subject: str
    notes: str
    resolution_note: str
    comment_about: str | None
    comment_kind: str | None
    address: str
    field_values: dict[str, Any]
    deadline_explanation: Any = None
