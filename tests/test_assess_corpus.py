"""The corpus acceptance checks and the JSON contracts of `stories`, `sources` and `backtest`.

The real corpus (articles and unlabelled) is ingested with the project's own extractor into a real
SQLite file, and ../shared/corpus/outcomes.json is imported through the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mercato.assess import service
from mercato.serve.cli import app
from mercato.store import Database

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.db'}"
    r = runner.invoke(app, ["ingest", str(shared / "corpus" / "articles"), str(shared / "corpus" / "unlabelled"),
                            "--db", url, "-q"])  # the default extractor: what a user gets
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["outcomes", "import", str(shared / "corpus" / "outcomes.json"), "--db", url])
    assert r.exit_code == 0, r.output
    assert "outcomes stored" in r.output
    return url


def managers(url: str, club: str, day: str) -> list[dict]:
    rows = service.list_stories(Database(url), dt.date.fromisoformat(day))
    return sorted((s for s in rows if s["club"] == club and s["role"] == "manager"), key=lambda s: -s["probability"])


def test_slot_among_three_most_likely_liverpool_managers_on_1_may(corpus_db: str) -> None:
    top = [s["person"] for s in managers(corpus_db, "Liverpool", "2024-05-01")[:3]]
    assert "Arne Slot" in top


def test_kompany_most_likely_bayern_manager_on_26_may(corpus_db: str) -> None:
    ranked = managers(corpus_db, "Bayern Munich", "2024-05-26")
    assert ranked[0]["person"] == "Vincent Kompany"
    assert sum(s["probability"] for s in ranked) <= 1.0


def test_holzner_advanced_claim_counts_against_him_once_alonso_stays(corpus_db: str) -> None:
    src = service.get_source(Database(corpus_db), "journalist--georg-holzner")
    assert src is not None and src["resolved"] >= 1
    judged = [c for c in src["claims"] if c["club"] == "Liverpool" and c["person"] == "Xabi Alonso"
              and c["date"] == "2024-02-22"]
    assert judged and all(c["outcome"] is False and c["hit"] is False for c in judged)
    assert src["by_stage"].get("advanced", {}).get("resolved", 0) >= 1
    assert src["hits"] < src["resolved"]


def test_stories_json_contract(corpus_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MERCATO_DB", corpus_db)  # no --db: MERCATO_DB is honoured
    r = runner.invoke(app, ["stories", "--as-of", "2024-05-01", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert rows and isinstance(rows, list)
    for s in rows:
        assert {"club", "person", "role", "probability", "stage", "sources", "outcome"} <= set(s)
        assert 0.0 <= s["probability"] <= 1.0
        assert s["outcome"] in (True, False, None)
        assert s["last_date"] <= "2024-05-01"
    assert any(s["person"] == "Arne Slot" for s in rows)
    assert not any(s["person"] == "Enzo Maresca" and s["first_date"] > "2024-05-01" for s in rows)
    bad = runner.invoke(app, ["stories", "--as-of", "1 May", "--format", "json"])
    assert bad.exit_code == 2


def test_sources_json_contract(corpus_db: str) -> None:
    r = runner.invoke(app, ["sources", "--format", "json", "--db", corpus_db, "--min-resolved", "0"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    kinds = {s["kind"] for s in rows}
    assert kinds == {"journalist", "outlet"}  # the leaderboard: clubs and parties have their own records
    parties = json.loads(runner.invoke(app, ["sources", "--kind", "party", "--format", "json", "--db", corpus_db,
                                             "--min-resolved", "0"]).output)
    assert all(s["kind"] == "party" and s["party_role"] for s in parties)
    for s in rows:
        assert {"name", "kind", "claims", "resolved", "hits", "hit_rate", "brier", "credibility"} <= set(s)
        assert s["hits"] <= s["resolved"]
        assert 0.0 < s["credibility"] < 1.0
        if s["resolved"]:
            assert s["hit_rate"] == pytest.approx(s["hits"] / s["resolved"], abs=1e-3)
            assert 0.0 <= s["brier"] <= 1.0


def test_backtest_json_contract(corpus_db: str) -> None:
    r = runner.invoke(app, ["backtest", "--format", "json", "--db", corpus_db, "--no-variants"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.output)
    assert res["n"] > 20
    for name in ("model", "base_rate", "stage_only"):
        assert {"brier", "log_loss", "reliability"} <= set(res[name])
        assert len(res[name]["reliability"]) == 10
        assert sum(b["n"] for b in res[name]["reliability"]) == res["n"]
    assert "outlets" not in res  # outcomes from a JSON file, not a register
    table = runner.invoke(app, ["backtest", "--db", corpus_db, "--no-variants"])
    assert table.exit_code == 0 and "stage_only" in table.output
