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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
