"""A generated office full of requests (fixed seed), kept in memory too for independent counts.

Tests count what a report should say straight from `Office.requests` in plain Python and
compare with what the storage layer computes in SQL.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine

from domain.requests import Channel, RequestType, Status
from storage.engine import run_write
from storage.tables import (Agent, BusinessCalendar, Department, OfficeSetting, Priority,
                            ProblemCode, Provider, Request, RoutingCategory, ServiceCategory)

UTC = timezone.utc
PRIORITIES = {"urgent": (1, 30, 120), "high": (2, 60, 480), "medium": (3, 180, 1440),
              "low": (4, 480, 4320)}
HIERARCHY = {  # department -> provider -> service category -> problem codes
    "env": {"waste": {"garbage": ["appliance", "missed-pickup"], "recycling": ["bin-broken"]},
            "water": {"leaks": ["hydrant", "main-break"]}},
    "roads": {"streets": {"lights": ["streetlight-out"], "holes": ["pothole"]}},
}
CATEGORIES = ["Technical support", "Technical support/Hardware",
              "Technical support/Hardware/Printers", "Administration/Invoices", "Complaints"]
LOGINS = ["ann", "bob", "cyd", "dee", "eve"]


@dataclass
class Office:
    """What was generated: names by id, and every request's columns as inserted."""

    zone: str
    problems: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    """problem id -> (problem code, provider code, department code)."""
    categories: dict[int, str] = field(default_factory=dict)
    agents: dict[int, str] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)


def _organisation(engine: Engine, office: Office, zone: str) -> None:
    def work(session) -> None:
        session.add(BusinessCalendar(code="office", name="Office", timezone=zone, weekly_hours={
            day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}))
        session.add(OfficeSetting(key="calendar", value="office"))
        for code, (rank, response, resolution) in PRIORITIES.items():
            session.add(Priority(code=code, names={"en": code}, rank=rank,
                                 response_minutes=response, resolution_minutes=resolution))
        for dep_code, providers in HIERARCHY.items():
            department = Department(code=dep_code, names={"en": dep_code})
            session.add(department)
            session.flush()
            for prov_code, services in providers.items():
                provider = Provider(code=prov_code, department_id=department.id, names={})
                session.add(provider)
                session.flush()
                for svc_code, problems in services.items():
                    service = ServiceCategory(code=svc_code, provider_id=provider.id, names={})
                    session.add(service)
                    session.flush()
                    for code in problems:
                        problem = ProblemCode(code=code, service_category_id=service.id, names={})
                        session.add(problem)
                        session.flush()
                        office.problems[problem.id] = (code, prov_code, dep_code)
        for path in CATEGORIES:
            category = RoutingCategory(path=path, name=path.rsplit("/", 1)[-1])
            session.add(category)
            session.flush()
            office.categories[category.id] = path
        for login in LOGINS:
            agent = Agent(login=login, name=login.title(), role="agent", languages=["en"])
            session.add(agent)
            session.flush()
            office.agents[agent.id] = login

    run_write(engine, work)


def _random_request(rng: random.Random, office: Office, created: datetime,
                    now: datetime) -> dict[str, Any]:
    status = rng.choice(list(Status))
    priority = rng.choice([None, *PRIORITIES])
    row: dict[str, Any] = {
        "created_at": created, "updated_at": created,
        "type": rng.choice([None, *(t.value for t in RequestType)]),
        "channel": rng.choice([c.value for c in Channel]), "status": status.value,
        "category_id": rng.choice([None, *office.categories]),
        "problem_code_id": rng.choice([None, *office.problems]),
        "assigned_agent_id": rng.choice([None, *office.agents]),
        "priority": priority, "complaint": rng.random() < 0.1, "escalated": rng.random() < 0.05,
        "subject": f"generated {rng.randrange(10**6)}", "field_values": {},
        "response_due_at": None, "resolution_due_at": None, "first_response_at": None,
        "resolved_at": None, "paused_at": None}
    row["assigned_at"] = created if row["assigned_agent_id"] else None
    if priority:
        _rank, response, resolution = PRIORITIES[priority]
        row["response_due_at"] = created + timedelta(minutes=response)
        row["resolution_due_at"] = created + timedelta(minutes=resolution)
    if rng.random() < 0.6:
        row["first_response_at"] = min(now, created + timedelta(minutes=rng.randrange(1, 300)))
    if status in (Status.RESOLVED, Status.CLOSED):
        row["resolved_at"] = min(now, created + timedelta(minutes=rng.randrange(1, 5000)))
    if status is Status.PENDING_CUSTOMER:
        row["paused_at"] = min(now, created + timedelta(minutes=rng.randrange(1, 3000)))
    return row


def build_office(engine: Engine, *, now: datetime, seed: int = 20261127, count: int = 300,
                 start: datetime = datetime(2026, 10, 20, tzinfo=UTC),
                 zone: str = "Europe/Warsaw", edges: list[datetime] = ()) -> Office:
    """Create the organisation and `count` requests created between `start` and `now`.

    `edges` adds requests at exact instants (range bounds, the hour of a DST change).
    """
    office = Office(zone=zone)
    _organisation(engine, office, zone)
    rng = random.Random(seed)
    span = int((now - start).total_seconds())
    moments = [start + timedelta(seconds=rng.randrange(span)) for _ in range(count)]
    office.requests = [_random_request(rng, office, at, now) for at in [*moments, *edges]]

    def work(session) -> None:
        requests = [Request(**row) for row in office.requests]
        session.add_all(requests)
        session.flush()
        for row, request in zip(office.requests, requests):
            row["id"] = request.id

    run_write(engine, work)
    return office
