"""Which reader reads what: readers declare the file suffixes and content types they take.

Like spaCy's registries, a reader registers itself with a decorator where it is defined:

    @READERS.register("feed", suffixes=(".xml", ".rss", ".atom"), content_types=(...), sniff=looks_like_feed)
    def read_feed_file(path: Path) -> Iterator[Item]: ...

and `mercato.ingest.readers` imports every reader module once (the one place that fills the
registry), then asks it which reader takes a path (by suffix) or a fetched response (by content type
and first bytes). The registry itself imports no reader, so no reader module imports another.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mercato.ingest.errors import IngestError
from mercato.records import ArticleRecord

Item = ArticleRecord | IngestError
FileReader = Callable[[Path], Iterator[Item]]
# (response bytes, Content-Type, the URL asked for, the URL answered after redirects) -> items
ContentReader = Callable[[bytes, str, str, str], Iterator[Item]]
Sniffer = Callable[[bytes, str], bool]
Counter = Callable[[Path], int]  # items a file will yield, counted cheaply (for progress); may raise


@dataclass(frozen=True)
class Reader:
    name: str
    read_file: FileReader
    suffixes: tuple[str, ...] = ()
    content_types: tuple[str, ...] = ()
    sniff: Sniffer | None = None  # takes a fetched response the content type alone does not settle
    read_content: ContentReader | None = None
    count: Counter | None = None  # none: a file is one item


@dataclass
class Registry:
    readers: dict[str, Reader] = field(default_factory=dict)
    fallback_content: str | None = None  # the reader of a response no sniffer claims (a web page)

    def register(self, name: str, *, suffixes: tuple[str, ...] = (), content_types: tuple[str, ...] = (),
                 sniff: Sniffer | None = None, read_content: ContentReader | None = None, count: Counter | None = None,
                 fallback: bool = False) -> Callable[[FileReader], FileReader]:
        """Decorator for a file reader; `read_content` reads the same format from a fetched response."""

        def add(read_file: FileReader) -> FileReader:
            taken = {s for r in self.readers.values() if r.name != name for s in r.suffixes}
            clash = taken & {s.lower() for s in suffixes}
            if clash:
                raise ValueError(f"reader {name!r}: suffix(es) {sorted(clash)} already taken")
            self.readers[name] = Reader(name, read_file, tuple(s.lower() for s in suffixes),
                                        tuple(c.lower() for c in content_types), sniff, read_content, count)
            if fallback:
                self.fallback_content = name
            return read_file

        return add

    def suffixes(self) -> set[str]:
        return {s for r in self.readers.values() for s in r.suffixes}

    def for_suffix(self, suffix: str) -> Reader | None:
        suffix = suffix.lower()
        return next((r for r in self.readers.values() if suffix in r.suffixes), None)

    def count(self, path: Path) -> int:
        """How many items (articles or bad rows) reading `path` yields, counted cheaply; a file a reader will
        refuse counts as one (its one error)."""
        reader = self.for_suffix(path.suffix)
        if reader is None or reader.count is None:
            return 1
        try:
            return max(1, reader.count(path))
        except (OSError, UnicodeDecodeError, ValueError, csv.Error):
            return 1  # the reader will name the problem

    def for_content(self, data: bytes, content_type: str) -> Reader | None:
        """The reader of a fetched response: the one its Content-Type names, else the first whose sniffer
        recognises the first bytes, else the fallback (a web page)."""
        ct = content_type.split(";")[0].strip().lower()
        readers = [r for r in self.readers.values() if r.read_content is not None]
        for r in readers:
            if ct and ct in r.content_types:
                return r
        for r in readers:
            if r.sniff is not None and r.sniff(data, content_type):
                return r
        return self.readers.get(self.fallback_content) if self.fallback_content else None


READERS = Registry()
