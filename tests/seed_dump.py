"""A plain dump of the organisation tables, to compare a database before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from storage.engine import read_session
from storage.tables import (Agent, AuditEntry, BusinessCalendar, CalendarClosure, CategoryMember,
                            Department, OfficeSetting, Priority, PriorityRule, ProblemCode, Provider,
                            RoutingCategory, ServiceCategory, TemplateField)
from storage.tables_seed import ProblemCodeOpen311

ORG_TABLES = (OfficeSetting, BusinessCalendar, CalendarClosure, Priority, Department, Provider,
              ServiceCategory, ProblemCode, TemplateField, ProblemCodeOpen311, RoutingCategory,
              CategoryMember, Agent, PriorityRule)


def dump(engine: Engine) -> dict[str, Any]:
    """Every row of every organisation table (in key order), and the audit log's length."""
    data: dict[str, Any] = {}
    with read_session(engine) as session:
        for model in ORG_TABLES:
            table = model.__table__
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
            data[table.name] = [dict(row) for row in rows]
        data["audit_entries"] = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return data
