"""The options every command group shares (mercato.serve.cli.options), through the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from mercato.serve.cli import app

runner = CliRunner()

DATED = [
    (["stories"], "--as-of"),
    (["story", "move--liverpool--arne-slot--manager"], "--as-of"),
    (["spells", "Arne Slot"], "--as-of"),
    (["spells", "Arne Slot"], "--on"),
    (["claims"], "--since"),
    (["claims"], "--until"),
]


@pytest.fixture
def stored(db_url: str) -> str:
    r = runner.invoke(app, ["ingest", "sample/articles", "--db", db_url, "-q", "--no-extract"])
    assert r.exit_code == 0, r.output
    return db_url


@pytest.mark.parametrize(("cmd", "flag"), DATED, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_a_date_option_names_itself_when_it_is_not_a_date(cmd: list[str], flag: str, stored: str) -> None:
    r = runner.invoke(app, [*cmd, "--db", stored, flag, "yesterday"])
    assert r.exit_code == 2, r.output
    assert f"{flag} 'yesterday' is not a date (YYYY-MM-DD)" in r.stderr


@pytest.mark.parametrize(("cmd", "flag", "value", "hint"), [
    (["claims"], "--stage", "agreed", "did you mean 'agreement'"),
    (["sources"], "--kind", "journalists", "did you mean 'journalist'"),
    (["claims"], "--lang", "klingon", "--lang"),
])
def test_a_choice_option_refuses_an_unknown_value(cmd: list[str], flag: str, value: str, hint: str, stored: str) -> None:
    r = runner.invoke(app, [*cmd, "--db", stored, flag, value])
    assert r.exit_code == 2, r.output
    assert hint in r.stderr


def test_every_command_group_is_on_the_command_line() -> None:
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    for command in ("ingest", "extract", "eval", "claims", "articles", "demo", "stories", "story", "sources",
                    "backtest", "outcomes", "spells", "serve", "watch"):
        assert f" {command} " in r.output, command


def test_python_dash_m_runs_the_same_command_line() -> None:
    r = subprocess.run([sys.executable, "-m", "mercato.serve.cli", "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "stories" in r.stdout and "watch" in r.stdout


def test_help_loads_no_stage_and_no_database_library() -> None:
    """Start-up: the command groups import what only one command needs inside that command."""
    code = ("import sys, mercato.serve.cli; "
            "print(' '.join(m for m in ('sqlalchemy', 'spacy', 'fastapi', 'dask', 'mercato.assess', 'mercato.extract', "
            "'mercato.store', 'mercato.ingest.readers', 'rapidfuzz') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""
