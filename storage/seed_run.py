"""The bookkeeping of one seed run: upsert by key, count what changed, audit every change.

Upserting compares the stored values with the file's; only a real difference is written
and audited, so loading the same file twice writes nothing the second time. Per-language
names are merged: a language the file leaves out keeps its stored name.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select

from domain.audit import changes
from storage import audit

M = TypeVar("M", bound=SQLModel)
ACTIONS = ("created", "updated", "unchanged", "deleted")
_SECRET = {"password_hash"}
ENTITIES = {
    "office_settings": "office_setting", "calendars": "calendar", "closures": "calendar_closure",
    "priorities": "priority", "departments": "department", "providers": "provider",
    "service_categories": "service_category", "problem_codes": "problem_code",
    "template_fields": "template_field", "open311_types": "problem_code_open311",
    "routing_categories": "routing_category", "agents": "agent", "priority_rules": "priority_rule",
}
"""The audit log's entity name for each kind of thing a seed file holds."""


def merge_names(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Stored names overlaid with the file's: languages the file leaves out are kept."""
    return {**(old or {}), **new}


def _redact(diff: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {key: ([old and "(hidden)", new and "(hidden)"] if key in _SECRET else [old, new])
            for key, (old, new) in diff.items()}


@dataclass
class SeedResult:
    """What a seed run did (or, dry, would do): counts per kind and one line per change."""

    dry_run: bool = False
    summary: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(ACTIONS, 0)))
    details: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many things were created, updated or deleted."""
        return sum(c["created"] + c["updated"] + c["deleted"] for c in self.summary.values())

    def to_json(self) -> dict[str, Any]:
        """Counts and changes as one JSON-ready document."""
        return {"dry_run": self.dry_run, "changed": self.changed,
                "summary": {kind: dict(counts) for kind, counts in self.summary.items()},
                "changes": self.details}


class SeedRun:
    """Upserts inside one session, counting and auditing as it goes."""

    def __init__(self, session: Session, *, now: datetime, actor: str,
                 result: SeedResult | None = None) -> None:
        self.session, self.now, self.actor = session, now, actor
        self.result = result or SeedResult()

    def note(self, kind: str, key: str, action: str, entity_id: Any = None,
             diff: dict[str, list[Any]] | None = None) -> None:
        """Count one thing; write an audit entry unless it is unchanged."""
        self.result.summary[kind][action] += 1
        if action == "unchanged":
            return
        diff = _redact(diff or {})
        self.result.details.append({"kind": kind, "key": key, "action": action.removesuffix("d"),
                                    "changes": diff})
        audit.record(self.session, at=self.now, actor_id=None, actor=self.actor,
                     entity=ENTITIES[kind], entity_id=entity_id if entity_id is not None else key,
                     action=f"seed_{action.removesuffix('d')}", changes=diff)

    def find(self, model: type[M], **key: Any) -> M | None:
        """The row with these key values, if any."""
        return self.session.exec(select(model).filter_by(**key)).first()

    def save(self, kind: str, model: type[M], *, key: dict[str, Any], given: dict[str, Any],
             defaults: dict[str, Any] | None = None, label: str | None = None,
             merged: tuple[str, ...] = ("names",), row: M | None = None,
             related: dict[str, list[Any]] | None = None) -> M:
        """Create the row (defaults + given) or update the given fields that differ.

        `related` is a change outside the row (an agent's memberships) counted with it.
        """
        label = label or ":".join(str(v) for v in key.values())
        row = row if row is not None else self.find(model, **key)
        if row is None:
            values = {**(defaults or {}), **given}
            row = model(**key, **values)
            self.session.add(row)
            self.session.flush()
            self.note(kind, label, "created", getattr(row, "id", None),
                      {**{name: [None, value] for name, value in {**key, **values}.items()},
                       **(related or {})})
            return row
        wanted = {name: merge_names(getattr(row, name), value) if name in merged else value
                  for name, value in given.items()}
        diff = changes({name: getattr(row, name) for name in wanted}, wanted)
        if not diff and not related:
            self.note(kind, label, "unchanged")
            return row
        for name, (_old, new) in diff.items():
            setattr(row, name, new)
        diff.update(related or {})
        self.session.add(row)
        self.session.flush()
        self.note(kind, label, "updated", getattr(row, "id", None), diff)
        return row

    def delete(self, kind: str, row: SQLModel, label: str, snapshot: dict[str, Any]) -> None:
        """Remove a row the file no longer lists (fields of a template, closures)."""
        entity_id = getattr(row, "id", None)
        self.session.delete(row)
        self.session.flush()
        self.note(kind, label, "deleted", entity_id, {name: [value, None] for name, value in snapshot.items()})
