"""claims' deal terms (fee, loan or permanent, option or obligation to buy) and follows

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("fee_amount", sa.Float, nullable=True))
        batch.add_column(sa.Column("fee_currency", sa.String(3), nullable=True))
        batch.add_column(sa.Column("fee_text", sa.String(120), nullable=True))
        batch.add_column(sa.Column("fee_addons", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("deal_type", sa.String(12), nullable=True))
        batch.add_column(sa.Column("buy_clause", sa.String(12), nullable=True))
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
        sa.Column("seen_claim_id", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("kind", "name", name="uq_follow_kind_name"),
    )


def downgrade() -> None:
    op.drop_table("follows")
    with op.batch_alter_table("claims") as batch:
        for col in ("buy_clause", "deal_type", "fee_addons", "fee_text", "fee_currency", "fee_amount"):
            batch.drop_column(col)
