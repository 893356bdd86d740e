"""backup, export and import: state they keep

Revision ID: 0007_transfer
Revises: 0006_console
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0007_transfer'
down_revision = '0006_console'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
