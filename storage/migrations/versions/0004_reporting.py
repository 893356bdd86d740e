"""monitor and reports: counters or indexes they need

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


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
