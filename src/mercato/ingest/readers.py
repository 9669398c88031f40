"""Readers for the file formats: corpus header form, one-line form, JSON Lines, JSON, CSV.

Each reader yields ArticleRecord or IngestError items, so one bad row never stops the batch.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mercato.ingest.dates import parse_date
from mercato.ingest.errors import IngestError
from mercato.kb import outlet_from_domain_or_name as _kb_outlet
from mercato.records import ArticleRecord

MAX_BYTES = int(os.environ.get("MERCATO_MAX_BYTES", 25 * 1024 * 1024))
TEXT_SUFFIXES = {".txt", ".text", ""}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}  # read by mercato.ingest.feeds
PAGE_SUFFIXES = {".html", ".htm", ".xhtml"}  # read by mercato.ingest.pages
KNOWN_SUFFIXES = TEXT_SUFFIXES | {".jsonl", ".ndjson", ".json", ".csv"} | FEED_SUFFIXES | PAGE_SUFFIXES
HEADER_KEYS = {"date", "url", "outlet", "author", "title", "source", "lang", "language"}

# documented column mapping: first present column wins for each field
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "date": ("date", "published", "pubdate"),
    "text": ("text", "raw_text", "body", "content"),
    "outlet": ("outlet", "source", "publisher"),
    "url": ("url", "source_url", "link"),
    "author": ("author", "byline", "journalist"),
    "title": ("title", "headline"),
    "lang": ("lang", "language"),
}
REQUIRED = ("date", "text")

Item = ArticleRecord | IngestError


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def outlet_from_domain_or_name(value: str | None, url: str | None = None) -> str | None:
    """The KB's outlet lookup, safe on malformed URLs (urlparse raises ValueError on 'http://[x')."""
    try:
        return _kb_outlet(value, url)
    except ValueError:
        return _kb_outlet(value, None) if value else None


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders (recursively, sorted) into the files ingest knows how to read.

    http(s) URLs pass through as they are (typed as Path for callers; read_path takes them back).
    """
    for p in paths:
        if is_url(p):
            yield p  # type: ignore[misc]
            continue
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in KNOWN_SUFFIXES:
                    yield child
        else:
            yield path


def load_bytes(path: Path) -> bytes:
    """A file's bytes, or an IngestError naming the file (missing, not a file, empty, too large)."""
    where = str(path)
    if not path.exists():
        raise IngestError(where, "no such file")
    if not path.is_file():
        raise IngestError(where, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(where, "empty file")
    if size > MAX_BYTES:
        raise IngestError(where, f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    return path.read_bytes()


def _load_text(path: Path) -> str:
    where = str(path)
    data = load_bytes(path)
    if b"\x00" in data[:8192]:
        raise IngestError(where, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(where, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not text.strip():
        raise IngestError(where, "empty file (only whitespace)")
    return text


def read_path(path: str | Path) -> Iterator[Item]:
    """Read one file (or http(s) URL) into ArticleRecords (or IngestErrors naming the file and row).

    Every record comes out with its language: as the file gives it, else detected.
    """
    from mercato.ingest.language import with_language

    for item in _read_path(path):
        yield item if isinstance(item, IngestError) else with_language(item)


def _read_path(path: str | Path) -> Iterator[Item]:
    if is_url(path):
        yield from _read_url(str(path))
        return
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        from mercato.ingest.feeds import read_feed_file

        yield from read_feed_file(path)
        return
    if suffix in PAGE_SUFFIXES:
        from mercato.ingest.pages import read_page_file

        yield from read_page_file(path)
        return
    try:
        text = _load_text(path)
    except IngestError as err:
        yield err
        return
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        yield from read_jsonl(text, str(path))
    elif suffix == ".json":
        yield from read_json(text, str(path))
    elif suffix == ".csv":
        yield from read_csv(text, str(path))
    else:
        try:
            yield parse_text_article(text, str(path))
        except IngestError as err:
            yield err


def _read_url(url: str) -> Iterator[Item]:
    """A feed or a page, told apart by the response's Content-Type and first bytes."""
    from mercato.ingest.feeds import looks_like_feed, parse_feed
    from mercato.ingest.fetch import decode_html, fetch
    from mercato.ingest.pages import read_page_url

    try:
        got = fetch(url)
    except IngestError as err:
        yield err
        return
    if looks_like_feed(got.content, got.content_type):
        yield from parse_feed(got.content, url, base_url=got.url)
    else:
        yield from read_page_url(got.url, html=decode_html(got.content, got.content_type))


def parse_text_article(text: str, where: str) -> ArticleRecord:
    """The corpus header form (``key: value`` lines, blank line, body) or ``date YYYY-MM-DD body…``."""
    stripped = text.lstrip("\ufeff \t\r\n")
    first = stripped.split("\n", 1)[0]
    if first.lower().startswith("date ") and not first.lower().startswith("date:"):
        rest = stripped[5:].lstrip()
        token, _, body = rest.partition(" ")
        try:
            date = parse_date(token)
        except ValueError as exc:
            raise IngestError(where, str(exc)) from None
        body = body.strip()
        if not body:
            raise IngestError(where, "article has a date but no text")
        return ArticleRecord(date=date, text=body, origin=where)

    headers: dict[str, str] = {}
    lines = stripped.split("\n")
    i = 0
    while i < len(lines) and lines[i].strip():
        key, sep, value = lines[i].partition(":")
        if not sep or key.strip().lower() not in HEADER_KEYS:
            break
        headers[key.strip().lower()] = value.strip()
        i += 1
    if "date" not in headers:
        raise IngestError(where, "no date: expected a 'date: YYYY-MM-DD' header or a 'date YYYY-MM-DD text…' line")
    body = "\n".join(lines[i:]).strip()
    if not body:
        raise IngestError(where, "article has headers but no text")
    try:
        date = parse_date(headers["date"])
        lang = _lang(headers.get("lang") or headers.get("language"))
    except ValueError as exc:
        raise IngestError(where, str(exc)) from None
    return ArticleRecord(
        date=date,
        text=body,
        outlet=_clean(headers.get("outlet") or headers.get("source")),
        author=_clean(headers.get("author")),
        url=_clean(headers.get("url")),
        title=_clean(headers.get("title")),
        origin=where,
        lang=lang,
    )


def _lang(value: Any) -> str | None:
    from mercato.ingest.language import normalise_lang

    v = _clean(value)
    return normalise_lang(v) if v else None


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    if not s or s.lower() in {"unknown", "none", "null", "n/a"}:
        return None
    return s


def record_from_mapping(row: dict[str, Any], where: str, rowno: int) -> ArticleRecord:
    """A JSON object or CSV row -> ArticleRecord, via COLUMN_MAP."""
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    picked: dict[str, Any] = {}
    for field_name, columns in COLUMN_MAP.items():
        for col in columns:
            if col in lowered and lowered[col] not in (None, ""):
                picked[field_name] = lowered[col]
                break
    for req in REQUIRED:
        if req not in picked:
            raise IngestError(where, f"missing {req!r} (columns tried: {', '.join(COLUMN_MAP[req])})", row=rowno)
    text = str(picked["text"]).strip()
    if not text:
        raise IngestError(where, "empty text", row=rowno)
    try:
        date = parse_date(str(picked["date"]))
        lang = _lang(picked.get("lang"))
    except ValueError as exc:
        raise IngestError(where, str(exc), row=rowno) from None
    url = _clean(picked.get("url"))
    return ArticleRecord(
        date=date,
        text=text,
        outlet=outlet_from_domain_or_name(_clean(picked.get("outlet")), url),
        author=_clean(picked.get("author")),
        url=url,
        title=_clean(picked.get("title")),
        origin=f"{where}:{rowno}",
        lang=lang,
    )


def read_jsonl(text: str, where: str) -> Iterator[Item]:
    for rowno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON ({exc.msg} at column {exc.colno})", row=rowno)
            continue
        if not isinstance(obj, dict):
            yield IngestError(where, "expected a JSON object per line", row=rowno)
            continue
        try:
            yield record_from_mapping(obj, where, rowno)
        except IngestError as err:
            yield err


def read_json(text: str, where: str) -> Iterator[Item]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestError(where, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    items = obj if isinstance(obj, list) else obj.get("articles") if isinstance(obj, dict) else None
    if isinstance(obj, dict) and items is None:
        items = [obj]
    if not isinstance(items, list):
        yield IngestError(where, "expected a JSON object, a list of objects, or {'articles': [...]}")
        return
    for rowno, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            yield IngestError(where, "expected an object", row=rowno)
            continue
        try:
            yield record_from_mapping(item, where, rowno)
        except IngestError as err:
            yield err


def read_csv(text: str, where: str) -> Iterator[Item]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    for req in REQUIRED:
        if not any(col in header for col in COLUMN_MAP[req]):
            yield IngestError(
                where,
                f"CSV has no {req!r} column (looked for {', '.join(COLUMN_MAP[req])}; found {', '.join(header) or 'none'})",
            )
            return
    try:
        for row in reader:
            rowno = reader.line_num
            try:
                yield record_from_mapping(row, where, rowno)
            except IngestError as err:
                yield err
    except csv.Error as exc:
        yield IngestError(where, f"malformed CSV ({exc})", row=reader.line_num)
