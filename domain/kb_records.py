"""Read models of the knowledge base handed from storage to the console and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.kb_document import ArticleDoc
from domain.kb_snippet import Snippet
from domain.records import JsonRecord


@dataclass(frozen=True)
class LinkRecord(JsonRecord):
    """A link to another article; `article_id` is None when no article has that slug (broken)."""

    slug: str
    title: str | None
    article_id: int | None

    @property
    def broken(self) -> bool:
        """True when the target does not exist."""
        return self.article_id is None


@dataclass(frozen=True)
class ArticleRecord(JsonRecord):
    """One article as the reader shows it: content, links resolved, version."""

    id: int
    doc: ArticleDoc
    version: int
    created_at: datetime | None
    updated_at: datetime | None
    updated_by: str | None
    links: list[LinkRecord] = field(default_factory=list)
    """Front-matter links, then links from the body, each resolved."""

    def to_json(self) -> dict[str, Any]:
        """Id, version, times, every document field, and links with their state."""
        data = {"id": self.id, "version": self.version,
                "created_at": self.created_at.isoformat() if self.created_at else None,
                "updated_at": self.updated_at.isoformat() if self.updated_at else None,
                "updated_by": self.updated_by}
        data.update(self.doc.snapshot())
        data["resolved_links"] = [{"slug": link.slug, "title": link.title,
                                   "article_id": link.article_id, "broken": link.broken}
                                  for link in self.links]
        return data


@dataclass(frozen=True)
class SearchHit:
    """One ranked search result with its snippet in the original spelling."""

    id: int
    slug: str
    title: str
    language: str
    status: str
    score: float
    title_highlights: tuple[tuple[int, int], ...]
    snippet: Snippet

    def to_json(self) -> dict[str, Any]:
        """What `kb search --json` prints for one result."""
        return {"id": self.id, "slug": self.slug, "title": self.title, "language": self.language,
                "status": self.status, "score": round(self.score, 4),
                "title_highlights": [list(span) for span in self.title_highlights],
                "snippet": self.snippet.text,
                "highlights": [list(span) for span in self.snippet.highlights]}


@dataclass(frozen=True)
class ArticleSummary(JsonRecord):
    """An article in a list (recent, most used, never used)."""

    id: int
    slug: str
    title: str
    language: str
    status: str
    uses: int = 0


@dataclass(frozen=True)
class VersionRecord(JsonRecord):
    """One kept version: who saved it, when, and which fields changed."""

    version: int
    at: datetime
    agent: str | None
    changed: list[str]


@dataclass
class ImportResult(JsonRecord):
    """What an import did: articles created, updated (new version) and left unchanged."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    broken_links: list[tuple[str, str]] = field(default_factory=list)
    """(from slug, missing target slug) for every link that leads nowhere."""
