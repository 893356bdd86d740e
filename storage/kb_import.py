"""Importing many articles in one transaction: all of them or, on any error, none.

Files stream in (parsed in worker processes for big batches) and are written in chunks
with bulk INSERTs. An article whose content did not change is left alone (no new
version), so import -> export -> import is a no-op. When any file is bad, reading goes on
to report every problem, and the transaction is rolled back.

The search index on SQLite: the FTS5 triggers would index each row as it lands, one
trigger program per row. A big import instead drops the triggers inside its own
transaction, takes the old index entries of the articles it updates out itself, indexes
every written article with one `INSERT … SELECT` per 500 ids at the end, and creates the
triggers again from their stored SQL before committing. (Indexing each chunk as soon as
it was written, while the workers parse the next files, was tried: on 100,000 files the
fill took 64 s of wall time against 13 s at the end, for the same CPU — load 9 against
4.6, but likely also because index pages then compete with article rows for the page
cache; the index it made was the same.) It is all one
transaction (SQLite DDL is transactional): a crash or an error leaves the triggers and
the index exactly as they were. Any other write (an edit in the console, a restore)
still goes through the triggers. On PostgreSQL the tsvector is a generated column,
computed as each row is written; there is nothing to bypass.

The rows on SQLite: the article, version, link and problem-code rows of a chunk go to the
pooled sqlite3 connection's `executemany` (same transaction), their values converted by
the bind processors SQLAlchemy itself would use (taken once per column), so the stored
text is the same as through `insert()`; SQLAlchemy's per-row parameter handling was about
a fifth of the main process's CPU. A new article's version snapshot arrives as JSON text
made by the parsing workers (`ParsedArticle.first_snapshot_json`) and is stored as is when
the engine's JSON is `json.dumps` text (checked once), which is what the bind processor
would make of it. PostgreSQL keeps the SQLAlchemy statements.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import JSON, Engine, Table, bindparam, insert, text, update
from sqlmodel import Session, select

from domain.kb_document import ArticleDoc
from domain.kb_files import ArticleFileErrors, ParsedArticle, check_unique
from domain.kb_records import ImportResult
from storage import audit
from storage.engine import is_sqlite, write_session
from storage.kb_articles import (canonical, check_author, chunks, doc_from_row, replace_links,
                                 resolve_links, row_values)
from storage.tables import Article, ArticleLink, ArticleProblemCode, ArticleVersion, ProblemCode

CHUNK = 1000

BULK_INDEX_FROM = 200
"""Imports of at least this many files index in bulk (SQLite) instead of row by row."""

IMPORT_CACHE_KIB = 256 * 1024
"""SQLite page cache of the importing connection: a big import touches every index page."""


def _quoted(name: str) -> str:
    return f'"{name}"'


def _processor(kind, dialect) -> Callable | None:
    """SQLAlchemy's bind processor of a column type; a non-JSON one remembers its last value
    (every row of an import has the same timestamps)."""
    process = kind.dialect_impl(dialect).bind_processor(dialect)
    if process is None or isinstance(kind, JSON):
        return process
    last: list = [object(), None]

    def once(value):
        if value is not last[0]:
            last[:] = [value, process(value)]
        return last[1]
    return once


class _SqliteRows:
    """`executemany` of plain rows on the session's sqlite3 connection, values converted once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect
        self.processors: dict[tuple, list] = {}
        self.json_is_dumps = self._json_is_dumps()

    def _json_is_dumps(self) -> bool:
        """True when JSON columns are stored as `json.dumps` text (SQLAlchemy's default, when
        the engine sets no serializer): then a snapshot made as JSON text elsewhere is stored as is."""
        process = _processor(ArticleVersion.__table__.c.snapshot.type, self.dialect)
        probe = {"a": ["ł ß\u2028\"", 1.5, None, True], "b": {"c": ""}}
        return (getattr(self.dialect, "_json_serializer", None) is None and process is not None
                and process(probe) == json.dumps(probe))

    def _convert(self, table: Table, columns: tuple[str, ...], rows: list[dict],
                 converted: tuple[str, ...] = ()) -> list[tuple]:
        key = (table.name, columns, converted)
        if key not in self.processors:
            self.processors[key] = [_processor(table.c[name].type, self.dialect)
                                    if name in table.c and name not in converted else None
                                    for name in columns]
        processors = self.processors[key]
        if not any(processors):
            return [tuple(row[name] for name in columns) for row in rows]
        pairs = list(zip(columns, processors))
        return [tuple(row[name] if p is None else p(row[name]) for name, p in pairs) for row in rows]

    def cursor(self):
        return self.session.connection().connection.dbapi_connection.cursor()

    def insert(self, table: Table, rows: list[dict], *, converted: tuple[str, ...] = ()) -> None:
        """INSERT the rows; the `converted` columns' values are already what is stored."""
        if not rows:
            return
        columns = tuple(rows[0])
        sql = (f'INSERT INTO "{table.name}" ({", ".join(_quoted(name) for name in columns)}) '
               f'VALUES ({", ".join("?" for _ in columns)})')
        self.cursor().executemany(sql, self._convert(table, columns, rows, converted))

    def stored(self, column, value):
        """`value` as the column stores it (its bind processor applied)."""
        key = (column.table.name, column.name)
        if key not in self.processors:
            self.processors[key] = [_processor(column.type, self.dialect)]
        process = self.processors[key][0]
        return value if process is None else process(value)

    def update(self, table: Table, rows: list[dict], key: str = "b_id") -> None:
        """UPDATE … WHERE id = row[key] for each row."""
        if not rows:
            return
        columns = tuple(name for name in rows[0] if name != key) + (key,)
        sql = (f'UPDATE "{table.name}" SET {", ".join(_quoted(name) + " = ?" for name in columns[:-1])} '
               "WHERE id = ?")
        self.cursor().executemany(sql, self._convert(table, columns, rows))

    def select(self, sql: str, params: list) -> list[tuple]:
        return self.cursor().execute(sql, params).fetchall()


class _SqliteIndex:
    """The FTS5 index kept in step by the import itself while the triggers are dropped."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.triggers: list[tuple[str, str]] = []
        self.seconds = 0.0
        self.written: list[int] = []

    def suspend(self) -> None:
        """Drop the `article_fts*` triggers (in this transaction), remembering their SQL."""
        rows = self.session.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'article' "
            "AND name LIKE 'article\\_fts%' ESCAPE '\\' ORDER BY name")).all()
        self.triggers = [(name, sql) for name, sql in rows]
        for name, _sql in self.triggers:
            self.session.execute(text(f'DROP TRIGGER "{name}"'))

    @property
    def active(self) -> bool:
        """True while the triggers are dropped and the import indexes rows itself."""
        return bool(self.triggers)

    def before_update(self, ids: list[int]) -> None:
        """Take the current index entries of articles about to be rewritten out of the index."""
        for chunk in chunks(ids, 500):
            self.session.execute(text(
                "INSERT INTO article_fts(article_fts, rowid, search_title, search_body) "
                "SELECT 'delete', id, search_title, search_body FROM article "
                f"WHERE id IN ({', '.join(str(int(i)) for i in chunk)})"))

    def fill(self) -> None:
        """Index every written article, in id order (each import writes an article once)."""
        started = time.perf_counter()
        for chunk in chunks(sorted(self.written), 500):
            self.session.execute(text(
                "INSERT INTO article_fts(rowid, search_title, search_body) "
                "SELECT id, search_title, search_body FROM article "
                f"WHERE id IN ({', '.join(str(int(i)) for i in chunk)}) ORDER BY id"))
        self.seconds += time.perf_counter() - started

    def finish(self) -> None:
        """Create the triggers again exactly as they were."""
        run = self.session.connection().exec_driver_sql  # the stored SQL, as it is
        for _name, sql in self.triggers:
            run(sql)
        self.triggers = []


class _Batch:
    """The running state of one import."""

    def __init__(self, session: Session, *, now: datetime, agent_id: int | None,
                 index: _SqliteIndex | None = None, rows: _SqliteRows | None = None) -> None:
        self.session, self.now, self.agent_id, self.index = session, now, agent_id, index
        self.rows = rows
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
        session, fast = self.session, self.rows
        docs = {p.doc.slug: canonical(p.doc) for p in chunk}
        rows = self._existing(list(docs))
        stored = _stored_docs(session, rows)
        creates = [p for p in chunk if p.doc.slug not in rows]
        updates = [p for p in chunk if p.doc.slug in rows and stored[p.doc.slug] != docs[p.doc.slug]]
        self.result.unchanged += len(chunk) - len(creates) - len(updates)
        written: dict[int, ArticleDoc] = {}
        table = Article.__table__
        if creates:
            values = [row_values(docs[p.doc.slug], search_title=p.search_title, search_body=p.search_body)
                      | {"version": 1, "created_at": self.now, "updated_at": self.now,
                         "updated_by_id": self.agent_id} for p in creates]
            # A plain executemany (no RETURNING, which SQLAlchemy splits into multi-row
            # statements and sorts), then the new ids by slug.
            created = [p.doc.slug for p in creates]
            if fast is not None:
                fast.insert(table, values)
                ids = fast.select(f"SELECT id, slug FROM article WHERE slug IN "
                                  f"({', '.join('?' for _ in created)})", created)
            else:
                session.execute(insert(table), values)
                ids = session.execute(select(table.c.id, table.c.slug).where(table.c.slug.in_(created))).all()
            by_slug = {slug: article_id for article_id, slug in ids}
            for slug in created:  # in file order, as before
                written[by_slug[slug]] = docs[slug]
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
            if self.index is not None and self.index.active:
                self.index.before_update([v["b_id"] for v in values])
            if fast is not None:
                fast.update(table, values)
            else:
                session.execute(update(table).where(table.c.id == bindparam("b_id")), values)
        versions = {row.id: row.version + 1 for p in updates for row in [rows[p.doc.slug]]}
        if self.index is not None and self.index.active:
            self.index.written.extend(written)
        if written:
            if fast is not None:
                # A new article's snapshot comes as JSON text from the parsing (when its
                # document is stored as parsed); others are converted here.
                ready = {p.doc.slug: p.first_snapshot_json for p in creates
                         if fast.json_is_dumps and p.first_snapshot_json is not None
                         and docs[p.doc.slug] is p.doc}
                column = ArticleVersion.__table__.c.snapshot
                snapshots = [{"article_id": aid, "version": versions.get(aid, 1), "at": self.now,
                              "agent_id": self.agent_id,
                              "snapshot": ready.get(doc.slug) or fast.stored(column, _snapshot(doc, stored))}
                             for aid, doc in written.items()]
                fast.insert(ArticleVersion.__table__, snapshots, converted=("snapshot",))
                self._replace_links(written, [rows[p.doc.slug].id for p in updates])
            else:
                snapshots = [{"article_id": aid, "version": versions.get(aid, 1), "at": self.now,
                              "agent_id": self.agent_id, "snapshot": _snapshot(doc, stored)}
                             for aid, doc in written.items()]
                session.execute(insert(ArticleVersion.__table__), snapshots)
                replace_links(session, written, self.codes)
        for p in chunk:
            if p.body_links:
                self.body_links[p.doc.slug] = p.body_links

    def _existing(self, slugs: list[str]) -> dict[str, Article]:
        """The stored rows of the chunk's slugs (on SQLite, loaded only when there are any)."""
        if self.rows is not None and not self.rows.select(
                f"SELECT 1 FROM article WHERE slug IN ({', '.join('?' for _ in slugs)}) LIMIT 1", slugs):
            return {}
        return {a.slug: a for a in self.session.exec(select(Article).where(Article.slug.in_(slugs)))}

    def _replace_links(self, written: dict[int, ArticleDoc], updated: list[int]) -> None:
        """`replace_links` on the sqlite3 cursor: only updated articles have old rows to delete."""
        if updated:
            replace_links(self.session, {aid: written[aid] for aid in updated}, self.codes)
        old = set(updated)
        fresh = {aid: doc for aid, doc in written.items() if aid not in old}
        self.rows.insert(ArticleLink.__table__, [
            {"from_article_id": aid, "to_slug": slug, "to_article_id": None, "position": i}
            for aid, doc in fresh.items() for i, slug in enumerate(doc.links)])
        self.rows.insert(ArticleProblemCode.__table__, [
            {"article_id": aid, "problem_code_id": self.codes[code]}
            for aid, doc in fresh.items() for code in doc.problem_codes])


def _snapshot(doc: ArticleDoc, stored: dict[str, ArticleDoc]) -> dict:
    """What the version of a written article keeps: the content and the fields that changed."""
    old = stored.get(doc.slug)
    return doc.first_snapshot() if old is None else doc.snapshot() | {"changed": doc.changed_fields(old)}


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
    found = set(broken)
    for slug, links in batch.body_links.items():
        found.update((slug, t) for t in links if t not in existing)
    return sorted(found)


def import_articles(engine: Engine, articles: Iterable[ParsedArticle | str], *, now: datetime,
                    agent_id: int | None, actor: str,
                    progress: Callable[[int], None] | None = None,
                    timings: dict[str, float] | None = None) -> ImportResult:
    """Import parsed files (or error lines) in one transaction; ArticleFileErrors lists every problem.

    `progress(n)` is called after each `n` files are handled. On SQLite, from
    `BULK_INDEX_FROM` files on, the search index is filled in bulk (see the module notes).
    `timings`, when given, receives the seconds of the bulk index fill (`index_fill`, SQLite)
    and of the final commit (`commit`), for the benchmark.
    """
    sqlite = is_sqlite(engine)
    phases: dict[str, float] = {} if timings is None else timings
    with write_session(engine) as session:
        if not sqlite:
            result = _import(session, articles, now=now, agent_id=agent_id, actor=actor,
                             progress=progress, sqlite=False, timings=phases)
        else:
            # The pooled connection gets its usual cache back, whatever happens.
            raw = session.connection().connection.dbapi_connection
            old = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            try:
                result = _import(session, articles, now=now, agent_id=agent_id, actor=actor,
                                 progress=progress, sqlite=True, timings=phases)
            finally:
                raw.execute(f"PRAGMA cache_size = {int(old)}")
        written = time.perf_counter()
    phases["commit"] = time.perf_counter() - written
    return result


def _import(session: Session, articles: Iterable[ParsedArticle | str], *, now: datetime,
            agent_id: int | None, actor: str, progress: Callable[[int], None] | None,
            sqlite: bool, timings: dict[str, float]) -> ImportResult:
    check_author(session, agent_id)
    index = _SqliteIndex(session) if sqlite else None
    batch = _Batch(session, now=now, agent_id=agent_id, index=index,
                   rows=_SqliteRows(session) if sqlite else None)
    chunk: list[ParsedArticle] = []
    seen = 0
    for item in articles:
        if isinstance(item, str):
            batch.errors.append(item)
        elif batch.check(item) and not batch.errors:
            chunk.append(item)
        seen += 1
        if index is not None and seen == BULK_INDEX_FROM and not batch.errors:
            # A big import. Nothing is written before CHUNK (> BULK_INDEX_FROM) files, so
            # the index is still whole when the triggers go.
            index.suspend()
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
    if index is not None and index.active:
        index.fill()
        index.finish()
        timings["index_fill"] = index.seconds
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
