"""Engine and session set-up for SQLite (default) and PostgreSQL; migrations run on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from mercato.config import resolve_db_url

MIGRATIONS = Path(__file__).parent / "migrations"
RETRIES = 5  # a transaction the server aborts (deadlock, serialization failure, SQLite busy) is run again


def transient(exc: DBAPIError) -> bool:
    """A failure that running the same transaction again can cure."""
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in ("40P01", "40001"):  # deadlock_detected, serialization_failure
        return True
    return "database is locked" in str(exc.orig)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # SQLite's built-in lower() folds ASCII only; PostgreSQL's folds "Ø" too: make filters agree
    dbapi_connection.create_function("lower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True)
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection_engine"] = engine
    with _sqlite_migration_lock(engine):
        command.upgrade(cfg, "head")


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    """Two processes opening a fresh SQLite file at once must not both create the tables (SQLite DDL
    here is not transactional): hold an exclusive lock on FILE.migrate-lock while migrating.
    (PostgreSQL does the same with an advisory lock in migrations/env.py.)"""
    db_path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not db_path or db_path == ":memory:" or db_path.startswith("file:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no cross-process lock
        yield
        return
    with open(f"{db_path}.migrate-lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Database:
    """One database: an engine, a session factory, and the schema kept current."""

    def __init__(self, url: str | None = None, migrate: bool = True) -> None:
        self.url = resolve_db_url(url)
        self.engine = make_engine(self.url)
        if migrate:
            upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed on success, rolled back on any error."""
        with self.sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@lru_cache(maxsize=8)
def open_db(url: str | None = None) -> Database:
    return Database(url)
