"""A small office for console and storage tests: catalogue, agents, articles, a customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from storage.agents import add_agent
from storage.engine import run_write
from storage.office import put_setting
from storage.tables import (Article, ArticleLink, Department, ProblemCode,
                            Provider, RoutingCategory, ServiceCategory, TemplateField)

PASSWORDS = {"ann": "ann-secret-1", "sue": "sue-secret-1"}


@dataclass
class Office:
    """Ids of what was seeded."""

    appliance_pickup: int
    missed_collection: int
    pothole: int
    waste_queue: int
    streets_queue: int
    ann: int
    sue: int
    bins_article: int
    hours_article: int


def _appliance_fields(code_id: int) -> list[TemplateField]:
    return [
        TemplateField(problem_code_id=code_id, code="appliance", position=1, kind="choice",
                      required=True, labels={"en": "Appliance", "pl": "Urządzenie"},
                      choices=[{"key": "stove", "names": {"en": "Stove", "pl": "Kuchenka"}},
                               {"key": "washer", "names": {"en": "Washer", "pl": "Pralka"}},
                               {"key": "fridge", "names": {"en": "Fridge", "pl": "Lodówka"}}]),
        TemplateField(problem_code_id=code_id, code="count", position=2, kind="number",
                      labels={"en": "How many", "pl": "Ile sztuk"}),
        TemplateField(problem_code_id=code_id, code="heavy", position=3, kind="yes_no",
                      labels={"en": "Needs two people", "pl": "Potrzeba dwóch osób"}),
        TemplateField(problem_code_id=code_id, code="notice", position=0, kind="string",
                      variable=False, labels={"en": "Notice"},
                      description="Pickups happen on Tuesdays."),
    ]


def seed_office(engine: Engine, now: datetime) -> Office:
    """Create the test office and return the ids tests need."""

    def catalogue(session: Session) -> dict[str, int]:
        put_setting(session, "country", "PL")
        put_setting(session, "languages", ["en", "pl", "nl", "pt"])
        env = Department(code="environment", names={
            "en": "Environmental Services", "pl": "Usługi środowiskowe",
            "nl": "Milieuservices", "pt": "Serviços ambientais"})
        streets = Department(code="streets", names={"en": "Streets", "pl": "Drogi"})
        session.add_all([env, streets])
        session.flush()
        waste = Provider(code="solid-waste", department_id=env.id,
                         names={"en": "Solid Waste", "pl": "Odpady stałe", "nl": "Huisvuil"})
        roads = Provider(code="roads", department_id=streets.id, names={"en": "Roads"})
        session.add_all([waste, roads])
        session.flush()
        garbage = ServiceCategory(code="residential-garbage", provider_id=waste.id, names={
            "en": "Residential Garbage Collection", "pl": "Wywóz odpadów komunalnych"})
        surface = ServiceCategory(code="road-surface", provider_id=roads.id,
                                  names={"en": "Road surface", "pl": "Nawierzchnia"})
        session.add_all([garbage, surface])
        session.flush()
        waste_q = RoutingCategory(path="Environment/Waste", name="Waste")
        streets_q = RoutingCategory(path="Streets", name="Streets")
        supervisors_q = RoutingCategory(path="Supervisors", name="Supervisors",
                                        supervisors_only=True)
        session.add_all([waste_q, streets_q, supervisors_q])
        session.flush()
        pickup = ProblemCode(
            code="appliance-pickup", service_category_id=garbage.id,
            names={"en": "Appliance Pickup", "pl": "Odbiór urządzeń",
                   "nl": "Witgoedverwijdering", "pt": "Coleta de eletrodomésticos"},
            template_title="Collect appliance", template_instructions="Collect from the kerb.",
            default_priority="medium", routing_category_id=waste_q.id)
        missed = ProblemCode(code="missed-collection", service_category_id=garbage.id,
                             names={"en": "Missed collection", "pl": "Nieodebrane odpady"},
                             template_title="Collect missed bins", routing_category_id=waste_q.id)
        pothole = ProblemCode(code="pothole", service_category_id=surface.id,
                              names={"en": "Pothole", "pl": "Dziura w jezdni"},
                              template_title="Fill pothole", routing_category_id=streets_q.id)
        session.add_all([pickup, missed, pothole])
        session.flush()
        session.add_all(_appliance_fields(pickup.id))
        session.add(TemplateField(problem_code_id=missed.id, code="bin", position=1,
                                  kind="string", required=True, labels={"en": "Which bin"}))
        bins = Article(slug="bin-days", title="Bin collection days", language="en",
                       body="# Bin days\n\nGarbage is collected on **Tuesdays**.",
                       script="Tell the caller their street's day.", url="https://example.org/bins",
                       phones=[{"label": "Depot", "number": "+48221234567"}],
                       search_title="bin collection days", search_body="garbage is collected on tuesdays")
        hours = Article(slug="office-hours", title="Office hours", language="en",
                        body="Open 08:00-17:00.", search_title="office hours",
                        search_body="open 08:00-17:00")
        session.add_all([bins, hours])
        session.flush()
        session.add(ArticleLink(from_article_id=bins.id, to_slug="office-hours",
                                to_article_id=hours.id))
        return {"appliance_pickup": pickup.id, "missed_collection": missed.id,
                "pothole": pothole.id, "waste_queue": waste_q.id, "streets_queue": streets_q.id,
                "bins_article": bins.id, "hours_article": hours.id}

    ids = run_write(engine, catalogue)
    ann = add_agent(engine, login="ann", name="Ann Agent", role="agent", now=now,
                    password=PASSWORDS["ann"], categories=["Environment/Waste"])
    sue = add_agent(engine, login="sue", name="Sue Supervisor", role="supervisor", now=now,
                    password=PASSWORDS["sue"], categories=["Environment/Waste", "Streets", "Supervisors"])
    return Office(ann=ann.id, sue=sue.id, **ids)
