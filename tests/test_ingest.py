"""Ingest: every format, every bad input, idempotent re-ingest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from mercato.ingest import IngestError, read_path
from mercato.records import ArticleRecord
from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.models import Article, Claim
from mercato.store.repo import count

runner = CliRunner()


def records(path: Path) -> tuple[list[ArticleRecord], list[IngestError]]:
    ok, bad = [], []
    for item in read_path(path):
        (bad if isinstance(item, IngestError) else ok).append(item)
    return ok, bad


def test_header_form(shared):
    ok, bad = records(shared / "corpus/articles/d02.txt")
    assert not bad and len(ok) == 1
    a = ok[0]
    assert a.date == dt.date(2024, 3, 29)
    assert a.outlet == "LatestLY"
    assert a.author is None  # "unknown" means no author
    assert a.url.startswith("https://www.latestly.com/")
    assert a.text.startswith("Xabi Alonso confirmed")


def test_one_line_form(shared):
    ok, bad = records(shared / "corpus/articles/d01.txt")
    assert not bad
    assert ok[0].date == dt.date(2024, 2, 22)
    assert ok[0].text.startswith("Journalists in Germany claim")
    assert ok[0].outlet is None


def test_jsonl_and_csv(tmp_path):
    j = tmp_path / "a.jsonl"
    j.write_text(
        json.dumps({"date": "2024-05-01", "text": "Chelsea are tracking a winger.", "outlet": "Sky Deutschland"})
        + "\n\n"
        + json.dumps({"date": "2 May 2024", "text": "Arsenal want a striker.", "url": "https://www.dailymail.co.uk/x"})
        + "\n",
        encoding="utf-8",
    )
    ok, bad = records(j)
    assert not bad
    assert [a.date for a in ok] == [dt.date(2024, 5, 1), dt.date(2024, 5, 2)]
    assert ok[0].outlet == "Sky Germany"  # outlet aliases are canonicalised
    c = tmp_path / "a.csv"
    c.write_text("date,text,outlet,url,author\n2024-05-03,\"Spurs, again, eye a keeper.\",Guardian,,Jo Bloggs\n",
                 encoding="utf-8")
    ok, bad = records(c)
    assert not bad and ok[0].outlet == "The Guardian" and ok[0].author == "Jo Bloggs"
    assert ok[0].text == "Spurs, again, eye a keeper."


def test_gossip_csv_all_rows(shared):
    ok, bad = records(shared / "datasets/bbc-gossip-2021/rumours.csv")
    assert not bad
    assert len(ok) == 5981
    assert ok[0].date == dt.date(2021, 2, 1)
    assert ok[0].outlet == "Leicester Mercury"  # www.leicestermercury.co.uk via the outlet KB
    assert ok[0].url.startswith("https://www.leicestermercury.co.uk/")
    assert all(a.text for a in ok)


def make_bad_inputs(folder: Path) -> dict[str, str]:
    """file name -> the words its error must contain"""
    (folder / "binary.txt").write_bytes(b"date: 2024-01-01\n\n\x00\x01\x02binary")
    (folder / "latin1.txt").write_bytes("date: 2024-01-01\n\nM\xfcller joins Bayern".encode("latin-1"))
    (folder / "empty.txt").write_text("")
    (folder / "baddate.txt").write_text("date: 31st of Smarch\n\nLiverpool want a coach.\n")
    (folder / "nocol.csv").write_text("when,body\n2024-01-01,hello\n")
    big = folder / "huge.txt"
    with big.open("wb") as fh:
        fh.write(b"date: 2024-01-01\n\n")
        fh.write(b"a" * (50 * 1024 * 1024))
    (folder / "rows.csv").write_text("date,text\n2024-01-01,Fine row about Arsenal.\nnot a date,Bad row.\n")
    return {
        "binary.txt": "binary",
        "latin1.txt": "not UTF-8",
        "empty.txt": "empty",
        "baddate.txt": "does not parse",
        "nocol.csv": "no 'date' column",
        "huge.txt": "too large",
        "rows.csv:3": "does not parse",
    }


def test_bad_inputs_get_one_clear_line_and_the_batch_goes_on(tmp_path, any_db_url):
    db_url = any_db_url  # a real SQLite file and a real PostgreSQL database
    bad_dir = tmp_path / "in"
    bad_dir.mkdir()
    expected = make_bad_inputs(bad_dir)
    good = bad_dir / "good.txt"
    good.write_text("date: 2024-02-01\noutlet: BBC\n\nLiverpool are interested in Xabi Alonso.\n")
    # something stored before must survive the failing batch
    first = runner.invoke(app, ["ingest", str(good), "--db", db_url])
    assert first.exit_code == 0, first.output
    result = runner.invoke(app, ["ingest", str(bad_dir), "--db", db_url])
    assert result.exit_code == 1
    out = result.output
    for name, words in expected.items():
        lines = [ln for ln in out.splitlines() if name in ln]
        assert lines, f"no error line names {name}:\n{out}"
        assert any(words in ln for ln in lines), f"{name}: expected {words!r} in {lines}"
    assert "Traceback" not in out
    db = Database(db_url)
    assert count(db, Article) == 2  # the good article once, plus the one good CSV row
    with db.session() as s:
        assert {a.origin.rsplit("/", 1)[-1] for a in s.query(Article)} == {"good.txt", "rows.csv:2"}


def test_reingest_is_a_no_op(shared, any_db_url):
    db_url = any_db_url
    folder = shared / "corpus/articles"
    r1 = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    assert r1.exit_code == 0, r1.output
    assert "stored 18 article(s)" in r1.output
    db = Database(db_url)
    n_claims = count(db, Claim)
    assert n_claims > 0
    r2 = runner.invoke(app, ["ingest", str(folder), "--db", db_url])
    assert r2.exit_code == 0
    assert "stored 0 article(s), skipped 18" in r2.output
    assert count(db, Article) == 18
    assert count(db, Claim) == n_claims


def test_mercato_db_env_is_honoured(tmp_path, monkeypatch, shared):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("MERCATO_DB", url)
    r = runner.invoke(app, ["ingest", str(shared / "corpus/articles/d05.txt")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "env.db").exists()
    listed = runner.invoke(app, ["articles", "--format", "json"])
    rows = json.loads(listed.output)
    assert [r["outlet"] for r in rows] == ["TEAMtalk"]
