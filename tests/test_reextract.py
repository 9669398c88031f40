"""`mercato reextract`: articles whose claims another extractor version made are read again, through the CLI, on a
real SQLite file and a real PostgreSQL database (`any_db_url`)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from mercato.extract.pipeline import LEARNED_VERSION, RULES_VERSION
from mercato.serve.cli import app

runner = CliRunner()
ARTICLES = {
    "a1.txt": "date 2024-02-22 Liverpool have made contact with Xabi Alonso about their manager's job, according to "
              "Sky Sports. Bayern Munich are also interested in the Spaniard.",
    "a2.txt": "date 2024-05-01 Chelsea have agreed a fee with Ipswich Town for Kieran McKenna, The Times reports. "
              "Arsenal are weighing a bid for Joao Palhinha.",
}


def _query(db: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(db)
    try:
        with engine.connect() as con:
            return [tuple(row) for row in con.execute(sa.text(sql))]
    finally:
        engine.dispose()


def _state(db: str) -> tuple[list[tuple[int, str]], int]:
    arts = _query(db, "select id, extracted_with from articles order by id")
    claims = _query(db, "select count(*) from claims")[0][0]
    return arts, claims


def test_reextract_replaces_the_claims_of_another_version_once(tmp_path: Path, any_db_url: str) -> None:
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = any_db_url
    res = runner.invoke(app, ["ingest", str(tmp_path / "a1.txt"), str(tmp_path / "a2.txt"), "--db", db,
                              "--extractor", "rules", "-q"])
    assert res.exit_code == 0, res.output
    arts, n_rules = _state(db)
    assert [v for _, v in arts] == [RULES_VERSION] * 2 and n_rules > 0

    res = runner.invoke(app, ["reextract", "--db", db, "--extractor", "learned", "--dry-run"])
    assert res.exit_code == 0, res.output
    assert f"2 article(s) to read again with {LEARNED_VERSION}" in res.output
    assert _state(db) == (arts, n_rules)  # a dry run changes nothing

    res = runner.invoke(app, ["reextract", "--db", db, "--extractor", "learned", "--from", "no-such-0.1", "-q"])
    assert res.exit_code == 0 and "read 0 article(s)" in res.output and _state(db) == (arts, n_rules)

    res = runner.invoke(app, ["reextract", "--db", db, "--extractor", "learned", "--batch-size", "1", "-q"])
    assert res.exit_code == 0, res.output
    after, n_learned = _state(db)
    assert [i for i, _ in after] == [i for i, _ in arts]  # the same articles, none added or lost
    assert [v for _, v in after] == [LEARNED_VERSION] * 2
    assert f"{n_rules} claim(s) replaced by {n_learned}" in res.output
    # every claim is the learned reading's: no rules claim left beside them, and every one belongs to a stored article
    per_article = dict(_query(db, "select article_id, count(*) from claims group by article_id"))
    assert sum(per_article.values()) == n_learned and set(per_article) <= {i for i, _ in after}

    res = runner.invoke(app, ["reextract", "--db", db, "--extractor", "learned", "-q"])
    assert res.exit_code == 0 and "read 0 article(s)" in res.output  # done: nothing read twice
    assert _state(db) == (after, n_learned)

    # back to the rules: the same claims as the first ingest, not a second set
    res = runner.invoke(app, ["reextract", "--db", db, "--extractor", "rules", "--from", LEARNED_VERSION, "-q"])
    assert res.exit_code == 0, res.output
    assert _state(db) == (arts, n_rules)


def test_reextract_refuses_a_missing_database(tmp_path: Path) -> None:
    res = runner.invoke(app, ["reextract", "--db", str(tmp_path / "nope.db")])
    assert res.exit_code != 0


def test_reextract_reads_a_stored_agency_byline_as_ingest_reads_it_now(tmp_path: Path, any_db_url: str) -> None:
    """An article stored before agency bylines were told apart keeps "Press Association" as its author; read again,
    its own-voice claims have no journalist (the spec: an agency gives none), as a fresh ingest gives."""
    (tmp_path / "a.txt").write_text("date: 2024-05-27\nauthor: Luke Brown\noutlet: The42\n\nLeicester City have made "
                                    "contact with Kieran McKenna about their vacant manager's job.\n", encoding="utf-8")
    db = any_db_url
    res = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--extractor", "learned", "-q"])
    assert res.exit_code == 0, res.output
    assert _query(db, "select distinct journalist from claims") == [("Luke Brown",)]
    engine = sa.create_engine(db)
    with engine.begin() as con:  # what an older release stored: the agency as author, claims by another version
        con.execute(sa.text("update articles set author = 'Press Association', extracted_with = 'learned-0.1'"))
        con.execute(sa.text("update claims set journalist = 'Press Association'"))
    engine.dispose()
    res = runner.invoke(app, ["reextract", "--db", db, "--extractor", "learned", "-q"])
    assert res.exit_code == 0, res.output
    journalists = _query(db, "select distinct journalist from claims")
    assert journalists == [(None,)], journalists
    assert _query(db, "select extracted_with from articles") == [(LEARNED_VERSION,)]
