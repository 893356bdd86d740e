"""Reading the service catalogue back as an Open311 GeoReport v2 catalogue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import select

from domain.errors import InvalidInput
from domain.open311 import LANGUAGE, field_to_attribute, service_entry
from storage.engine import read_session
from storage.tables import Department, ProblemCode, Provider, ServiceCategory, TemplateField
from storage.tables_seed import ProblemCodeOpen311


def read_catalogue(engine: Engine, *, department: str | None = None, provider: str | None = None
                   ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The active problem codes (of one department or provider, if named) as `services.json`
    entries and `{service_code}.json` definitions, in hierarchy and code order."""
    with read_session(engine) as session:
        query = (select(ProblemCode, ServiceCategory, ProblemCodeOpen311.service_type)
                 .join(ServiceCategory, ServiceCategory.id == ProblemCode.service_category_id)
                 .join(Provider, Provider.id == ServiceCategory.provider_id)
                 .join(Department, Department.id == Provider.department_id)
                 .outerjoin(ProblemCodeOpen311, ProblemCodeOpen311.problem_code_id == ProblemCode.id)
                 .where(ProblemCode.active.is_(True))
                 .order_by(Department.code, Provider.code, ServiceCategory.code, ProblemCode.code))
        if department is not None:
            if session.exec(select(Department.id).where(Department.code == department)).first() is None:
                raise InvalidInput(f"no department {department!r}", where="--department")
            query = query.where(Department.code == department)
        if provider is not None:
            if session.exec(select(Provider.id).where(Provider.code == provider)).first() is None:
                raise InvalidInput(f"no provider {provider!r}", where="--provider")
            query = query.where(Provider.code == provider)
        rows = session.exec(query).all()
        fields: dict[int, list[TemplateField]] = {}
        for field in session.exec(select(TemplateField).where(
                TemplateField.problem_code_id.in_([code.id for code, _c, _t in rows]))
                .order_by(TemplateField.position, TemplateField.id)):
            fields.setdefault(field.problem_code_id, []).append(field)
    services, definitions = [], {}
    for code, category, service_type in rows:
        own = fields.get(code.id, [])
        group = (category.names or {}).get(LANGUAGE) or next(iter((category.names or {}).values()), category.code)
        services.append(service_entry(code=code.code, names=code.names or {}, description=code.description,
                                      keywords=list(code.keywords or []), group=group,
                                      service_type=service_type, has_fields=bool(own)))
        if own:
            definitions[code.code] = {"service_code": code.code, "attributes": [
                field_to_attribute(code=f.code, kind=f.kind, labels=f.labels or {}, required=f.required,
                                   variable=f.variable, description=f.description,
                                   choices=list(f.choices or []), order=f.position)
                for f in own]}
    return services, definitions
