"""The text formats: the corpus header form, the one-line form, JSON Lines, JSON and CSV.

Each reader yields ArticleRecord or IngestError items, so one bad row never stops the batch. They
register themselves by suffix (`mercato.ingest.registry`); files of any other suffix (or none) are read
as the text forms.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mercato.ingest.dates import parse_date
from mercato.ingest.errors import IngestError
from mercato.ingest.files import clean, lang_code, load_text
from mercato.ingest.registry import READERS, Item
from mercato.kb.outlets import byline_person, outlet_from_domain_or_name
from mercato.records import ArticleRecord

TEXT_SUFFIXES = (".txt", ".text", "")
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


def _reading(parse: Any) -> Any:
    """A reader of a whole text file from a parser of its text (errors loading it are yielded, not raised)."""

    def read_file(path: Path) -> Iterator[Item]:
        try:
            text = load_text(path)
        except IngestError as err:
            yield err
            return
        yield from parse(text, str(path))

    return read_file


def read_text(text: str, where: str) -> Iterator[Item]:
    try:
        yield parse_text_article(text, where)
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
        lang = lang_code(headers.get("lang") or headers.get("language"))
    except ValueError as exc:
        raise IngestError(where, str(exc)) from None
    return ArticleRecord(
        date=date,
        text=body,
        outlet=clean(headers.get("outlet") or headers.get("source")),
        author=byline_person(clean(headers.get("author"))),  # an agency or "Staff" byline: no journalist
        url=clean(headers.get("url")),
        title=clean(headers.get("title")),
        origin=where,
        lang=lang,
    )


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
        lang = lang_code(picked.get("lang"))
    except ValueError as exc:
        raise IngestError(where, str(exc), row=rowno) from None
    url = clean(picked.get("url"))
    return ArticleRecord(
        date=date,
        text=text,
        outlet=outlet_from_domain_or_name(clean(picked.get("outlet")), url),
        author=byline_person(clean(picked.get("author"))),
        url=url,
        title=clean(picked.get("title")),
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


READERS.register("text", suffixes=TEXT_SUFFIXES)(_reading(read_text))
def count_jsonl(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def count_json(path: Path) -> int:
    obj = json.loads(path.read_text(encoding="utf-8-sig"))
    items = obj if isinstance(obj, list) else obj.get("articles") if isinstance(obj, dict) else None
    return len(items) if isinstance(items, list) else 1


def count_csv(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1  # rows may span lines: csv counts records


READERS.register("jsonl", suffixes=(".jsonl", ".ndjson"), count=count_jsonl)(_reading(read_jsonl))
READERS.register("json", suffixes=(".json",), count=count_json)(_reading(read_json))
READERS.register("csv", suffixes=(".csv",), count=count_csv)(_reading(read_csv))
