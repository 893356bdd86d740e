"""The demo office: its organisation (a seed document), its articles, and a month of requests.

Loading is idempotent. The organisation is an ordinary seed (upsert by code); the
articles go through the knowledge-base import; the requests are written once, marked by
the office setting `demo`, and never again — a second load changes nothing and says so.
Requests are only invented for an office that has none of its own.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from domain.demo_people import people
from domain.demo_plan import plan_month
from domain.errors import DomainError
from domain.seed_format import SeedDocument
from storage import audit
from storage.demo_requests import ACTOR, DemoWriter, Progress, demo_agents, demo_problems
from storage.engine import read_session, run_write
from storage.office import get_setting, put_setting
from storage.seed_run import SeedResult
from storage.seeding import seed_documents
from storage.tables import BusinessCalendar, Request

MARKER = "demo"
ARTICLES_MARKER = "demo_articles"
SEED = 20261127
REQUESTS = 1000
CUSTOMERS = 420


@dataclass
class DemoResult:
    """What loading the demo did."""

    seed: SeedResult
    articles: dict[str, Any]
    requests: dict[str, Any] | None = None
    """Rows written, or None when the demo's requests were already there."""
    marker: dict[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True if anything at all was written."""
        return bool(self.seed.changed or self.requests or self.articles.get("changed"))

    def to_json(self) -> dict[str, Any]:
        """The result as one JSON-ready document."""
        return {"changed": self.changed, "office": self.seed.to_json(), "articles": self.articles,
                "requests": self.requests, "demo": self.marker}


def _zone(session: Session) -> ZoneInfo:
    calendar = session.exec(select(BusinessCalendar).order_by(BusinessCalendar.id)).first()
    return ZoneInfo(calendar.timezone if calendar else "UTC")


def load_requests(engine: Engine, *, now: datetime, progress: Progress, count: int = REQUESTS,
                  seed: int = SEED) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Write the demo's month of requests once; (rows written or None, the demo marker)."""

    def work(session: Session) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        marker = get_setting(session, MARKER)
        if marker:
            return None, marker
        existing = session.exec(select(func.count()).select_from(Request)).one()
        if existing:
            raise DomainError(f"this database already holds {existing} request(s) of its own; the demo "
                              "invents requests only for an office without any (use a new database)")
        rng = random.Random(seed)
        agents, problems = demo_agents(session), demo_problems(session)
        if not agents or not problems:
            raise DomainError("the demo office has no agents or no problem codes to make requests for")
        customers = people(rng, CUSTOMERS)
        requests, orders = plan_month(rng=rng, now=now, zone=_zone(session), agents=agents,
                                      problems=problems, customers=customers, count=count)
        written = DemoWriter(session, now=now, rng=rng, progress=progress).write(requests, orders, customers)
        marker = {"seed": seed, "loaded_at": now.isoformat(), "requests": written["requests"],
                  "from": requests[0].created_at.isoformat(), "to": requests[-1].created_at.isoformat()}
        put_setting(session, MARKER, marker)
        audit.record(session, at=now, actor_id=None, actor=ACTOR, entity="office_setting",
                     entity_id=MARKER, action="seed_create", changes={MARKER: [None, marker]})
        return written, marker

    return run_write(engine, work)


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def import_articles(engine: Engine, folder: Path | None, *, now: datetime) -> dict[str, Any]:
    """The demo articles (`*.md` with front matter) through the knowledge-base import.

    Files unchanged since the last load are not imported again, so a second `demo`
    writes nothing at all (not even the import's own log line).
    """
    files = sorted(folder.glob("*.md")) if folder is not None and folder.is_dir() else []
    if not files:
        return {"changed": 0, "skipped": f"no demo articles in {folder}"}
    fingerprint = _fingerprint(files)
    with read_session(engine) as session:
        if (get_setting(session, ARTICLES_MARKER) or {}).get("sha256") == fingerprint:
            return {"files": len(files), "changed": 0, "skipped": "unchanged since the last load"}
    from domain.kb_files import ArticleFileErrors, read_articles
    from storage.kb_import import import_articles as kb_import

    try:
        result = kb_import(engine, read_articles(files), now=now, agent_id=None, actor=ACTOR)
    except ArticleFileErrors as exc:
        raise DomainError(f"demo articles: {exc.errors[0]} ({len(exc.errors)} problem(s))") from None
    marker = {"sha256": fingerprint, "files": len(files), "loaded_at": now.isoformat()}

    def remember(session: Session) -> None:
        old = get_setting(session, ARTICLES_MARKER)
        put_setting(session, ARTICLES_MARKER, marker)
        audit.record(session, at=now, actor_id=None, actor=ACTOR, entity="office_setting",
                     entity_id=ARTICLES_MARKER, action="seed_update" if old else "seed_create",
                     changes={ARTICLES_MARKER: [old, marker]})

    run_write(engine, remember)
    return {"files": len(files), "created": len(result.created), "updated": len(result.updated),
            "unchanged": result.unchanged, "broken_links": len(result.broken_links),
            "changed": len(result.created) + len(result.updated)}


def load_demo(engine: Engine, office: SeedDocument, *, articles: Path | None, now: datetime,
              progress: Progress) -> DemoResult:
    """Seed the demo organisation, import its articles, and write its requests once."""
    seed = seed_documents(engine, [office], now=now, actor=ACTOR)
    progress("office", seed.changed)
    article_result = import_articles(engine, articles, now=now)
    progress("articles", int(article_result.get("changed") or 0))
    requests, marker = load_requests(engine, now=now, progress=progress)
    return DemoResult(seed=seed, articles=article_result, requests=requests, marker=marker)
