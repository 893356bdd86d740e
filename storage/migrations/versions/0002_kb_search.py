"""knowledge-base search index (FTS5 on SQLite, tsvector on PostgreSQL)

The index covers the folded copies `article.search_title` / `search_body` (see
domain.kb_text.search_copy), never the original text: folding happens once, in Python,
the same way for both engines, so they find the same articles.

SQLite: an external-content FTS5 table kept in sync by triggers, so every write to
`article` (from any code, bulk loads included) updates the index in the same
transaction. No prefix index: it would make the index 1.7x larger, and prefix queries
of 3+ letters are fast without it (scripts/bench_kb.py measures both).
PostgreSQL: a stored generated tsvector (title weight A, body weight B, 'simple'
configuration: no stemming, no stop words, like unicode61) with a GIN index.

Note for later migrations: a SQLite batch ALTER of `article` recreates the table and
drops these triggers; call `storage.kb_index.install_sqlite_triggers` after it.

Revision ID: 0002_kb_search
Revises: 0001_base
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0002_kb_search'
down_revision = '0001_base'
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE article_fts USING fts5(search_title, search_body, content='article', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN "
    "INSERT INTO article_fts(rowid, search_title, search_body) "
    "VALUES (new.id, new.search_title, new.search_body); END",
    "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, search_title, search_body) "
    "VALUES ('delete', old.id, old.search_title, old.search_body); END",
    "CREATE TRIGGER article_fts_update AFTER UPDATE OF search_title, search_body ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, search_title, search_body) "
    "VALUES ('delete', old.id, old.search_title, old.search_body); "
    "INSERT INTO article_fts(rowid, search_title, search_body) "
    "VALUES (new.id, new.search_title, new.search_body); END",
    "INSERT INTO article_fts(article_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS article_fts_update",
    "DROP TRIGGER IF EXISTS article_fts_delete",
    "DROP TRIGGER IF EXISTS article_fts_insert",
    "DROP TABLE IF EXISTS article_fts",
]
POSTGRES_UP = [
    "ALTER TABLE article ADD COLUMN article_fts_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, search_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_body), 'B')) STORED",
    "CREATE INDEX article_fts_gin ON article USING gin (article_fts_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS article_fts_gin",
    "ALTER TABLE article DROP COLUMN IF EXISTS article_fts_vector",
]


def _run(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    for statement in statements.get(dialect, []):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})
