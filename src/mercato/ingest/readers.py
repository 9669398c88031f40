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
from mercato.kb import outlet_from_domain_or_name
from mercato.records import ArticleRecord

MAX_BYTES = int(os.environ.get("MERCATO_MAX_BYTES", 25 * 1024 * 1024))
TEXT_SUFFIXES = {".txt", ".text", ""}
KNOWN_SUFFIXES = TEXT_SUFFIXES | {".jsonl", ".ndjson", ".json", ".csv"}
HEADER_KEYS = {"date", "url", "outlet", "author", "title", "source"}

# documented column mapping: first present column wins for each field
COLUMN_MAP: dict[str, tuple[str, ...]] = {
    "date": ("date", "published", "pubdate"),
    "text": ("text", "raw_text", "body", "content"),
    "outlet": ("outlet", "source", "publisher"),
    "url": ("url", "source_url", "link"),
    "author": ("author", "byline", "journalist"),
    "title": ("title", "headline"),
}
REQUIRED = ("date", "text")

Item = ArticleRecord | IngestError


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders (recursively, sorted) into the files ingest knows how to read."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in KNOWN_SUFFIXES:
                    yield child
        else:
            yield path


def _load_text(path: Path) -> str:
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
    data = path.read_bytes()
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
    """Read one file into ArticleRecords (or IngestErrors naming the file and row)."""
    path = Path(path)
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
    )


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
