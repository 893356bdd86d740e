"""Importing many articles in one transaction: all of them or, on any error, none.

Files stream in (parsed in worker processes for big batches) and are written in chunks
with bulk INSERTs; the FTS triggers index each row as it lands. An article whose content
did not change is left alone (no new version), so import -> export -> import is a no-op.
When any file is bad, reading goes on to report every problem, and the transaction is
rolled back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import Engine, bindparam, insert, update
from sqlmodel import Session, select

from domain.kb_document import ArticleDoc
from domain.kb_files import ArticleFileErrors, ParsedArticle, check_unique
from domain.kb_records import ImportResult
from storage import audit
from storage.engine import write_session
from storage.kb_articles import (canonical, check_author, doc_from_row, replace_links,
                                 resolve_links, row_values)
from storage.tables import Article, ArticleLink, ArticleProblemCode, ArticleVersion, ProblemCode

CHUNK = 1000


class _Batch:
    """The running state of one import."""

    def __init__(self, session: Session, *, now: datetime, agent_id: int | None) -> None:
        self.session, self.now, self.agent_id = session, now, agent_id
        self.codes: dict[str, int] = dict(session.exec(select(ProblemCode.code, ProblemCode.id)).all())
        self.result = ImportResult()
        self.errors: list[str] = []
        self.slugs: dict[str, str] = {}
        self.body_links: dict[str, tuple[str, ...]] = {}

    def check(self, parsed: ParsedArticle) -> bool:
        """Record problems with one file; True when it may be written."""
        problem = check_unique(self.slugs, parsed)
        for index, code in enumerate(parsed.doc.problem_codes):
            if code not in self.codes:
                problem = problem or f"{parsed.where('problem_codes', index)}: no problem code {code!r}"
        if problem:
            self.errors.append(problem)
        return problem is None

    def write(self, chunk: list[ParsedArticle]) -> None:
        """Create, update or skip each article of the chunk."""
        session = self.session
        docs = {p.doc.slug: canonical(p.doc) for p in chunk}
        rows = {a.slug: a for a in session.exec(select(Article).where(Article.slug.in_(docs)))}
        stored = _stored_docs(session, rows)
        creates = [p for p in chunk if p.doc.slug not in rows]
        updates = [p for p in chunk if p.doc.slug in rows and stored[p.doc.slug] != docs[p.doc.slug]]
        self.result.unchanged += len(chunk) - len(creates) - len(updates)
        written: dict[int, ArticleDoc] = {}
        if creates:
            values = [row_values(docs[p.doc.slug], search_title=p.search_title, search_body=p.search_body)
                      | {"version": 1, "created_at": self.now, "updated_at": self.now,
                         "updated_by_id": self.agent_id} for p in creates]
            table = Article.__table__
            # Rows come back in any order (SQLite cannot promise one in a multi-row
            # INSERT … RETURNING); the slug says which is which.
            ids = session.execute(insert(table).returning(table.c.id, table.c.slug), values).all()
            for article_id, slug in ids:
                written[article_id] = docs[slug]
                self.result.created.append(slug)
        if updates:
            values = []
            for p in updates:
                row = rows[p.doc.slug]
                values.append(row_values(docs[row.slug], search_title=p.search_title,
                                         search_body=p.search_body)
                              | {"b_id": row.id, "version": row.version + 1, "updated_at": self.now,
                                 "updated_by_id": self.agent_id})
                written[row.id] = docs[row.slug]
                self.result.updated.append(row.slug)
            table = Article.__table__
            session.execute(update(table).where(table.c.id == bindparam("b_id")), values)
        versions = {row.id: row.version + 1 for p in updates for row in [rows[p.doc.slug]]}
        if written:
            session.execute(insert(ArticleVersion.__table__), [
                {"article_id": aid, "version": versions.get(aid, 1), "at": self.now,
                 "agent_id": self.agent_id,
                 "snapshot": doc.snapshot() | {"changed": doc.changed_fields(stored.get(doc.slug))}}
                for aid, doc in written.items()])
            replace_links(session, written, self.codes)
        for slug, doc in docs.items():
            if doc.body_links():
                self.body_links[slug] = doc.body_links()


def _stored_docs(session: Session, rows: dict[str, Article]) -> dict[str, ArticleDoc]:
    if not rows:
        return {}
    ids = {a.id: a for a in rows.values()}
    links: dict[int, list[str]] = {}
    for link in session.exec(select(ArticleLink).where(ArticleLink.from_article_id.in_(ids))
                             .order_by(ArticleLink.from_article_id, ArticleLink.position)):
        links.setdefault(link.from_article_id, []).append(link.to_slug)
    codes: dict[int, list[str]] = {}
    for aid, code in session.exec(select(ArticleProblemCode.article_id, ProblemCode.code).join(
            ProblemCode, ProblemCode.id == ArticleProblemCode.problem_code_id).where(
            ArticleProblemCode.article_id.in_(ids))):
        codes.setdefault(aid, []).append(code)
    return {a.slug: doc_from_row(a, links.get(a.id, []), codes.get(a.id, [])) for a in ids.values()}


def _broken(session: Session, batch: _Batch) -> list[tuple[str, str]]:
    slugs = list(batch.slugs)
    broken: list[tuple[str, str]] = []
    for start in range(0, len(slugs), 500):
        chunk = slugs[start:start + 500]
        broken.extend(session.exec(select(Article.slug, ArticleLink.to_slug).join(
            Article, Article.id == ArticleLink.from_article_id).where(
            Article.slug.in_(chunk), ArticleLink.to_article_id.is_(None))).all())
    targets = {t for links in batch.body_links.values() for t in links}
    existing: set[str] = set()
    wanted = list(targets)
    for start in range(0, len(wanted), 500):
        existing.update(session.exec(select(Article.slug).where(
            Article.slug.in_(wanted[start:start + 500]))).all())
    for slug, links in batch.body_links.items():
        broken.extend((slug, t) for t in links if t not in existing and (slug, t) not in broken)
    return sorted(set(broken))


def import_articles(engine: Engine, articles: Iterable[ParsedArticle | str], *, now: datetime,
                    agent_id: int | None, actor: str,
                    progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import parsed files (or error lines) in one transaction; ArticleFileErrors lists every problem.

    `progress(n)` is called after each `n` files are handled.
    """
    with write_session(engine) as session:
        check_author(session, agent_id)
        batch = _Batch(session, now=now, agent_id=agent_id)
        chunk: list[ParsedArticle] = []
        for item in articles:
            if isinstance(item, str):
                batch.errors.append(item)
            elif batch.check(item) and not batch.errors:
                chunk.append(item)
            if len(chunk) >= CHUNK:
                batch.write(chunk)
                chunk = []
            if progress:
                progress(1)
        if batch.errors:
            session.rollback()
            raise ArticleFileErrors(batch.errors)
        if chunk:
            batch.write(chunk)
        session.flush()
        resolve_links(session)
        result = batch.result
        result.broken_links.extend(_broken(session, batch))
        audit.record(session, at=now, actor_id=agent_id, actor=actor, entity="knowledge_base",
                     entity_id="import", action="import",
                     changes={"created": [None, len(result.created)],
                              "updated": [None, len(result.updated)],
                              "unchanged": [None, result.unchanged]})
        return result
