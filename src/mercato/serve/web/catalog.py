"""What the API and the dashboard read: stories and sources from the assess stage, cached per database state.

Computing every story's likelihood (or every source's track record) is far too slow to do per
request, and the answer only changes when claims or outcomes change. So results are cached, keyed by
a cheap *version* of the database (counts and highest ids of articles, claims and outcomes, plus how
many outcomes are confirmed and true), which is re-read at most once every `ttl` seconds. One lock
per cache key makes 50 concurrent first requests compute a listing once, not 50 times.
"""

from __future__ import annotations

import gc
import importlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import case, func, select

from mercato.store import Database
from mercato.store.models import Article, Claim, Outcome


class ServiceUnavailable(RuntimeError):
    """The assess stage (mercato.assess.service) is not installed in this build."""


def _service() -> Any:
    try:
        return importlib.import_module("mercato.assess.service")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("mercato.assess"):
            raise ServiceUnavailable("story and source assessment (mercato.assess.service) is not available") from None
        raise


class Catalog:
    """Cached reads of stories and sources for one database."""

    def __init__(self, db: Database, ttl: float = 1.0, max_entries: int = 2048) -> None:
        self.db = db
        self.ttl = ttl
        self.max_entries = max_entries
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._cache: dict[tuple[Any, ...], Any] = {}  # computed listings: few, expensive, never evicted
        self._responses: OrderedDict[tuple[Any, ...], Any] = OrderedDict()  # rendered bodies: many, cheap, LRU
        self._locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._guard = threading.Lock()

    # -- database version --------------------------------------------------------------------

    def version(self) -> tuple[Any, ...]:
        now = time.monotonic()
        if self._version is not None and now - self._checked < self.ttl:
            return self._version
        with self.db.session() as s:
            arts = s.execute(select(func.count(Article.id), func.max(Article.id))).one()
            claims = s.execute(select(func.count(Claim.id), func.max(Claim.id))).one()
            outs = s.execute(
                select(
                    func.count(Outcome.id), func.max(Outcome.id),
                    func.sum(case((Outcome.status == "confirmed", 1), else_=0)),
                    func.sum(case((Outcome.happened.is_(True), 1), else_=0)),
                    func.sum(case((Outcome.happened.is_(False), 1), else_=0)),
                )
            ).one()
        version = (*arts, *claims, *outs)
        with self._guard:
            if version != self._version:
                if self._version is not None:
                    gc.unfreeze()  # let the old listings be collected
                self._cache.clear()
                self._responses.clear()
                self._version = version
            self._checked = now
        return version

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any], response: bool = False) -> Any:
        full = (self.version(), *key)
        store = self._responses if response else self._cache
        hit = store.get(full)
        if hit is not None:
            return hit
        with self._guard:
            lock = self._locks.setdefault(full, threading.Lock())
        with lock:
            hit = store.get(full)
            if hit is None:
                started = time.monotonic()
                hit = compute()
                if not response and time.monotonic() - started > 0.2:
                    # a big listing is now resident for as long as the database stays the same: move it (and
                    # everything else alive) out of the collector's sight, or every full collection walks it
                    # again (100+ ms pauses under load)
                    gc.collect()
                    gc.freeze()
                with self._guard:
                    if full[0] == self._version:
                        store[full] = hit
                        if response:
                            while len(self._responses) > self.max_entries:
                                self._responses.popitem(last=False)
                    self._locks.pop(full, None)
        return hit

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The cached response body for `key` under the current database version, or None; never blocks."""
        full = (self.version(), *key)
        with self._guard:
            hit = self._responses.get(full)
            if hit is not None:
                self._responses.move_to_end(full)
        return hit

    def put(self, version: tuple[Any, ...], key: tuple[Any, ...], value: Any) -> None:
        """Remember a response body computed under `version` (dropped if the database has moved on)."""
        with self._guard:
            if version == self._version:
                self._responses[(version, *key)] = value
                while len(self._responses) > self.max_entries:
                    self._responses.popitem(last=False)

    def respond(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """The response body for `key`, computing it once (other callers wait) when missing."""
        return self._cached(key, compute, response=True)

    def get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """A computed value for `key` (kept until the database changes), computed once when missing."""
        return self._cached(key, compute)

    # -- stories ---------------------------------------------------------------------------

    def stories(self, kind: str = "move", as_of: Any = None) -> list[dict[str, Any]]:
        svc = _service()
        return self._cached(("stories", kind, as_of), lambda: list(svc.list_stories(self.db, as_of=as_of, kind=kind)))

    def story(self, story_id: str, as_of: Any = None) -> dict[str, Any] | None:
        svc = _service()
        found = self._cached(("story", story_id, as_of), lambda: svc.get_story(self.db, story_id, as_of=as_of) or False)
        return found or None

    def claim_stories(self) -> dict[int, str]:
        """Claim id -> id of the move story it belongs to (the assess stage normalises names, so ask it)."""

        def build() -> dict[int, str]:
            svc = _service()
            ids = {str(s["id"]) for s in self.stories("move")}
            if hasattr(svc, "snapshot"):
                _, claims = svc.snapshot(self.db, None)
                return {int(c.id): str(c.move) for c in claims if str(c.move) in ids}
            by_move = {(s["club"], s["person"], s.get("role") or ""): str(s["id"]) for s in self.stories("move")}
            with self.db.session() as s:
                rows = s.execute(select(Claim.id, Claim.club, Claim.person, Claim.role)).all()
            return {cid: by_move[(club, person, role)] for cid, club, person, role in rows if (club, person, role) in by_move}

        try:
            return self._cached(("claim_stories",), build)
        except ServiceUnavailable:
            return {}

    # -- sources ---------------------------------------------------------------------------

    def sources(self) -> list[dict[str, Any]]:
        svc = _service()
        return self._cached(("sources",), lambda: list(svc.list_sources(self.db)))

    def source(self, source_id: str) -> dict[str, Any] | None:
        svc = _service()
        found = self._cached(("source", source_id), lambda: svc.get_source(self.db, source_id) or False)
        return found or None

    def source_index(self) -> dict[str, str]:
        """Lower-cased source name -> source id, to link a claim's journalist or outlet to its page."""

        def build() -> dict[str, str]:
            out: dict[str, str] = {}
            for s in self.sources():
                out.setdefault(str(s["name"]).lower(), str(s["id"]))
            return out

        try:
            return self._cached(("source_index",), build)
        except ServiceUnavailable:
            return {}

    def warm(self) -> None:
        """Compute the default listings (called in the background at start-up)."""
        try:
            self.stories("move")
            self.sources()
            self.claim_stories()
        except Exception:  # noqa: BLE001 - warming is best effort; requests will report errors
            pass
