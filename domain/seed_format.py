"""The seed document: the organisation an admin loads with `callcenter seed`, as pydantic models.

Strict about shape: unknown keys are refused (a typo never passes silently), codes,
languages, time ranges and durations are checked where they stand. References between
parts (a problem code's routing category, a rule's priority) and duplicates are checked
against the database as well, in `domain.seed_checks`. docs/seed-format.md describes it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt,
                      field_validator, model_validator)

from domain.requests import Channel, RequestType
from domain.roles import Role
from domain.seed_values import (CategoryPath, Code, Duration, HolidayCountry, Language, Login,
                                NonEmpty, Region, Text, TimeZone, subdivisions, weekly_hours)
from domain.templates import YES_NO_KEYS, FieldKind

ChoiceKey = Annotated[Text, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]
Names = dict[Language, NonEmpty]
"""A name per language code: `{"en": "Solid Waste", "pl": "Odpady stałe"}`."""


class Model(BaseModel):
    """Base of every part of the seed document: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def given(self, *names: str) -> dict[str, Any]:
        """The named fields that the file actually set (omitted ones are left alone)."""
        return {name: getattr(self, name) for name in names if name in self.model_fields_set}


class Office(Model):
    """Office-wide settings."""

    name: NonEmpty | None = None
    country: Region | None = None
    languages: Annotated[list[Language], Field(min_length=1)] | None = None
    default_language: Language | None = None

    @model_validator(mode="after")
    def _default_among_languages(self) -> Office:
        if self.languages is not None:
            if self.default_language and self.default_language not in self.languages:
                raise ValueError(f"default_language {self.default_language!r} is not among "
                                 f"languages {self.languages}")
        return self


class Closure(Model):
    """An extra day the office is closed."""

    date: date
    reason: Text = ""


class Calendar(Model):
    """Opening hours, time zone and the country whose public holidays close the office."""

    code: Code = "main"
    name: NonEmpty | None = None
    timezone: TimeZone | None = None
    country: HolidayCountry | None = None
    subdivision: Text | None = None
    hours: dict[str, Any] = Field(default_factory=dict)
    closures: list[Closure] | None = None

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: dict[str, Any]) -> dict[str, Any]:
        weekly_hours(value)
        return value

    @model_validator(mode="after")
    def _subdivision_of_country(self) -> Calendar:
        if self.subdivision is not None:
            if self.country is None:
                raise ValueError("subdivision needs a country")
            known = subdivisions(self.country)
            if self.subdivision not in known:
                raise ValueError(f"subdivision {self.subdivision!r} is not one of {self.country}'s: "
                                 f"{', '.join(known) or 'none'}")
        return self

    def weekly_hours(self) -> dict[str, list[list[str]]]:
        """The hours as stored: `{"mon": [["08:00", "17:00"]], …}`, closed days left out."""
        return weekly_hours(self.hours)


class Priority(Model):
    """A priority level with business-time targets (`90m`, `3h`, `2d`)."""

    code: Code
    names: Names = Field(default_factory=dict)
    rank: Annotated[StrictInt, Field(ge=1)]
    response: Duration
    resolution: Duration


class ChoiceSpec(Model):
    """One answer of a choice field."""

    key: ChoiceKey
    names: Names = Field(default_factory=dict)


class FieldSpec(Model):
    """A typed field of a work-order template (an Open311 attribute)."""

    code: Code
    kind: FieldKind
    labels: Names = Field(default_factory=dict)
    required: StrictBool = False
    variable: StrictBool = True
    description: Text = ""
    choices: list[ChoiceSpec] = Field(default_factory=list)
    order: StrictInt | None = None

    @model_validator(mode="after")
    def _choices_fit_kind(self) -> FieldSpec:
        keys = [choice.key for choice in self.choices]
        if self.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE) and not keys:
            raise ValueError(f"a {self.kind} field needs choices")
        if self.kind is FieldKind.YES_NO and keys and sorted(keys) != sorted(YES_NO_KEYS):
            raise ValueError("a yes_no field's choices, if given, are exactly yes and no")
        if self.kind not in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE, FieldKind.YES_NO) and keys:
            raise ValueError(f"a {self.kind} field has no choices")
        if self.required and not self.variable:
            raise ValueError("a read-only notice (variable: false) cannot be required")
        return self


class Template(Model):
    """The standard work order a problem code creates."""

    title: Text = ""
    instructions: Text = ""
    default_priority: Code | None = None
    fields: list[FieldSpec] = Field(default_factory=list)


class ProblemCode(Model):
    """A concrete service problem and its template."""

    code: Code
    names: Names = Field(default_factory=dict)
    description: Text = ""
    keywords: list[NonEmpty] = Field(default_factory=list)
    routing_category: CategoryPath | None = None
    active: StrictBool = True
    template: Template | None = None
    open311_type: Literal["realtime", "batch", "blackbox"] | None = None


class ServiceCategory(Model):
    """A group of problem codes."""

    code: Code
    names: Names = Field(default_factory=dict)
    problem_codes: list[ProblemCode] = Field(default_factory=list)


class Provider(Model):
    """A provider within a department."""

    code: Code
    names: Names = Field(default_factory=dict)
    service_categories: list[ServiceCategory] = Field(default_factory=list)


class Department(Model):
    """The top of the service hierarchy."""

    code: Code
    names: Names = Field(default_factory=dict)
    providers: list[Provider] = Field(default_factory=list)


class RoutingCategory(Model):
    """A routing category; missing parents of its path are created as plain queues."""

    path: CategoryPath
    name: NonEmpty | None = None
    mode: Literal["queue", "round_robin", "least_open"] = "queue"
    keywords: dict[Language, list[NonEmpty]] = Field(default_factory=dict)
    supervisors_only: StrictBool = False


class Agent(Model):
    """A person who signs in. Passwords only as argon2 hashes, never in plain text."""

    login: Login
    name: NonEmpty
    role: Role = Role.AGENT
    languages: list[Language] | None = None
    categories: list[CategoryPath] | None = None
    password_hash: Annotated[str, Field(pattern=r"^\$argon2(id|i|d)\$")] | None = None
    active: StrictBool = True

    @model_validator(mode="before")
    @classmethod
    def _no_plain_password(cls, data: Any) -> Any:
        if isinstance(data, dict) and "password" in data:
            raise ValueError("plain-text passwords are not accepted in files: give password_hash "
                             "(an argon2 hash) or set it with `callcenter agent passwd`")
        return data


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _listed(inner: Any) -> Any:
    return Annotated[list[inner], BeforeValidator(_as_list), Field(min_length=1)]


class Conditions(Model):
    """What a request must match for a priority rule to apply (all given ones must match).

    `type`, `channel`, `category` and `problem_code` take one value or a list (any of them
    matches; a category matches its whole subtree); `keywords` a list or one per language.
    """

    type: _listed(RequestType) | None = None
    channel: _listed(Channel) | None = None
    category: _listed(CategoryPath) | None = None
    problem_code: _listed(Code) | None = None
    complaint: StrictBool | None = None
    vip: StrictBool | None = None
    keywords: Annotated[list[NonEmpty], Field(min_length=1)] | dict[Language, list[NonEmpty]] | None = None

    def stored(self) -> dict[str, Any]:
        """The conditions as kept in `priority_rule.conditions`: only the ones given, the
        four that take several values always as lists."""
        return self.model_dump(mode="json", exclude_none=True)


class PriorityRule(Model):
    """An ordered rule: the first whose conditions all match sets the priority."""

    code: Code
    order: StrictInt
    name: Text = ""
    conditions: Conditions = Field(default_factory=Conditions)
    priority: Code


class SeedDocument(Model):
    """A whole seed file; every section is optional."""

    office: Office | None = None
    calendar: Calendar | None = None
    priorities: list[Priority] = Field(default_factory=list)
    departments: list[Department] = Field(default_factory=list)
    routing_categories: list[RoutingCategory] = Field(default_factory=list)
    agents: list[Agent] = Field(default_factory=list)
    priority_rules: list[PriorityRule] = Field(default_factory=list)
