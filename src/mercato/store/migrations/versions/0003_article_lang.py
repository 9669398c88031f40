"""articles.lang: each article's language (ISO 639-1), from its file or detected at ingest

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("lang", sa.String(8), nullable=True))
        batch.create_index("ix_articles_lang", ["lang"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_lang")
        batch.drop_column("lang")
