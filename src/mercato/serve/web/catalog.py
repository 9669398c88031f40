"""What the API and the dashboard read: stories and sources from the assess stage, cached per database state.

Computing every story's likelihood (or every source's track record) is far too slow to do per
request, and the answer only changes when claims or outcomes change. So results are cached in a
*state*: everything computed for one *version* of the database (counts and highest ids of articles,
claims and outcomes, plus how many outcomes are confirmed and true), which is re-read at most once
every `ttl` seconds. One lock per cache key makes 50 concurrent first requests compute a listing
once, not 50 times.

Stale while recomputing: when the database changes, what the previous state computed keeps being
served (marked `refreshing`, with the state it is from: see `describe`) while one background thread
computes the new state's listings; the new state replaces the old when they are ready. Only what the
old state never computed waits for the new one.
"""

from __future__ import annotations

import datetime as dt
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


# computed values a new state recomputes in the background before it replaces the old one (the listings
# every page and listing request starts from); other keys (one story, one source) are computed on demand
EAGER = frozenset({"stories", "sources", "claim_stories", "source_index", "sorted-stories", "sorted-sources",
                   "listing-index"})


class State:
    """Everything computed for one version of the database."""

    def __init__(self, version: tuple[Any, ...], number: int) -> None:
        self.version = version
        self.number = number
        self.cache: dict[tuple[Any, ...], Any] = {}  # computed listings: few, expensive, never evicted
        self.computers: dict[tuple[Any, ...], Callable[[], Any]] = {}  # how each EAGER key was computed
        self.responses: OrderedDict[tuple[Any, ...], Any] = OrderedDict()  # rendered bodies: many, cheap, LRU
        self.locks: dict[tuple[Any, ...], threading.Lock] = {}
        self.ready = threading.Event()  # set once its listings are computed (at once for the first state)
        self.computed_at: dt.datetime | None = None

    def describe(self) -> dict[str, Any]:
        v = self.version
        return {"state": self.number, "articles": v[0], "claims": v[2], "outcomes": v[4],
                "computed_at": self.computed_at.isoformat(timespec="seconds") if self.computed_at else None}


class Catalog:
    """Cached reads of stories and sources for one database."""

    def __init__(self, db: Database, ttl: float = 1.0, max_entries: int = 2048, stale_while_refresh: bool = True) -> None:
        self.db = db
        self.ttl = ttl
        self.max_entries = max_entries
        self.stale_while_refresh = stale_while_refresh
        self._version: tuple[Any, ...] | None = None
        self._checked = 0.0
        self._live: State | None = None  # the state being served
        self._next: State | None = None  # the state being computed in the background, if any
        self._numbers = 0
        self._guard = threading.Lock()
        self._pin = threading.local()  # the state one computation reads from, for all its nested reads
        self.refresh_gate: threading.Event | None = None  # tests: the refresh waits for it before computing
        self.on_refreshed: Callable[[State], None] | None = None

    # -- database version and states ------------------------------------------------------------

    def version(self) -> tuple[Any, ...]:
        """The database's version now (re-read at most every `ttl` seconds)."""
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
            self._version = version
            self._checked = now
        return version

    def _new_state(self, version: tuple[Any, ...]) -> State:
        self._numbers += 1
        return State(version, self._numbers)

    def serving(self) -> State:
        """The state requests read from: the live one, even when the database has moved on and the new state is
        still being computed (then `refreshing` is true); a state that never computed anything is simply replaced."""
        pinned = getattr(self._pin, "state", None)
        if pinned is not None:
            return pinned  # type: ignore[no-any-return]
        version = self.version()
        start: State | None = None
        with self._guard:
            live = self._live
            if live is None or (live.version != version and not (self.stale_while_refresh and live.cache)):
                if live is not None:
                    gc.unfreeze()  # let the old listings be collected
                live = self._live = self._new_state(version)
                live.computed_at = dt.datetime.now(dt.UTC)
                live.ready.set()
                self._next = None
            elif live.version != version and self._next is None:
                # one refresh at a time: changes that land while it runs (an ingest commits batch after batch)
                # are picked up by the next one, started by the first request after it is live
                start = self._next = self._new_state(version)
        if start is not None:
            threading.Thread(target=self._refresh, args=(start, live), name="mercato-refresh", daemon=True).start()
        return live

    def refreshing(self) -> bool:
        with self._guard:
            return self._next is not None

    def describe(self) -> dict[str, Any]:
        """Which state is served, and whether a newer one is being computed (for listings and pages)."""
        st = self.serving()
        with self._guard:
            nxt = self._next
        return {**st.describe(), "refreshing": nxt is not None}

    def wait_refreshed(self, timeout: float | None = None) -> bool:
        """Block until no refresh is pending (tests and tools); False on timeout."""
        with self._guard:
            nxt = self._next
        return True if nxt is None else nxt.ready.wait(timeout)

    def _refresh(self, st: State, old: State) -> None:
        """Compute the new state's listings (those the old state had computed), then put it live."""
        try:
            if self.refresh_gate is not None:
                self.refresh_gate.wait()
            self._pin.state = st
            try:
                for key, compute in list(old.computers.items()):
                    if any(isinstance(k, dt.date) for k in key):
                        continue  # an as-of view: computed again when asked for (the old one is served till then)
                    try:
                        self._cached(key, compute)
                    except Exception:  # noqa: BLE001 - a listing that fails now fails again when asked for, visibly
                        pass
            finally:
                self._pin.state = None
        finally:
            st.computed_at = dt.datetime.now(dt.UTC)
            with self._guard:
                if self._live is None or st.number > self._live.number:
                    gc.unfreeze()
                    self._live = st
                if self._next is st:
                    self._next = None
            st.ready.set()
            if self.on_refreshed is not None:
                self.on_refreshed(st)

    def _cached(self, key: tuple[Any, ...], compute: Callable[[], Any], response: bool = False) -> Any:
        st = self.serving()
        store = st.responses if response else st.cache
        hit = store.get(key)
        if hit is not None:
            return hit
        if getattr(self._pin, "state", None) is None:
            with self._guard:
                nxt = self._next
            if nxt is not None and nxt is not st:
                # the served state never computed this: the answer must come from the new state
                nxt.ready.wait()
                return self._cached(key, compute, response)
        with self._guard:
            lock = st.locks.setdefault(key, threading.Lock())
        with lock:
            hit = store.get(key)
            if hit is None:
                started = time.monotonic()
                pinned = getattr(self._pin, "state", None)
                self._pin.state = st
                try:
                    hit = compute()
                finally:
                    self._pin.state = pinned
                if not response and time.monotonic() - started > 0.2:
                    # a big listing is now resident for as long as the database stays the same: move it (and
                    # everything else alive) out of the collector's sight, or every full collection walks it
                    # again (100+ ms pauses under load)
                    gc.collect()
                    gc.freeze()
                with self._guard:
                    store[key] = hit
                    if response:
                        while len(st.responses) > self.max_entries:
                            st.responses.popitem(last=False)
                    elif key and key[0] in EAGER:
                        st.computers[key] = compute
                    st.locks.pop(key, None)
        return hit

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The cached response body for `key` in the served state, or None; never blocks on a computation."""
        st = self.serving()
        with self._guard:
            hit = st.responses.get(key)
            if hit is not None:
                st.responses.move_to_end(key)
        return hit

    def peek_value(self, key: tuple[Any, ...]) -> Any:
        """A computed value for `key` in the served state, or None; never computes or waits."""
        return self.serving().cache.get(key)

    def put(self, state: State, key: tuple[Any, ...], value: Any) -> None:
        """Remember a response body computed in `state` (dropped unless that state is still the one served)."""
        with self._guard:
            if state is self._live and self._next is None:
                state.responses[key] = value
                while len(state.responses) > self.max_entries:
                    state.responses.popitem(last=False)

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
