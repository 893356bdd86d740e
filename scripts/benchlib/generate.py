"""Generating the benchmark office's rows with one seeded random generator.

Requests spread over the year before `now`, in office hours, numbered in time order;
recent ones are still open (half of those unassigned in a queue), older ones resolved
or closed. Every request has its `open` audit entry, as `storage.requests.open_request`
writes it; a third have an activity line; action requests link to work orders.
"""

from __future__ import annotations

import functools
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from domain.text import fold

from . import words
from .bulk import BulkLoader
from .organisation import PRIORITIES, PRIORITY_WEIGHTS, Organisation

TYPES = ["information", "action", "comment", None]
TYPE_WEIGHTS = [50, 33, 12, 5]
CHANNELS = ["phone", "email", "web", "chat", "social", "fax", "walk_in"]
CHANNEL_WEIGHTS = [50, 20, 12, 8, 4, 2, 4]
OPEN = ["new", "in_progress", "pending_customer", "reopened"]
OPEN_WEIGHTS = [50, 30, 15, 5]
HOURS = list(range(7, 19))
HOUR_WEIGHTS = [2, 9, 12, 12, 10, 8, 9, 10, 9, 7, 4, 2]
STREETS = ["ul. Długa", "ul. Żółkiewskiego", "Keizersgracht", "Rua Augusta", "High Street",
           "ul. Świętokrzyska", "Oudegracht", "Avenida da Liberdade"]
REQUEST_COLUMNS = [
    "id", "type", "channel", "status", "created_at", "updated_at", "created_by_id",
    "assigned_agent_id", "assigned_at", "customer_id", "category_id", "problem_code_id",
    "work_order_id", "priority", "response_due_at", "resolution_due_at", "first_response_at",
    "resolved_at", "closed_at", "complaint", "escalated", "subject", "notes",
    "resolution_note", "comment_about", "comment_kind", "address", "field_values"]


_fold_token = functools.lru_cache(maxsize=200_000)(fold)


def fast_fold(text: str) -> str:
    """`domain.text.fold(text)`, word by word through a cache (the vocabulary is small)."""
    return " ".join(map(_fold_token, text.split(" ")))


@dataclass(frozen=True)
class Sizes:
    """How many of each thing a data set holds."""

    requests: int
    articles: int
    agents: int
    work_orders: int
    customers: int
    days: int = 365

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        """Scale 1.0 is 1,000,000 requests, 100,000 articles, 200 agents, 5,000 work orders."""
        return cls(requests=max(100, round(1_000_000 * scale)),
                   articles=max(40, round(100_000 * scale)),
                   agents=max(10, round(200 * min(1.0, scale * 10))),
                   work_orders=max(20, round(5_000 * scale)),
                   customers=max(50, round(150_000 * scale)))


@dataclass
class RequestFacts:
    """Compact per-request facts kept for the tables generated after requests."""

    created: array  # seconds since epoch
    agent: array  # creating agent id
    status: array  # 0 open, 1 resolved, 2 closed


def _times(rng: random.Random, count: int, now: datetime, days: int) -> list[float]:
    start = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    base = start.timestamp()
    span = int((now - start).total_seconds() // 86400)
    hours = rng.choices(HOURS, weights=HOUR_WEIGHTS, k=count)
    limit = now.timestamp()
    times = []
    for hour in hours:
        t = base + rng.randrange(span + 1) * 86400 + hour * 3600 + rng.random() * 3600
        times.append(t if t <= limit else limit - rng.random() * 86400)
    times.sort()
    return times


def load_requests(loader: BulkLoader, org: Organisation, sizes: Sizes, *, rng: random.Random,
                  now: datetime, progress, task) -> RequestFacts:
    """Write customers, contacts, work orders and requests; return facts for the rest."""
    loader.insert("customer", ["id", "name", "address", "vip", "notes", "created_at"], (
        (c, f"Customer {c}", f"{STREETS[c % len(STREETS)]} {c % 200 + 1}", c % 97 == 0, "",
         now - timedelta(days=400)) for c in range(1, sizes.customers + 1)))
    loader.insert("customer_search", ["customer_id", "name_folded"], (
        (c, fold(f"Customer {c}")) for c in range(1, sizes.customers + 1)))
    contacts = []
    for c in range(1, sizes.customers + 1):
        contacts.append(("phone", f"+48{500000000 + c}", c))
        if c % 3 == 0:
            contacts.append(("email", f"customer{c}@example.org", c))
    loader.insert("customer_contact", ["id", "customer_id", "kind", "value"],
                  ((i + 1, c, kind, value) for i, (kind, value, c) in enumerate(contacts)))
    loader.insert("work_order", ["id", "problem_code_id", "title", "instructions", "priority",
                                 "status", "address", "field_values", "created_at",
                                 "created_by_id", "closed_at"], (
        (w, org.problem_code_ids[w % len(org.problem_code_ids)], f"Work order {w}", "",
         "medium", "done" if w % 4 else "open", f"{STREETS[w % len(STREETS)]} {w % 150 + 1}",
         {"item": "stove"}, now - timedelta(days=365 * (1 - w / sizes.work_orders)) - timedelta(hours=1),
         org.agent_ids[w % len(org.agent_ids)], None) for w in range(1, sizes.work_orders + 1)))

    count = sizes.requests
    times = _times(rng, count, now, sizes.days)
    facts = RequestFacts(array("d"), array("l"), array("b"))
    limit = now.timestamp()
    targets = {p[0]: (p[2], p[3]) for p in PRIORITIES}
    # Draw each column for all requests at once: per-row random calls dominate otherwise.
    kinds = rng.choices(TYPES, weights=TYPE_WEIGHTS, k=count)
    channels = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS, k=count)
    agents = rng.choices(org.agent_ids, k=count)
    priorities = rng.choices([p[0] for p in PRIORITIES], weights=PRIORITY_WEIGHTS, k=count)
    open_statuses = rng.choices(OPEN, weights=OPEN_WEIGHTS, k=count)
    problems = rng.choices(org.problem_code_ids, k=count)
    categories = rng.choices(org.leaf_category_ids, k=count)
    customers = rng.choices(range(1, sizes.customers + 1), k=count)
    orders = rng.choices(range(1, sizes.work_orders + 1), k=count)
    chances = [rng.random() for _ in range(count * 4)]
    minutes = rng.choices(range(2, 60 * 24 * 3), k=count)
    subjects = [words.sentence(rng, words.LANGUAGES[i % 4], 3 + i % 6) for i in range(5000)]
    notes = [words.sentence(rng, words.LANGUAGES[i % 4], 12) for i in range(2000)]
    subject_picks = rng.choices(range(len(subjects)), k=count)
    addresses = [f"{STREETS[i % len(STREETS)]} {i % 200 + 1}" for i in range(1600)]
    comment_kinds = ["compliment", "complaint", "remark"]
    abouts = ["employee", "office", "service"]

    def rows() -> Iterator[tuple]:
        for index, t in enumerate(times):
            number = index + 1
            created = datetime.fromtimestamp(t, timezone.utc)
            age_days = (limit - t) / 86400
            kind, agent, priority = kinds[index], agents[index], priorities[index]
            c1, c2, c3, c4 = chances[index * 4:index * 4 + 4]
            still_open = c1 < (0.6 if age_days < 14 else 0.01)
            if still_open:
                status = open_statuses[index]
            else:
                status = "closed" if age_days > 7 and c2 < 0.8 else "resolved"
            response_min, resolution_min = targets[priority]
            problem = problems[index] if kind == "action" else None
            category = org.problem_category[problem] if problem else categories[index]
            queued = still_open and status in ("new", "reopened") and c2 < 0.5
            assigned = None if queued else agent
            order = orders[index] if kind == "action" and c3 < 0.8 else None
            comment_kind = comment_kinds[number % 3] if kind == "comment" else None
            done = None if still_open else min(created + timedelta(minutes=minutes[index]), now)
            facts.created.append(t)
            facts.agent.append(agent)
            facts.status.append(0 if still_open else 1 if status == "resolved" else 2)
            yield (number, kind, channels[index], status, created, done or created, agent,
                   assigned, None if assigned is None else created,
                   customers[index] if c4 < 0.7 else None, category, problem, order, priority,
                   created + timedelta(minutes=response_min),
                   created + timedelta(minutes=resolution_min),
                   None if done is None else min(created + timedelta(minutes=1 + number % 30), done),
                   done, done if status == "closed" else None,
                   comment_kind == "complaint", False, subjects[subject_picks[index]],
                   notes[number % len(notes)] if c4 < 0.4 else "",
                   "" if still_open else "Answered on the phone.",
                   abouts[number % 3] if kind == "comment" else None, comment_kind,
                   addresses[number % len(addresses)] if problem else "",
                   {"item": "stove", "count": 1} if problem else {})

    loader.insert("request", REQUEST_COLUMNS, rows(), progress=progress, task=task)
    return facts


def load_request_history(loader: BulkLoader, facts: RequestFacts, *, rng: random.Random,
                         progress, task) -> None:
    """Write each request's `open` audit entry (and a status change for finished ones) and activity."""
    login = {a: f"agent{a:03d}" for a in set(facts.agent)}

    def audit_rows() -> Iterator[tuple]:
        entry = 0
        for index, t in enumerate(facts.created):
            number, agent = index + 1, facts.agent[index]
            at = datetime.fromtimestamp(t, timezone.utc)
            entry += 1
            yield (entry, at, agent, login[agent], "request", str(number), "open",
                   {"channel": [None, "phone"], "type": [None, None]})
            if facts.status[index]:
                entry += 1
                yield (entry, at + timedelta(minutes=5), agent, login[agent], "request",
                       str(number), "update", {"status": ["new", "resolved"]})

    loader.insert("audit_log", ["id", "at", "actor_id", "actor", "entity", "entity_id", "action",
                                "changes"], audit_rows(), progress=progress, task=task)
    loader.insert("activity", ["id", "request_id", "at", "agent_id", "kind", "body", "data"], (
        (i // 3 + 1, i + 1, datetime.fromtimestamp(facts.created[i], timezone.utc) + timedelta(minutes=3),
         facts.agent[i], "note", "Customer called back.", None)
        for i in range(0, len(facts.created), 3)))


def load_articles(loader: BulkLoader, org: Organisation, sizes: Sizes, *, rng: random.Random,
                  now: datetime, progress, task) -> None:
    """Write articles (~300 words each, pl/nl/pt/en), their links, versions and usage."""
    languages = words.LANGUAGES
    kinds = ["answer", "script", "phones", "url", "link"]

    def rows() -> Iterator[tuple]:
        for a in range(1, sizes.articles + 1):
            language = languages[a % len(languages)]
            title = words.sentence(rng, language, rng.randint(3, 8))[:-1]
            body = words.paragraphs(rng, language, rng.randint(250, 350))
            kind = kinds[a % len(kinds)]
            yield (a, f"{language}-{a}", title, body, kind, language,
                   words.words(rng, language, 2), f"https://example.org/{a}" if kind == "url" else None,
                   [{"label": "Office", "number": f"+4822{a:07d}"}] if kind == "phones" else [],
                   "Say: good morning." if kind == "script" else "", "published", 1,
                   now - timedelta(days=300), now - timedelta(days=rng.randint(1, 300)), 1,
                   fast_fold(title), fast_fold(body))

    loader.insert("article", ["id", "slug", "title", "body", "kind", "language", "tags", "url",
                              "phones", "script", "status", "version", "created_at", "updated_at",
                              "updated_by_id", "search_title", "search_body"],
                  rows(), progress=progress, task=task)
    links = set()
    for a in range(1, sizes.articles + 1):
        for _ in range(2):
            links.add((a, rng.randint(1, sizes.articles)))
    loader.insert("article_link", ["from_article_id", "to_slug", "to_article_id", "position"], (
        (a, f"{languages[b % len(languages)]}-{b}", b, i % 2) for i, (a, b) in enumerate(sorted(links))))
    loader.insert("article_problem_code", ["article_id", "problem_code_id"], (
        (a, org.problem_code_ids[a % len(org.problem_code_ids)]) for a in range(1, sizes.articles + 1, 10)))
    loader.insert("article_version", ["id", "article_id", "version", "at", "agent_id", "snapshot"], (
        (a, a, 1, now - timedelta(days=300), 1, {"title": f"Article {a}"})
        for a in range(1, sizes.articles + 1)))
    usage_count = sizes.requests // 5
    loader.insert("article_usage", ["id", "article_id", "request_id", "agent_id", "at", "kind"], (
        (u, rng.randint(1, sizes.articles), u * 5, org.agent_ids[u % len(org.agent_ids)],
         now - timedelta(days=rng.randint(0, 364)), "answered" if u % 3 == 0 else "opened")
        for u in range(1, usage_count + 1)))
