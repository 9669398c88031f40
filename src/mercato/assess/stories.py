"""Stories: move (person, club, role), vacancy (club, role) and person (where will X go).

A move story is every claim about one (club, person, role). A vacancy story gathers the move
stories for one club's manager job; a person story gathers the move stories for one person.
Their probability: a vacancy's is the chance that one of the named candidates gets the job, a
person's the chance that one of the named moves happens (the competing moves sum to at most 1).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from mercato.assess.credibility import CredibilityBook
from mercato.assess.data import SOURCES, AClaim, episode
from mercato.assess.engine import Snapshot
from mercato.assess.likelihood import MoveState
from mercato.assess.names import slug
from mercato.assess.outcomes import own_club, settlements
from mercato.assess.windows import window_close
from mercato.records import LADDER, OFF

# -- what settles a story, read on the claims known as of the snapshot's date ----------------------------

@dataclass
class StoryContext:
    """The claims a snapshot was computed from, and what they say about each move's window and settlement
    (computed once per snapshot, on first use)."""

    claims: list[AClaim]
    talk: dict[str, dt.date | None] = field(default_factory=dict)
    settle: dict[str, dict[str, Any]] = field(default_factory=dict)
    filled: dict[str, tuple[str, str]] = field(default_factory=dict)  # a manager's job -> (who got it, how known)
    ready: bool = False


_CONTEXTS: dict[int, StoryContext] = {}


def attach_claims(snap: Snapshot, claims: list[AClaim]) -> None:
    """Give the stories of `snap` the claims it was replayed from (those dated on or before its date): a
    story's window and whether the evidence settles it are read from them."""
    key = id(snap)
    _CONTEXTS[key] = StoryContext(claims)
    weakref.finalize(snap, _CONTEXTS.pop, key, None)


def _job(m: MoveState) -> str:
    return f"{m.club}|{m.role}|{episode(m.id)}"


def _context(snap: Snapshot) -> StoryContext | None:
    ctx = _CONTEXTS.get(id(snap))
    if ctx is None or ctx.ready:
        return ctx
    by_move: dict[str, list[AClaim]] = defaultdict(list)
    for c in ctx.claims:
        by_move[c.move].append(c)
    for mid, cs in by_move.items():
        talk = [c for c in cs if own_club(c) is None]
        # the window its latest talk of the move speaks of: supporting talk; an `off` alone says it is not
        # happening and reopens no window; a story of nothing but mentions of him there has none
        support = [c.date for c in talk if not c.is_off]
        ctx.talk[mid] = max(support) if support else max((c.date for c in talk), default=None)
    # what the evidence settles (the rules `mercato outcomes pending` proposes by), for moves with no outcome
    ctx.settle = settlements(ctx.claims, lambda c: c.move, skip=set(snap.known))
    # a job is one vacancy: once an appointment to it is known (or settled by the evidence, to confirm), the
    # other candidates for that job are no longer live
    for mid, m in snap.moves.items():
        if m.role != "manager":
            continue
        if snap.known.get(mid):
            ctx.filled.setdefault(_job(m), (m.person, "known"))
        elif (p := ctx.settle.get(mid)) is not None and p["happened"]:
            ctx.filled.setdefault(_job(m), (m.person, "to confirm"))
    ctx.ready = True
    return ctx


def vacancy_id(club: str, role: str) -> str:
    return "vacancy--" + slug(club, role)


def person_id(person: str) -> str:
    return "person--" + slug(person)


def top_source(m: MoveState, book: CredibilityBook) -> str | None:
    best: tuple[float, str] | None = None
    for w in m.words.values():
        for src in w.credit:
            c = book.credibility(src)
            if best is None or c > best[0]:
                best = (c, src)
    return _source_name(best[1]) if best else None


def _source_name(src_id: str) -> str:
    src = SOURCES.get(src_id)
    return src.name if src is not None else src_id.split("--", 1)[-1]


def move_story(snap: Snapshot, m: MoveState) -> dict[str, Any]:
    o = snap.outcomes.get(m.id)
    outcome = bool(o.happened) if o is not None and o.happened is not None else None
    # the window its latest talk of the move speaks of: a later report that only names him at the club
    # ("Barcelona's Memphis Depay" in a swap story in December, "his PSG contract") is not talk of the
    # move, and keeps no story live after its window has closed
    ctx = _context(snap)
    last = ctx.talk.get(m.id) if ctx is not None else (m.last_talk or m.last)
    closes = window_close(last, m.role) if last else None
    now = snap.as_of or snap.latest
    known = m.id in snap.known
    closed = closes is None or (now is not None and closes <= now)
    stored = snap.pending.get(m.id)
    settle = ctx.settle.get(m.id) if ctx is not None else None
    pending: dict[str, Any] | None = None
    if known:
        status = "settled"
    elif settle is not None:  # the evidence settles it: an outcome to confirm (`mercato outcomes pending`)
        status = "to confirm"
        pending = {"happened": settle["happened"], "reason": settle["reason"], "date": settle["date"].isoformat(),
                   "id": stored.id if stored is not None and stored.happened == settle["happened"] else None,
                   "claims": [c.id for c in settle["claims"]]}
    elif stored is not None and ctx is None:
        status, pending = "to confirm", {"happened": stored.happened, "reason": stored.note, "id": stored.id}
    else:
        status = "closed" if closed else "live"
    filled = ctx.filled.get(_job(m)) if ctx is not None and m.role == "manager" and status == "live" else None
    if filled is not None and filled[0] != m.person:
        status = "closed"  # the job went to another candidate
    return {
        "id": m.id,
        "kind": "move",
        "club": m.club,
        "person": m.person,
        "role": m.role,
        "probability": round(snap.probability.get(m.id, 0.0), 4),
        "stage": m.best_stage(),
        "sources": m.n_sources(),
        "outcome": outcome,
        "resolved": known,
        # the window its latest talk speaks of; once closed the story is no longer live
        "window_closes": closes.isoformat() if closes else None,
        # live: no outcome, nothing in the evidence settles it, and the window its talk speaks of is open
        "live": status == "live",
        # settled (an outcome is known), to confirm (the evidence settles it: a club's announcement, `done`
        # from several sources, later reports of him there, a party's `off`), closed (the window closed with
        # no outcome known), live
        "status": status,
        "official": m.official_since is not None,
        # what settled it: a register row, a confirmation; or the evidence, as an outcome to confirm
        "settled_by": (_settled_by(o, known) if known else _to_confirm(pending) if pending
                       else f"the job went to {filled[0]}" + (" (to confirm)" if filled[1] == "to confirm" else "")
                       if filled is not None and status == "closed" else None),
        "pending": pending,
        "first_date": m.first.isoformat() if m.first else None,
        "last_date": m.last.isoformat() if m.last else None,
        "n_claims": len(m.claim_ids),
        "top_source": top_source(m, snap.book),
    }


def _to_confirm(p: dict[str, Any]) -> str:
    verdict = "happened" if p["happened"] else "did not happen"
    return f"to confirm ({verdict}): {p['reason'] or ''}" + (f", {p['date']}" if p.get("date") else "")


def _settled_by(o: Any, known: bool) -> str | None:
    if o is None or not known:
        return None
    origin = o.origin or ""
    if origin.startswith("register:"):
        return o.note or "transfer register"
    if origin.startswith("claims:") or origin.startswith("claim:"):
        return "confirmed by a user: " + (o.note or "")
    return (o.note or "") + f" ({origin})" if origin else o.note


def group_story(kind: str, sid: str, members: list[dict[str, Any]], club: str | None, person: str | None,
                role: str | None) -> dict[str, Any]:
    stages = [s["stage"] for s in members if s["stage"] and s["stage"] != OFF]
    outcome: bool | None
    if any(s["outcome"] is True for s in members):
        outcome = True
    elif members and all(s["outcome"] is False for s in members):
        outcome = False
    else:
        outcome = None
    firsts = [s["first_date"] for s in members if s["first_date"]]
    lasts = [s["last_date"] for s in members if s["last_date"]]
    leader = max(members, key=lambda s: s["probability"]) if members else None
    won = next((s for s in members if s["outcome"] is True), None)
    # a member the evidence settles as having happened (an outcome to confirm): the job is filled, he moved
    pend = next((s for s in members if (s.get("pending") or {}).get("happened")), None)
    if won is not None:  # what settled the group: the move that happened
        settled_by: str | None = (f"{won['person'] if kind == 'vacancy' else won['club']}: "
                                  + (won.get("settled_by") or "it happened"))
    elif outcome is False:
        settled_by = f"none of the {len(members)} named moves happened"
    elif pend is not None:
        settled_by = f"{pend['person'] if kind == 'vacancy' else pend['club']}: {pend['settled_by']}"
    else:
        settled_by = None
    return {
        "id": sid,
        "kind": kind,
        "club": club,
        "person": person,
        "role": role,
        "probability": round(min(1.0, sum(s["probability"] for s in members)), 4),
        "stage": max(stages, key=lambda x: LADDER[x]) if stages else (OFF if members else None),
        "sources": sum(s["sources"] for s in members),
        "outcome": outcome,
        # a job is filled, a person has moved, once one member is settled as having happened (or is to confirm)
        "live": outcome is None and pend is None and any(s.get("live", True) for s in members),
        "settled_by": settled_by,
        "first_date": min(firsts) if firsts else None,
        "last_date": max(lasts) if lasts else None,
        "n_claims": sum(s["n_claims"] for s in members),
        "top_source": leader["top_source"] if leader else None,
        "leader": leader["person"] if kind == "vacancy" and leader else (leader["club"] if leader else None),
        "leader_probability": leader["probability"] if leader else None,  # the likeliest candidate's own
        "candidates": len(members),
        "moves": [s["id"] for s in sorted(members, key=lambda s: -s["probability"])],
    }


def all_stories(snap: Snapshot, kind: str = "move") -> list[dict[str, Any]]:
    moves = [move_story(snap, m) for m in snap.moves.values()]
    if kind == "move":
        return sorted(moves, key=lambda s: (-s["probability"], s["id"]))
    groups: dict[tuple[str, str | None, str | None, str | None], list[dict[str, Any]]] = {}
    if kind == "vacancy":
        for s in moves:
            if s["role"] == "manager":
                n = episode(s["id"])
                sid = vacancy_id(s["club"], s["role"]) + (f"--{n}" if n > 1 else "")
                groups.setdefault((sid, s["club"], None, s["role"]), []).append(s)
    for s in moves:
        if kind == "vacancy":
            continue
        elif kind == "person":
            groups.setdefault((person_id(s["person"]), None, s["person"], None), []).append(s)
        else:
            raise ValueError(f"unknown story kind {kind!r} (move, vacancy or person)")
    out = [group_story(kind, sid, mem, club, person, role) for (sid, club, person, role), mem in groups.items()]
    return sorted(out, key=lambda s: (-s["n_claims"], s["id"]))


def as_of_label(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
