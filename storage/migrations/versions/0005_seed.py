"""seed and demo loading: keys and indexes they need

Revision ID: 0005_seed
Revises: 0004_reporting
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0005_seed'
down_revision = '0004_reporting'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
