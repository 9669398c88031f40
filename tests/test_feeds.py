"""Feeds and pages: local files and a real HTTP server on 127.0.0.1, every failure mode a clear line."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from typer.testing import CliRunner

from mercato.ingest import IngestError, read_path
from mercato.ingest.feeds import html_to_text, looks_like_feed, parse_feed
from mercato.ingest.fetch import fetch
from mercato.ingest.pages import parse_page
from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.models import Article
from mercato.store.repo import count

WEB = __import__("pathlib").Path(__file__).parent / "fixtures" / "web"
runner = CliRunner()


def split(items):
    ok = [i for i in items if not isinstance(i, IngestError)]
    bad = [i for i in items if isinstance(i, IngestError)]
    return ok, bad


def test_rss_file_items_fields_and_an_undated_item():
    ok, bad = split(list(read_path(WEB / "gossip.rss")))
    assert [a.title for a in ok] == ["Chelsea ready bid for Napoli striker", "Liverpool keep tabs on Sporting defender"]
    first, second = ok
    assert first.date == dt.date(2024, 7, 2)
    assert first.author == "Sam Placeholder"  # dc:creator
    assert second.author == "Alex Sample"  # "desk@... (Alex Sample)"
    assert first.url == "https://gazette.example/sport/chelsea-osimhen-bid"
    assert first.outlet == "Test Gazette Transfer Gossip"  # unknown domain: the feed's title
    # HTML is flattened; a line break inside a paragraph is a space, paragraphs are lines
    assert first.text.startswith("Chelsea are preparing a bid for Napoli striker Victor Osimhen, with the London club keen to finish")
    assert second.text == ("Liverpool are monitoring Sporting defender Goncalo Inacio.\n"
                           "The Reds have sent scouts to watch him twice this season.")
    assert first.origin.endswith("gossip.rss#gazette-0001")
    assert len(bad) == 1 and "item 3" in str(bad[0]) and "no published or updated date" in str(bad[0])
    assert "gossip.rss" in str(bad[0])


def test_atom_file_published_then_updated_date():
    ok, bad = split(list(read_path(WEB / "gossip.atom")))
    assert not bad
    assert [(a.date, a.author) for a in ok] == [(dt.date(2024, 8, 20), "Robin Standin"), (dt.date(2024, 8, 19), None)]
    assert ok[1].text == "Everton are considering a move for Leeds forward Wilfried Gnonto before the window closes."


def test_malformed_and_non_feeds_get_one_clear_error():
    ok, bad = split(list(read_path(WEB / "broken.xml")))
    assert not ok and len(bad) == 1
    assert "broken.xml" in str(bad[0]) and "malformed feed XML" in str(bad[0]) and "mismatched tag" in str(bad[0])
    ok, bad = split(list(parse_feed(b"<html><body><p>hello</p></body></html>", "x.xml")))
    assert not ok and "not an RSS or Atom feed" in str(bad[0])
    ok, bad = split(list(parse_feed(b"   ", "empty.rss")))
    assert not ok and "empty feed" in str(bad[0])


def test_html_to_text_and_feed_sniffing():
    assert html_to_text("<p>One &amp; two</p><script>x()</script><p>three\n four</p>") == "One & two\nthree four"
    assert html_to_text("plain\ntext") == "plain\ntext"
    assert looks_like_feed(b"<?xml version='1.0'?><rss>", "text/plain")
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'>", "")
    assert not looks_like_feed(b"<!DOCTYPE html><html>", "")
    assert not looks_like_feed(b"<?xml version='1.0'?><html>", "text/html; charset=utf-8")


def test_page_file_main_text_and_metadata():
    ok, bad = split(list(read_path(WEB / "article.html")))
    assert not bad
    a = ok[0]
    assert a.date == dt.date(2024, 6, 14)
    assert a.title == "Arsenal open talks over Brentford keeper"
    assert a.author == "Pat Example"
    assert a.outlet == "The Test Gazette"
    assert a.url == "https://gazette.example/sport/arsenal-keeper-talks"
    assert "Arsenal have opened talks with Brentford" in a.text
    assert "Privacy" not in a.text and "Weather" not in a.text  # boilerplate dropped


def test_page_without_article_or_date():
    ok, bad = split(list(read_path(WEB / "noarticle.html")))
    assert not ok and "no article found on the page" in str(bad[0]) and "noarticle.html" in str(bad[0])
    html = (WEB / "article.html").read_text()
    undated = html.replace('<meta property="article:published_time" content="2024-06-14T08:30:00+00:00">', "")
    undated = undated.replace(", 14 June 2024", "")
    with pytest.raises(IngestError, match="no publication date"):
        parse_page(undated, "undated.html")


def test_urls_feed_and_page_over_http(web_server):
    ok, bad = split(list(read_path(web_server.url("static/gossip.atom"))))
    assert len(ok) == 2 and not bad
    ok, bad = split(list(read_path(web_server.url("static/article.html"))))
    assert not bad and ok[0].title == "Arsenal open talks over Brentford keeper"
    ok, bad = split(list(read_path(web_server.url("static/noarticle.html"))))
    assert not ok and "no article found" in str(bad[0]) and "127.0.0.1" in str(bad[0])


def test_redirect_is_followed(web_server):
    got = fetch(web_server.url("redirect/gossip.rss"))
    assert got.status == 200 and got.url.endswith("/static/gossip.rss")
    assert web_server.hits == ["/redirect/gossip.rss", "/static/gossip.rss"]


def test_non_200_is_final_and_named(web_server, fast_http):
    with pytest.raises(IngestError, match=r"HTTP 404 Not Found") as info:
        fetch(web_server.url("status/404"))
    assert "/status/404" in str(info.value)
    assert web_server.hits == ["/status/404"]  # a 404 is not retried


def test_5xx_is_retried_with_back_off_then_gives_up(web_server, fast_http):
    waits: list[float] = []
    with pytest.raises(IngestError, match=r"HTTP 500 Internal Server Error; gave up after 3 tries"):
        fetch(web_server.url("status/500"), sleep=waits.append)
    assert web_server.hits == ["/status/500"] * 3
    assert waits == [0.05, 0.1]  # exponential back-off


def test_flaky_server_succeeds_after_retries(web_server, fast_http):
    got = fetch(web_server.url("flaky/gossip.rss?fail=2"), sleep=lambda s: None)
    assert got.status == 200 and b"<rss" in got.content
    assert web_server.hits == ["/flaky/gossip.rss"] * 3


def test_timeout_is_retried_and_reported(web_server, fast_http):
    t0 = time.monotonic()
    with pytest.raises(IngestError, match=r"timed out after 0.5 s; gave up after 3 tries"):
        fetch(web_server.url("slow/gossip.rss?delay=1.5"), sleep=lambda s: None)
    assert time.monotonic() - t0 < 5


def test_connection_refused_is_an_error_not_a_trace(fast_http):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with pytest.raises(IngestError, match="connection failed"):
        fetch(f"http://127.0.0.1:{port}/feed.xml", sleep=lambda s: None)


def test_cli_ingest_urls_and_files_on_both_databases(web_server, fast_http, any_db_url):
    args = ["ingest", web_server.url("static/gossip.rss"), web_server.url("redirect/gossip.atom"),
            str(WEB / "article.html"), web_server.url("status/404"), web_server.url("static/noarticle.html"),
            str(WEB / "broken.xml"), "--db", any_db_url]
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output  # something failed, and said so
    assert "Traceback" not in r.output
    lines = r.output.splitlines()
    for words in ("HTTP 404 Not Found", "no article found", "malformed feed XML", "no published or updated date"):
        assert sum(words in ln for ln in lines) == 1, (words, r.output)
    assert "stored 5 article(s)" in r.output  # 2 RSS items + 2 Atom entries + 1 page
    again = runner.invoke(app, args)
    assert "stored 0 article(s), skipped 5" in again.output
    db = Database(any_db_url)
    assert count(db, Article) == 5
    listed = json.loads(runner.invoke(app, ["articles", "--db", any_db_url, "--format", "json"]).output)
    assert {r["outlet"] for r in listed} == {"Test Gazette Transfer Gossip", "Example Football Wire", "The Test Gazette"}
    db.engine.dispose()
