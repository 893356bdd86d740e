"""routing and queues: indexes and state for pull-next and assignment

Revision ID: 0003_routing
Revises: 0002_kb_search
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0003_routing'
down_revision = '0002_kb_search'
branch_labels = None
depends_on = None

# Spelled out rather than imported: a migration must not change when the code does.
QUEUED_SQL = "assigned_agent_id IS NULL AND status IN ('in_progress', 'new', 'reopened')"


def upgrade() -> None:
    op.create_index("ix_request_pull", "request",
                    ["category_id", "resolution_due_at", "created_at", "id"],
                    sqlite_where=sa.text(QUEUED_SQL), postgresql_where=sa.text(QUEUED_SQL))


def downgrade() -> None:
    op.drop_index("ix_request_pull", table_name="request")
