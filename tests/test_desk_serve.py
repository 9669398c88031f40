"""The desk (issue 13) through the command line and the JSON API, on the shared corpus articles (real text)
plus a few sentences of our own: deal terms, heating up, club pages by window, person cards, follows with
their Atom feeds, and `mercato watch` alerts for followed entities."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
from typer.testing import CliRunner

from mercato.serve.cli import app
from test_api import Server, build_corpus_db, start_server

runner = CliRunner()

OURS = (
    "date: 2024-05-29\noutlet: Desk Example\ntitle: Liverpool bid for Osimhen\nurl: https://desk.example/osimhen\n\n"
    "Liverpool have made a £100m bid for Napoli striker Victor Osimhen.\n\n"
    "Roma want to sign Chelsea striker Tammy Abraham on loan with an option to buy.\n"
)


def rss(*items: tuple[str, str, str]) -> str:
    body = "".join(f"<item><title>{t[:40]}</title><guid>{g}</guid><link>https://desk.example/{g}</link>"
                   f"<pubDate>{d}</pubDate><description>{t}</description></item>" for g, d, t in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><link>https://desk.example/</link>{body}</channel></rss>'


@pytest.fixture(scope="module")
def desk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("desk")
    db = build_corpus_db(folder)
    (folder / "ours").mkdir()
    (folder / "ours" / "ours.txt").write_text(OURS, encoding="utf-8")
    r = runner.invoke(app, ["ingest", str(folder / "ours"), "--db", str(db), "-q"])
    assert r.exit_code == 0, r.output
    return db


def cli(*args: str) -> object:
    r = runner.invoke(app, [*args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_cli_story_claims_carry_terms_badges_and_headlines(desk_db):
    stories = cli("stories", "--db", str(desk_db), "--format", "json")
    sid = next(s["id"] for s in stories if s["person"] == "Victor Osimhen")
    story = cli("story", sid, "--db", str(desk_db), "--format", "json")
    c = story["claims"][0]
    assert c["terms"]["fee_amount"] == 100_000_000 and c["terms"]["fee_currency"] == "GBP"
    assert c["headline"] == "Liverpool bid for Osimhen" and c["url"] == "https://desk.example/osimhen"
    assert c["badge"]["kind"] == "outlet" and "label" in c["badge"]
    assert story["deal"]["fee"]["fee_text"] == "£100m"
    # a corpus story: the outlet's record as of the story's date (Alonso's stories resolved on 29 March)
    alonso = next(s["id"] for s in stories if s["person"] == "Xabi Alonso" and s["club"] == "Liverpool")
    early = cli("story", alonso, "--db", str(desk_db), "--as-of", "2024-03-01", "--format", "json")
    assert all(cl["badge"] is None or cl["badge"]["resolved"] == 0 for cl in early["claims"])


def test_cli_heating_up_as_of_a_date(desk_db):
    out = cli("heating", "--db", str(desk_db), "--as-of", "2024-05-25", "--days", "7", "--format", "json")
    assert out["since"] == "2024-05-18"
    people = [s["person"] for s in out["stories"]]
    assert "Vincent Kompany" in people and "Victor Osimhen" not in people  # his bid came on 29 May
    for s in out["stories"]:
        assert s["days_claimed"] and all("2024-05-18" < d <= "2024-05-25" for d in s["days_claimed"])
        assert s["change"] == pytest.approx(s["probability"] - s["probability_then"], abs=1e-3)
    r = runner.invoke(app, ["heating", "--db", str(desk_db), "--direction", "sideways"])
    assert r.exit_code == 2 and "--direction" in r.output


def test_cli_club_and_clubs_by_window_and_league(desk_db):
    page = cli("club", "Liverpool", "--db", str(desk_db), "--format", "json")
    ins = {s["person"] for w in page["windows"] for s in w["in"]}
    assert {"Arne Slot", "Xabi Alonso", "Victor Osimhen"} <= ins
    assert [w["window"] for w in page["windows"]] == sorted({w["window"] for w in page["windows"]}, reverse=True)
    napoli = cli("club", "Napoli", "--db", str(desk_db), "--format", "json")
    assert [(s["person"], s["to"]) for w in napoli["windows"] for s in w["out"]] == [("Victor Osimhen", "Liverpool")]
    assert cli("club", "Napoli", "--db", str(desk_db), "--league", "Bundesliga", "--format", "json")["n_out"] == 0
    r = runner.invoke(app, ["club", "Liverpool", "--db", str(desk_db), "--window", "1999-summer"])
    assert r.exit_code == 2 and "2024-summer" in r.output
    rows = cli("clubs", "--db", str(desk_db), "--league", "Premier League", "--format", "json")
    assert "Liverpool" in {r["club"] for r in rows} and all(r["league"] == "Premier League" for r in rows)


def test_cli_person_card_on_a_date(desk_db):
    card = cli("person", "Alonso", "--db", str(desk_db), "--as-of", "2024-03-01", "--format", "json")
    assert card["person"] == "Xabi Alonso" and card["age"] == 42 and card["club"] == "Bayer Leverkusen"
    assert card["role"] == "manager" and all(s["last_date"] <= "2024-03-01" for s in card["stories"])
    r = runner.invoke(app, ["person", "Nobody Atall", "--db", str(desk_db)])
    assert r.exit_code == 1 and "Nobody Atall" in r.output


def test_cli_follow_feed_and_watch_alerts(desk_db, tmp_path):
    db = tmp_path / "w.db"
    db.write_bytes(desk_db.read_bytes())
    f = cli("follow", "add", "club", "the reds", "--db", str(db), "--format", "json")
    assert f["name"] == "Liverpool" and f["new"]
    assert cli("follow", "list", "--db", str(db), "--format", "json")[0]["kind"] == "club"
    r = runner.invoke(app, ["follow", "add", "team", "Liverpool", "--db", str(db)])
    assert r.exit_code == 2 and "unknown kind" in r.output
    r = runner.invoke(app, ["follow", "feed", "Liverpool", "--db", str(db)])
    assert r.exit_code == 0
    parsed = feedparser.parse(r.stdout)
    assert not parsed.bozo and parsed.feed.title == "Mercato: club Liverpool" and len(parsed.entries) > 3
    # a new claim about Liverpool arrives through a feed: watch prints one alert for it, once
    feed = tmp_path / "feed.rss"
    feed.write_text(rss(("n1", "Sat, 01 Jun 2024 08:00:00 GMT",
                         "Liverpool are in talks with Napoli over striker Victor Osimhen.")), encoding="utf-8")
    r = runner.invoke(app, ["watch", str(feed), "--db", str(db), "--once"])
    assert r.exit_code == 0, r.output
    assert "[club: Liverpool] Victor Osimhen to Liverpool" in r.output and "1 new claim" in r.output
    r = runner.invoke(app, ["watch", str(feed), "--db", str(db), "--once"])
    assert "[club: Liverpool]" not in r.output
    r = runner.invoke(app, ["follow", "remove", "Liverpool", "--db", str(db)])
    assert r.exit_code == 0 and cli("follow", "list", "--db", str(db), "--format", "json") == []


# -- the JSON API -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(desk_db: Path) -> Iterator[httpx.Client]:
    srv: Server = start_server(desk_db, desk_db.parent)
    with httpx.Client(base_url=srv.url, timeout=60) as c:
        yield c
    srv.stop()


def test_api_desk_routes(client):
    h = client.get("/api/heating", params={"as_of": "2024-05-25", "days": 7}).json()
    assert "Vincent Kompany" in [s["person"] for s in h["stories"]]
    assert client.get("/api/heating", params={"days": 0}).status_code == 422
    club = client.get("/api/clubs/the reds").json()
    assert club["club"] == "Liverpool" and club["n_in"] >= 3
    r = client.get("/api/clubs/Liverpool", params={"window": "1999-summer"})
    assert r.status_code == 422 and "window" in r.json()["message"]
    assert client.get("/api/clubs/Atlantis FC").status_code == 404
    clubs = client.get("/api/clubs", params={"league": "Premier League"}).json()
    assert "Liverpool" in {c["club"] for c in clubs["items"]} and clubs["windows"]
    card = client.get("/api/people/Arne Slot", params={"as_of": "2024-04-01"}).json()
    assert card["club"] == "Feyenoord" and card["age"] == 45
    assert client.get("/api/people/Arne Slot", params={"as_of": "2024-07-01"}).json()["club"] == "Liverpool"
    sid = next(s["id"] for s in client.get("/api/stories", params={"limit": 200}).json()["items"]
               if s["person"] == "Victor Osimhen")
    story = client.get(f"/api/stories/{sid}").json()
    assert story["claims"][0]["terms"]["fee_text"] == "£100m" and story["claims"][0]["headline"]


def test_api_follows_and_atom(client):
    r = client.post("/api/follows", json={"kind": "person", "name": "Slot"})
    assert r.status_code == 201 and r.json()["name"] == "Arne Slot"
    fid = r.json()["id"]
    assert client.post("/api/follows", json={"kind": "person", "name": "Arne Slot"}).status_code == 200
    assert client.post("/api/follows", json={"kind": "team", "name": "x"}).status_code == 422
    atom = client.get(f"/api/follows/{fid}/atom")
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.text)
    assert not parsed.bozo and parsed.entries and all("Arne Slot" in e.title for e in parsed.entries)
    assert all(e.link.startswith(str(client.base_url).rstrip("/") + "/stories/") for e in parsed.entries)
    early = feedparser.parse(client.get(f"/api/follows/{fid}/atom", params={"as_of": "2024-04-26"}).text)
    assert 0 < len(early.entries) < len(parsed.entries)  # as of a date: nothing from after it
    items = client.get(f"/api/follows/{fid}").json()["items"]
    assert items and items[0]["story"]["person"] == "Arne Slot"
    assert client.delete(f"/api/follows/{fid}").status_code == 204
    assert client.get(f"/api/follows/{fid}/atom").status_code == 404
