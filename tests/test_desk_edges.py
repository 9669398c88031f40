"""Rough edges a new user met (issue 13), each through the command line as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mercato.serve.cli import app

ROOT = Path(__file__).resolve().parents[1]
MERCATO = str(Path(sys.executable).parent / "mercato")
runner = CliRunner()


# --- 1. `mercato demo` honours --db / MERCATO_DB and leaves nothing in the working folder ---------------

def _demo(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MERCATO_DB"} | {"COLUMNS": "200"} | env
    return subprocess.run([MERCATO, "demo"], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_demo_defaults_to_the_user_data_dir_and_says_where(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    proc = _demo(work, {"XDG_DATA_HOME": str(tmp_path / "data")})
    assert proc.returncode == 0, proc.stderr
    db = tmp_path / "data" / "mercato" / "demo.db"
    assert db.is_file()
    assert f"demo database: {db}" in proc.stdout
    assert list(work.iterdir()) == []  # no sample.db, no sample.db.migrate-lock


def test_demo_honours_mercato_db(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    target = tmp_path / "mine.db"
    proc = _demo(work, {"XDG_DATA_HOME": str(tmp_path / "data"), "MERCATO_DB": str(target)})
    assert proc.returncode == 0, proc.stderr
    assert target.is_file() and f"demo database: {target}" in proc.stdout
    assert not (tmp_path / "data" / "mercato" / "demo.db").exists()
    assert list(work.iterdir()) == []


# --- 2. a mistyped --db: reading commands refuse it, writing commands need its folder -------------------

READERS = [["claims"], ["articles"], ["stories"], ["sources"], ["story", "move--liverpool--arne-slot--manager"],
           ["spells", "Arne Slot"], ["outcomes", "pending"], ["backtest"]]


@pytest.mark.parametrize("cmd", READERS, ids=lambda c: " ".join(c))
def test_reading_commands_refuse_a_database_that_does_not_exist(cmd, tmp_path):
    for missing in (tmp_path / "typo.db", Path("/nonexistent/dir/x.db")):
        r = runner.invoke(app, [*cmd, "--db", str(missing)])
        assert r.exit_code == 2, r.output
        assert f"no database at {missing}" in r.stderr
        assert not missing.exists()


def test_writing_commands_create_the_file_but_not_its_folder(tmp_path, shared):
    article = str(shared / "corpus/articles/d05.txt")
    r = runner.invoke(app, ["ingest", article, "--db", "/nonexistent/dir/x.db"])
    assert r.exit_code == 2 and "folder /nonexistent/dir does not exist" in r.stderr
    r = runner.invoke(app, ["outcomes", "import", str(shared / "corpus/outcomes.json"), "--db",
                            str(tmp_path / "no" / "x.db")])
    assert r.exit_code == 2 and f"folder {tmp_path / 'no'} does not exist" in r.stderr
    db = tmp_path / "new.db"
    assert runner.invoke(app, ["ingest", article, "--db", str(db)]).exit_code == 0
    listed = runner.invoke(app, ["articles", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 1


# --- 3. only explicit dates; none after today -----------------------------------------------------------

def test_relative_and_future_dates_are_errors_naming_file_and_row(tmp_path):
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    csv = tmp_path / "items.csv"
    csv.write_text(
        "date,text\n"
        "yesterday,Chelsea are interested in signing Napoli striker Victor Osimhen.\n"
        "2 days ago,Arsenal are monitoring Sporting defender Goncalo Inacio.\n"
        f"{future},Liverpool have made a bid for Leeds forward Wilfried Gnonto.\n"
        "2099-01-01,Everton are considering a move for Leeds forward Wilfried Gnonto.\n"
        "1 February 2021,Tottenham are interested in signing Juventus midfielder Weston McKennie.\n"
        "1. Februar 2021,Bayern are in talks with Leipzig over Dayot Upamecano.\n"
        f"{tomorrow},Brentford value their goalkeeper at 40 million pounds.\n",
        encoding="utf-8",
    )
    text = tmp_path / "note.txt"
    text.write_text("date: today\n\nChelsea are interested in signing Napoli striker Victor Osimhen.\n")
    db = tmp_path / "d.db"
    r = runner.invoke(app, ["ingest", str(csv), str(text), "--db", str(db), "--no-extract"])
    assert r.exit_code == 1
    err = r.stderr
    assert f"{csv}:2: date 'yesterday' does not parse" in err and "explicit date" in err
    assert f"{csv}:3: date '2 days ago' does not parse" in err
    assert f"{csv}:4: date {future} is in the future" in err
    assert f"{csv}:5: date 2099-01-01 is in the future" in err
    assert f"{text}: date 'today' does not parse" in err
    assert "stored 3 article(s)" in r.stdout and "5 failed" in r.stdout  # explicit dates, one a day ahead
    dates = {a["date"] for a in json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json"]).stdout)}
    assert dates == {"2021-02-01", tomorrow}


# --- 6. ingest progress: rows with a total, a rate and time left; a piped run is not silent -------------

def test_piped_ingest_prints_periodic_progress_lines_with_the_row_total(shared, tmp_path, monkeypatch):
    gossip = shared / "datasets/bbc-gossip-2021/rumours.csv"
    monkeypatch.setenv("MERCATO_PROGRESS_EVERY", "0.2")
    r = runner.invoke(app, ["ingest", str(gossip), "--db", str(tmp_path / "g.db"), "--no-extract",
                            "--batch-size", "500"])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith(f"ingest {gossip.name}: ")]
    assert lines, r.stderr
    assert all("/5981 articles (" in ln and "/s, " in ln for ln in lines), lines
    assert any(" left" in ln for ln in lines), lines
    assert "stored 5981 article(s)" in r.stdout
    # --quiet: nothing on stderr
    q = runner.invoke(app, ["ingest", str(gossip), "--db", str(tmp_path / "g.db"), "--no-extract", "--quiet"])
    assert q.exit_code == 0 and q.stderr == ""


def test_terminal_progress_gets_the_row_total(shared, tmp_path):
    from mercato.serve.pipeline import count_items, ingest_paths
    from mercato.store import Database

    class Recorder:  # what the rich bar is told
        def __init__(self) -> None:
            self.total, self.done = None, 0

        def add_task(self, description, total=None):
            self.total = total
            return 1

        def update(self, task, description=None):
            pass

        def advance(self, task, n=1):
            self.done += n

    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"date": "2021-02-01", "text": "Chelsea want Osimhen."}\n\n{"date": "bad", "text": "x"}\n')
    article = shared / "corpus/articles/d05.txt"
    assert count_items(jsonl) == 2 and count_items(article) == 1 and count_items("https://example.org/f") is None
    rec = Recorder()
    ingest_paths(Database(f"sqlite:///{tmp_path / 'p.db'}"), [str(jsonl), str(article)], extract=False, progress=rec)
    assert rec.total == 3 and rec.done == 3


# --- 4. club filters go through the knowledge base; a filter that names nothing gets a hint -------------

SPURS = ("date: 2024-06-03\noutlet: The Test Gazette\n\n"
         "Tottenham Hotspur are in talks with Juventus over a move for midfielder Weston McKennie.\n")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("desk")
    (folder / "spurs.txt").write_text(SPURS, encoding="utf-8")
    db = str(folder / "sample.db")
    r = runner.invoke(app, ["ingest", str(ROOT / "sample/articles"), str(folder / "spurs.txt"), "--db", db, "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["outcomes", "import", str(ROOT / "sample/outcomes.json"), "--db", db])
    assert r.exit_code == 0, r.output
    return db


def _claims(db: str, *args: str) -> list[dict]:
    r = runner.invoke(app, ["claims", "--db", db, "--format", "json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.mark.parametrize("club, stored", [("Bayern", "Bayern Munich"), ("FC Bayern München", "Bayern Munich"),
                                          ("bayern munchen", "Bayern Munich"), ("Liverpool FC", "Liverpool"),
                                          ("the Reds", "Liverpool"), ("spurs", "Tottenham Hotspur")])
def test_club_filter_takes_names_aliases_and_nicknames(sample_db, club, stored):
    rows = _claims(sample_db, "--club", club)
    exact = _claims(sample_db, "--club", stored)
    assert rows and {r["club"] for r in rows} == {stored}
    assert [r["id"] for r in rows] == [r["id"] for r in exact]
    r = runner.invoke(app, ["stories", "--db", sample_db, "--club", club, "--format", "json"])
    assert r.exit_code == 0 and {s["club"] for s in json.loads(r.stdout)} == {stored}


def test_unknown_filters_get_a_hint_not_an_empty_table(sample_db):
    r = runner.invoke(app, ["claims", "--db", sample_db, "--club", "Bayrn"])
    assert r.exit_code == 1 and "no club 'Bayrn'; did you mean 'Bayern Munich'" in r.stderr
    assert r.stdout == ""
    r = runner.invoke(app, ["stories", "--db", sample_db, "--club", "Liverpol"])
    assert r.exit_code == 1 and "did you mean 'Liverpool'" in r.stderr
    r = runner.invoke(app, ["claims", "--db", sample_db, "--stage", "talk"])
    assert r.exit_code == 2 and "--stage 'talk': did you mean 'talks'?" in r.stderr
    r = runner.invoke(app, ["sources", "--db", sample_db, "--kind", "journo"])
    assert r.exit_code == 2 and "did you mean 'journalist'?" in r.stderr
    # a club the knowledge base knows with nothing stored: an honest empty table
    assert _claims(sample_db, "--club", "Arsenal") == []


def test_api_club_filter_and_search_use_the_knowledge_base(sample_db):
    from fastapi.testclient import TestClient

    from mercato.serve.api import create_app

    with TestClient(create_app(f"sqlite:///{sample_db}", warm=False)) as client:
        bayern = client.get("/api/claims", params={"club": "FC Bayern München"}).json()
        assert bayern["total"] == len(_claims(sample_db, "--club", "Bayern Munich")) > 0
        stories = client.get("/api/stories", params={"club": "Liverpool FC"}).json()
        assert stories["items"] and {s["club"] for s in stories["items"]} == {"Liverpool"}
        hits = client.get("/api/search", params={"q": "spurs"}).json()
        assert any(h["type"] == "story" and "Weston McKennie" in h["title"] for h in hits["items"]), hits


# --- 7. backtest: moves and forecasts are counted apart --------------------------------------------------

def test_backtest_summary_counts_forecasts_and_moves_apart(sample_db):
    res = json.loads(runner.invoke(app, ["backtest", "--db", sample_db, "--no-variants", "--format", "json"]).stdout)
    assert res["n"] > res["moves"] > 0  # more forecasts than moves: the two must not be confused
    out = runner.invoke(app, ["backtest", "--db", sample_db, "--no-variants"]).stdout
    assert (f"forecasts scored: {res['n']} over {res['moves']} resolved moves; {res['positives']} of the forecasts "
            "were on moves that came true") in " ".join(out.split())


# --- 5. one URL, one article: the fullest text wins, whichever of ingest and watch came first -----------

def _teaser_feed(page: str) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Example</title>'
            f"<item><title>Arsenal talks</title><link>{page}</link><pubDate>Fri, 14 Jun 2024 09:00:00 GMT</pubDate>"
            f"<description>Arsenal are in talks with Brentford over a goalkeeper.</description></item>"
            f"</channel></rss>").encode()


def _articles_at(db_url: str, url: str):
    from sqlalchemy import select

    from mercato.store import Database
    from mercato.store.models import Article, Claim

    db = Database(db_url)
    with db.session() as s:
        arts = list(s.scalars(select(Article).where(Article.url == url)))
        claims = {a.id: list(s.scalars(select(Claim).where(Claim.article_id == a.id))) for a in arts}
        total = len(list(s.scalars(select(Article.id))))
    db.engine.dispose()
    return arts, claims, total


def test_feed_ingest_then_watch_follow_links_replaces_the_teaser(web_server, fast_http, any_db_url):
    page = web_server.url("static/article.html")
    web_server.live = [_teaser_feed(page)]
    r = runner.invoke(app, ["ingest", web_server.url("live"), "--db", any_db_url])
    assert r.exit_code == 0 and "stored 1 article(s)" in r.stdout, r.output
    (teaser,), _, _ = _articles_at(any_db_url, page)
    assert teaser.text.startswith("Arsenal are in talks")
    r = runner.invoke(app, ["watch", web_server.url("live"), "--db", any_db_url, "--once", "--follow-links"])
    assert r.exit_code == 0, r.output
    assert "1 stored item(s) replaced by the full text of their page" in r.output
    assert web_server.hits.count("/static/article.html") == 1
    arts, claims, total = _articles_at(any_db_url, page)
    assert total == 1 and len(arts) == 1 and arts[0].id == teaser.id  # in place: no second article
    full = arts[0]
    assert "Brentford value their goalkeeper" in full.text and full.author == "Pat Example"
    # its claims were read from the full text (the teaser's are gone): every evidence span indexes it
    assert all(full.text[c.start:c.end] == c.evidence for c in claims[full.id])
    # the feed ingested again: its teaser is shorter than what is stored, so nothing changes
    r = runner.invoke(app, ["ingest", web_server.url("live"), "--db", any_db_url])
    assert r.exit_code == 0 and "stored 0 article(s), skipped 1" in r.stdout, r.output
    arts2, claims2, total2 = _articles_at(any_db_url, page)
    assert total2 == 1 and arts2[0].text == full.text
    assert [c.id for c in claims2[full.id]] == [c.id for c in claims[full.id]]


def test_watch_then_feed_ingest_stores_each_url_once(web_server, fast_http, tmp_path):
    page = web_server.url("static/article.html")
    web_server.live = [_teaser_feed(page)]
    db = f"sqlite:///{tmp_path / 'w.db'}"
    r = runner.invoke(app, ["watch", web_server.url("live"), "--db", db, "--once", "--follow-links"])
    assert r.exit_code == 0 and "1 new item(s)" in r.output, r.output
    r = runner.invoke(app, ["ingest", web_server.url("live"), "--db", db])
    assert r.exit_code == 0 and "skipped 1" in r.stdout, r.output
    arts, _, total = _articles_at(db, page)
    assert total == 1 and "Brentford value their goalkeeper" in arts[0].text


def test_rows_citing_one_source_url_are_not_merged(tmp_path):
    """A CSV row's URL is its source, not its identity (97 gossip rows share a source with another row)."""
    csv = tmp_path / "g.csv"
    csv.write_text("date,raw_text,source_url\n"
                   "2021-02-01,Leicester are interested in signing Watford midfielder Nathaniel Chalobah.,https://x.example/a\n"
                   "2021-02-01,Liverpool have made an approach for Marseille defender Duje Caleta-Car.,https://x.example/a\n")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    r = runner.invoke(app, ["ingest", str(csv), "--db", db, "--no-extract"])
    assert r.exit_code == 0 and "stored 2 article(s)" in r.stdout
    arts, _, _ = _articles_at(db, "https://x.example/a")
    assert len(arts) == 2


def test_serve_refuses_a_database_that_does_not_exist(tmp_path):
    missing = tmp_path / "typo.db"
    r = runner.invoke(app, ["serve", "--db", str(missing), "--port", "0"])
    assert r.exit_code == 2 and f"no database at {missing}" in r.stderr and not missing.exists()
