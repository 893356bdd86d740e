"""monitor and reports: covering indexes for the board and the volume reports

Revision ID: 0004_reporting
Revises: 0003_routing
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0004_reporting'
down_revision = '0003_routing'
branch_labels = None
depends_on = None

# Spelled out rather than imported: a migration must not change when the code does.
OPEN_SQL = "status NOT IN ('closed', 'resolved')"
HELD_SQL = "status IN ('in_progress', 'new', 'reopened') AND assigned_agent_id IS NOT NULL"


def upgrade() -> None:
    op.create_index("ix_request_open", "request",
                    ["category_id", "assigned_agent_id", "status", "resolution_due_at",
                     "created_at", "assigned_at", "complaint", "escalated"],
                    sqlite_where=sa.text(OPEN_SQL), postgresql_where=sa.text(OPEN_SQL))
    op.create_index("ix_request_held", "request", ["assigned_agent_id", "assigned_at", "id"],
                    sqlite_where=sa.text(HELD_SQL), postgresql_where=sa.text(HELD_SQL))
    op.create_index("ix_request_reporting", "request",
                    ["created_at", "type", "channel", "category_id", "problem_code_id",
                     "assigned_agent_id"])
    op.create_index("ix_request_resolved", "request",
                    ["resolved_at", "assigned_agent_id", "resolution_due_at"])


def downgrade() -> None:
    op.drop_index("ix_request_resolved", table_name="request")
    op.drop_index("ix_request_reporting", table_name="request")
    op.drop_index("ix_request_held", table_name="request")
    op.drop_index("ix_request_open", table_name="request")
