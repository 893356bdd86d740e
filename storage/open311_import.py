"""Importing an Open311 catalogue under one department and provider, as a seed run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import select

from domain.errors import InvalidInput
from domain.open311 import LANGUAGE, category_codes, services_to_categories
from domain.open311_files import SERVICES, Catalogue
from domain.seed_format import SeedDocument
from domain.seed_values import check_code
from storage.office import get_setting
from storage.seed_run import SeedResult, SeedRun
from storage.seeding import apply_document, run_seed
from storage.tables import Department, Provider, ServiceCategory

DEFAULT_CODE = "open311"


def _checked(code: str | None, option: str) -> str | None:
    if code is None:
        return None
    try:
        return check_code(code)
    except ValueError as exc:
        raise InvalidInput(str(exc), where=option) from None


def _placement(run: SeedRun, department: str | None, provider: str | None) -> tuple[str, str]:
    """The department and provider codes the services go under (an existing provider's own
    department when only --provider is given)."""
    provider = provider or DEFAULT_CODE
    stored = run.find(Provider, code=provider)
    if stored is not None:
        owner = run.session.get(Department, stored.department_id).code
        if department is not None and department != owner:
            raise InvalidInput(f"provider {provider!r} belongs to department {owner!r}, not {department!r}",
                               where="--department")
        return owner, provider
    return department or DEFAULT_CODE, provider


def _document(run: SeedRun, catalogue: Catalogue, department: str, provider: str) -> SeedDocument:
    provider_row = run.find(Provider, code=provider)
    existing: dict[str, str] = {}
    if provider_row is not None:
        for row in run.session.exec(select(ServiceCategory).where(
                ServiceCategory.provider_id == provider_row.id).order_by(ServiceCategory.id)):
            existing.setdefault((row.names or {}).get(LANGUAGE, row.code), row.code)
    taken = set(run.session.exec(select(ServiceCategory.code)).all())
    groups = [service.group or "Other" for service in catalogue.services]
    codes = category_codes(groups, existing, taken)
    language = get_setting(run.session, "default_language") or LANGUAGE
    provider_doc: dict[str, Any] = {"code": provider, "service_categories": services_to_categories(
        catalogue.services, catalogue.definitions, codes=codes)}
    department_doc: dict[str, Any] = {"code": department, "providers": [provider_doc]}
    # New ones are named by their code; stored names are left as they are.
    if provider_row is None:
        provider_doc["names"] = {language: provider}
    if run.find(Department, code=department) is None:
        department_doc["names"] = {language: department}
    try:
        return SeedDocument.model_validate({"departments": [department_doc]})
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise InvalidInput(f"{error['msg']} at {error['loc']}", where=SERVICES) from None


def import_open311(engine: Engine, catalogue: Catalogue, *, now: datetime, department: str | None = None,
                   provider: str | None = None, actor: str = "cli", dry_run: bool = False) -> SeedResult:
    """Upsert the catalogue's groups as service categories and services as problem codes."""
    department = _checked(department, "--department")
    provider = _checked(provider, "--provider")

    def work(run: SeedRun) -> None:
        dept_code, provider_code = _placement(run, department, provider)
        doc = _document(run, catalogue, dept_code, provider_code)
        apply_document(run, doc, extra_languages=frozenset({LANGUAGE}))

    return run_seed(engine, work, now=now, actor=actor, dry_run=dry_run)
