"""clubs over time: affiliations stated by articles, spells learnt while reading

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "affiliations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), index=True),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("club", sa.String(200), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.UniqueConstraint("article_id", "person", name="uq_affiliation_article_person"),
    )
    op.create_index("ix_affiliations_person_date", "affiliations", ["person", "day"])
    op.create_table(
        "spells",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("club", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("start", sa.Date),
        sa.Column("end", sa.Date),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("known_on", sa.Date, nullable=False),
        sa.Column("note", sa.Text),
        sa.UniqueConstraint("person", "club", "start", "source", name="uq_spell"),
    )
    op.create_index("ix_spells_person", "spells", ["person"])


def downgrade() -> None:
    op.drop_index("ix_spells_person", table_name="spells")
    op.drop_table("spells")
    op.drop_index("ix_affiliations_person_date", table_name="affiliations")
    op.drop_table("affiliations")
