"""Priority rules: ordered, the first whose conditions all match sets a request's priority.

Conditions (all optional; a rule without conditions matches everything):
`type`, `channel`, `problem_code` (a value or a list of values), `category` (a path or
list of paths; a path matches its whole subtree), `complaint` and `vip` (true/false),
`keywords` (any of them in the subject or notes, diacritics-insensitive).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.categorise import find_keywords, keyword_list
from domain.errors import InvalidInput

CONDITIONS = ("type", "channel", "category", "problem_code", "complaint", "vip", "keywords")
_CHOICES = ("type", "channel", "category", "problem_code")
_FLAGS = ("complaint", "vip")


@dataclass(frozen=True)
class RequestFacts:
    """What the rules look at in a request."""

    type: str | None = None
    channel: str = "phone"
    category: str | None = None
    problem_code: str | None = None
    complaint: bool = False
    vip: bool = False
    text: str = ""
    """Subject and notes, searched for keywords."""


def _values(value: Any, where: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, Sequence) or not items or not all(isinstance(v, str) and v for v in items):
        raise InvalidInput("must be a value or a non-empty list of values", where=where)
    return tuple(items)


def _in_subtree(path: str | None, roots: Sequence[str]) -> bool:
    return path is not None and any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


@dataclass(frozen=True)
class PriorityRule:
    """One rule: when all its conditions match, the request gets `priority`."""

    code: str
    priority: str
    name: str = ""
    conditions: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, *, code: str, priority: str, name: str = "", conditions: Any = None,
              where: str = "priority_rules") -> "PriorityRule":
        """A rule with its conditions checked; bad ones are named by `where`."""
        raw = conditions or {}
        if not isinstance(raw, Mapping):
            raise InvalidInput("must be a mapping of condition to value", where=f"{where}.conditions")
        checked: dict[str, Any] = {}
        for key, value in raw.items():
            here = f"{where}.conditions.{key}"
            if key in _CHOICES:
                checked[key] = _values(value, here)
            elif key in _FLAGS:
                if not isinstance(value, bool):
                    raise InvalidInput("must be true or false", where=here)
                checked[key] = value
            elif key == "keywords":
                checked[key] = keyword_list(value, where=here)
                if not checked[key]:
                    raise InvalidInput("must name at least one keyword", where=here)
            else:
                raise InvalidInput(f"{key!r} is not a condition (use {', '.join(CONDITIONS)})", where=here)
        return cls(code=code, priority=priority, name=name, conditions=checked)

    def match(self, facts: RequestFacts) -> list[str] | None:
        """Why the rule matches (one phrase per condition), or None when it does not."""
        reasons: list[str] = []
        for key, wanted in self.conditions.items():
            if key == "category":
                if not _in_subtree(facts.category, wanted):
                    return None
                reasons.append(f"category {facts.category} is under {' or '.join(wanted)}"
                               if facts.category not in wanted else f"category is {facts.category}")
            elif key in _CHOICES:
                actual = getattr(facts, key)
                if actual not in wanted:
                    return None
                reasons.append(f"{key.replace('_', ' ')} is {actual}")
            elif key in _FLAGS:
                if bool(getattr(facts, key)) != wanted:
                    return None
                reasons.append({("complaint", True): "it is a complaint",
                                ("complaint", False): "it is not a complaint",
                                ("vip", True): "the customer is VIP",
                                ("vip", False): "the customer is not VIP"}[(key, wanted)])
            else:
                found = find_keywords(facts.text, wanted)
                if not found:
                    return None
                reasons.append(f"keywords: {', '.join(found)}")
        return reasons or ["the rule matches every request"]


@dataclass(frozen=True)
class PriorityChoice:
    """The priority a request gets and where it came from."""

    priority: str | None
    source: str
    """`manual`, `rule`, `problem_code`, `default`, or `none` (no priorities set up)."""
    rule: str | None = None
    rule_name: str = ""
    matched: tuple[str, ...] = ()

    def text(self) -> str:
        """"high (rule vip-callers: the customer is VIP)"."""
        if self.priority is None:
            return "no priority (none are set up)"
        why = {"manual": "set by hand", "problem_code": "the problem code's default",
               "default": "no rule matched; the least urgent priority"}.get(self.source)
        if self.source == "rule":
            named = self.rule_name and self.rule_name != self.rule
            label = f"{self.rule} “{self.rule_name}”" if named else self.rule
            why = f"rule {label}: {'; '.join(self.matched)}"
        return f"{self.priority} ({why})"

    def to_json(self) -> dict[str, Any]:
        """The choice as JSON-ready data."""
        return {"code": self.priority, "source": self.source, "rule": self.rule,
                "rule_name": self.rule_name, "matched": list(self.matched), "text": self.text()}


def choose_priority(rules: Sequence[PriorityRule], facts: RequestFacts, *,
                    problem_default: str | None = None, fallback: str | None = None) -> PriorityChoice:
    """The first matching rule's priority; else the problem code's default; else `fallback`."""
    for rule in rules:
        reasons = rule.match(facts)
        if reasons is not None:
            return PriorityChoice(rule.priority, "rule", rule.code, rule.name, tuple(reasons))
    if problem_default:
        return PriorityChoice(problem_default, "problem_code",
                              matched=(f"problem code {facts.problem_code}",))
    if fallback:
        return PriorityChoice(fallback, "default")
    return PriorityChoice(None, "none")
