"""The supervisors' knowledge-base report: most used articles, content gaps, articles never used."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, func
from sqlmodel import select

from domain.kb_text import search_copy
from storage.engine import read_session
from storage.tables import Article, ArticleUsage, SearchLog


def kb_report(engine: Engine, *, since: datetime | None = None, limit: int = 20) -> dict[str, Any]:
    """Usage since `since` (all time when None), each list cut to `limit` rows with its full count."""
    with read_session(engine) as session:
        usage = select(ArticleUsage.article_id,
                       func.sum(case((ArticleUsage.kind == "opened", 1), else_=0)).label("opened"),
                       func.sum(case((ArticleUsage.kind == "answered", 1), else_=0)).label("answered"))
        if since is not None:
            usage = usage.where(ArticleUsage.at >= since)
        usage = usage.group_by(ArticleUsage.article_id).subquery()
        most_used = session.exec(
            select(Article.id, Article.slug, Article.title, Article.language, usage.c.opened,
                   usage.c.answered)
            .join(usage, usage.c.article_id == Article.id)
            .order_by((usage.c.answered + usage.c.opened).desc(), usage.c.answered.desc(),
                      Article.slug).limit(limit)).all()

        searches = select(SearchLog.query, SearchLog.at).where(SearchLog.result_count == 0)
        if since is not None:
            searches = searches.where(SearchLog.at >= since)
        gaps: dict[str, dict[str, Any]] = {}
        for query, at in session.exec(searches).all():
            key = search_copy(query)
            gap = gaps.setdefault(key, {"query": query, "searches": 0, "last_at": at})
            gap["searches"] += 1
            if at >= gap["last_at"]:
                gap["query"], gap["last_at"] = query, at
        gap_rows = sorted(gaps.values(), key=lambda g: (-g["searches"], g["query"]))

        used = select(ArticleUsage.article_id)
        if since is not None:
            used = used.where(ArticleUsage.at >= since)
        never = (select(Article.id, Article.slug, Article.title, Article.language)
                 .where(Article.status == "published", Article.id.not_in(used)))
        never_count = session.exec(select(func.count()).select_from(never.subquery())).one()
        never_rows = session.exec(never.order_by(Article.slug).limit(limit)).all()

    return {
        "since": since.isoformat() if since else None,
        "most_used": [{"id": r[0], "slug": r[1], "title": r[2], "language": r[3],
                       "opened": int(r[4] or 0), "answered": int(r[5] or 0)} for r in most_used],
        "content_gaps": [{"query": g["query"], "searches": g["searches"],
                          "last_at": g["last_at"].isoformat()} for g in gap_rows[:limit]],
        "content_gaps_total": len(gap_rows),
        "never_used": [{"id": r[0], "slug": r[1], "title": r[2], "language": r[3]} for r in never_rows],
        "never_used_total": never_count,
    }
