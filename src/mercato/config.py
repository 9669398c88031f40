"""Settings shared by every stage: where the database lives, where ../shared is."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_DB = "MERCATO_DB"
ENV_SHARED = "MERCATO_SHARED"
ENV_EXTRACTOR = "MERCATO_EXTRACTOR"  # rules | learned | auto (mercato.extract.pipeline)


def default_db_url() -> str:
    """SQLite file in the user data directory (zero set-up)."""
    data_dir = Path(user_data_dir("mercato", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'mercato.db'}"


def demo_db_path() -> Path:
    """Where `mercato demo` keeps the sample's database when neither --db nor MERCATO_DB says: beside the
    default database in the user data dir, never in the working folder, never in the user's own database."""
    data_dir = Path(user_data_dir("mercato", appauthor=False))
    data_dir.mkdir(parents=True, exist_ok=True)
    return data_dir / "demo.db"


def resolve_db_url(url: str | None = None) -> str:
    """--db beats MERCATO_DB beats the default file. A bare path means a SQLite file."""
    chosen = url or os.environ.get(ENV_DB) or default_db_url()
    if "://" not in chosen:
        chosen = f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def shared_dir() -> Path:
    """The read-only ../shared folder beside the repository (or MERCATO_SHARED)."""
    env = os.environ.get(ENV_SHARED)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared"
        if (parent / "pyproject.toml").exists():
            return parent.parent / "shared"
        if candidate.is_dir() and (candidate / "corpus").is_dir():
            return candidate
    return Path.cwd().parent / "shared"
