"""HTML article pages -> ArticleRecord (trafilatura): main text, title, date, author, outlet.

From a URL or a local .html/.htm file. A page with no article (a login form, an index of links),
no publication date, or HTML trafilatura cannot read gets an IngestError naming the page.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mercato.ingest.dates import parse_date
from mercato.ingest.errors import IngestError
from mercato.ingest.fetch import decode_html, fetch
from mercato.ingest.files import load_bytes
from mercato.ingest.registry import READERS
from mercato.kb.outlets import byline_person, outlet_from_domain_or_name
from mercato.records import ArticleRecord

log = logging.getLogger("mercato.pages")


# less main text than this is navigation, a form or a teaser, not an article
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
MIN_ARTICLE_CHARS = int(os.environ.get("MERCATO_MIN_ARTICLE_CHARS", 200))

Item = ArticleRecord | IngestError


def read_page_file(path: Path) -> Iterator[Item]:
    try:
        data = load_bytes(path)
        yield parse_page(decode_html(data), str(path))
    except IngestError as err:
        yield err


def read_page_url(url: str, html: str | None = None) -> Iterator[Item]:
    try:
        if html is None:
            got = fetch(url)
            html = decode_html(got.content, got.content_type)
            url = got.url
        yield parse_page(html, url, url=url)
    except IngestError as err:
        yield err


def parse_page(html: str, where: str, url: str | None = None) -> ArticleRecord:
    """One page's HTML -> its article; IngestError when there is no article, date or readable HTML."""
    import trafilatura

    if not html or not html.strip():
        raise IngestError(where, "empty page")
    if "\x00" in html:
        raise IngestError(where, "binary data (NUL bytes), not HTML")
    try:
        doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                               include_tables=False)
    except Exception as exc:  # lxml or a trafilatura heuristic choking on odd markup
        raise IngestError(where, f"unreadable HTML ({type(exc).__name__}: {exc})") from None
    if doc is None:
        raise IngestError(where, "no article found on the page (no main text)")
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text = (get("text") or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        raise IngestError(where, f"no article found on the page (only {len(text)} characters of main text)")
    raw_date = get("date")
    if not raw_date:
        raise IngestError(where, "page has no publication date (no date in its metadata, URL or text)")
    try:
        date = parse_date(str(raw_date))
    except ValueError as exc:
        raise IngestError(where, str(exc)) from None
    page_url = _clean(get("url")) or url
    outlet = outlet_from_domain_or_name(None, page_url) if page_url else None
    if not outlet:
        site = _clean(get("sitename"))
        outlet = outlet_from_domain_or_name(site, page_url) if (site or page_url) else None
    author = byline_person(_clean(get("author")))  # an agency or "Staff" byline: no journalist
    return ArticleRecord(
        date=date, text=text, outlet=outlet, author=author[:200] if author else None, url=page_url,
        title=_clean(get("title")), origin=url or where, at_url=bool(page_url),
    )


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def read_page_content(data: bytes, content_type: str, url: str, final_url: str) -> Iterator[Item]:
    """A fetched web page (named by the URL it was answered from, after redirects)."""
    yield from read_page_url(final_url, html=decode_html(data, content_type))


# a response no other reader claims is read as a page
READERS.register("page", suffixes=PAGE_SUFFIXES, read_content=read_page_content, fallback=True)(read_page_file)
