"""Ranked knowledge-base search on SQLite (FTS5, bm25) and PostgreSQL (tsvector, ts_rank).

Both engines rank in the same three tiers, so the same query finds the same articles in
the same order of tiers: (1) every term in the title, (2) some term in the title,
(3) terms only in the body; within a tier by bm25 with the title weighted 10x (SQLite)
or ts_rank with title weight A over body weight B (PostgreSQL). A title hit therefore
always beats a body hit. Ranking cost grows with the number of matching articles, and
the tiers keep that number small: a common word is ranked among the titles holding it,
not among every body that mentions it (scripts/bench_kb.py measures this).

The shown score is `4 - tier + r / (1 + r)` for relevance r >= 0: it falls down the list,
and its whole part tells the tier.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, text

from domain.kb_query import SearchQuery, parse_query
from domain.kb_records import SearchHit
from domain.kb_snippet import HitWords, body_snippet, highlight, snippet
from domain.kb_text import plain
from storage.engine import is_sqlite

CANDIDATES = 200
"""Ranked candidates taken per tier before the filters; more are ranked only if filters drop too many."""

TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to."""

    language: str | None = None
    tag: str | None = None
    problem_code: str | None = None
    include_drafts: bool = False

    def sql(self, postgres: bool) -> tuple[str, dict]:
        """A WHERE fragment over `article a` and its parameters ("" when nothing filters)."""
        parts, params = [], {}
        if not self.include_drafts:
            parts.append("a.status = 'published'")
        if self.language:
            parts.append("a.language = :f_language")
            params["f_language"] = self.language
        if self.tag:
            if postgres:
                parts.append("a.tags @> CAST(:f_tag AS jsonb)")
                params["f_tag"] = json.dumps([self.tag.lower()])
            else:
                parts.append("EXISTS (SELECT 1 FROM json_each(a.tags) t WHERE t.value = :f_tag)")
                params["f_tag"] = self.tag.lower()
        if self.problem_code:
            parts.append("EXISTS (SELECT 1 FROM article_problem_code apc JOIN problem_code pc "
                         "ON pc.id = apc.problem_code_id WHERE apc.article_id = a.id "
                         "AND pc.code = :f_code)")
            params["f_code"] = self.problem_code
        return " AND ".join(parts), params


def fts5_tiers(query: SearchQuery) -> list[str]:
    """The FTS5 MATCH expression of each tier, best first."""
    every = query.fts5()
    title_all = f"{{search_title}} : ({every})"
    phrases = query.phrases()
    if len(phrases) == 1:
        return [title_all, f"({every}) NOT ({title_all})"]
    title_any = f"{{search_title}} : ({' OR '.join(phrases)})"
    return [title_all, f"(({every}) AND ({title_any})) NOT ({title_all})",
            f"({every}) NOT ({title_any})"]


def fts5_second_tier_with_first(query: SearchQuery) -> str:
    """Tier 2 without its `NOT (tier 1)`: cheaper to evaluate once tier 1's ids are all known."""
    every = query.fts5()
    phrases = query.phrases()
    if len(phrases) == 1:
        return every
    return f"({every}) AND ({{search_title}} : ({' OR '.join(phrases)}))"


def _score(tier: int, relevance: float) -> float:
    relevance = max(relevance, 0.0)
    return 4 - tier + relevance / (1 + relevance)


_COLUMNS = "a.id, a.slug, a.title, a.language, a.status, a.body, a.script, a.search_body"
"""What a hit shows (and the folded copy that finds its snippet), read for the shown articles only."""


def _sqlite_hits(connection, query: SearchQuery, filters: Filters, limit: int) -> list[tuple[Sequence, float, int]]:
    """The shown articles, best first, with their scores and tiers.

    Per tier: one FTS5 query ranks the tier's best candidate ids (bm25 needs nothing but
    the index), then the article rows are read for just as many of them as are shown,
    the filters applied in the same statement.
    """
    where, params = filters.sql(postgres=False)
    hits: list[tuple[Sequence, float, int]] = []
    # The pooled sqlite3 connection itself: this runs on every keystroke, and SQLAlchemy's
    # statement handling would cost as much as the FTS5 query of a rare word. Each
    # statement reads in its own snapshot (no transaction is opened).
    cursor = connection.connection.dbapi_connection.cursor()
    run = cursor.execute
    inner = ("SELECT rowid, bm25(article_fts, ?, ?) AS s FROM article_fts "
             "WHERE article_fts MATCH ? ORDER BY s, rowid LIMIT ?")
    first: set[int] | None = None  # tier 1's ids, when it has fewer than CANDIDATES

    def rank(tier: int, match: str) -> tuple[str, list, bool, set[int]]:
        """The tier's best candidates: (its MATCH, ranked (id, bm25) rows, more matches left, ids skipped)."""
        skip: set[int] = set()
        if tier == 2 and first is not None:
            # All of tier 1 is known: drop it in Python instead of `NOT (tier 1)` in FTS5.
            match, skip = fts5_second_tier_with_first(query), first
        ranked = run(inner, (TITLE_WEIGHT, BODY_WEIGHT, match, CANDIDATES + len(skip))).fetchall()
        cut = len(ranked) == CANDIDATES + len(skip)
        if skip:
            ranked = [row for row in ranked if row[0] not in skip][:CANDIDATES]
        return match, ranked, cut, skip

    tiers = fts5_tiers(query)
    ahead = None  # tier 2, ranked and its first rows read together with tier 1's
    for tier, match in enumerate(tiers, start=1):
        need = limit - len(hits)
        if need <= 0:
            break
        if tier == 2 and ahead is not None:
            match, ranked, cut, skip, found = ahead
        else:
            match, ranked, cut, skip = rank(tier, match)
            if tier == 1 and not cut:
                first = {row[0] for row in ranked}
            if tier == 1 and not cut and len(ranked) < need and len(tiers) > 1:
                # All of tier 1 is here and it cannot fill the list: rank tier 2 now and
                # read the rows of both in one statement.
                match2, ranked2, cut2, skip2 = rank(2, tiers[1])
                both = _rows_in_order(cursor, [(*row, 1) for row in ranked] + [(*row, 2) for row in ranked2],
                                      need, where, params)
                found = [(row, relevance) for row, relevance, of in both if of == 1]
                ahead = (match2, ranked2, cut2, skip2, [(row, relevance) for row, relevance, of in both if of == 2])
            else:
                found = _rows_in_order(cursor, ranked, need, where, params)
        if len(found) < need and cut and where:
            # Filters dropped too many of the best candidates: rank every match instead.
            unless = f" AND a.id NOT IN ({', '.join(str(int(i)) for i in skip)})" if skip else ""
            found = [(row, row[-1]) for row in run(
                f"SELECT {_COLUMNS}, bm25(article_fts, :tw, :bw) AS s FROM article_fts "
                f"JOIN article a ON a.id = article_fts.rowid WHERE article_fts MATCH :m AND {where}"
                f"{unless} ORDER BY s, a.id LIMIT :need",
                {"m": match, "need": need, "tw": TITLE_WEIGHT, "bw": BODY_WEIGHT, **params}).fetchall()]
        hits.extend((row, _score(tier, -relevance), tier) for row, relevance in found[:need])
    return hits


def _rows_in_order(cursor, ranked: Sequence[Sequence], need: int, where: str,
                   params: dict) -> list[tuple]:
    """Rows of the ranked ids that pass the filters, in rank order, until `need` are found.

    Each ranked `(id, relevance, …)` gives `(article row, relevance, …)`.

    Ids are read a slice at a time (first `need` and a few, since filters rarely drop
    many), so the long text columns are read only for articles that are shown.
    """
    found: list[tuple] = []
    start, size = 0, need + 4
    while len(found) < need and start < len(ranked):
        piece = ranked[start:start + size]
        # Bound ids: the statement's text depends only on how many, so sqlite3 reuses
        # the prepared statement instead of parsing new SQL for every keystroke.
        marks = ", ".join(f":i{k}" for k in range(len(piece)))
        rows = {row[0]: row for row in cursor.execute(
            f"SELECT {_COLUMNS} FROM article a WHERE a.id IN ({marks})" + (f" AND {where}" if where else ""),
            params | {f"i{k}": int(row[0]) for k, row in enumerate(piece)}).fetchall()}
        found.extend((rows[row[0]], *row[1:]) for row in piece if row[0] in rows)
        start, size = start + size, size * 4
    return found[:need]


def _tsquery_title(query: SearchQuery, joiner: str) -> str:
    return joiner.join(query.lexemes("A"))


def _postgres_hits(connection, query: SearchQuery, filters: Filters, limit: int) -> list[tuple[Sequence, float, int]]:
    where, params = filters.sql(postgres=True)
    sql = ("SELECT a.id, CASE WHEN a.article_fts_vector @@ to_tsquery('simple', :t1) THEN 1 "
           "WHEN a.article_fts_vector @@ to_tsquery('simple', :t2) THEN 2 ELSE 3 END AS tier, "
           "ts_rank(a.article_fts_vector, to_tsquery('simple', :q)) AS r FROM article a "
           "WHERE a.article_fts_vector @@ to_tsquery('simple', :q)"
           + (f" AND {where}" if where else "") + " ORDER BY tier, r DESC, a.id LIMIT :limit")
    ranked = connection.execute(text(sql), {"q": query.tsquery(), "t1": _tsquery_title(query, " & "),
                                         "t2": _tsquery_title(query, " | "), "limit": limit,
                                         **params}).all()
    if not ranked:
        return []
    marks = ", ".join(f":id{i}" for i in range(len(ranked)))
    rows = {row[0]: row for row in connection.execute(
        text(f"SELECT {_COLUMNS} FROM article a WHERE a.id IN ({marks})"),
        {f"id{i}": row[0] for i, row in enumerate(ranked)}).all()}
    return [(rows[row[0]], _score(row[1], float(row[2]) * 10), row[1]) for row in ranked]


def search_articles(engine: Engine, query_text: str, *, language: str | None = None,
                    tag: str | None = None, problem_code: str | None = None,
                    include_drafts: bool = False, limit: int = 20,
                    typing: bool = True) -> list[SearchHit]:
    """Ranked articles for typed text, best first, with snippets in the original spelling.

    Agents see published articles only; `include_drafts` is for supervisors. Words of
    three or more letters also match as word starts (see domain.kb_query.parse_query).
    """
    query = parse_query(query_text, typing=typing)
    if query.empty or limit <= 0:
        return []
    filters = Filters(language, tag, problem_code, include_drafts)
    with engine.connect() as connection:
        found = (_sqlite_hits if is_sqlite(engine) else _postgres_hits)(
            connection, query, filters, limit)
    # The last tier holds the articles whose title has none of the terms: nothing to mark.
    untitled = len(fts5_tiers(query)) if is_sqlite(engine) else 3
    words = HitWords(query)
    hits = []
    for row, score, tier in found:
        article_id, slug, title, language, status, body, script, folded = row[:8]
        piece = body_snippet(body, folded or "", query, words, extra=len(script or ""))
        if piece is None:
            piece = snippet(plain(body), query, words=words)
            if not piece.highlights and script:
                scripted = snippet(script, query, words=words)
                piece = scripted if scripted.highlights else piece
        hits.append(SearchHit(id=article_id, slug=slug, title=title, language=language,
                              status=status, score=score,
                              title_highlights=highlight(title, query, words).highlights if tier < untitled else (),
                              snippet=piece))
    return hits
