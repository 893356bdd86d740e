"""The service catalogue: department -> provider -> service category -> problem code.

Names are kept per language (`{"en": "Appliance Pickup", "pl": "Odbiór urządzeń"}`);
finding a problem code matches the typed words against its names in every language,
ignoring case and diacritics (`domain.text.fold`), so "odbior urzadzen" finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain.templates import Choice, FieldKind, TemplateFieldSpec
from domain.text import fold
from storage.engine import read_session
from storage.errors import NotFound
from storage.tables import Department, ProblemCode, Provider, ServiceCategory, TemplateField


def pick_name(names: dict[str, str] | None, language: str, fallback: str = "") -> str:
    """The name in `language`, else English, else any name, else `fallback`."""
    names = names or {}
    return names.get(language) or names.get("en") or next(iter(names.values()), "") or fallback


@dataclass(frozen=True)
class CatalogueNode:
    """A department, provider or service category."""

    id: int
    code: str
    names: dict[str, str]

    def name(self, language: str) -> str:
        """The node's name in `language` (falling back to English, then the code)."""
        return pick_name(self.names, language, self.code)


@dataclass(frozen=True)
class ProblemCodeRecord:
    """A problem code with where it sits in the hierarchy and its work-order template."""

    id: int
    code: str
    names: dict[str, str]
    department: CatalogueNode
    provider: CatalogueNode
    service_category: CatalogueNode
    description: str = ""
    template_title: str = ""
    template_instructions: str = ""
    default_priority: str | None = None
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def name(self, language: str) -> str:
        """The problem code's name in `language` (falling back to English, then the code)."""
        return pick_name(self.names, language, self.code)

    def path(self, language: str, sep: str = " › ") -> str:
        """Department › provider › service category, in `language`."""
        return sep.join(node.name(language) for node in
                        (self.department, self.provider, self.service_category))


def _node(row: Any) -> CatalogueNode:
    return CatalogueNode(id=row.id, code=row.code, names=dict(row.names or {}))


def _rows(session: Session, *conditions: Any) -> list[ProblemCodeRecord]:
    query = (select(ProblemCode, ServiceCategory, Provider, Department)
             .join(ServiceCategory, ServiceCategory.id == ProblemCode.service_category_id)
             .join(Provider, Provider.id == ServiceCategory.provider_id)
             .join(Department, Department.id == Provider.department_id)
             .where(*conditions).order_by(ProblemCode.code))
    return [ProblemCodeRecord(
        id=code.id, code=code.code, names=dict(code.names or {}), department=_node(dept),
        provider=_node(provider), service_category=_node(category),
        description=code.description or "", template_title=code.template_title or "",
        template_instructions=code.template_instructions or "",
        default_priority=code.default_priority, keywords=tuple(code.keywords or ()))
        for code, category, provider, dept in session.exec(query)]


def problem_codes(engine: Engine) -> list[ProblemCodeRecord]:
    """Every active problem code with its place in the hierarchy, by code."""
    with read_session(engine) as session:
        return _rows(session, ProblemCode.active.is_(True))


def problem_code(engine: Engine, problem_code_id: int) -> ProblemCodeRecord:
    """One problem code (active or not), or NotFound."""
    with read_session(engine) as session:
        rows = _rows(session, ProblemCode.id == problem_code_id)
    if not rows:
        raise NotFound(f"no problem code with id {problem_code_id}")
    return rows[0]


def _nodes(engine: Engine, model: Any, *conditions: Any) -> list[CatalogueNode]:
    with read_session(engine) as session:
        return [_node(row) for row in session.exec(select(model).where(*conditions).order_by(model.code))]


def departments(engine: Engine) -> list[CatalogueNode]:
    """Every department, by code."""
    return _nodes(engine, Department)


def providers(engine: Engine, department_id: int) -> list[CatalogueNode]:
    """The providers of one department."""
    return _nodes(engine, Provider, Provider.department_id == department_id)


def service_categories(engine: Engine, provider_id: int) -> list[CatalogueNode]:
    """The service categories of one provider."""
    return _nodes(engine, ServiceCategory, ServiceCategory.provider_id == provider_id)


def codes_in_category(engine: Engine, service_category_id: int) -> list[ProblemCodeRecord]:
    """The active problem codes of one service category."""
    with read_session(engine) as session:
        return _rows(session, ProblemCode.active.is_(True),
                     ProblemCode.service_category_id == service_category_id)


def _score(code: ProblemCodeRecord, words: list[str], language: str) -> int:
    """0 when some word is missing; higher when words start names in the UI language."""
    names = [fold(n) for n in code.names.values()]
    haystack = " ".join(names + [fold(code.code)] + [fold(k) for k in code.keywords])
    if not all(word in haystack for word in words):
        return 0
    own = fold(code.name(language))
    score = 1
    score += sum(2 for word in words if any(f" {word}" in f" {name}" for name in names))
    score += sum(3 for word in words if f" {word}" in f" {own}")
    return score


def find_problem_codes(engine: Engine, text: str, *, language: str = "en",
                       limit: int = 50) -> list[ProblemCodeRecord]:
    """Active problem codes whose name in any language (or code) holds every typed word.

    Case and diacritics are ignored; codes whose names start with the words, above all
    in `language`, come first.
    """
    words = fold(text).split()
    if not words:
        return []
    scored = [(score, code) for code in problem_codes(engine)
              if (score := _score(code, words, language))]
    scored.sort(key=lambda pair: (-pair[0], pair[1].name(language)))
    return [code for _score_, code in scored[:limit]]


def _spec(row: TemplateField) -> TemplateFieldSpec:
    choices = tuple(Choice(key=str(c.get("key")), names=dict(c.get("names") or {}))
                    for c in (row.choices or []))
    return TemplateFieldSpec(code=row.code, kind=FieldKind(row.kind), labels=dict(row.labels or {}),
                             required=row.required, variable=row.variable,
                             description=row.description or "", choices=choices)


def specs_in(session: Session, problem_code_id: int) -> list[TemplateFieldSpec]:
    """`template_specs` inside an open session (for checks within a write)."""
    rows = session.exec(select(TemplateField).where(
        TemplateField.problem_code_id == problem_code_id).order_by(
        TemplateField.position, TemplateField.id)).all()
    return [_spec(row) for row in rows]


def template_specs(engine: Engine, problem_code_id: int) -> list[TemplateFieldSpec]:
    """The typed fields a problem code's work-order template asks for, in order."""
    with read_session(engine) as session:
        return specs_in(session, problem_code_id)
