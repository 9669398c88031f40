"""RSS and Atom feeds -> ArticleRecords (feedparser), from a URL or a local .xml/.rss/.atom file.

One record per feed item: its text is the item's content (or summary) as plain text, falling back
to the headline; the date is the item's published (else updated) date; the outlet is the item's
site when the outlet KB knows its domain, else the feed's title. An item without a date or text, or
a feed that is not XML at all, gets an IngestError naming the feed (and item), never a trace.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mercato.ingest.dates import parse_date
from mercato.ingest.errors import IngestError
from mercato.ingest.fetch import fetch
from mercato.ingest.files import load_bytes
from mercato.ingest.registry import READERS
from mercato.kb.outlets import byline_person, outlet_from_domain_or_name
from mercato.records import ArticleRecord

log = logging.getLogger("mercato.feeds")


FEED_SUFFIXES = (".xml", ".rss", ".atom")
FEED_CONTENT_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
                      "text/xml", "application/feed+json")

Item = ArticleRecord | IngestError

_BLOCK = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
          "article", "header", "footer", "figure", "figcaption", "pre", "table"}
_SKIP = {"script", "style", "noscript", "template", "head"}
_SPACES = re.compile(r"\s+")
_BLANKS = re.compile(r"[ \t\r\f\v]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_SPACES.sub(" ", data))  # in HTML a line break in the source is a space


def html_to_text(value: str) -> str:
    """A fragment of HTML (or plain text) -> plain text, one paragraph per line."""
    if "<" not in value and "&" not in value:
        text = value
    else:
        parser = _TextParser()
        try:
            parser.feed(value)
            parser.close()
            text = "".join(parser.parts)
        except Exception:  # HTMLParser is lenient; this is a last resort for pathological input
            text = unescape(re.sub(r"<[^>]*>", " ", value))
    text = _BLANKS.sub(" ", text.replace("\xa0", " "))
    return _NEWLINES.sub("\n", text).strip()


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """Guess from the Content-Type and the first bytes whether a response is a feed or a web page."""
    ct = content_type.split(";")[0].strip().lower()
    if ct in FEED_CONTENT_TYPES:
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if ct == "text/html" or head.startswith((b"<!doctype html", b"<html")):
        return False
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def read_feed_file(path: Path) -> Iterator[Item]:
    try:
        data = load_bytes(path)
    except IngestError as err:
        yield err
        return
    yield from parse_feed(data, str(path))


def read_feed_url(url: str) -> Iterator[Item]:
    try:
        got = fetch(url)
    except IngestError as err:
        yield err
        return
    yield from parse_feed(got.content, url, base_url=got.url)


def parse_feed(data: bytes | str, where: str, base_url: str | None = None) -> Iterator[Item]:
    """Parse RSS/Atom bytes: one ArticleRecord per item, an IngestError per bad item or bad feed."""
    import feedparser

    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        yield IngestError(where, "empty feed")
        return
    try:
        parsed = feedparser.parse(data, response_headers={"content-location": base_url} if base_url else None,
                                  sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser swallows most problems itself; this is a backstop
        yield IngestError(where, f"malformed feed ({type(exc).__name__}: {exc})")
        return
    problem = _bozo_problem(parsed)
    entries = list(parsed.get("entries") or [])
    if not parsed.get("version") and not entries:
        what = problem or "no RSS or Atom root element"
        yield IngestError(where, f"not an RSS or Atom feed ({what})")
        return
    feed = parsed.get("feed") or {}
    feed_title = _str(feed.get("title"))
    feed_link = _str(feed.get("link")) or base_url
    good = 0
    errors: list[IngestError] = []
    for n, entry in enumerate(entries, start=1):
        try:
            rec = _entry_record(entry, n, where, feed_title, feed_link)
        except IngestError as err:
            errors.append(err)
            continue
        good += 1
        yield rec
    if problem and not good:
        yield IngestError(where, f"malformed feed XML ({problem})")
        return
    if problem:
        log.warning("%s: malformed feed XML (%s); read %d item(s) with the lenient parser", where, problem, good)
    yield from errors


def _bozo_problem(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "unreadable XML"
    name = type(exc).__name__
    if name in ("CharacterEncodingOverride",):  # a wrong charset declaration: recovered, not an error
        return None
    msg = str(exc).replace("<unknown>:", "line ").strip()
    return msg or name


def _entry_record(entry: Any, n: int, where: str, feed_title: str | None, feed_link: str | None) -> ArticleRecord:
    title = html_to_text(_str(entry.get("title")) or "") or None
    label = f"item {n}" + (f" ({title[:60]!r})" if title else "")
    date = _entry_date(entry)
    if date is None:
        raw = _str(dict.get(entry, "published")) or _str(dict.get(entry, "updated"))
        why = f"date {raw!r} does not parse" if raw else "no published or updated date"
        raise IngestError(where, f"{label}: {why}")
    body = ""
    for content in entry.get("content") or []:
        value = _str(content.get("value")) if isinstance(content, dict) else None
        if value:
            body = html_to_text(value)
            if body:
                break
    if not body:
        body = html_to_text(_str(entry.get("summary")) or "")
    text = body or title
    if not text:
        raise IngestError(where, f"{label}: no text and no title")
    link = _str(entry.get("link"))
    outlet = outlet_from_domain_or_name(None, link) if link else None
    if not outlet:
        outlet = outlet_from_domain_or_name(feed_title, feed_link) if (feed_title or feed_link) else None
    return ArticleRecord(
        date=date, text=text, outlet=outlet, author=_author(entry), url=link, title=title,
        origin=f"{where}#{_str(entry.get('id')) or link or n}", at_url=bool(link),
    )


def _entry_date(entry: Any) -> dt.date | None:
    # dict.get, not entry.get: FeedParserDict maps a missing "updated" onto "published" with a warning
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)
        if isinstance(value, time.struct_time):
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except ValueError:
                continue
    for key in ("published", "updated"):
        raw = _str(dict.get(entry, key))
        if raw:
            try:
                return parse_date(raw)
            except ValueError:
                continue
    return None


def _author(entry: Any) -> str | None:
    raw = _str(entry.get("author"))
    if not raw:
        detail = entry.get("author_detail") or {}
        raw = _str(detail.get("name")) if isinstance(detail, dict) else None
    if not raw:
        return None
    m = _EMAIL_NAME.match(raw)
    if m:
        raw = m.group("name")
    elif "@" in raw and " " not in raw.strip():
        return None  # a bare e-mail address is not a byline
    raw = html_to_text(raw)
    if raw.lower().startswith("by "):
        raw = raw[3:]
    raw = raw.strip()
    return byline_person(raw[:200] or None)  # an agency or "Staff" byline: no journalist


def _str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def read_feed_content(data: bytes, content_type: str, url: str, final_url: str) -> Iterator[Item]:
    """A fetched feed (named by the URL asked for; relative links resolved against the URL answered)."""
    yield from parse_feed(data, url, base_url=final_url)


def count_feed_items(path: Path) -> int:
    data = path.read_bytes().lower()
    return data.count(b"<item") + data.count(b"<entry")


READERS.register("feed", suffixes=FEED_SUFFIXES, content_types=FEED_CONTENT_TYPES, sniff=looks_like_feed,
                 read_content=read_feed_content, count=count_feed_items)(read_feed_file)
