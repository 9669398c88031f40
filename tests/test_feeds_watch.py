"""`mercato watch`: polls feeds, stores only new items, logs new stories and stage changes, survives failures."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from mercato.serve.cli import app
from mercato.serve.cli.watch import parse_interval
from mercato.store import Database
from mercato.store.models import Article, Claim
from mercato.store.repo import count

runner = CliRunner()


def rss(*items: tuple[str, str, str]) -> bytes:
    """(guid, RFC 822 date, text) -> an RSS document."""
    body = "".join(
        f"<item><title>{text[:40]}</title><guid>{guid}</guid><link>https://desk.example/{guid}</link>"
        f"<pubDate>{date}</pubDate><description>{text}</description></item>"
        for guid, date, text in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Example</title>'
            f"<link>https://desk.example/</link>{body}</channel></rss>").encode()


A = ("a1", "Mon, 01 Jul 2024 08:00:00 GMT", "Chelsea are interested in signing Napoli striker Victor Osimhen.")
B = ("b2", "Wed, 03 Jul 2024 08:00:00 GMT", "Chelsea have made a bid for Napoli striker Victor Osimhen.")
C = ("c3", "Wed, 03 Jul 2024 09:00:00 GMT", "Liverpool are monitoring Sporting defender Goncalo Inacio.")


def test_parse_interval():
    assert parse_interval("10m") == 600
    assert parse_interval("90") == 90
    assert parse_interval("1.5h") == 5400
    assert parse_interval("0s") == 0
    with pytest.raises(ValueError, match="not a number"):
        parse_interval("soon")


def test_watch_polls_new_items_logs_changes_and_survives_every_failure(web_server, fast_http, any_db_url):
    web_server.live = [rss(A), rss(A, B, C)]  # the second poll sees two new items
    feeds = [
        web_server.url("live"),
        web_server.url("status/503"),  # retried, then given up
        web_server.url("status/404"),
        web_server.url("slow/gossip.rss?delay=1.2"),  # times out
        web_server.url("static/broken.xml"),  # malformed XML
        web_server.url("redirect/gossip.atom"),  # followed
        web_server.url("static/article.html"),  # a page, not a feed
    ]
    r = runner.invoke(app, ["watch", *feeds, "--db", any_db_url, "--every", "0s", "--max-polls", "2"])
    out = r.output
    assert r.exit_code == 0, out
    assert "Traceback" not in out
    assert "poll 1:" in out and "poll 2:" in out and "poll 3:" not in out
    lines = out.splitlines()

    def one_per_poll(words: str) -> None:
        hits = [ln for ln in lines if words in ln and " ERROR " in ln]
        assert len(hits) == 2, (words, hits, out)

    one_per_poll("HTTP 503 Service Unavailable; gave up after 3 tries")
    one_per_poll("HTTP 404 Not Found")
    one_per_poll("timed out after 0.5 s; gave up after 3 tries")
    assert any("WARNING" in ln and "retry 1 of 2" in ln for ln in lines)  # the back-off is logged too
    one_per_poll("malformed feed XML")
    one_per_poll("not an RSS or Atom feed")
    assert any("/live: 1 new item(s), 0 already stored" in ln for ln in lines)
    assert any("/live: 2 new item(s), 1 already stored" in ln for ln in lines)
    assert any("gossip.atom: 2 new item(s)" in ln for ln in lines)
    assert any("gossip.atom: 0 new item(s), 2 already stored" in ln for ln in lines)

    db = Database(any_db_url)
    assert count(db, Article) == 3 + 2  # live feed's three items, the Atom feed's two, each once
    with db.session() as s:
        osimhen = [c.stage for c in s.scalars(select(Claim).where(Claim.person == "Victor Osimhen",
                                                                  Claim.club == "Chelsea").order_by(Claim.claim_date))]
        inacio = s.scalars(select(Claim).where(Claim.person == "Goncalo Inacio")).first()
    assert len(osimhen) == 2 and osimhen[0] != osimhen[1]
    changes = [ln for ln in lines if "stage change: Victor Osimhen -> Chelsea" in ln]
    assert len(changes) == 1 and f"{osimhen[0]} -> {osimhen[1]}" in changes[0], out
    assert sum("new story: Victor Osimhen -> Chelsea" in ln for ln in lines) == 1  # on the first poll only
    assert inacio is not None
    assert any(f"new story: Goncalo Inacio -> {inacio.club}, stage {inacio.stage}" in ln for ln in lines), out
    db.engine.dispose()


def test_watch_database_trouble_is_logged_and_the_loop_goes_on(web_server, fast_http, tmp_path, monkeypatch):
    import mercato.serve.cli.watch as ops

    web_server.live = [rss(A)]
    calls = {"n": 0}
    real = ops._max_claim_id

    def flaky_db(db):  # the first poll's database read fails, as when a server restarts
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("server closed the connection unexpectedly")
        return real(db)

    monkeypatch.setattr(ops, "_max_claim_id", flaky_db)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    r = runner.invoke(app, ["watch", web_server.url("live"), "--db", url, "--every", "0", "--max-polls", "2"])
    assert r.exit_code == 0, r.output
    assert "poll failed (ConnectionError: server closed the connection unexpectedly); will retry next poll" in r.output
    assert "1 new item(s)" in r.output  # the second poll stored it
    assert count(Database(url), Article) == 1


def test_watch_rejects_a_bad_interval(tmp_path):
    r = runner.invoke(app, ["watch", "http://127.0.0.1:9/x", "--db", str(tmp_path / "x.db"), "--every", "often"])
    assert r.exit_code == 2 and "--every" in r.output
    # polling for ever without a pause is refused
    r = runner.invoke(app, ["watch", "http://127.0.0.1:9/x", "--db", str(tmp_path / "x.db"), "--every", "0"])
    assert r.exit_code == 2 and "under a second" in r.output


def test_watch_follow_links_stores_the_full_article_once(web_server, fast_http, tmp_path):
    page = web_server.url("static/article.html")
    gone = web_server.url("status/404")
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk Example</title>'
            f"<item><title>Arsenal talks</title><link>{page}</link><pubDate>Fri, 14 Jun 2024 09:00:00 GMT</pubDate>"
            f"<description>Arsenal in talks (teaser).</description></item>"
            f"<item><title>Gone</title><link>{gone}</link><pubDate>Sat, 15 Jun 2024 09:00:00 GMT</pubDate>"
            f"<description>Everton are considering a move for Leeds forward Wilfried Gnonto.</description></item>"
            f"</channel></rss>").encode()
    web_server.live = [feed]
    url = f"sqlite:///{tmp_path / 'f.db'}"
    r = runner.invoke(app, ["watch", web_server.url("live"), "--db", url, "--every", "0", "--max-polls", "2",
                            "--follow-links"])
    assert r.exit_code == 0, r.output
    assert f"{gone}: could not read the linked page (HTTP 404 Not Found); storing the feed item's own text" in r.output
    db = Database(url)
    with db.session() as s:
        arts = {a.url: a for a in s.scalars(select(Article))}
    assert set(arts) == {page, gone}
    assert "Brentford value their goalkeeper" in arts[page].text  # the page's full text, not the teaser
    assert arts[page].author == "Pat Example" and arts[page].outlet == "The Test Gazette"
    assert arts[gone].text.startswith("Everton are considering")
    assert web_server.hits.count("/static/article.html") == 1  # not fetched again on the second poll
    assert "2 new item(s)" in r.output and "0 new item(s)" in r.output
