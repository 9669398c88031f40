"""Read any path or URL into ArticleRecords: the one place that fills the reader registry.

Every reader module registers itself by suffix and content type (`mercato.ingest.registry`); importing
them here, once, fills the registry, and `read_path` asks it. Nothing else in ingest imports this
module, so the readers never import each other: formats (text, JSONL, JSON, CSV), feeds (RSS/Atom),
pages (HTML) and fetch (HTTP) each stand alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from mercato.ingest import feeds, formats, pages
from mercato.ingest.errors import IngestError
from mercato.ingest.fetch import fetch
from mercato.ingest.files import MAX_BYTES, is_url, load_bytes
from mercato.ingest.formats import COLUMN_MAP, parse_text_article, read_csv, read_json, read_jsonl, record_from_mapping
from mercato.ingest.language import with_language
from mercato.ingest.registry import READERS, Item

READER_MODULES = (formats, feeds, pages)  # what registers readers (imported for that)
FEED_SUFFIXES = set(feeds.FEED_SUFFIXES)
PAGE_SUFFIXES = set(pages.PAGE_SUFFIXES)
KNOWN_SUFFIXES = READERS.suffixes()

__all__ = [
    "COLUMN_MAP", "FEED_SUFFIXES", "KNOWN_SUFFIXES", "MAX_BYTES", "PAGE_SUFFIXES", "READERS", "Item", "is_url",
    "iter_paths", "load_bytes", "parse_text_article", "read_csv", "read_json",
    "read_jsonl", "read_path", "record_from_mapping",
]


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


def read_path(path: str | Path) -> Iterator[Item]:
    """Read one file (or http(s) URL) into ArticleRecords (or IngestErrors naming the file and row).

    Every record comes out with its language: as the file gives it, else detected.
    """
    for item in _read_path(path):
        yield item if isinstance(item, IngestError) else with_language(item)


def _read_path(path: str | Path) -> Iterator[Item]:
    if is_url(path):
        yield from _read_url(str(path))
        return
    path = Path(path)
    reader = READERS.for_suffix(path.suffix) or READERS.readers["text"]  # any other suffix: the text forms
    yield from reader.read_file(path)


def _read_url(url: str) -> Iterator[Item]:
    """A feed or a page, told apart by the response's Content-Type and first bytes."""
    try:
        got = fetch(url)
    except IngestError as err:
        yield err
        return
    reader = READERS.for_content(got.content, got.content_type)
    if reader is None or reader.read_content is None:
        yield IngestError(url, f"no reader for content type {got.content_type or 'unknown'}")
        return
    yield from reader.read_content(got.content, got.content_type, url, got.url)
