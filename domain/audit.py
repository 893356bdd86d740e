"""What changed: the difference between two states of a thing, for the audit log."""

from __future__ import annotations

from typing import Any


def changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for every field of `new` whose value differs from `old`."""
    return {key: [old.get(key), value] for key, value in new.items() if old.get(key) != value}
