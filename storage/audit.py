"""Writing the append-only audit log, always inside the transaction of the change."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, insert
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session, select

from storage.raw_statement import RawStatement
from storage.tables import AuditEntry

_INSERT = insert(AuditEntry.__table__)
_COLUMNS = ("at", "actor_id", "actor", "entity", "entity_id", "action", "changes")


def record(session: Session, *, at: datetime, actor_id: int | None, actor: str, entity: str,
           entity_id: Any, action: str, changes: dict[str, Any] | None = None) -> None:
    """Add one audit entry to `session` (committed with the change it describes)."""
    session.add(AuditEntry(at=at, actor_id=actor_id, actor=actor, entity=entity,
                           entity_id=str(entity_id), action=action, changes=_jsonable(changes)))


def write(connection: Connection, *, at: datetime, actor_id: int | None, actor: str, entity: str,
          entity_id: Any, action: str, changes: dict[str, Any] | None = None) -> None:
    """Write one audit entry now, with a plain INSERT on the transaction's connection.

    For hot paths (save-first) that skip the unit of work (pull-next goes further, on the
    DBAPI cursor: `raw_insert`): entries written
    this way get their ids at once, before any `record`ed in the same transaction.
    """
    connection.execute(_INSERT, entry_values(at=at, actor_id=actor_id, actor=actor, entity=entity,
                                             entity_id=entity_id, action=action, changes=changes))


def entry_values(*, at: datetime, actor_id: int | None, actor: str, entity: str, entity_id: Any,
                 action: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The column values of one audit entry, as `write` inserts them."""
    return {"at": at, "actor_id": actor_id, "actor": actor, "entity": entity,
            "entity_id": str(entity_id), "action": action, "changes": _jsonable(changes)}


@lru_cache(maxsize=8)
def raw_insert(dialect: Dialect) -> RawStatement:
    """The INSERT of one entry for a DBAPI cursor (`storage.raw_statement`), run with
    `entry_values(...)`: for the pull-next claim, which runs under the write lock."""
    return RawStatement(insert(AuditEntry.__table__).values({name: bindparam(name) for name in _COLUMNS}),
                        dialect, _COLUMNS)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def entries_for(session: Session, entity: str, entity_id: Any) -> list[dict[str, Any]]:
    """The audit trail of one thing, oldest first, as plain dicts."""
    rows = session.exec(select(AuditEntry).where(
        AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id)).order_by(AuditEntry.id)).all()
    return [{"at": r.at.isoformat(), "actor": r.actor, "action": r.action, "changes": r.changes}
            for r in rows]
