"""The JSON API over real HTTP: `mercato serve` started on loopback against a real SQLite file filled by
`mercato ingest ../shared/corpus/articles` (plus the corpus outcomes and one hostile article)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mercato.config import shared_dir

ROOT = Path(__file__).resolve().parents[1]
MERCATO = [sys.executable, "-m", "mercato.serve.cli"] if not (ROOT / ".venv/bin/mercato").exists() else [str(ROOT / ".venv/bin/mercato")]

HOSTILE = (
    "date: 2024-05-02\noutlet: Example Sport Daily\nauthor: Test Writer\nurl: javascript:window.__pwned = 3\n"
    "title: Slot latest <script>window.__pwned = 1</script>\n\n"
    "Liverpool are in advanced talks with Arne Slot <script>window.__pwned = 1</script>"
    '<img src=x onerror="window.__pwned = 2">, according to Fabrizio Romano.\n\n'
    "Feyenoord expect to lose their coach.\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_corpus_db(folder: Path) -> Path:
    """A real SQLite file: the corpus articles ingested by the CLI, the corpus outcomes, one hostile article."""
    db = folder / "corpus.db"
    hostile = folder / "hostile"
    hostile.mkdir(exist_ok=True)
    (hostile / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    articles = shared_dir() / "corpus" / "articles"
    run = subprocess.run([*MERCATO, "ingest", str(articles), str(hostile), "--db", str(db), "-q"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    _add_outcomes(db)
    return db


def _add_outcomes(db: Path) -> None:
    from mercato.store import Database
    from mercato.store.models import Outcome

    data = json.loads((shared_dir() / "corpus" / "outcomes.json").read_text(encoding="utf-8"))
    database = Database(str(db))
    with database.session() as s:
        for o in data["outcomes"]:
            s.add(Outcome(club=o["club"], person=o["person"], role=o["role"], happened=o["happened"],
                          resolved_on=dt.date.fromisoformat(o["resolved_on"]) if o.get("resolved_on") else None,
                          status="confirmed", origin="outcomes.json", note=o.get("note")))
    database.engine.dispose()


class Server:
    def __init__(self, proc: subprocess.Popen[str], url: str, log: Path) -> None:
        self.proc, self.url, self.log = proc, url, log

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def start_server(db: Path | None, folder: Path, env: dict[str, str] | None = None) -> Server:
    """`mercato serve` in a subprocess on a free loopback port; waits until it answers."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    cmd = [*MERCATO, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    if db is not None:
        cmd += ["--db", str(db)]
    out = log.open("w")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"mercato serve exited {proc.returncode}: {log.read_text()}")
        try:
            if httpx.get(url + "/api/articles?limit=1", timeout=2).status_code == 200:
                return Server(proc, url, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"mercato serve did not answer within 60 s: {log.read_text()}")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus_db(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def server(corpus_db: Path) -> Iterator[Server]:
    srv = start_server(corpus_db, corpus_db.parent)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def _page(c: httpx.Client, path: str, **params: object) -> dict:
    r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"items", "total", "limit", "offset", "page"}
    return body


# -------------------------------------------------------------------------------- articles, claims


def test_articles_list_paginates_without_overlap(client: httpx.Client) -> None:
    first = _page(client, "/api/articles", limit=5)
    assert first["total"] == 19  # 18 corpus articles + the hostile one
    assert len(first["items"]) == 5 and first["page"] == 1
    second = _page(client, "/api/articles", limit=5, page=2)
    assert second["offset"] == 5 and second["page"] == 2
    ids1, ids2 = {a["id"] for a in first["items"]}, {a["id"] for a in second["items"]}
    assert not ids1 & ids2
    by_offset = _page(client, "/api/articles", limit=5, offset=5)
    assert [a["id"] for a in by_offset["items"]] == [a["id"] for a in second["items"]]
    dates = [a["date"] for a in first["items"] + second["items"]]
    assert dates == sorted(dates, reverse=True)
    last = _page(client, "/api/articles", limit=5, page=4)
    assert len(last["items"]) == 4
    assert _page(client, "/api/articles", limit=5, page=9)["items"] == []


def test_article_detail_has_text_and_claims_whose_offsets_index_it(client: httpx.Client) -> None:
    arts = _page(client, "/api/articles", limit=50)["items"]
    with_claims = next(a for a in arts if a["claims"] > 0)
    r = client.get(f"/api/articles/{with_claims['id']}")
    assert r.status_code == 200
    art = r.json()
    assert len(art["claim_list"]) == art["claims"] == with_claims["claims"]
    for c in art["claim_list"]:
        assert art["text"][c["start"] : c["end"]] == c["evidence"]
    assert client.get("/api/articles/99999").status_code == 404
    assert "99999" in client.get("/api/articles/99999").json()["message"]


def test_claims_filters(client: httpx.Client) -> None:
    everything = _page(client, "/api/claims", limit=200)
    assert everything["total"] > 50
    liverpool = _page(client, "/api/claims", club="liverpool", limit=200)
    assert 0 < liverpool["total"] < everything["total"]
    assert {c["club"] for c in liverpool["items"]} == {"Liverpool"}
    slot = _page(client, "/api/claims", person="slot", limit=200)
    assert slot["total"] > 0 and all("Slot" in c["person"] for c in slot["items"])
    done = _page(client, "/api/claims", stage="done", limit=200)
    assert done["total"] > 0 and {c["stage"] for c in done["items"]} == {"done"}
    window = _page(client, "/api/claims", since="2024-05-01", until="2024-05-31", limit=200)
    assert window["total"] > 0
    assert all("2024-05-01" <= c["date"] <= "2024-05-31" for c in window["items"])
    assert window["total"] < everything["total"]
    named = next(c for c in everything["items"] if c["source"]["journalist"])
    by_source = _page(client, "/api/claims", source=named["source"]["journalist"].upper(), limit=200)
    assert by_source["total"] > 0
    assert all(named["source"]["journalist"] in (c["source"]["journalist"], c["source"]["outlet"]) for c in by_source["items"])
    combined = _page(client, "/api/claims", club="Liverpool", stage="done", limit=200)
    assert all(c["club"] == "Liverpool" and c["stage"] == "done" for c in combined["items"])
    assert combined["total"] <= min(liverpool["total"], done["total"])


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/api/claims", {"limit": "abc"}, "limit"),
        ("/api/claims", {"limit": "0"}, "limit"),
        ("/api/claims", {"limit": "100000"}, "limit"),
        ("/api/claims", {"offset": "-1"}, "offset"),
        ("/api/claims", {"since": "yesterday"}, "since"),
        ("/api/claims", {"until": "2024-13-40"}, "until"),
        ("/api/claims", {"since": "2024-06-01", "until": "2024-01-01"}, "until"),
        ("/api/claims", {"stage": "rumoured"}, "stage"),
        ("/api/claims", {"clubb": "Liverpool"}, "clubb"),
        ("/api/claims", {"page": "2", "offset": "10"}, "page"),
        ("/api/articles", {"page": "0"}, "page"),
        ("/api/stories", {"sort": "random"}, "sort"),
        ("/api/stories", {"as_of": "2024-02-30"}, "as_of"),
        ("/api/stories", {"min_probability": "2"}, "min_probability"),
        ("/api/sources", {"kind": "blogger"}, "kind"),
        ("/api/search", {}, "q"),
        ("/api/search", {"q": "x"}, "q"),
    ],
)
def test_bad_parameters_get_422_naming_the_parameter(client: httpx.Client, path: str, params: dict, named: str) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert f"'{named}'" in body["message"], body["message"]
    assert body["detail"] and body["detail"][0]["loc"][-1] == named


def test_bad_path_parameter_is_422(client: httpx.Client) -> None:
    r = client.get("/api/articles/abc")
    assert r.status_code == 422 and "article_id" in r.json()["message"]


# ----------------------------------------------------------------------------------- stories, sources


def test_stories_sorted_by_likelihood_or_recency(client: httpx.Client) -> None:
    by_p = _page(client, "/api/stories", limit=200)
    assert by_p["total"] >= 10
    ps = [s["probability"] for s in by_p["items"]]
    assert ps == sorted(ps, reverse=True) and all(0 <= p <= 1 for p in ps)
    for s in by_p["items"]:
        assert {"id", "club", "person", "role", "probability", "stage", "sources", "outcome"} <= set(s)
    recent = _page(client, "/api/stories", sort="recent", limit=200)
    lasts = [s["last_date"] for s in recent["items"]]
    assert lasts == sorted(lasts, reverse=True)
    assert {s["id"] for s in recent["items"]} == {s["id"] for s in by_p["items"]}
    page2 = _page(client, "/api/stories", limit=3, page=2)
    assert [s["id"] for s in page2["items"]] == [s["id"] for s in by_p["items"][3:6]]
    resolved = _page(client, "/api/stories", status="resolved", limit=200)
    assert resolved["total"] > 0 and all(s["outcome"] is not None for s in resolved["items"])
    live = _page(client, "/api/stories", status="live", limit=200)
    settled = _page(client, "/api/stories", status="settled", limit=200)
    assert live["total"] + settled["total"] == by_p["total"] and settled["total"] >= resolved["total"]
    # settled with no outcome known: settled by the evidence (to confirm), or its window closed
    for s in settled["items"]:
        if s["outcome"] is None:
            assert s["status"] in ("to confirm", "closed") and (s["settled_by"] or s["status"] == "closed")
    bayern = _page(client, "/api/stories", club="bayern munich", limit=200)
    assert bayern["total"] > 0 and {s["club"] for s in bayern["items"]} == {"Bayern Munich"}


def test_story_detail_has_history_claims_and_competitors(client: httpx.Client) -> None:
    found = _page(client, "/api/stories", person="Slot", club="Liverpool")["items"]
    assert found, "the corpus speaks of Slot to Liverpool"
    r = client.get(f"/api/stories/{found[0]['id']}")
    assert r.status_code == 200
    story = r.json()
    assert story["id"] == found[0]["id"] and story["outcome"] is True
    assert story["history"] and all(0 <= h["probability"] <= 1 for h in story["history"])
    dates = [h["date"] for h in story["history"]]
    assert dates == sorted(dates)
    assert story["claims"] and all(c["evidence"] for c in story["claims"])
    assert any(c["club"] == "Liverpool" for c in story["competitors"])
    # as of a day before the first claim there is nothing known yet
    early = client.get(f"/api/stories/{found[0]['id']}", params={"as_of": "2023-01-01"})
    assert early.status_code in (200, 404)
    assert client.get("/api/stories/move--nowhere--nobody--player").status_code == 404


def test_stories_as_of_only_uses_earlier_claims(client: httpx.Client) -> None:
    early = _page(client, "/api/stories", as_of="2024-03-01", limit=200)
    late = _page(client, "/api/stories", limit=200)
    assert 0 < early["total"] < late["total"]
    assert all(s["first_date"] <= "2024-03-01" for s in early["items"])


def test_sources_track_record_and_detail(client: httpx.Client) -> None:
    body = _page(client, "/api/sources", limit=200)
    assert body["total"] > 5
    creds = [s["credibility"] for s in body["items"]]
    assert creds == sorted(creds, reverse=True)
    for s in body["items"]:
        assert {"id", "name", "kind", "claims", "resolved", "hits", "hit_rate", "brier", "credibility"} <= set(s)
        assert s["kind"] in ("journalist", "outlet") and s["hits"] <= s["resolved"]
    journalists = _page(client, "/api/sources", kind="journalist", limit=200)
    assert journalists["total"] and all(s["kind"] == "journalist" for s in journalists["items"])
    resolved = [s for s in body["items"] if s["resolved"]]
    assert resolved, "with the corpus outcomes some sources have a track record"
    r = client.get(f"/api/sources/{resolved[0]['id']}")
    assert r.status_code == 200
    detail = r.json()
    assert detail["name"] == resolved[0]["name"]
    assert detail["calibration"] and sum(b["n"] for b in detail["calibration"]) >= 1
    assert all(0 <= b["observed"] <= 1 for b in detail["calibration"])
    assert isinstance(detail["claims"], list) and detail["claims"]
    by_brier = _page(client, "/api/sources", sort="brier", min_resolved=1, limit=200)["items"]
    briers = [s["brier"] for s in by_brier]
    assert briers == sorted(briers) and all(s["resolved"] >= 1 for s in by_brier)
    assert client.get("/api/sources/outlet--no-such-outlet").status_code == 404


def test_claims_link_to_their_story(client: httpx.Client) -> None:
    slot = _page(client, "/api/claims", person="Arne Slot", club="Liverpool", limit=200)["items"]
    assert slot and all(c["story_id"] for c in slot)
    for story_id in {c["story_id"] for c in slot}:
        story = client.get(f"/api/stories/{story_id}").json()
        mine = {c["id"] for c in slot if c["story_id"] == story_id}
        assert mine <= {c["id"] for c in story["claims"]}
        assert story["club"] == "Liverpool" and story["person"] == "Arne Slot"


def test_search_finds_stories_sources_and_articles(client: httpx.Client) -> None:
    body = _page(client, "/api/search", q="kompany")
    kinds = {h["type"] for h in body["items"]}
    assert {"story", "article"} <= kinds
    assert all(h["url"].startswith("/") and h["api_url"].startswith("/api/") for h in body["items"])
    romano = _page(client, "/api/search", q="romano")
    assert any(h["type"] == "source" and "Romano" in h["title"] for h in romano["items"])
    assert _page(client, "/api/search", q="zzzqqqxx")["total"] == 0
    limited = _page(client, "/api/search", q="kompany", limit=1)
    assert len(limited["items"]) == 1 and limited["total"] == body["total"]


def test_openapi_documents_the_endpoints(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/claims", "/api/stories", "/api/stories/{story_id}", "/api/sources",
                 "/api/sources/{source_id}", "/api/search"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/claims"]["get"]["parameters"]}
    assert {"club", "person", "source", "stage", "since", "until", "limit", "offset", "page"} <= params
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def test_hostile_article_is_data_not_markup(client: httpx.Client) -> None:
    arts = _page(client, "/api/articles", q="pwned")["items"]
    assert len(arts) == 1
    art = client.get(f"/api/articles/{arts[0]['id']}").json()
    assert "<script>window.__pwned = 1</script>" in art["text"]  # JSON keeps the text as it is
    assert art["url"] == "javascript:window.__pwned = 3"
    page = client.get(f"/articles/{arts[0]['id']}")
    assert page.status_code == 200
    assert "<script>window.__pwned" not in page.text and "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text
    assert "onerror=" not in page.text.replace("onerror=&#34;", "")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'href="javascript:' not in page.text.lower()  # a stored javascript: URL is shown, never linked


def test_the_board_opens_on_what_is_live_and_settled_stories_say_what_settled_them(client: httpx.Client) -> None:
    live = {s["id"] for s in _page(client, "/api/stories", status="live", limit=200)["items"]}
    settled = _page(client, "/api/stories", status="settled", limit=200)["items"]
    assert live and settled and not live & {s["id"] for s in settled}
    board = client.get("/").text
    shown = set(re.findall(r'data-story-id="([^"]+)"', board))
    assert shown and shown <= live, "the default board shows live stories only"
    assert "happened</span>" not in board
    page = client.get("/", params={"status": "settled"}).text
    rows = page.split('class="story-row"')[1:]
    assert {re.search(r'data-story-id="([^"]+)"', r).group(1) for r in rows} <= {s["id"] for s in settled}  # type: ignore[union-attr]
    assert rows and all("settled by:" in r for r in rows), "each settled story says what settled it"
    assert "Chelsea announced Maresca" in page  # the corpus outcome's note: what settled that move
    assert client.get("/", params={"status": "resolved"}).status_code == 200  # the tab's old name still works


def test_pages_answer_and_unknown_pages_are_404(client: httpx.Client) -> None:
    for path in ("/", "/?sort=recent", "/sources", "/articles", "/search?q=slot"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
    assert client.get("/stories/move--nowhere--nobody--player").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    wrong = client.get("/articles/abc")
    assert wrong.status_code == 422 and wrong.headers["content-type"].startswith("text/html") and "article_id" in wrong.text
    bad = client.get("/", params={"sort": "random"})
    assert bad.status_code == 422 and "sort" in bad.text
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000 and "javascript" in js.headers["content-type"]
    assert js.headers["content-encoding"] == "gzip" and int(js.headers["content-length"]) < len(js.content) / 2


def test_mercato_db_environment_variable_is_honoured(corpus_db: Path, tmp_path: Path) -> None:
    """No --db: the server reads MERCATO_DB; a second, empty database proves it is not the default file."""
    empty = tmp_path / "empty.db"
    from mercato.store import Database

    Database(str(empty)).engine.dispose()  # an empty database (a missing file is refused, not created)
    for db, expect_articles in ((corpus_db, 19), (empty, 0)):
        srv = start_server(None, tmp_path, env={"MERCATO_DB": str(db)})
        try:
            body = httpx.get(srv.url + "/api/articles", timeout=30).json()
            assert body["total"] == expect_articles
        finally:
            srv.stop()


def test_cache_follows_new_claims(corpus_db: Path, tmp_path: Path) -> None:
    """Listings are cached, but a new article (new claims) shows up within the cache's re-check interval."""
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(corpus_db, db)
    srv = start_server(db, tmp_path)
    try:
        before = httpx.get(srv.url + "/api/stories", params={"limit": 200}, timeout=60).json()
        assert not any(s["person"] == "Ange Postecoglou" for s in before["items"])
        new = tmp_path / "new"
        new.mkdir()
        (new / "a.txt").write_text(
            "date: 2024-06-10\noutlet: Example Sport Daily\n\nBarcelona have made an official bid for Ange Postecoglou, "
            "the manager, according to Fabrizio Romano.\n", encoding="utf-8")
        run = subprocess.run([*MERCATO, "ingest", str(new), "--db", str(db), "-q"], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        claims = httpx.get(srv.url + "/api/claims", params={"person": "Postecoglou"}, timeout=60).json()
        assert claims["total"] >= 1, "the extractor should find the bid"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            after = httpx.get(srv.url + "/api/stories", params={"limit": 200}, timeout=60).json()
            if after["total"] > before["total"]:
                break
            time.sleep(0.5)
        assert any("Postecoglou" in s["person"] for s in after["items"])
    finally:
        srv.stop()


def test_api_over_postgresql_and_sqlite(any_db_url: str, tmp_path: Path) -> None:
    """The same API over both backends: ingest a few corpus articles with the CLI, then query over HTTP."""
    articles = sorted((shared_dir() / "corpus" / "articles").glob("*.txt"))[:6]
    run = subprocess.run([*MERCATO, "ingest", *map(str, articles), "--db", any_db_url, "-q"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    srv = start_server(None, tmp_path, env={"MERCATO_DB": any_db_url})
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            assert _page(c, "/api/articles")["total"] == 6
            claims = _page(c, "/api/claims", limit=200)
            assert claims["total"] > 0
            club = claims["items"][0]["club"]
            assert all(x["club"] == club for x in _page(c, "/api/claims", club=club.upper(), limit=200)["items"])
            stories = _page(c, "/api/stories", limit=200)
            assert stories["total"] > 0
            story = c.get(f"/api/stories/{stories['items'][0]['id']}").json()
            assert story["history"] and story["claims"]
            assert c.get("/api/claims", params={"since": "soon"}).status_code == 422
            assert c.get("/").status_code == 200
    finally:
        srv.stop()
