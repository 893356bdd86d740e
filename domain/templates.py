"""Work-order templates: the typed fields a problem code asks for, and checking answers.

Our field kinds map one-to-one onto Open311 GeoReport v2 attribute datatypes; yes/no is
written to Open311 as a `singlevaluelist` with exactly the keys `yes` and `no`, and read
back as yes/no, so a catalogue survives a round trip.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from domain.errors import InvalidInput


class FieldKind(StrEnum):
    """The type of a template field."""

    STRING = "string"          # one line of text
    TEXT = "text"              # several lines
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"


TO_OPEN311: dict[FieldKind, str] = {
    FieldKind.STRING: "string", FieldKind.TEXT: "text", FieldKind.NUMBER: "number",
    FieldKind.DATE: "datetime", FieldKind.CHOICE: "singlevaluelist",
    FieldKind.MULTI_CHOICE: "multivaluelist", FieldKind.YES_NO: "singlevaluelist",
}
FROM_OPEN311: dict[str, FieldKind] = {
    "string": FieldKind.STRING, "text": FieldKind.TEXT, "number": FieldKind.NUMBER,
    "datetime": FieldKind.DATE, "singlevaluelist": FieldKind.CHOICE,
    "multivaluelist": FieldKind.MULTI_CHOICE,
}
YES_NO_KEYS = ("yes", "no")


@dataclass(frozen=True)
class Choice:
    """One allowed answer of a choice field."""

    key: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        """The choice's name in `language`, falling back to English, then the key."""
        return self.names.get(language) or self.names.get("en") or self.key


@dataclass(frozen=True)
class TemplateFieldSpec:
    """A field of a work-order template, as the form and the validators see it."""

    code: str
    kind: FieldKind
    labels: dict[str, str]
    required: bool = False
    variable: bool = True
    description: str = ""
    choices: tuple[Choice, ...] = field(default_factory=tuple)

    def label(self, language: str) -> str:
        """The label in `language`, falling back to English, then the code."""
        return self.labels.get(language) or self.labels.get("en") or self.code

    def choice_keys(self) -> tuple[str, ...]:
        """The keys a choice field accepts (yes/no for yes/no fields)."""
        return YES_NO_KEYS if self.kind is FieldKind.YES_NO else tuple(c.key for c in self.choices)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def check_value(spec: TemplateFieldSpec, value: Any) -> Any:
    """Return `value` normalised for storage, or raise InvalidInput naming the field."""
    where = spec.code
    if not spec.variable:
        return None
    if _empty(value):
        if spec.required:
            raise InvalidInput("is required", where=where)
        return None
    match spec.kind:
        case FieldKind.STRING | FieldKind.TEXT:
            return str(value)
        case FieldKind.NUMBER:
            try:
                number = float(str(value).replace(",", "."))
            except ValueError:
                raise InvalidInput(f"{value!r} is not a number", where=where) from None
            return int(number) if number.is_integer() else number
        case FieldKind.DATE:
            try:
                return date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", where=where) from None
        case FieldKind.YES_NO:
            text = str(value).strip().lower()
            if text in ("yes", "y", "true", "1", "tak", "ja", "sim"):
                return "yes"
            if text in ("no", "n", "false", "0", "nie", "nee", "não", "nao"):
                return "no"
            raise InvalidInput(f"{value!r} is not yes or no", where=where)
        case FieldKind.CHOICE:
            if str(value) not in spec.choice_keys():
                raise InvalidInput(
                    f"{value!r} is not one of {', '.join(spec.choice_keys())}", where=where)
            return str(value)
        case FieldKind.MULTI_CHOICE:
            values = [value] if isinstance(value, str) else list(value)
            bad = [v for v in values if str(v) not in spec.choice_keys()]
            if bad:
                raise InvalidInput(
                    f"{', '.join(map(repr, bad))} not among {', '.join(spec.choice_keys())}",
                    where=where)
            return [str(v) for v in values]
    raise AssertionError(spec.kind)


def check_values(specs: list[TemplateFieldSpec], values: dict[str, Any]) -> dict[str, Any]:
    """Check every field; unknown keys are refused. Returns the normalised values."""
    known = {spec.code for spec in specs}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InvalidInput(f"unknown field(s): {', '.join(unknown)}", where="field_values")
    checked = {}
    for spec in specs:
        normalised = check_value(spec, values.get(spec.code))
        if normalised is not None:
            checked[spec.code] = normalised
    return checked
