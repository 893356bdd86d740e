"""Open311 GeoReport v2 service catalogues <-> the seed document's service hierarchy.

A city endpoint serves `services.json` (the service list) and `{service_code}.json` (a
service definition, for services whose `metadata` is true). Each `group` becomes a
service category, each service a problem code (`service_name` is its English name),
each attribute a template field in `order`. `variable: false` attributes are read-only
notices. Codes and keys may arrive as JSON numbers; they become text. Yes/no questions
are a `singlevaluelist` with the keys yes and no both ways, so a catalogue survives a
round trip.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from domain.errors import InvalidInput
from domain.seed_values import check_code
from domain.templates import FROM_OPEN311, TO_OPEN311, YES_NO_KEYS, FieldKind
from domain.text import fold

LANGUAGE = "en"  # GeoReport v2 catalogues carry one language; we read it as English
_YES_NO_NAMES = {"yes": "Yes", "no": "No"}


def _text(value: Any) -> Any:
    # Codes and keys may be JSON numbers (`"service_code": 1`); booleans are not numbers.
    if isinstance(value, bool):
        raise ValueError(f"got {str(value).lower()}, not a code")
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _code(value: Any) -> Any:
    return check_code(value) if isinstance(value, str) else value


CodeText = Annotated[str, BeforeValidator(_text), BeforeValidator(_code)]
KeyText = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=100)]


class _Open311(BaseModel):
    # Endpoints add their own keys (service_notice, jurisdiction_id …): tolerated.
    model_config = ConfigDict(extra="ignore")


class Service(_Open311):
    """One entry of services.json."""

    service_code: CodeText
    service_name: Annotated[str, Field(min_length=1)]
    description: str | None = ""
    metadata: bool = False
    type: Literal["realtime", "batch", "blackbox"] = "realtime"
    keywords: str | list[str] | None = None
    group: str | None = None

    def keyword_list(self) -> list[str]:
        """The keywords, split at commas."""
        raw = self.keywords if isinstance(self.keywords, list) else (self.keywords or "").split(",")
        return [word.strip() for word in raw if word and word.strip()]


class Value(_Open311):
    """An allowed answer of a list attribute."""

    key: KeyText
    name: str | None = ""


class Attribute(_Open311):
    """One attribute of a service definition."""

    variable: bool = True
    code: CodeText
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool = False
    datatype_description: str | None = None
    order: int = 0
    description: str | None = ""
    values: list[Value] | None = None


class Definition(_Open311):
    """A service definition file, `{service_code}.json`."""

    service_code: CodeText
    attributes: list[Attribute] = Field(default_factory=list)


def check_services(services: list[Service]) -> None:
    """Refuse a service code listed twice (`where` is its index in services.json)."""
    first: dict[str, int] = {}
    for index, service in enumerate(services):
        if service.service_code in first:
            raise InvalidInput(f"duplicate service_code {service.service_code!r} "
                               f"(first at [{first[service.service_code]}])",
                               where=f"[{index}].service_code")
        first[service.service_code] = index


def check_definition(definition: Definition, service_code: str) -> None:
    """Refuse a definition for another service, a repeated attribute code or value key."""
    if definition.service_code != service_code:
        raise InvalidInput(f"is {definition.service_code!r}, expected {service_code!r}",
                           where="service_code")
    codes: dict[str, int] = {}
    for index, attribute in enumerate(definition.attributes):
        if attribute.code in codes:
            raise InvalidInput(f"duplicate attribute code {attribute.code!r} (first at "
                               f"attributes[{codes[attribute.code]}])", where=f"attributes[{index}].code")
        codes[attribute.code] = index
        keys = [value.key for value in attribute.values or []]
        for j, key in enumerate(keys):
            if key in keys[:j]:
                raise InvalidInput(f"duplicate key {key!r}", where=f"attributes[{index}].values[{j}].key")
        if attribute.datatype.endswith("valuelist") and not keys:
            raise InvalidInput(f"a {attribute.datatype} needs values", where=f"attributes[{index}].values")


def _kind(attribute: Attribute) -> FieldKind:
    keys = sorted(value.key for value in attribute.values or [])
    if attribute.datatype == "singlevaluelist" and keys == sorted(YES_NO_KEYS):
        return FieldKind.YES_NO
    return FROM_OPEN311[attribute.datatype]


def attribute_to_field(attribute: Attribute) -> dict[str, Any]:
    """A seed template field from an attribute (names in English; stored translations stay)."""
    kind = _kind(attribute)
    field: dict[str, Any] = {
        "code": attribute.code, "kind": kind.value, "labels": _english(attribute.description),
        "required": attribute.required and attribute.variable, "variable": attribute.variable,
        "description": attribute.datatype_description or "", "order": attribute.order,
    }
    if kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE, FieldKind.YES_NO):
        field["choices"] = [{"key": v.key, "names": _english(v.name)} for v in attribute.values or []]
    return field


def _english(text: str | None) -> dict[str, str]:
    return {LANGUAGE: text.strip()} if text and text.strip() else {}


def slug(text: str) -> str:
    """A code made from a group name: `"Street Lights"` -> `street-lights`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:56] or "group"


def category_codes(groups: list[str], existing: dict[str, str], taken: set[str]) -> dict[str, str]:
    """A service-category code for each group name.

    A group whose English name matches a category the provider already has keeps that
    category's code (`existing`: name -> code); a new one gets a slug of its name,
    numbered if `taken` (codes in use anywhere) already has it.
    """
    codes: dict[str, str] = {}
    used = set(taken)
    for group in groups:
        if group in codes:
            continue
        if group in existing:
            codes[group] = existing[group]
            continue
        base = candidate = slug(group)
        number = 2
        while candidate in used:
            candidate, number = f"{base}-{number}", number + 1
        codes[group] = candidate
        used.add(candidate)
    return codes


def services_to_categories(services: list[Service], definitions: dict[str, Definition],
                           *, codes: dict[str, str], other_group: str = "Other") -> list[dict[str, Any]]:
    """Seed `service_categories` (with their problem codes) for one provider.

    `codes` maps group names to category codes (see `category_codes`); a service without
    a group goes to `other_group`. Names are English only: seeding keeps the other
    languages already stored, so translations survive a re-import.
    """
    categories: dict[str, dict[str, Any]] = {}
    for service in services:
        group = service.group or other_group
        category = categories.setdefault(group, {"code": codes[group], "names": _english(group),
                                                 "problem_codes": []})
        problem: dict[str, Any] = {
            "code": service.service_code, "names": _english(service.service_name),
            "description": service.description or "", "keywords": service.keyword_list(),
            "open311_type": service.type,
        }
        definition = definitions.get(service.service_code)
        if service.metadata:
            attributes = sorted(definition.attributes if definition else [], key=lambda a: a.order)
            problem["template"] = {"fields": [attribute_to_field(a) for a in attributes]}
        category["problem_codes"].append(problem)
    return list(categories.values())


def service_entry(*, code: str, names: dict[str, str], description: str, keywords: list[str],
                  group: str, service_type: str | None, has_fields: bool) -> dict[str, Any]:
    """The services.json entry of a problem code."""
    return {
        "service_code": code,
        "service_name": names.get(LANGUAGE) or next(iter(names.values()), code),
        "description": description,
        "metadata": has_fields,
        "type": service_type or "realtime",
        "keywords": ", ".join(keywords),
        "group": group,
    }


def field_to_attribute(*, code: str, kind: str, labels: dict[str, str], required: bool,
                       variable: bool, description: str, choices: list[dict[str, Any]],
                       order: int) -> dict[str, Any]:
    """The Open311 attribute of a template field (yes/no as a list with keys yes and no)."""
    field_kind = FieldKind(kind)
    attribute: dict[str, Any] = {
        "variable": variable, "code": code, "datatype": TO_OPEN311[field_kind],
        "required": required, "datatype_description": description or None, "order": order,
        "description": labels.get(LANGUAGE) or next(iter(labels.values()), code),
    }
    if field_kind is FieldKind.YES_NO:
        named = {c["key"]: c.get("names", {}) for c in choices}
        keys = [c["key"] for c in choices] or list(YES_NO_KEYS)
        attribute["values"] = [{"key": key, "name": named.get(key, {}).get(LANGUAGE) or _YES_NO_NAMES[key]}
                               for key in keys]
    elif field_kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
        attribute["values"] = [{"key": c["key"], "name": (c.get("names") or {}).get(LANGUAGE)
                                or next(iter((c.get("names") or {}).values()), c["key"])}
                               for c in choices]
    return attribute
