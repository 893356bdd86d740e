"""How parts of the request form report an edited request field to the intake screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class FieldEdited(Message):
    """A request field was edited; the intake screen saves it (at once when `now`)."""

    field: str
    value: Any
    now: bool = False


def field_of(widget_id: str | None) -> str | None:
    """The request field a form widget edits: `#field-resolution-note` -> `resolution_note`."""
    if widget_id and widget_id.startswith("field-"):
        return widget_id.removeprefix("field-").replace("-", "_")
    return None
