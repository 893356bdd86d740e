"""Knowledge-base articles: reading one back whole, saving an edit as a new version, history.

The search index follows the `article` rows by itself (triggers on SQLite, a generated
column on PostgreSQL), so writing the folded copies here is all a save needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, update
from sqlmodel import Session, select

from domain.errors import InvalidInput
from domain.kb_document import SLUG, ArticleDoc, from_snapshot
from domain.kb_records import ArticleRecord, LinkRecord, VersionRecord
from domain.kb_text import search_copy
from domain.roles import can_supervise
from storage import audit
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import (Agent, Article, ArticleLink, ArticleProblemCode, ArticleVersion,
                            ProblemCode)


def row_values(doc: ArticleDoc, *, search_title: str | None = None,
               search_body: str | None = None) -> dict[str, Any]:
    """The `article` columns a document sets (folded copies computed unless given)."""
    return {"slug": doc.slug, "title": doc.title, "body": doc.body, "kind": doc.kind,
            "language": doc.language, "tags": list(doc.tags), "url": doc.url,
            "phones": [{"label": p.label, "number": p.number} for p in doc.phones],
            "script": doc.script, "status": doc.status,
            "search_title": search_copy(doc.title) if search_title is None else search_title,
            "search_body": search_copy(doc.index_text()) if search_body is None else search_body}


def check_author(session: Session, agent_id: int | None) -> None:
    """Refuse a write by an agent who is not a supervisor (None is the admin CLI)."""
    if agent_id is None:
        return
    agent = session.get(Agent, agent_id)
    if agent is None or not can_supervise(agent.role):
        raise InvalidInput("only supervisors may write knowledge-base articles", where="role")


def problem_code_ids(session: Session, codes: Iterable[str]) -> dict[str, int]:
    """Ids of the named problem codes that exist."""
    wanted = set(codes)
    if not wanted:
        return {}
    rows = session.exec(select(ProblemCode.code, ProblemCode.id).where(ProblemCode.code.in_(wanted)))
    return dict(rows.all())


def replace_links(session: Session, articles: dict[int, ArticleDoc], codes: dict[str, int]) -> None:
    """Write the links and problem codes of each `{article id: doc}`, replacing old ones."""
    ids = list(articles)
    for chunk in chunks(ids, 500):
        session.execute(delete(ArticleLink).where(ArticleLink.from_article_id.in_(chunk)))
        session.execute(delete(ArticleProblemCode).where(ArticleProblemCode.article_id.in_(chunk)))
    links = [{"from_article_id": aid, "to_slug": slug, "to_article_id": None, "position": i}
             for aid, doc in articles.items() for i, slug in enumerate(doc.links)]
    if links:
        session.execute(insert(ArticleLink.__table__), links)
    problems = [{"article_id": aid, "problem_code_id": codes[code]}
                for aid, doc in articles.items() for code in doc.problem_codes]
    if problems:
        session.execute(insert(ArticleProblemCode.__table__), problems)


def resolve_links(session: Session) -> None:
    """Point every link whose target now exists at it (a target may arrive after its link)."""
    target = select(Article.id).where(Article.slug == ArticleLink.to_slug).scalar_subquery()
    session.execute(update(ArticleLink).where(ArticleLink.to_article_id.is_(None))
                    .values(to_article_id=target).execution_options(synchronize_session=False))


def chunks(items: list, size: int):
    """`items` in consecutive slices of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def stored_doc(session: Session, article: Article) -> ArticleDoc:
    """The document an `article` row holds now, links and problem codes included."""
    links = session.exec(select(ArticleLink.to_slug).where(
        ArticleLink.from_article_id == article.id).order_by(ArticleLink.position)).all()
    codes = session.exec(select(ProblemCode.code).join(
        ArticleProblemCode, ArticleProblemCode.problem_code_id == ProblemCode.id).where(
        ArticleProblemCode.article_id == article.id).order_by(ProblemCode.code)).all()
    return doc_from_row(article, links, codes)


def doc_from_row(article: Article, links: Iterable[str], codes: Iterable[str]) -> ArticleDoc:
    """Build the document from a row and its link slugs and problem codes."""
    stored_codes = set(codes)
    return from_snapshot({
        "slug": article.slug, "title": article.title, "language": article.language,
        "body": article.body, "kind": article.kind, "status": article.status,
        "tags": article.tags, "url": article.url, "phones": article.phones,
        "links": list(links), "problem_codes": sorted(stored_codes), "script": article.script})


def canonical(doc: ArticleDoc) -> ArticleDoc:
    """The document as it will read back (problem codes are kept as a sorted set)."""
    codes = tuple(sorted(set(doc.problem_codes)))
    return doc if codes == doc.problem_codes else replace(doc, problem_codes=codes)


def _login(session: Session, agent_id: int | None) -> str | None:
    agent = session.get(Agent, agent_id) if agent_id else None
    return agent.login if agent else None


def to_record(session: Session, article: Article) -> ArticleRecord:
    """The read model of an article with every link resolved (broken ones marked)."""
    doc = stored_doc(session, article)
    slugs = list(doc.all_links())
    found = dict(session.exec(select(Article.slug, Article.id).where(Article.slug.in_(slugs))).all()) if slugs else {}
    titles = dict(session.exec(select(Article.id, Article.title).where(Article.id.in_(found.values()))).all()) if found else {}
    links = [LinkRecord(slug, titles.get(found.get(slug)), found.get(slug)) for slug in slugs]
    return ArticleRecord(id=article.id, doc=doc, version=article.version,
                         created_at=article.created_at, updated_at=article.updated_at,
                         updated_by=_login(session, article.updated_by_id), links=links)


def _find(session: Session, *, slug: str | None, article_id: int | None,
          include_drafts: bool) -> Article:
    if article_id is not None:
        article = session.get(Article, article_id)
    else:
        article = session.exec(select(Article).where(Article.slug == slug)).first()
    if article is None or (not include_drafts and article.status != "published"):
        raise NotFound(f"no article {slug if article_id is None else f'#{article_id}'}")
    return article


def get_article(engine: Engine, *, slug: str | None = None, article_id: int | None = None,
                include_drafts: bool = True) -> ArticleRecord:
    """One article by slug or id, links resolved; NotFound (drafts count as missing for agents)."""
    with read_session(engine) as session:
        return to_record(session, _find(session, slug=slug, article_id=article_id,
                                        include_drafts=include_drafts))


def existing_slugs(engine: Engine, slugs: Iterable[str]) -> set[str]:
    """Which of `slugs` name an article."""
    wanted = list(set(slugs))
    with read_session(engine) as session:
        found: set[str] = set()
        for chunk in chunks(wanted, 500):
            found.update(session.exec(select(Article.slug).where(Article.slug.in_(chunk))).all())
        return found


def save_article(engine: Engine, *, doc: ArticleDoc, now: datetime, agent_id: int | None,
                 actor: str, expected_version: int | None = None) -> ArticleRecord:
    """Create or update the article `doc.slug`; a real change becomes a new version.

    `expected_version` is the version the editor started from: if someone saved in
    between, nothing is written and the error says so (their work is not overwritten).
    Saving identical content writes nothing.
    """
    if not SLUG.match(doc.slug):
        raise InvalidInput(f"{doc.slug!r} must be lower-case letters and digits joined by '-'", where="slug")
    if not doc.title.strip():
        raise InvalidInput("is required", where="title")
    doc = canonical(doc)

    def work(session: Session) -> ArticleRecord:
        check_author(session, agent_id)
        codes = problem_code_ids(session, doc.problem_codes)
        missing = [c for c in doc.problem_codes if c not in codes]
        if missing:
            raise InvalidInput(f"no problem code {missing[0]!r}", where="problem_codes")
        article = session.exec(select(Article).where(Article.slug == doc.slug)).first()
        old = stored_doc(session, article) if article else None
        if article is not None and expected_version is not None and article.version != expected_version:
            raise InvalidInput(f"was changed by someone else (now version {article.version}, "
                               f"you started from {expected_version}); reopen it", where=doc.slug)
        if old == doc:
            return to_record(session, article)
        changed = doc.changed_fields(old)
        if article is None:
            article = Article(**row_values(doc), version=1, created_at=now, updated_at=now,
                              updated_by_id=agent_id)
        else:
            for name, value in row_values(doc).items():
                setattr(article, name, value)
            article.version += 1
            article.updated_at, article.updated_by_id = now, agent_id
        session.add(article)
        session.flush()
        session.add(ArticleVersion(article_id=article.id, version=article.version, at=now,
                                   agent_id=agent_id, snapshot={**doc.snapshot(), "changed": changed}))
        replace_links(session, {article.id: doc}, codes)
        session.flush()
        resolve_links(session)
        audit.record(session, at=now, actor_id=agent_id, actor=actor, entity="article",
                     entity_id=article.id, action="create" if old is None else "update",
                     changes=_audit_changes(old, doc, changed))
        session.flush()
        session.refresh(article)
        return to_record(session, article)

    return run_write(engine, work)


def _audit_changes(old: ArticleDoc | None, new: ArticleDoc, changed: list[str]) -> dict[str, list]:
    # The body can be long and lives in the version snapshot: the audit notes its length.
    before = old.snapshot() if old else {}
    after = new.snapshot()
    return {name: ([len(before.get(name) or ""), len(after[name])] if name == "body"
                   else [before.get(name), after[name]]) for name in changed}


def article_versions(engine: Engine, *, article_id: int) -> list[VersionRecord]:
    """Every kept version of an article, oldest first."""
    with read_session(engine) as session:
        rows = session.exec(select(ArticleVersion).where(
            ArticleVersion.article_id == article_id).order_by(ArticleVersion.version)).all()
        return [VersionRecord(version=r.version, at=r.at, agent=_login(session, r.agent_id),
                              changed=list((r.snapshot or {}).get("changed", [])))
                for r in rows]


def version_doc(engine: Engine, *, article_id: int, version: int) -> ArticleDoc:
    """The content an article had at `version`."""
    with read_session(engine) as session:
        row = session.exec(select(ArticleVersion).where(
            ArticleVersion.article_id == article_id, ArticleVersion.version == version)).first()
        if row is None:
            raise NotFound(f"article #{article_id} has no version {version}")
        return from_snapshot(row.snapshot)


def iter_docs(engine: Engine, *, chunk: int = 1000) -> Iterator[ArticleDoc]:
    """Every article (drafts too) as a document, by slug, read in chunks: what `kb export` writes."""
    with read_session(engine) as session:
        links: dict[int, list[str]] = {}
        for row in session.exec(select(ArticleLink).order_by(ArticleLink.from_article_id,
                                                             ArticleLink.position)):
            links.setdefault(row.from_article_id, []).append(row.to_slug)
        codes: dict[int, list[str]] = {}
        for aid, code in session.exec(select(ArticleProblemCode.article_id, ProblemCode.code).join(
                ProblemCode, ProblemCode.id == ArticleProblemCode.problem_code_id)):
            codes.setdefault(aid, []).append(code)
        slugs = session.exec(select(Article.slug).order_by(Article.slug)).all()
        for start in range(0, len(slugs), chunk):
            rows = session.exec(select(Article).where(Article.slug.in_(slugs[start:start + chunk]))
                                .order_by(Article.slug)).all()
            for article in rows:
                yield doc_from_row(article, links.get(article.id, []), codes.get(article.id, []))
            session.expunge_all()


def article_languages(engine: Engine) -> list[str]:
    """The languages articles are written in, sorted."""
    with read_session(engine) as session:
        return sorted(session.exec(select(Article.language).distinct()).all())


def article_count(engine: Engine) -> int:
    """How many articles there are (drafts too)."""
    with read_session(engine) as session:
        return session.exec(select(func.count()).select_from(Article)).one()
