"""What the CLI's tables say, through the `mercato` command line on a small SQLite file."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from typer.testing import CliRunner

from mercato.records import ArticleRecord, ClaimRecord, Source
from mercato.serve import output
from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.repo import store_batch

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """One table row per line, so a cell is read whole."""
    monkeypatch.setattr(output.console, "width", 400)


def claim(club: str, person: str, stage: str, outlet: str) -> ClaimRecord:
    text = f"{club} {stage} {person}"
    return ClaimRecord(club=club, person=person, role="manager", stage=stage, source=Source(None, outlet),
                       certainty="firm", evidence=text, start=0, end=len(text))


def three_candidates(db_url: str) -> None:
    db = Database(db_url)
    for i, (name, stage) in enumerate((("Thomas Frank", "advanced"), ("Kieran McKenna", "talks"), ("Graham Potter", "interest"))):
        for outlet in ("Outlet A", "Outlet B"):
            art = ArticleRecord(date=dt.date(2024, 3, 5 + i), text=f"{outlet} {i}: Brighton {stage} {name}", outlet=outlet)
            store_batch(db, [(art, [claim("Brighton", name, stage, outlet)])], "test")


def test_the_jobs_table_puts_the_likeliest_candidates_own_figures_beside_it(db_url: str) -> None:
    three_candidates(db_url)
    got = runner.invoke(app, ["stories", "--kind", "vacancy", "--db", db_url, "--format", "json"])
    assert got.exit_code == 0, got.output
    job = json.loads(got.output)[0]
    assert job["candidates"] == 3
    assert job["leader_probability"] < job["probability"]  # three candidates share the job: the leader has less
    table = runner.invoke(app, ["stories", "--kind", "vacancy", "--db", db_url])
    assert table.exit_code == 0, table.output
    line = next(x for x in table.output.splitlines() if "(likeliest" in x)
    beside = re.search(r"\(likeliest, (\d+)%\) of 3 candidates", line)
    assert beside, line
    assert int(beside.group(1)) == round(100 * job["leader_probability"])
    assert int(beside.group(1)) != round(100 * job["probability"])
    assert "probability (any)" in table.output and "claims (all)" in table.output


def test_move_stories_keep_their_plain_columns(db_url: str) -> None:
    three_candidates(db_url)
    table = runner.invoke(app, ["stories", "--db", db_url])
    assert table.exit_code == 0, table.output
    assert "(likeliest" not in table.output and "probability (any)" not in table.output
    assert "Thomas Frank" in table.output
