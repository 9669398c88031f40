"""The assessment stage as functions over a Database: what the CLI and the web API call.

Signatures here are stable: list_stories, get_story, list_sources, get_source.
Results are cached per database and date until claims or outcomes change.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from sqlalchemy import func, select

from mercato.assess.claim_view import claim_extras, deal_summary
from mercato.assess.data import SOURCES, AClaim, AOutcome, load, source_id
from mercato.assess.engine import Replay, Snapshot
from mercato.assess.sources import LEADERBOARD_KINDS
from mercato.assess.stories import all_stories, attach_claims, move_story, person_id, vacancy_id
from mercato.store.db import Database
from mercato.store.models import Claim, Outcome

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], tuple[Snapshot, list[AClaim], list[AOutcome]]] = {}
_key_locks: dict[tuple[Any, ...], threading.Lock] = {}


def signature(db: Database) -> tuple[Any, ...]:
    with db.session() as s:
        c = s.execute(select(func.count(Claim.id), func.max(Claim.id))).one()
        o = s.execute(select(func.count(Outcome.id), func.max(Outcome.id))).one()
        conf = s.scalar(select(func.count(Outcome.id)).where(Outcome.status == "confirmed"))
        # an outcome re-imported or confirmed changes in place: its verdict and date are part of the key
        # (outcome tables are small: a few thousand rows at most)
        verdicts = hash(tuple(s.execute(
            select(Outcome.id, Outcome.happened, Outcome.resolved_on, Outcome.status).order_by(Outcome.id)
        ).all()))
    return (db.url, tuple(c), tuple(o), conf, verdicts)


def snapshot(db: Database, as_of: dt.date | None = None, sig: tuple[Any, ...] | None = None
             ) -> tuple[Snapshot, list[AClaim]]:
    snap, claims, _ = _snapshot(db, as_of, sig)
    return snap, claims


def _snapshot(db: Database, as_of: dt.date | None, sig: tuple[Any, ...] | None = None
              ) -> tuple[Snapshot, list[AClaim], list[AOutcome]]:
    """The replay as of `as_of` with the claims and outcomes it read, computed once per database state and
    date (concurrent callers for one key wait for the first rather than replaying in parallel)."""
    key = (sig or signature(db), as_of)
    with _lock:
        hit = _cache.get(key)
        lock = _key_locks.setdefault(key, threading.Lock()) if hit is None else None
    if hit is not None:
        return hit
    assert lock is not None
    with lock:
        with _lock:
            hit = _cache.get(key)
        if hit is not None:
            return hit
        claims, outcomes, _ = load(db, as_of)
        snap = Replay(claims, outcomes).run(until=as_of)
        attach_claims(snap, claims)  # a story's window and what settles it are read from the claims (stories.py)
        with _lock:
            if len(_cache) > 32:
                _cache.clear()
            _cache[key] = (snap, claims, outcomes)
            _key_locks.pop(key, None)
    return snap, claims, outcomes


def list_stories(db: Database, as_of: dt.date | None = None, kind: str = "move") -> list[dict[str, Any]]:
    snap, _ = snapshot(db, as_of)
    return all_stories(snap, kind)


def get_story(db: Database, story_id: str, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """One story as of a date. Only what the page shows is computed: the snapshot (shared by every page of
    that date), this story's competitors, and the probability history of this story's own moves."""
    sig = signature(db)
    snap, claims, outcomes = _snapshot(db, as_of, sig)
    if story_id.startswith("move--"):
        m = snap.moves.get(story_id)
        if m is None:
            return None
        story = move_story(snap, m)
        members = [m.id]
        related = [move_story(snap, o) for o in snap.moves.values()
                   if o.id != m.id and (o.person == m.person or (m.role == "manager" and o.club == m.club
                                                                 and o.role == m.role))]
        story["competitors"] = sorted(related, key=lambda s: (-s["probability"], s["id"]))
    else:
        kind = story_id.split("--", 1)[0]
        if kind not in ("vacancy", "person"):
            return None
        found = next((s for s in all_stories(snap, kind) if s["id"] == story_id), None)
        if found is None:
            return None
        story = found
        members = list(found["moves"])
        story["competitors"] = [move_story(snap, snap.moves[mid]) for mid in members]
    ids = {cid for mid in members for cid in snap.moves[mid].claim_ids}
    mine = [c for c in claims if c.id in ids]
    extras = claim_extras(db, snap, mine)  # deal terms, the outlet's record as of the date, the headline and link
    story["claims"] = [
        {"id": c.id, "date": c.date.isoformat(), "article_id": c.article_id, "journalist": c.journalist,
         "outlet": c.outlet or c.publisher, "stage": c.stage, "certainty": c.certainty, "evidence": c.evidence,
         "club": c.club, "person": c.person, **extras[c.id]}
        for c in mine
    ]
    story["deal"] = deal_summary(story["claims"])
    hist = _history(db, members, as_of, sig, snap, claims, outcomes)
    day = as_of.isoformat() if as_of else max([(snap.latest or dt.date.today()).isoformat(),
                                                *(str(h["date"]) for h in hist)])
    story["history"] = with_headline(hist, story["probability"], day)
    return story


def with_headline(history: list[dict[str, Any]], probability: float, day: str) -> list[dict[str, Any]]:
    """The chart ends on the headline: the story's probability as of its date is the last point
    (one number, computed once by the snapshot, shown by both)."""
    out = [h for h in history if str(h["date"]) < day]
    out.append({"date": day, "probability": round(float(probability), 4)})
    return out


_hist_cache: dict[tuple[Any, ...], dict[str, list[tuple[dt.date, float]]]] = {}


def _moves_history(sig: tuple[Any, ...], as_of: dt.date | None, members: list[str], snap: Snapshot,
                   claims: list[AClaim], outcomes: list[AOutcome]) -> dict[str, list[tuple[dt.date, float]]]:
    """These moves' probability on each date they were claimed, with the snapshot's weights: one replay of the
    claims and outcomes the snapshot read, scoring only these moves (a move's score depends on its rivals'
    states, not on whether theirs are scored, so the numbers are those of a replay scoring every move)."""
    key = (sig, as_of, tuple(sorted(members)))
    with _lock:
        hit = _hist_cache.get(key)
    if hit is not None:
        return hit
    hist = Replay(claims, outcomes, learn=False, weights=snap.weights).run(until=as_of, history_for=set(members)).history
    with _lock:
        if len(_hist_cache) > 256:
            _hist_cache.clear()
        _hist_cache[key] = hist
    return hist


def all_history(db: Database, as_of: dt.date | None) -> dict[str, list[tuple[dt.date, float]]]:
    """Every move's probability on each date it was claimed, with the snapshot's weights (one replay, cached per
    database state and date): for views over all stories (heating up); a story page replays only its own moves."""
    sig = signature(db)
    snap, claims, outcomes = _snapshot(db, as_of, sig)
    key = (sig, as_of, None)
    with _lock:
        hit = _hist_cache.get(key)
    if hit is not None:
        return hit
    hist = Replay(claims, outcomes, learn=False, weights=snap.weights).run(until=as_of, history_for=set()).history
    with _lock:
        if len(_hist_cache) > 256:
            _hist_cache.clear()
        _hist_cache[key] = hist
    return hist


def last_points(db: Database, as_of: dt.date | None, since: dt.date) -> dict[str, tuple[dt.date, float]]:
    """Each move's last point on or before `since` of all_history(db, as_of) (the same numbers: the snapshot's
    weights, the replay's states on that day), from a replay that stops at `since` and scores each move only on
    the last day it was claimed by then (heating up needs no more). Cached per database state, date and `since`."""
    sig = signature(db)
    snap, claims, outcomes = _snapshot(db, as_of, sig)
    key = (sig, as_of, "last", since)
    with _lock:
        hit = _hist_cache.get(key)
    if hit is not None:
        return {mid: pts[-1] for mid, pts in hit.items()}
    until = min(since, as_of) if as_of is not None else since
    hist = Replay(claims, outcomes, learn=False, weights=snap.weights).run(
        until=until, history_for=set(), last_only=True, score=False).history
    with _lock:
        if len(_hist_cache) > 256:
            _hist_cache.clear()
        _hist_cache[key] = hist
    return {mid: pts[-1] for mid, pts in hist.items()}


def _history(db: Database, members: list[str], as_of: dt.date | None, sig: tuple[Any, ...] | None = None,
             snap: Snapshot | None = None, claims: list[AClaim] | None = None,
             outcomes: list[AOutcome] | None = None) -> list[dict[str, Any]]:
    if sig is None or snap is None or claims is None or outcomes is None:
        sig = signature(db)
        snap, claims, outcomes = _snapshot(db, as_of, sig)
    hist = _moves_history(sig, as_of, members, snap, claims, outcomes) if members else {}
    if len(members) == 1:
        out = [{"date": d.isoformat(), "probability": round(p, 4)} for d, p in hist.get(members[0], [])]
        o = snap.outcomes.get(members[0])
        if members[0] in snap.known and o is not None and o.resolved_on is not None:
            # the outcome, once public, is the last point
            day = o.resolved_on.isoformat()
            out = [h for h in out if str(h["date"]) < day]
            out.append({"date": o.resolved_on.isoformat(), "probability": 1.0 if o.happened else 0.0})
        return out
    # a group: the sum of its members' latest probabilities on each date any of them moved
    latest: dict[str, float] = {}
    points: dict[dt.date, dict[str, float]] = {}
    for mid in members:
        for d, p in hist.get(mid, []):
            points.setdefault(d, {})[mid] = p
    out = []
    for d in sorted(points):
        latest.update(points[d])
        out.append({"date": d.isoformat(), "probability": round(min(1.0, sum(latest.values())), 4)})
    return out


def _source_rows(snap: Snapshot, claims: list[AClaim]) -> dict[str, dict[str, Any]]:
    counts: dict[str, int] = {}
    for c in claims:
        for src in c.credit:
            counts[src] = counts.get(src, 0) + 1
    rows: dict[str, dict[str, Any]] = {}
    book = snap.book
    for src, n in counts.items():
        r = book.records.get(src)
        kind, _ = src.split("--", 1)
        info = SOURCES.get(src)
        resolved = r.resolved if r else 0
        hits = r.hits if r else 0
        rows[src] = {
            "id": src,
            "name": info.name if info else src.split("--", 1)[1],
            "kind": kind,
            "known": info.known if info else False,  # in the knowledge base (an outlet named from an unknown domain is not)
            "party_role": info.role if info else None,
            "claims": n,
            "resolved": resolved,
            "hits": hits,
            "hit_rate": round(hits / resolved, 4) if resolved else None,
            "brier": round(r.brier_sum / r.resolved, 4) if r and r.resolved else None,
            "credibility": round(book.credibility(src), 4),
            "skill": round(book.skill(src), 4),
            "by_stage": {st: {"resolved": v[0], "hits": v[1]} for st, v in sorted((r.by_stage if r else {}).items())},
        }
    return rows


def list_sources(db: Database, kinds: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Every source's record (journalists, outlets, clubs and parties), or only those of `kinds`;
    the leaderboard is LEADERBOARD_KINDS (journalists and outlets)."""
    snap, claims = snapshot(db, None)
    rows = _source_rows(snap, claims)
    out = [r for r in rows.values() if kinds is None or r["kind"] in kinds]
    return sorted(out, key=lambda r: (-r["claims"], r["id"]))


def get_source(db: Database, source_id_: str) -> dict[str, Any] | None:
    snap, claims = snapshot(db, None)
    rows = _source_rows(snap, claims)
    row = rows.get(source_id_)
    if row is None:
        return None
    judged = [j for j in snap.book.judgements if j.source == source_id_]
    bins: dict[int, list[tuple[float, bool]]] = {}
    for j in judged:
        b = min(9, int(j.p * 10))
        bins.setdefault(b, []).append((j.p, j.happened))
    row["calibration"] = [
        {"bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}", "forecast": round(sum(p for p, _ in v) / len(v), 4),
         "observed": round(sum(1 for _, h in v if h) / len(v), 4), "n": len(v)}
        for b, v in sorted(bins.items())
    ]
    verdict = {j.move: j.hit for j in judged}
    mine = [c for c in claims if source_id_ in c.credit]
    mine.sort(key=lambda c: (c.date, c.id), reverse=True)
    out = []
    for c in mine[:200]:
        o = snap.outcomes.get(c.move)
        out.append({
            "id": c.id, "date": c.date.isoformat(), "article_id": c.article_id, "story": c.move, "club": c.club,
            "person": c.person, "role": c.role, "stage": c.stage, "certainty": c.certainty, "evidence": c.evidence,
            "outcome": (bool(o.happened) if o is not None and o.happened is not None else None),
            "hit": verdict.get(c.move),
        })
    row["n_claims"] = row["claims"]  # the count; "claims" becomes the list (as the web API expects)
    row["claims"] = out
    return row


def source_key(kind: str, name: str) -> str:
    """The id of a source ("journalist", "Georg Holzner") -> "journalist--georg-holzner"."""
    return source_id(kind, name)


__all__ = ["LEADERBOARD_KINDS", "list_stories", "get_story", "list_sources", "get_source", "snapshot", "source_key",
           "vacancy_id", "person_id"]
