from __future__ import annotations

import os
from pathlib import Path

import pytest

from mercato.config import shared_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_dir()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"../shared not found at {SHARED} (set MERCATO_SHARED)")
    return SHARED


def _pg_url() -> str | None:
    return os.environ.get("MERCATO_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path) -> str:
    """A fresh database on each backend: a real SQLite file, and a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mercato.db'}"
    base = _pg_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("MERCATO_TEST_PG_URL is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set MERCATO_TEST_PG_URL)")
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'mercato.db'}"
