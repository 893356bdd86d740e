"""Knowledge-base usage: articles opened and the one that answered a request, and the search log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from domain.kb_query import letters
from domain.kb_records import ArticleSummary
from domain.kb_text import fold_tokens
from storage import audit
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import Activity, Agent, Article, ArticleUsage, Request, SearchLog


def _login(session: Session, agent_id: int | None) -> str:
    agent = session.get(Agent, agent_id) if agent_id else None
    return agent.login if agent else "system"


def _article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article #{article_id}")
    return article


def record_opened(engine: Engine, *, article_id: int, agent_id: int | None, now: datetime,
                  request_number: int | None = None) -> None:
    """Record that an agent opened an article (during a request when a number is given)."""

    def work(session: Session) -> None:
        _article(session, article_id)
        if request_number is not None and session.get(Request, request_number) is None:
            raise NotFound(f"no request number {request_number}")
        session.add(ArticleUsage(article_id=article_id, request_id=request_number,
                                 agent_id=agent_id, at=now, kind="opened"))

    run_write(engine, work)


def record_answer(engine: Engine, *, request_number: int, article_id: int,
                  agent_id: int | None, now: datetime) -> bool:
    """Record that the article answered the request: usage, audit entry and a line in its thread.

    Returns False (and writes nothing) when that article was already recorded as the answer.
    """

    def work(session: Session) -> bool:
        article = _article(session, article_id)
        if session.get(Request, request_number) is None:
            raise NotFound(f"no request number {request_number}")
        already = session.exec(select(ArticleUsage.id).where(
            ArticleUsage.request_id == request_number, ArticleUsage.article_id == article_id,
            ArticleUsage.kind == "answered")).first()
        if already is not None:
            return False
        session.add(ArticleUsage(article_id=article_id, request_id=request_number,
                                 agent_id=agent_id, at=now, kind="answered"))
        audit.record(session, at=now, actor_id=agent_id, actor=_login(session, agent_id),
                     entity="request", entity_id=request_number, action="answered",
                     changes={"article": [None, article.slug]})
        session.add(Activity(request_id=request_number, at=now, agent_id=agent_id, kind="system",
                             body=f"Answered with article: {article.title}",
                             data={"article_id": article.id, "slug": article.slug,
                                   "version": article.version}))
        return True

    return run_write(engine, work)


def log_search(engine: Engine, *, query: str, result_count: int, now: datetime,
               agent_id: int | None = None, language: str | None = None,
               request_number: int | None = None) -> None:
    """Keep a search and how many results it had (searches with none are content gaps)."""
    query = " ".join(query.split())[:300]
    if not query:
        return

    def work(session: Session) -> None:
        session.add(SearchLog(at=now, agent_id=agent_id, request_id=request_number, query=query,
                              language=language, result_count=result_count))

    run_write(engine, work)


def popular_articles(engine: Engine, *, start: str = "", language: str | None = None,
                     include_drafts: bool = False, limit: int = 10) -> list[ArticleSummary]:
    """Most-used articles, then the most recently updated (what 1-2 typed letters show).

    With `start`, articles with a title word starting with those (folded) letters come first.
    """
    with read_session(engine) as session:
        uses = (select(ArticleUsage.article_id, func.count().label("uses"))
                .group_by(ArticleUsage.article_id).subquery())
        statement = (select(Article.id, Article.slug, Article.title, Article.language,
                            Article.status, func.coalesce(uses.c.uses, 0))
                     .outerjoin(uses, uses.c.article_id == Article.id)
                     .order_by(func.coalesce(uses.c.uses, 0).desc(), Article.updated_at.desc(),
                               Article.id.desc())
                     .limit(max(limit * 5, 50)))
        if not include_drafts:
            statement = statement.where(Article.status == "published")
        if language:
            statement = statement.where(Article.language == language)
        found = [ArticleSummary(*row) for row in session.exec(statement).all()]
    prefix = "".join(fold_tokens(start)) if letters(start) else ""
    if prefix:
        starting = [a for a in found if any(t.startswith(prefix) for t in fold_tokens(a.title))]
        found = starting + [a for a in found if a not in starting]
    return found[:limit]


def article_usage(engine: Engine, *, request_number: int) -> list[dict]:
    """Articles opened or answered during one request, in order."""
    with read_session(engine) as session:
        rows = session.exec(select(ArticleUsage, Article.slug, Article.title).join(
            Article, Article.id == ArticleUsage.article_id).where(
            ArticleUsage.request_id == request_number).order_by(ArticleUsage.id)).all()
        return [{"article_id": u.article_id, "slug": slug, "title": title, "kind": u.kind,
                 "at": u.at.isoformat()} for u, slug, title in rows]
