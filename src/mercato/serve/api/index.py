"""Story and source listings answered from indexes built once per database state (the load target).

Profiling `bench/api_load.py` showed the work for a listing not seen before is small (a filter over the
stories, a slice, a JSON dump: 1-3 ms), but that each such request went through routing, validation and
a hop to the thread pool, where 40 threads and the event loop fight over the GIL: the p99 of 600
distinct pages was 124 ms on a loaded 2-core machine. So, per state, every story and source is
serialised once, and every sort x status (stories) or sort (sources) is kept as a list of those bytes;
a listing with only paging, sort, kind and status is then a slice and a join, done on the event loop.

Anything else (a filter by club, an as-of date, a malformed or unknown parameter) returns None and the
request goes to the API route, which validates and answers it: the bytes are the same either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from mercato.serve.api.encode import dumps
from mercato.serve.queries import filter_stories, sorted_sources, sorted_stories
from mercato.serve.web.catalog import Catalog, ServiceUnavailable

STORY_SORTS = ("likelihood", "recent", "sources", "claims")
STORY_KINDS = ("move", "vacancy", "person")
INDEXED_KINDS = ("move",)  # the board and most listings; groups (vacancy, person) are fewer and go to the route
STORY_STATUSES = ("all", "live", "resolved", "settled")
SOURCE_SORTS = ("credibility", "hit_rate", "brier", "claims", "resolved", "name")
SOURCE_KINDS = ("journalist", "outlet", "club", "party")
MAX_LIMIT = 200
_POSITIVE = re.compile(r"[1-9][0-9]{0,6}")
_NATURAL = re.compile(r"0|[1-9][0-9]{0,8}")

enabled = True  # tests compare the answers with and without these indexes


@dataclass
class Index:
    """One state's listings as lists of serialised items."""

    stories: dict[tuple[str, str, str], list[bytes]] = field(default_factory=dict)  # (kind, sort, status)
    sources: dict[str, list[tuple[str, int, bytes]]] = field(default_factory=dict)  # sort -> (kind, resolved, item)


def build(catalog: Catalog) -> Index:
    index = Index()
    for kind in INDEXED_KINDS:
        rows = catalog.stories(kind)
        item = {id(s): dumps(s) for s in rows}
        for sort in STORY_SORTS:
            ordered = sorted_stories(catalog, kind, None, sort)
            for status in STORY_STATUSES:
                index.stories[(kind, sort, status)] = [item[id(s)] for s in filter_stories(ordered, status=status)]
    rows = catalog.sources()
    item = {id(s): dumps(s) for s in rows}
    for sort in SOURCE_SORTS:
        index.sources[sort] = [(str(s.get("kind")), _int(s.get("resolved")), item[id(s)])
                               for s in sorted_sources(catalog, sort)]
    return index


def _int(v: Any) -> int:
    return int(v) if isinstance(v, int | float) else 0


def index_of(catalog: Catalog) -> Index | None:
    """The served state's index if it is built (never waits); otherwise None, and the route answers."""
    found = catalog.peek_value(("listing-index",))
    return found if isinstance(found, Index) else None


def warm(catalog: Catalog) -> None:
    try:
        catalog.get(("listing-index",), lambda: build(catalog))
    except ServiceUnavailable:
        pass


def _params(query: bytes, allowed: dict[str, tuple[str, ...] | re.Pattern[str]]) -> dict[str, str] | None:
    try:
        pairs = parse_qsl(query.decode("ascii"), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    out: dict[str, str] = {}
    for k, v in pairs:
        rule = allowed.get(k)
        if rule is None or k in out:
            return None
        ok = v in rule if isinstance(rule, tuple) else rule.fullmatch(v) is not None
        if not ok:
            return None
        out[k] = v
    return out


_PAGING: dict[str, tuple[str, ...] | re.Pattern[str]] = {"limit": _POSITIVE, "offset": _NATURAL, "page": _POSITIVE}


def _page(p: dict[str, str]) -> tuple[int, int] | None:
    limit = int(p.get("limit", "50"))
    if limit > MAX_LIMIT or ("offset" in p and "page" in p):
        return None
    offset = int(p["offset"]) if "offset" in p else (int(p.get("page", "1")) - 1) * limit
    return limit, offset


def _wrap(items: list[bytes], total: int, limit: int, offset: int) -> bytes:
    return (b'{"items":[' + b",".join(items) + b'],"total":' + str(total).encode() + b',"limit":' + str(limit).encode()
            + b',"offset":' + str(offset).encode() + b',"page":' + str(offset // limit + 1).encode() + b"}")


@dataclass(frozen=True)
class Query:
    """A listing request the index can answer."""

    path: str
    limit: int
    offset: int
    kind: str = "move"
    sort: str = ""
    status: str = "all"
    source_kind: str | None = None
    min_resolved: int = 0


def parse(path: str, query: bytes) -> Query | None:
    """The request as a Query when the index covers it (only canonical paging, sort, kind and status), else None."""
    if not enabled:
        return None
    if path == "/api/stories":
        p = _params(query, {**_PAGING, "sort": STORY_SORTS, "kind": INDEXED_KINDS, "status": STORY_STATUSES})
        paged = _page(p) if p is not None else None
        if p is None or paged is None:
            return None
        return Query(path, *paged, kind=p.get("kind", "move"), sort=p.get("sort", "likelihood"),
                     status=p.get("status", "all"))
    if path == "/api/sources":
        p = _params(query, {**_PAGING, "sort": SOURCE_SORTS, "kind": SOURCE_KINDS, "min_resolved": _NATURAL})
        paged = _page(p) if p is not None else None
        if p is None or paged is None:
            return None
        return Query(path, *paged, sort=p.get("sort", "credibility"), source_kind=p.get("kind"),
                     min_resolved=int(p.get("min_resolved", "0")))
    return None


def answer(index: Index, q: Query) -> bytes | None:
    if q.path == "/api/stories":
        rows = index.stories.get((q.kind, q.sort, q.status))
        if rows is None:
            return None
        return _wrap(rows[q.offset: q.offset + q.limit], len(rows), q.limit, q.offset)
    ranked = index.sources.get(q.sort)
    if ranked is None:
        return None
    kinds = (q.source_kind,) if q.source_kind else ("journalist", "outlet")
    chosen = [b for k, r, b in ranked if k in kinds and r >= q.min_resolved]
    return _wrap(chosen[q.offset: q.offset + q.limit], len(chosen), q.limit, q.offset)


def listing(catalog: Catalog, path: str, query: bytes) -> bytes | None:
    """The body of `GET path?query` from the served state's index, or None (then the route answers)."""
    q = parse(path, query)
    index = index_of(catalog) if q is not None else None
    return answer(index, q) if index is not None and q is not None else None
