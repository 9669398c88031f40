"""Readers registered by suffix and content type (mercato.ingest.registry), and read through `read_path`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mercato.ingest.errors import IngestError
from mercato.ingest.readers import KNOWN_SUFFIXES, READERS, read_path
from mercato.ingest.registry import Item, Registry

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><link>https://desk.example</link>
<item><title>Arsenal in talks</title><link>https://desk.example/a</link><pubDate>Mon, 01 Mar 2021 10:00:00 GMT</pubDate>
<description>Arsenal are in talks with Lyon over Houssem Aouar, we wrote.</description></item></channel></rss>"""


def test_every_reader_declares_its_suffixes() -> None:
    by_suffix = {s: r.name for r in READERS.readers.values() for s in r.suffixes}
    assert by_suffix[".csv"] == "csv" and by_suffix[".jsonl"] == "jsonl" and by_suffix[".ndjson"] == "jsonl"
    assert by_suffix[".rss"] == by_suffix[".xml"] == "feed"
    assert by_suffix[".html"] == "page"
    assert by_suffix[".txt"] == by_suffix[""] == "text"
    assert KNOWN_SUFFIXES == set(by_suffix)


def test_a_suffix_belongs_to_one_reader() -> None:
    reg = Registry()

    def read(path: Path) -> Iterator[Item]:
        yield IngestError(str(path), "never read")

    reg.register("one", suffixes=(".abc",))(read)
    with pytest.raises(ValueError, match="already taken"):
        reg.register("two", suffixes=(".ABC",))(read)


def test_a_fetched_response_goes_to_the_reader_its_type_or_bytes_name() -> None:
    assert READERS.for_content(RSS, "application/rss+xml; charset=utf-8").name == "feed"
    assert READERS.for_content(RSS, "").name == "feed"  # no type: the bytes say feed
    assert READERS.for_content(b"<!doctype html><html><body>x</body></html>", "").name == "page"
    assert READERS.for_content(b"<html></html>", "text/html").name == "page"


def test_read_path_asks_the_registry(tmp_path: Path) -> None:
    feed = tmp_path / "desk.rss"
    feed.write_bytes(RSS)
    items = list(read_path(feed))
    assert len(items) == 1 and not isinstance(items[0], IngestError)
    assert items[0].outlet and "Aouar" in items[0].text
    other = tmp_path / "note.md"  # an unregistered suffix is read as the text forms
    other.write_text("date: 2021-03-01\noutlet: Desk\n\nArsenal are in talks with Lyon over Houssem Aouar.\n", encoding="utf-8")
    (got,) = list(read_path(other))
    assert not isinstance(got, IngestError) and got.outlet == "Desk"


def test_each_reader_counts_its_own_items(tmp_path: Path) -> None:
    """The progress bar's total: counted by the reader of each format, a refused file as one item."""
    feed = tmp_path / "desk.rss"
    feed.write_bytes(RSS)
    rows = tmp_path / "rows.csv"
    rows.write_text('date,text\n2021-03-01,"Two lines\nin one row"\n2021-03-02,Another row\n', encoding="utf-8")
    lines = tmp_path / "items.jsonl"
    lines.write_text('{"date": "2021-03-01", "text": "a"}\n\n{"date": "2021-03-02", "text": "b"}\n', encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("date 2021-03-01 One article.", encoding="utf-8")
    assert [READERS.count(p) for p in (feed, rows, lines, broken, note)] == [1, 2, 2, 1, 1]
