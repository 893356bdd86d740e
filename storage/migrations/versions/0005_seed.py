"""seed and demo loading: the Open311 service type of problem codes

Revision ID: 0005_seed
Revises: 0004_reporting
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0005_seed'
down_revision = '0004_reporting'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'problem_code_open311',
        sa.Column('problem_code_id', sa.Integer(), nullable=False),
        sa.Column('service_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(['problem_code_id'], ['problem_code.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('problem_code_id'),
    )


def downgrade() -> None:
    op.drop_table('problem_code_open311')
