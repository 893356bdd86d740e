"""Seeding the service catalogue: departments -> providers -> service categories -> problem
codes, with their work-order templates."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from domain import seed_format as fmt
from storage.seed_run import SeedRun, merge_names
from storage.tables import (Department, ProblemCode, Provider, RoutingCategory, ServiceCategory,
                            TemplateField)
from storage.tables_seed import ProblemCodeOpen311


def seed_departments(run: SeedRun, departments: list[fmt.Department]) -> None:
    """Upsert every department and everything below it."""
    for department in departments:
        row = run.save("departments", Department, key={"code": department.code},
                       given=department.given("names"))
        for provider in department.providers:
            _provider(run, provider, row.id)


def _provider(run: SeedRun, provider: fmt.Provider, department_id: int) -> None:
    row = run.save("providers", Provider, key={"code": provider.code},
                   given={**provider.given("names"), "department_id": department_id})
    for category in provider.service_categories:
        category_row = run.save("service_categories", ServiceCategory, key={"code": category.code},
                                given={**category.given("names"), "provider_id": row.id})
        for problem in category.problem_codes:
            _problem_code(run, problem, category_row.id)


def _category_id(run: SeedRun, path: str | None) -> int | None:
    if path is None:
        return None
    return run.session.exec(select(RoutingCategory.id).where(RoutingCategory.path == path)).one()


def _problem_code(run: SeedRun, problem: fmt.ProblemCode, category_id: int) -> None:
    given: dict[str, Any] = {**problem.given("names", "description", "keywords", "active"),
                             "service_category_id": category_id}
    if "routing_category" in problem.model_fields_set:
        given["routing_category_id"] = _category_id(run, problem.routing_category)
    template = problem.template
    if template is not None:
        renamed = {"title": "template_title", "instructions": "template_instructions",
                   "default_priority": "default_priority"}
        given.update({renamed[name]: value for name, value in
                      template.given("title", "instructions", "default_priority").items()})
    row = run.save("problem_codes", ProblemCode, key={"code": problem.code}, given=given)
    if template is not None and "fields" in template.model_fields_set:
        _template_fields(run, row, template.fields)
    if problem.open311_type is not None:
        run.save("open311_types", ProblemCodeOpen311, key={"problem_code_id": row.id},
                 given={"service_type": problem.open311_type}, label=problem.code)


def _merged_choices(old: list[dict[str, Any]], new: list[fmt.ChoiceSpec]) -> list[dict[str, Any]]:
    stored = {choice.get("key"): choice.get("names") or {} for choice in old or []}
    return [{"key": choice.key, "names": merge_names(stored.get(choice.key), choice.names)}
            for choice in new]


def _template_fields(run: SeedRun, problem: ProblemCode, fields: list[fmt.FieldSpec]) -> None:
    """Make the code's fields exactly the file's (in its order); labels keep other languages."""
    existing = {row.code: row for row in run.session.exec(
        select(TemplateField).where(TemplateField.problem_code_id == problem.id))}
    for index, spec in enumerate(fields):
        stored = existing.pop(spec.code, None)
        given = {"position": spec.order if spec.order is not None else index + 1,
                 "kind": spec.kind.value, "labels": spec.labels, "description": spec.description,
                 "required": spec.required, "variable": spec.variable,
                 "choices": _merged_choices(stored.choices if stored else [], spec.choices)}
        run.save("template_fields", TemplateField, key={"problem_code_id": problem.id, "code": spec.code},
                 given=given, merged=("labels",), label=f"{problem.code}.{spec.code}", row=stored)
    for code, row in sorted(existing.items()):
        run.delete("template_fields", row, f"{problem.code}.{code}",
                   {"kind": row.kind, "labels": row.labels, "position": row.position})
