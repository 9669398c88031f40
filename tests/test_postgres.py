"""PostgreSQL and SQLite alike: migrations, and every command that takes --db, on a real server."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
import typer
from alembic.config import Config
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.db import MIGRATIONS
from mercato.store.models import Article, Base, Claim
from mercato.store.repo import count

runner = CliRunner()
SKIP = {"serve", "watch"}  # a server and a poller that run until stopped: tested on their own


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head
    return head


def test_migrations_reach_head_and_match_the_models(any_db_url):
    db = Database(any_db_url)
    with db.engine.connect() as c:
        assert c.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    insp = sa.inspect(db.engine)
    for table in Base.metadata.sorted_tables:
        assert table.name in insp.get_table_names()
        have = {col["name"] for col in insp.get_columns(table.name)}
        assert have == {col.name for col in table.columns}, table.name
    Database(any_db_url)  # opening again: already at head, nothing to do, nothing broken
    with db.engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    db.engine.dispose()


def commands_without_required_args() -> list[tuple[str, ...]]:
    """Every command (and sub-command) that takes --db and needs no other argument."""
    group: Any = typer.main.get_command(app)
    assert hasattr(group, "commands")  # a group (typer may ship its own click)
    found: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(sub, (*path, name))
            return
        if path[0] in SKIP:
            return
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        required = [p for p in cmd.params if p.required]
        if "--db" in opts and not required:
            found.append(path)

    for name, cmd in group.commands.items():
        walk(cmd, (name,))
    return found


def test_every_command_works_on_both_databases(any_db_url, shared, tmp_path):
    r = runner.invoke(app, ["ingest", str(shared / "corpus/articles"), "--db", any_db_url])
    assert r.exit_code == 0, r.output
    db = Database(any_db_url)
    assert count(db, Article) == 18 and count(db, Claim) > 0
    r = runner.invoke(app, ["extract", str(shared / "corpus/articles/d05.txt"), "--engine", "dask", "--workers", "1",
                            "--db", any_db_url])
    assert r.exit_code == 0 and "stored 0 new article(s)" in r.output, r.output
    with db.session() as s:
        person = s.scalars(sa.select(Claim.person).limit(1)).one()
    commands = commands_without_required_args()
    assert {("claims",), ("articles",), ("demo",)} <= set(commands)
    for path in commands:
        args = [*path, "--db", any_db_url]
        if path == ("demo",):
            args += ["--sample", str(shared / "corpus/articles")]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (path, result.output, result.exception)
        assert "Traceback" not in result.output
    r = runner.invoke(app, ["claims", "--db", any_db_url, "--person", person.split()[-1], "--format", "json"])
    assert r.exit_code == 0 and person in r.output
    if "story" in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        r = runner.invoke(app, ["story", person, "--db", any_db_url])
        assert "Traceback" not in r.output
    db.engine.dispose()


def test_unreachable_postgres_is_one_clear_line():
    r = runner.invoke(app, ["articles", "--db", "postgresql+psycopg://nobody:x@127.0.0.1:1/none"])
    assert r.exit_code == 2
    assert "cannot open database postgresql+psycopg://" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("url", ["postgresql+psycopg://", "sqlite:////proc/none/x.db"])
def test_bad_database_urls_fail_cleanly(url):
    r = runner.invoke(app, ["claims", "--db", url])
    # a reading command names a SQLite file that is not there before trying to open it
    assert r.exit_code == 2 and ("cannot open database" in r.output or "no database at /proc/none/x.db" in r.output)
