"""Loading a validated seed document into the database in one transaction.

Everything is an upsert by code (login for agents, path for routing categories): what
the file gives is set, what it leaves out is left alone, and a thing that already looks
like the file is not touched (no write, no audit entry). Lists inside one thing —
closures of the calendar, fields of a template, an agent's categories — become exactly
what the file lists. A dry run does the same work and rolls it back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from domain import seed_format as fmt
from domain.errors import DomainError, InvalidInput
from domain.seed_checks import Known, ancestors, check_document, priority_targets
from domain.seed_values import working_day_minutes
from storage.engine import run_write
from storage.office import DEFAULTS, get_setting, put_setting
from storage.seed_run import SeedResult, SeedRun
from storage.seeding_catalogue import seed_departments
from storage.tables import (Agent, BusinessCalendar, CalendarClosure, CategoryMember,
                            OfficeSetting, Priority, PriorityRule, ProblemCode, RoutingCategory)


class SeedProblem(DomainError):
    """Document number `index` of a run was refused; `cause` names the place in it."""

    def __init__(self, index: int, cause: InvalidInput) -> None:
        self.index, self.cause = index, cause
        super().__init__(str(cause))


def known(session: Session, *, extra_languages: frozenset[str] = frozenset()) -> Known:
    """What the database holds that a document may refer to."""
    return Known(
        languages=frozenset(get_setting(session, "languages") or DEFAULTS["languages"]),
        priorities=frozenset(session.exec(select(Priority.code)).all()),
        categories=frozenset(session.exec(select(RoutingCategory.path)).all()),
        problem_codes=frozenset(session.exec(select(ProblemCode.code)).all()),
        extra_languages=extra_languages)


def _office(run: SeedRun, office: fmt.Office) -> None:
    for key, value in office.given("name", "country", "languages", "default_language").items():
        stored = run.session.get(OfficeSetting, key) is not None
        old = get_setting(run.session, key)
        if not put_setting(run.session, key, value):
            run.note("office_settings", key, "unchanged")
            continue
        run.session.flush()
        run.note("office_settings", key, "updated" if stored else "created", key, {key: [old, value]})


def _calendar(run: SeedRun, calendar: fmt.Calendar) -> None:
    if calendar.timezone is None and run.find(BusinessCalendar, code=calendar.code) is None:
        raise InvalidInput(f"is required for the new calendar {calendar.code!r}", where="calendar.timezone")
    given = calendar.given("name", "timezone", "country", "subdivision")
    if "hours" in calendar.model_fields_set:
        given["weekly_hours"] = calendar.weekly_hours()
    row = run.save("calendars", BusinessCalendar, key={"code": calendar.code}, given=given,
                   defaults={"name": calendar.code, "weekly_hours": {}})
    if calendar.closures is None:
        return
    existing = {c.day: c for c in run.session.exec(
        select(CalendarClosure).where(CalendarClosure.calendar_id == row.id))}
    for closure in calendar.closures:
        day = closure.date.isoformat()
        run.save("closures", CalendarClosure, key={"calendar_id": row.id, "day": day},
                 given={"reason": closure.reason}, label=f"{calendar.code}:{day}", row=existing.pop(day, None))
    for day, closure in sorted(existing.items()):
        run.delete("closures", closure, f"{calendar.code}:{day}", {"day": day, "reason": closure.reason})


def _day_minutes(session: Session, doc: fmt.SeedDocument) -> int:
    if doc.calendar is not None and "hours" in doc.calendar.model_fields_set:
        return working_day_minutes(doc.calendar.weekly_hours())
    code = doc.calendar.code if doc.calendar else None
    query = select(BusinessCalendar).order_by(BusinessCalendar.id)
    stored = session.exec(query.where(BusinessCalendar.code == code) if code else query).first()
    return working_day_minutes(stored.weekly_hours if stored else {})


def _priorities(run: SeedRun, doc: fmt.SeedDocument) -> None:
    targets = priority_targets(doc, _day_minutes(run.session, doc))
    for priority in doc.priorities:
        response, resolution = targets[priority.code]
        run.save("priorities", Priority, key={"code": priority.code},
                 given={**priority.given("names"), "rank": priority.rank,
                        "response_minutes": response, "resolution_minutes": resolution})


def _routing(run: SeedRun, categories: list[fmt.RoutingCategory]) -> None:
    listed = {category.path: category for category in categories}
    paths = sorted({a for path in listed for a in ancestors(path)}, key=lambda p: (p.count("/"), p))
    ids: dict[str, int] = {}
    for path in paths:
        parent, _, name = path.rpartition("/")
        spec = listed.get(path)
        if spec is None:
            row = run.find(RoutingCategory, path=path)
            if row is not None:
                run.note("routing_categories", path, "unchanged")
            else:
                row = run.save("routing_categories", RoutingCategory, key={"path": path},
                               given={"name": name, "parent_id": ids.get(parent), "keywords": {}})
            ids[path] = row.id
            continue
        given = {**spec.given("mode", "keywords", "supervisors_only"), "parent_id": ids.get(parent)}
        if spec.name is not None:
            given["name"] = spec.name
        row = run.save("routing_categories", RoutingCategory, key={"path": path}, given=given,
                       defaults={"name": name, "keywords": {}}, merged=("keywords",))
        ids[path] = row.id


def _category_ids(session: Session, paths: list[str]) -> dict[str, int]:
    rows = session.exec(select(RoutingCategory).where(RoutingCategory.path.in_(paths))).all()
    return {row.path: row.id for row in rows}


def _memberships(session: Session, agent_id: int) -> dict[str, CategoryMember]:
    rows = session.exec(select(RoutingCategory.path, CategoryMember).join(
        CategoryMember, CategoryMember.category_id == RoutingCategory.id).where(
        CategoryMember.agent_id == agent_id)).all()
    return {path: member for path, member in rows}


def _agents(run: SeedRun, agents: list[fmt.Agent], default_language: str) -> None:
    for agent in agents:
        row = run.find(Agent, login=agent.login)
        given = agent.given("name", "role", "languages", "password_hash", "active")
        if "role" in given:
            given["role"] = agent.role.value
        current = _memberships(run.session, row.id) if row is not None else {}
        wanted = sorted(set(agent.categories)) if agent.categories is not None else sorted(current)
        related = {"categories": [sorted(current), wanted]} if wanted != sorted(current) else None
        row = run.save("agents", Agent, key={"login": agent.login}, given=given, row=row,
                       defaults={"languages": [default_language], "created_at": run.now},
                       related=related)
        if related is None:
            continue
        for path in set(current) - set(wanted):
            run.session.delete(current[path])
        ids = _category_ids(run.session, [path for path in wanted if path not in current])
        run.session.add_all(CategoryMember(category_id=category_id, agent_id=row.id)
                            for category_id in ids.values())
        run.session.flush()


def _rules(run: SeedRun, rules: list[fmt.PriorityRule]) -> None:
    for rule in rules:
        given = {**rule.given("name"), "position": rule.order, "priority": rule.priority}
        if "conditions" in rule.model_fields_set:
            given["conditions"] = rule.conditions.stored()
        run.save("priority_rules", PriorityRule, key={"code": rule.code}, given=given,
                 defaults={"conditions": {}})


def apply_document(run: SeedRun, doc: fmt.SeedDocument, *, extra_languages: frozenset[str] = frozenset()) -> None:
    """Check `doc` against the database and upsert all of it inside the run's session."""
    check_document(doc, known(run.session, extra_languages=extra_languages))
    if doc.office is not None:
        _office(run, doc.office)
    if doc.calendar is not None:
        _calendar(run, doc.calendar)
    _priorities(run, doc)
    _routing(run, doc.routing_categories)
    seed_departments(run, doc.departments)
    _agents(run, doc.agents, get_setting(run.session, "default_language") or "en")
    _rules(run, doc.priority_rules)


class _RolledBack(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def run_seed(engine: Engine, work: Callable[[SeedRun], None], *, now: datetime, actor: str,
             dry_run: bool = False) -> SeedResult:
    """Run `work` in one write transaction; commit it, or roll it back for a dry run."""

    def transaction(session: Session) -> SeedResult:
        run = SeedRun(session, now=now, actor=actor, result=SeedResult(dry_run=dry_run))
        work(run)
        if dry_run:
            raise _RolledBack(run.result)  # leaves the session without commit: rolled back
        return run.result

    try:
        return run_write(engine, transaction)
    except _RolledBack as done:
        return done.result


def seed_documents(engine: Engine, documents: Sequence[fmt.SeedDocument], *, now: datetime,
                   actor: str = "cli", dry_run: bool = False) -> SeedResult:
    """Apply documents in order in one transaction; a problem in one writes nothing at all.

    A refused document raises SeedProblem with its index, so the caller can name the file.
    """

    def work(run: SeedRun) -> None:
        for index, doc in enumerate(documents):
            try:
                apply_document(run, doc)
            except InvalidInput as exc:
                raise SeedProblem(index, exc) from None

    return run_seed(engine, work, now=now, actor=actor, dry_run=dry_run)
