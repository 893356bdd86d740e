"""Checks that span a seed document and the database: duplicates, languages, references.

Each problem is an `InvalidInput` whose `where` is the place in the document
(`departments[2].providers[0].code`), so the CLI can name the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from domain.errors import InvalidInput
from domain.seed_format import SeedDocument
from domain.seed_values import parse_duration


@dataclass(frozen=True)
class Known:
    """What the database already holds that a seed document may refer to."""

    languages: frozenset[str] = frozenset({"en"})
    priorities: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    problem_codes: frozenset[str] = frozenset()
    extra_languages: frozenset[str] = field(default_factory=frozenset)


def ancestors(path: str) -> list[str]:
    """`"A/B/C"` -> `["A", "A/B", "A/B/C"]`: the path and every parent, top first."""
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _unique(items: Iterable[tuple[str, object]], what: str) -> None:
    first: dict[object, str] = {}
    for where, value in items:
        if value in first:
            raise InvalidInput(f"duplicate {what} {value!r} (first at {first[value]})", where=where)
        first[value] = where


def _hierarchy(doc: SeedDocument) -> Iterator[tuple[str, str, object]]:
    """(kind, path, item) for every department, provider, service category and problem code."""
    for d, dept in enumerate(doc.departments):
        yield "department", f"departments[{d}]", dept
        for p, provider in enumerate(dept.providers):
            p_path = f"departments[{d}].providers[{p}]"
            yield "provider", p_path, provider
            for c, category in enumerate(provider.service_categories):
                c_path = f"{p_path}.service_categories[{c}]"
                yield "service category", c_path, category
                for k, code in enumerate(category.problem_codes):
                    yield "problem code", f"{c_path}.problem_codes[{k}]", code


def _check_duplicates(doc: SeedDocument) -> None:
    _unique(((f"priorities[{i}].code", p.code) for i, p in enumerate(doc.priorities)), "priority code")
    _unique(((f"priorities[{i}].rank", p.rank) for i, p in enumerate(doc.priorities)), "priority rank")
    items = list(_hierarchy(doc))
    for kind in ("department", "provider", "service category", "problem code"):
        _unique(((f"{path}.code", item.code) for k, path, item in items if k == kind), f"{kind} code")
    for _kind, path, item in items:
        template = getattr(item, "template", None)
        if template is None:
            continue
        _unique(((f"{path}.template.fields[{i}].code", f.code) for i, f in enumerate(template.fields)),
                "field code")
        for i, spec in enumerate(template.fields):
            _unique(((f"{path}.template.fields[{i}].choices[{j}].key", c.key)
                     for j, c in enumerate(spec.choices)), "choice key")
    _unique(((f"routing_categories[{i}].path", r.path) for i, r in enumerate(doc.routing_categories)),
            "routing category")
    _unique(((f"agents[{i}].login", a.login) for i, a in enumerate(doc.agents)), "agent login")
    _unique(((f"priority_rules[{i}].code", r.code) for i, r in enumerate(doc.priority_rules)), "rule code")
    _unique(((f"priority_rules[{i}].order", r.order) for i, r in enumerate(doc.priority_rules)), "rule order")
    if doc.calendar and doc.calendar.closures:
        _unique(((f"calendar.closures[{i}].date", c.date) for i, c in enumerate(doc.calendar.closures)),
                "closure date")
    if doc.office and doc.office.languages:
        _unique(((f"office.languages[{i}]", lang) for i, lang in enumerate(doc.office.languages)), "language")
    for i, agent in enumerate(doc.agents):
        _unique(((f"agents[{i}].languages[{j}]", lang) for j, lang in enumerate(agent.languages or [])),
                "language")
        _unique(((f"agents[{i}].categories[{j}]", path) for j, path in enumerate(agent.categories or [])),
                "category")


def _names(doc: SeedDocument) -> Iterator[tuple[str, dict]]:
    """(path, {language: …}) for every per-language mapping in the document."""
    for i, priority in enumerate(doc.priorities):
        yield f"priorities[{i}].names", priority.names
    for _kind, path, item in _hierarchy(doc):
        yield f"{path}.names", item.names
        template = getattr(item, "template", None)
        for j, spec in enumerate(template.fields if template else []):
            yield f"{path}.template.fields[{j}].labels", spec.labels
            for k, choice in enumerate(spec.choices):
                yield f"{path}.template.fields[{j}].choices[{k}].names", choice.names
    for i, category in enumerate(doc.routing_categories):
        yield f"routing_categories[{i}].keywords", category.keywords
    for i, agent in enumerate(doc.agents):
        yield f"agents[{i}].languages", dict.fromkeys(agent.languages or [])
    for i, rule in enumerate(doc.priority_rules):
        if isinstance(rule.conditions.keywords, dict):
            yield f"priority_rules[{i}].conditions.keywords", rule.conditions.keywords


def _check_languages(doc: SeedDocument, known: Known) -> None:
    office = doc.office
    allowed = set(office.languages) if office and office.languages else set(known.languages)
    if office and office.default_language and not office.languages and office.default_language not in allowed:
        raise InvalidInput(f"{office.default_language!r} is not one of the office's languages "
                           f"({', '.join(sorted(allowed))})", where="office.default_language")
    allowed |= known.extra_languages
    for path, mapping in _names(doc):
        for language in mapping:
            if language not in allowed:
                raise InvalidInput(f"{language!r} is not one of the office's languages "
                                   f"({', '.join(sorted(allowed))}); add it to office.languages",
                                   where=f"{path}.{language}" if not path.endswith("languages") else path)


def _refer(value: str | None, where: str, known: set[str] | frozenset[str], what: str) -> None:
    if value is not None and value not in known:
        raise InvalidInput(f"no {what} {value!r} in this file or the database", where=where)


def _check_references(doc: SeedDocument, known: Known) -> None:
    priorities = {p.code for p in doc.priorities} | known.priorities
    categories = {a for r in doc.routing_categories for a in ancestors(r.path)} | known.categories
    codes = {item.code for kind, _p, item in _hierarchy(doc) if kind == "problem code"}
    codes |= known.problem_codes
    for kind, path, item in _hierarchy(doc):
        if kind != "problem code":
            continue
        _refer(item.routing_category, f"{path}.routing_category", categories, "routing category")
        if item.template is not None:
            _refer(item.template.default_priority, f"{path}.template.default_priority",
                   priorities, "priority")
    for i, agent in enumerate(doc.agents):
        for j, path in enumerate(agent.categories or []):
            _refer(path, f"agents[{i}].categories[{j}]", categories, "routing category")
    for i, rule in enumerate(doc.priority_rules):
        _refer(rule.priority, f"priority_rules[{i}].priority", priorities, "priority")
        for j, path in enumerate(rule.conditions.category or []):
            _refer(path, f"priority_rules[{i}].conditions.category[{j}]", categories, "routing category")
        for j, code in enumerate(rule.conditions.problem_code or []):
            _refer(code, f"priority_rules[{i}].conditions.problem_code[{j}]", codes, "problem code")


def priority_targets(doc: SeedDocument, day_minutes: int) -> dict[str, tuple[int, int]]:
    """`{code: (response, resolution)}` in business minutes; a day is `day_minutes` long.

    Refuses a resolution target shorter than the response target.
    """
    targets = {}
    for i, priority in enumerate(doc.priorities):
        response = parse_duration(priority.response, day_minutes=day_minutes)
        resolution = parse_duration(priority.resolution, day_minutes=day_minutes)
        if resolution < response:
            raise InvalidInput(f"{priority.resolution!r} is shorter than the response target "
                               f"{priority.response!r}", where=f"priorities[{i}].resolution")
        targets[priority.code] = (response, resolution)
    return targets


def check_document(doc: SeedDocument, known: Known) -> None:
    """Raise InvalidInput at the first duplicate, foreign language or dangling reference."""
    _check_duplicates(doc)
    _check_languages(doc, known)
    _check_references(doc, known)
