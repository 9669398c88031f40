"""initial schema: articles, entities, claims, outcomes

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("date", sa.Date, nullable=False, index=True),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.String(200), index=True),
        sa.Column("author", sa.String(200)),
        sa.Column("title", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("origin", sa.Text),
        sa.Column("ingested_at", sa.DateTime, server_default=sa.func.now()),
        sa.Column("extracted_with", sa.String(40)),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("in_kb", sa.Boolean, default=False),
        sa.UniqueConstraint("kind", "name", name="uq_entity_kind_name"),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True),
        sa.Column("club", sa.String(200), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("journalist", sa.String(200), index=True),
        sa.Column("outlet", sa.String(200), index=True),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("claim_date", sa.Date, nullable=False),
    )
    op.create_index("ix_claims_move", "claims", ["club", "person", "role"])
    op.create_index("ix_claims_date", "claims", ["claim_date"])
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("club", sa.String(200), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("happened", sa.Boolean),
        sa.Column("resolved_on", sa.Date),
        sa.Column("status", sa.String(20), default="confirmed"),
        sa.Column("origin", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.UniqueConstraint("club", "person", "role", name="uq_outcome_move"),
    )


def downgrade() -> None:
    for table in ("outcomes", "claims", "entities", "articles"):
        op.drop_table(table)
