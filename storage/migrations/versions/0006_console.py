"""agent console: folded customer names for lookup

Revision ID: 0006_console
Revises: 0005_seed
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
import storage.types  # noqa: F401

revision = '0006_console'
down_revision = '0005_seed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customer_search',
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('name_folded', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('customer_id'))
    # Customers made before this revision get their folded name too.
    from domain.text import fold

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, name FROM customer")).all()
    if rows:
        connection.execute(sa.text(
            "INSERT INTO customer_search (customer_id, name_folded) VALUES (:id, :folded)"),
            [{"id": row.id, "folded": fold(row.name)} for row in rows])


def downgrade() -> None:
    op.drop_table('customer_search')
