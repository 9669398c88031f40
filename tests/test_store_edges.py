"""Edge cases found in review: over-long names, non-ASCII and wildcard filters, stale assessments, eval input."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from mercato.records import ArticleRecord, ClaimRecord, Source
from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.models import Article, Claim, Outcome
from mercato.store.repo import claims_query, count, store_batch

runner = CliRunner()


def _claim(person: str, journalist: str | None = None) -> ClaimRecord:
    return ClaimRecord(club="Arsenal", person=person, role="player", stage="interest",
                       source=Source(journalist, "Daily Mail"), certainty="firm", evidence="x", start=0, end=1)


def test_over_long_byline_and_names_are_stored_on_both_backends(any_db_url):
    db = Database(any_db_url)
    art = ArticleRecord(date=dt.date(2024, 1, 2), text="Arsenal want Martin Ødegaard's team-mate.",
                        author="A" * 300, outlet="O" * 260)
    res = store_batch(db, [(art, [_claim("P" * 250, journalist="J" * 220)])], "test")
    assert res.stored == 1 and res.claims == 1
    with db.session() as s:
        a = s.query(Article).one()
        assert a.author == "A" * 200 and a.outlet == "O" * 200
        c = s.query(Claim).one()
        assert c.person == "P" * 200 and c.journalist == "J" * 200


def test_filters_fold_non_ascii_and_treat_wildcards_literally(any_db_url):
    db = Database(any_db_url)
    art = ArticleRecord(date=dt.date(2024, 1, 2), text="Arsenal are monitoring Martin Ødegaard.")
    store_batch(db, [(art, [_claim("Martin Ødegaard"), _claim("Ben White")])], "test")
    with db.session() as s:
        assert [c.person for c in s.scalars(claims_query(person="ødegaard"))] == ["Martin Ødegaard"]
        assert [c.person for c in s.scalars(claims_query(person="ØDEGAARD"))] == ["Martin Ødegaard"]
        assert list(s.scalars(claims_query(person="%"))) == []
        assert list(s.scalars(claims_query(person="_"))) == []


def test_listing_limit_must_be_positive(db_url):
    r = runner.invoke(app, ["claims", "--db", db_url, "--limit", "-1"])
    assert r.exit_code == 2 and "limit" in r.output.lower()


def test_track_records_follow_an_outcome_changed_in_place(shared, db_url, tmp_path):
    from mercato.assess import service

    runner.invoke(app, ["ingest", str(shared / "corpus/articles/d01.txt"), "--db", db_url])
    db = Database(db_url)
    outcome = {"club": "Liverpool", "person": "Xabi Alonso", "role": "manager", "resolved_on": "2024-03-29"}
    f = tmp_path / "o.json"
    f.write_text(json.dumps({"outcomes": [{**outcome, "happened": False}]}))
    assert runner.invoke(app, ["outcomes", "import", str(f), "--db", db_url]).exit_code == 0

    def holzner_hits() -> int:
        (row,) = [r for r in service.list_sources(db) if r["name"] == "Georg Holzner"]
        return row["hits"]

    assert holzner_hits() == 0  # "advanced discussions", and Alonso stayed
    f.write_text(json.dumps({"outcomes": [{**outcome, "happened": True}]}))
    assert runner.invoke(app, ["outcomes", "import", str(f), "--db", db_url]).exit_code == 0
    assert count(db, Outcome) == 1
    assert holzner_hits() == 1  # same row, new verdict: not a stale cached book


def test_eval_names_a_broken_gold_file_and_a_missing_article(tmp_path):
    gold, arts = tmp_path / "gold", tmp_path / "articles"
    gold.mkdir()
    arts.mkdir()
    (gold / "x1.json").write_text("{not json")
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--articles", str(arts)])
    assert r.exit_code == 2 and "x1.json" in r.output and "Traceback" not in r.output
    (gold / "x1.json").write_text(json.dumps({"article": "x1", "claims": []}))
    r = runner.invoke(app, ["eval", "--gold", str(gold), "--articles", str(arts)])
    assert r.exit_code == 2 and "no article file for gold article 'x1'" in r.output
