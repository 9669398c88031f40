"""Alembic environment: runs against the engine handed over by mercato.store.db.upgrade."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from mercato.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("connection_engine")
    if engine is None:  # plain `alembic` CLI use
        from mercato.config import resolve_db_url
        from mercato.store.db import make_engine

        engine = make_engine(resolve_db_url(config.get_main_option("sqlalchemy.url") or None))
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # two processes opening a fresh database at once must not both create the tables
            connection.execute(text("SELECT pg_advisory_lock(774411)"))
            # end the transaction the SELECT began (the session-level lock stays held), so Alembic
            # runs the migration in a transaction of its own and commits it BEFORE the unlock below;
            # otherwise the DDL commits only after the unlock and a waiting process sees no tables
            connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        try:
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if connection.dialect.name == "postgresql":
                if connection.in_transaction():
                    connection.rollback()  # a failed migration: its transaction is aborted
                connection.execute(text("SELECT pg_advisory_unlock(774411)"))
                connection.commit()


run_migrations_online()
