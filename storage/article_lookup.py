"""Articles for the console: a plain search, one article for the reader, and usage.

The knowledge-base engine (ranked full-text search) is its own module; this plain search
(every typed word somewhere in the folded title or body) keeps the console useful
without it, and the reader's view and usage records serve both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, or_
from sqlmodel import select

from domain.text import fold
from storage import audit
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import Article, ArticleLink, ArticleUsage, Request


@dataclass(frozen=True)
class ArticleHit:
    """An article found by a search."""

    id: int
    slug: str
    title: str
    language: str
    kind: str


@dataclass(frozen=True)
class ArticleLinkView:
    """A link from an article to another; `article_id` is None when the target is missing."""

    slug: str
    article_id: int | None
    title: str | None


@dataclass(frozen=True)
class ArticleView:
    """Everything the article reader shows."""

    id: int
    slug: str
    title: str
    body: str
    kind: str
    language: str
    url: str | None
    script: str
    phones: list[dict[str, Any]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[ArticleLinkView] = field(default_factory=list)


def plain_article_search(engine: Engine, text: str, *, language: str | None = None,
                         limit: int = 20) -> list[ArticleHit]:
    """Published articles holding every typed word in their title or body (folded)."""
    words = fold(text).split()
    if not words:
        return []
    conditions = [Article.status == "published"]
    for word in words:
        conditions.append(or_(Article.search_title.contains(word, autoescape=True),
                              Article.search_body.contains(word, autoescape=True)))
    if language:
        conditions.append(Article.language == language)
    with read_session(engine) as session:
        rows = session.exec(select(Article).where(*conditions).order_by(
            Article.title, Article.id).limit(limit)).all()
        return [ArticleHit(id=a.id, slug=a.slug, title=a.title, language=a.language, kind=a.kind)
                for a in rows]


def article_view(engine: Engine, article_id: int) -> ArticleView:
    """One article with its links resolved, or NotFound."""
    with read_session(engine) as session:
        article = session.get(Article, article_id)
        if article is None:
            raise NotFound(f"no article {article_id}")
        links = session.exec(select(ArticleLink, Article.title).outerjoin(
            Article, Article.id == ArticleLink.to_article_id).where(
            ArticleLink.from_article_id == article_id).order_by(ArticleLink.position)).all()
        return ArticleView(
            id=article.id, slug=article.slug, title=article.title, body=article.body,
            kind=article.kind, language=article.language, url=article.url,
            script=article.script or "", phones=list(article.phones or []),
            tags=list(article.tags or []),
            links=[ArticleLinkView(slug=link.to_slug, article_id=link.to_article_id, title=title)
                   for link, title in links])


def record_article_use(engine: Engine, *, number: int | None, article_id: int, kind: str,
                       now: datetime, agent_id: int | None, actor: str) -> None:
    """Record that an article was `opened` during a request or `answered` it."""

    def work(session) -> None:
        if session.get(Article, article_id) is None:
            raise NotFound(f"no article {article_id}")
        if number is not None and session.get(Request, number) is None:
            raise NotFound(f"no request number {number}")
        session.add(ArticleUsage(article_id=article_id, request_id=number, agent_id=agent_id,
                                 at=now, kind=kind))
        if kind == "answered" and number is not None:
            audit.record(session, at=now, actor_id=agent_id, actor=actor, entity="request",
                         entity_id=number, action="answered", changes={"article": [None, article_id]})

    run_write(engine, work)
