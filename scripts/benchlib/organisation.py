"""The benchmark office's organisation: calendar, priorities, hierarchy, routing tree, agents.

Modelled on the demo office of `domain.md` (Environmental Services → Solid Waste →
Residential Garbage Collection → Appliance Pickup …) in en, pl, nl and pt, widened so
that 200 agents have 24 routing categories and 48 problem codes to spread over.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.passwords import hash_password

from .bulk import BulkLoader

BENCH_PASSWORD = "bench-password"
PRIORITIES = [("urgent", 1, 60, 240), ("high", 2, 120, 960), ("medium", 3, 180, 2400),
              ("low", 4, 480, 4800)]
PRIORITY_WEIGHTS = [5, 20, 55, 20]
DEPARTMENTS = [
    ("environment", {"en": "Environmental Services", "pl": "Usługi środowiskowe",
                     "nl": "Milieuservices", "pt": "Serviços ambientais"}),
    ("streets", {"en": "Streets and Lighting", "pl": "Drogi i oświetlenie",
                 "nl": "Straten en verlichting", "pt": "Ruas e iluminação"}),
    ("finance", {"en": "Taxes and Payments", "pl": "Podatki i opłaty",
                 "nl": "Belastingen en betalingen", "pt": "Impostos e pagamentos"}),
    ("social", {"en": "Social Services", "pl": "Usługi społeczne",
                "nl": "Sociale diensten", "pt": "Serviços sociais"}),
]
ROUTING_ROOTS = ["Administration", "Technical support", "Waste", "Streets", "Complaints"]


@dataclass
class Organisation:
    """Ids the request generator draws from."""

    agent_ids: list[int] = field(default_factory=list)
    leaf_category_ids: list[int] = field(default_factory=list)
    problem_code_ids: list[int] = field(default_factory=list)
    problem_category: dict[int, int] = field(default_factory=dict)
    memberships: dict[int, list[int]] = field(default_factory=dict)


def _names(base: str, index: int) -> dict[str, str]:
    return {lang: f"{base} {index}" for lang in ("en", "pl", "nl", "pt")}


def load_organisation(loader: BulkLoader, *, rng: random.Random, agents: int,
                      now: datetime) -> Organisation:
    """Write the organisation tables and return the ids requests refer to."""
    org = Organisation()
    loader.insert("office_setting", ["key", "value"], [
        ("name", "Benchmark office"), ("country", "PL"), ("languages", ["pl", "nl", "pt", "en"]),
        ("default_language", "pl")])
    loader.insert("business_calendar", ["id", "code", "name", "timezone", "country",
                                        "subdivision", "weekly_hours"], [
        (1, "main", "Main office", "Europe/Warsaw", "PL", None,
         {day: [["08:00", "12:00"], ["13:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")})])
    loader.insert("priority", ["id", "code", "names", "rank", "response_minutes", "resolution_minutes"],
                  [(i + 1, code, {"en": code.title()}, rank, response, resolution)
                   for i, (code, rank, response, resolution) in enumerate(PRIORITIES)])
    loader.insert("department", ["id", "code", "names"],
                  [(i + 1, code, names) for i, (code, names) in enumerate(DEPARTMENTS)])
    providers, categories, problems, fields = [], [], [], []
    for d in range(len(DEPARTMENTS)):
        for p in range(3):
            provider_id = len(providers) + 1
            providers.append((provider_id, f"prov-{d + 1}-{p + 1}", d + 1,
                              _names("Provider", provider_id)))
            for s in range(2):
                category_id = len(categories) + 1
                categories.append((category_id, f"svc-{category_id}", provider_id,
                                   _names("Service category", category_id)))
                for c in range(2):
                    problem_id = len(problems) + 1
                    problems.append(problem_id)
                    fields.append((problem_id * 2 - 1, problem_id, "item", 0, "choice",
                                   {"en": "Item"}, "", True, True,
                                   [{"key": k, "names": {"en": k.title()}} for k in ("stove", "washer", "dryer")]))
                    fields.append((problem_id * 2, problem_id, "count", 1, "number",
                                   {"en": "How many"}, "", False, True, []))
    loader.insert("provider", ["id", "code", "department_id", "names"], providers)
    loader.insert("service_category", ["id", "code", "provider_id", "names"], categories)

    routing, complaints_id = [], 0
    for root in ROUTING_ROOTS:
        root_id = len(routing) + 1
        complaints_id = root_id if root == "Complaints" else complaints_id
        routing.append((root_id, root, root, None, "queue", [], root == "Complaints"))
        for child in range(4 if root != "Complaints" else 0):
            child_id = len(routing) + 1
            name = f"Team {child + 1}"
            mode = ("queue", "round_robin", "least_open", "queue")[child]
            routing.append((child_id, f"{root}/{name}", name, root_id, mode, [f"{root.lower()}{child}"], False))
            org.leaf_category_ids.append(child_id)
    loader.insert("routing_category", ["id", "path", "name", "parent_id", "mode", "keywords",
                                       "supervisors_only"], routing)

    problem_rows = []
    for problem_id in problems:
        category = org.leaf_category_ids[(problem_id - 1) % len(org.leaf_category_ids)]
        org.problem_category[problem_id] = category
        problem_rows.append((problem_id, f"pc-{problem_id:03d}", (problem_id + 1) // 2,
                             {"en": f"Problem {problem_id}", "pl": f"Problem {problem_id}",
                              "nl": f"Probleem {problem_id}", "pt": f"Problema {problem_id}"},
                             "", [], f"Work order for problem {problem_id}", "Go and fix it.",
                             "medium", category, True))
    org.problem_code_ids = problems
    loader.insert("problem_code", ["id", "code", "service_category_id", "names", "description",
                                   "keywords", "template_title", "template_instructions",
                                   "default_priority", "routing_category_id", "active"], problem_rows)
    loader.insert("template_field", ["id", "problem_code_id", "code", "position", "kind", "labels",
                                     "description", "required", "variable", "choices"], fields)
    loader.insert("priority_rule", ["id", "code", "position", "name", "conditions", "priority"], [
        (1, "complaints-high", 1, "Complaints are high", {"complaint": True}, "high"),
        (2, "phone-medium", 2, "Phone calls", {"channel": ["phone"]}, "medium"),
        (3, "default-low", 3, "Everything else", {}, "low")])

    password_hash = hash_password(BENCH_PASSWORD)
    agent_rows, member_rows, absence_rows = [], [], []
    for a in range(1, agents + 1):
        role = "admin" if a <= 2 else "supervisor" if a % 20 == 0 else "agent"
        langs = rng.sample(["pl", "nl", "pt", "en"], rng.randint(1, 3))
        agent_rows.append((a, f"agent{a:03d}", f"Agent {a:03d}", role, langs, password_hash, True,
                           now - timedelta(days=400), None))
        chosen = rng.sample(org.leaf_category_ids, 3)
        if role != "agent":
            chosen.append(complaints_id)  # complaints land with supervisors
        org.memberships[a] = chosen
        member_rows.extend((c, a, None) for c in chosen)
        if rng.random() < 0.05:
            absence_rows.append((len(absence_rows) + 1, a, now - timedelta(days=2),
                                 now + timedelta(days=5), "leave"))
    org.agent_ids = list(range(1, agents + 1))
    loader.insert("agent", ["id", "login", "name", "role", "languages", "password_hash", "active",
                            "created_at", "last_seen_at"], agent_rows)
    loader.insert("category_member", ["category_id", "agent_id", "last_assigned_at"], member_rows)
    loader.insert("agent_absence", ["id", "agent_id", "starts_at", "ends_at", "reason"], absence_rows)
    return org
