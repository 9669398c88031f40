"""Stories: move (person, club, role), vacancy (club, role) and person (where will X go).

A move story is every claim about one (club, person, role). A vacancy story gathers the move
stories for one club's manager job; a person story gathers the move stories for one person.
Their probability: a vacancy's is the chance that one of the named candidates gets the job, a
person's the chance that one of the named moves happens (the competing moves sum to at most 1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mercato.assess.credibility import CredibilityBook
from mercato.assess.data import SOURCES, episode
from mercato.assess.engine import Snapshot
from mercato.assess.likelihood import MoveState
from mercato.assess.names import slug
from mercato.assess.windows import window_close
from mercato.records import LADDER, OFF


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
    # ("Barcelona's Memphis Depay" in a swap story in December) is not talk of the move, and keeps no
    # story live after its window has closed
    last = m.last_talk or m.last
    closes = window_close(last, m.role) if last else None
    now = snap.as_of or snap.latest
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
        "resolved": m.id in snap.known,
        # the window its latest talk speaks of; once closed the story is no longer live
        "window_closes": closes.isoformat() if closes else None,
        "live": m.id not in snap.known and not (closes is not None and now is not None and closes <= now),
        "official": m.official_since is not None,
        # what settled it: a register row, a confirmation, the window closing; or what would (pending)
        "settled_by": _settled_by(o, m.id in snap.known),
        "pending": ({"happened": p.happened, "reason": p.note, "id": p.id}
                    if (p := snap.pending.get(m.id)) is not None and m.id not in snap.known else None),
        "first_date": m.first.isoformat() if m.first else None,
        "last_date": m.last.isoformat() if m.last else None,
        "n_claims": len(m.claim_ids),
        "top_source": top_source(m, snap.book),
    }


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
    if won is not None:  # what settled the group: the move that happened
        settled_by: str | None = (f"{won['person'] if kind == 'vacancy' else won['club']}: "
                                  + (won.get("settled_by") or "it happened"))
    elif outcome is False:
        settled_by = f"none of the {len(members)} named moves happened"
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
        "live": outcome is None and any(s.get("live", True) for s in members),
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
