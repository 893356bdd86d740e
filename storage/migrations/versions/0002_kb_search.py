"""knowledge-base search index (FTS5 on SQLite, tsvector on PostgreSQL)

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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
