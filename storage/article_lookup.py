"""One article as the console's stand-in reader shows it (links resolved)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlmodel import select

from storage.engine import read_session
from storage.errors import NotFound
from storage.tables import Article, ArticleLink


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
