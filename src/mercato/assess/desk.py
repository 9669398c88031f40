"""What a football desk reads beside the stories (issue 13): what is heating up, a club's links in and out
by transfer window, a person's card, and each claim's deal terms, outlet record and original headline (assess/claim_view.py).

Everything here is as of a date: it reads the snapshot of that date (claims dated on or before it,
outcomes public by then, track records built from those), clubs over time as the store knew them on it
(assess/data.CurrentClubs), and nothing later. Without a date, "today" is the latest claim's date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import Counter
from functools import lru_cache
from typing import Any

from mercato.assess.data import AClaim, CurrentClubs
from mercato.assess.engine import Snapshot
from mercato.assess.service import last_points, signature, snapshot
from mercato.assess.stories import move_story
from mercato.assess.windows import window_label, window_of
from mercato.kb.base import DATA, get_kb, normalise
from mercato.kb.names import club_key
from mercato.store.db import Database

HEATING_DAYS = 7


def today_of(snap: Snapshot, as_of: dt.date | None) -> dt.date:
    return as_of or snap.latest or dt.date.today()


# -- heating up -------------------------------------------------------------------------------------------

def heating_up(db: Database, as_of: dt.date | None = None, days: int = HEATING_DAYS, limit: int = 20,
               direction: str = "any") -> dict[str, Any]:
    """Stories whose probability moved most in the `days` before `as_of`: the change from the last point on
    or before the window's first day (0 for a story that began inside it) to the probability as of the date.
    Settled stories (an outcome public by then) are left out: they did not heat up, they ended.
    `direction`: "up", "down" or "any" (largest change either way)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if direction not in ("up", "down", "any"):
        raise ValueError(f"direction {direction!r} (up, down or any)")
    snap, _ = snapshot(db, as_of)
    today = today_of(snap, as_of)
    since = today - dt.timedelta(days=days)
    last = last_points(db, as_of, since)  # each move's last point on or before `since`
    rows = []
    for m in snap.moves.values():
        if m.id in snap.known or m.last is None or m.last <= since:
            continue  # settled, or nothing said of it in the window
        point = last.get(m.id)
        then = point[1] if point else 0.0
        now = snap.probability.get(m.id, 0.0)
        change = round(now - then, 4)
        if change == 0 or (direction == "up" and change < 0) or (direction == "down" and change > 0):
            continue
        story = move_story(snap, m)
        story.update(probability_then=round(then, 4), change=change, new=point is None,
                     days_claimed=sorted(d.isoformat() for d in m.days if since < d <= today))
        rows.append(story)
    rows.sort(key=lambda s: (-abs(s["change"]), -s["probability"], s["id"]))
    return {"as_of": today.isoformat(), "since": since.isoformat(), "days": days, "direction": direction,
            "stories": rows[:limit], "total": len(rows)}


# -- clubs: who is linked in and out, by window ---------------------------------------------------------------

def league_of(club: str) -> str | None:
    """The club's league where the knowledge base knows it, else its country code ("eng")."""
    kb = get_kb()
    c = kb.clubs.get(club) or kb.clubs.get(kb.club(club) or "")
    if c is None:
        return None
    return c.league or c.country


_links_lock = threading.Lock()
_links_cache: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def links(db: Database, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Every move story as a link between two clubs: `to` (the club it is about) and `from` (the person's
    club on the story's first claim date, as known then; None where unknown), with the window it speaks of."""
    key = (signature(db), as_of)
    with _links_lock:
        hit = _links_cache.get(key)
    if hit is not None:
        return hit
    snap, _ = snapshot(db, as_of)
    clubs = CurrentClubs(db, as_of)
    out = []
    for m in snap.moves.values():
        if m.first is None or m.last is None:
            continue
        frm = clubs.club_of(m.person, m.first)
        frm_key = club_key(frm) if frm else None
        if frm_key == m.club:
            frm = frm_key = None  # "Roma boss Mourinho" stays: no move out of his own club
        story = move_story(snap, m)
        story.update({"to": m.club, "from": frm_key, "window": window_of(m.last),
                      "window_label": window_label(window_of(m.last)),
                      "to_league": league_of(m.club), "from_league": league_of(frm_key) if frm_key else None})
        out.append(story)
    with _links_lock:
        if len(_links_cache) > 8:
            _links_cache.clear()
        _links_cache[key] = out
    return out


def _league_ok(league: str | None, wanted: str | None) -> bool:
    return not wanted or (league is not None and normalise(league) == normalise(wanted))


def resolve_club(name: str) -> str:
    kb = get_kb()
    return club_key(kb.club(name) or name)


def club_page(db: Database, club: str, as_of: dt.date | None = None, window: str | None = None,
              league: str | None = None) -> dict[str, Any] | None:
    """A club's links in (moves to it) and out (its people linked elsewhere), grouped by window, newest
    window first. `window` ("2021-summer") keeps one window; `league` keeps links whose other club plays in
    it (a league the knowledge base names, or a country code). None where no story names the club."""
    key = resolve_club(club)
    rows = links(db, as_of)
    mine = [r for r in rows if r["to"] == key or r["from"] == key]
    if not mine:
        return None
    windows = sorted({r["window"] for r in mine}, reverse=True)
    by_window: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in mine:
        if window and r["window"] != window:
            continue
        direction = "in" if r["to"] == key else "out"
        other_league = r["from_league"] if direction == "in" else r["to_league"]
        if not _league_ok(other_league, league):
            continue
        by_window.setdefault(r["window"], {"in": [], "out": []})[direction].append(r)
    for w in by_window.values():
        for lst in w.values():
            lst.sort(key=lambda s: (-s["probability"], s["id"]))
    leagues = sorted({lg for r in mine for lg in ((r["from_league"] if r["to"] == key else r["to_league"]),) if lg})
    return {
        "club": key, "league": league_of(key), "as_of": as_of.isoformat() if as_of else None,
        "windows": [{"window": w, "label": window_label(w), "in": by_window[w]["in"], "out": by_window[w]["out"]}
                    for w in sorted(by_window, reverse=True)],
        "filters": {"window": window, "league": league, "windows": windows, "leagues": leagues},
        "n_in": sum(len(w["in"]) for w in by_window.values()), "n_out": sum(len(w["out"]) for w in by_window.values()),
    }


def clubs_index(db: Database, as_of: dt.date | None = None, league: str | None = None,
                window: str | None = None) -> list[dict[str, Any]]:
    """Clubs with how many moves are linked in and out (and the likeliest of each), filtered by the club's own
    league and a window; busiest first."""
    rows = links(db, as_of)
    agg: dict[str, dict[str, Any]] = {}
    for r in rows:
        if window and r["window"] != window:
            continue
        for club, direction in ((r["to"], "in"), (r["from"], "out")):
            if not club:
                continue
            a = agg.setdefault(club, {"club": club, "league": league_of(club), "in": 0, "out": 0, "live": 0})
            a[direction] += 1
            a["live"] += int(bool(r["live"]))
    out = [a for a in agg.values() if _league_ok(a["league"], league)]
    return sorted(out, key=lambda a: (-(a["in"] + a["out"]), a["club"]))


def windows_known(db: Database, as_of: dt.date | None = None) -> list[dict[str, str]]:
    return [{"window": w, "label": window_label(w)} for w in sorted({r["window"] for r in links(db, as_of)}, reverse=True)]


def leagues_known(db: Database, as_of: dt.date | None = None) -> list[str]:
    return sorted({lg for r in links(db, as_of) for lg in (r["to_league"], r["from_league"]) if lg})


# -- the person card --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _positions() -> tuple[dict[str, str], re.Pattern[str]]:
    data = json.loads((DATA / "positions.json").read_text(encoding="utf-8"))
    word_line = {w.lower(): line for line, words in data.items() if not line.startswith("_") for w in words}
    alt = "|".join(re.escape(w) for w in sorted(word_line, key=len, reverse=True))
    return word_line, re.compile(r"\b(" + alt + r")\b", re.I)


def _name_spots(evidence: str, person: str) -> list[re.Match[str]]:
    parts = person.split()
    names = [person] + ([parts[-1]] if len(parts) > 1 else [])
    for n in names:
        found = list(re.finditer(r"\b" + re.escape(n) + r"\b", evidence))
        if found:
            return found
    return []


def described(claims: list[AClaim], person: str) -> tuple[str | None, str | None, tuple[int, dt.date] | None]:
    """The position word written most often right before the person's name (with its line), and the latest
    age an article states after it ("Nathaniel Chalobah, 26,"), with that article's date."""
    word_line, pat = _positions()
    words: Counter[str] = Counter()
    age: tuple[int, dt.date] | None = None
    for c in claims:
        for spot in _name_spots(c.evidence, person):
            before = c.evidence[max(0, spot.start() - 45):spot.start()]
            found = pat.findall(before)
            if found:
                words[found[-1].lower()] += 1
            m = re.match(r"\s*,\s*(\d{2})\b", c.evidence[spot.end():])
            if m and 15 <= int(m.group(1)) <= 45 and (age is None or c.date >= age[1]):
                age = (int(m.group(1)), c.date)
    if not words:
        return None, None, age
    word = words.most_common(1)[0][0]
    return word, word_line[word], age


def person_card(db: Database, person: str, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """Who a person is on the date viewed: age (born in the knowledge base, else the latest age an article
    stated, aged on since), position (as articles describe him), role, club on that date (clubs over time as
    known then), his spells, and his move stories. None where neither the knowledge base nor a claim names him."""
    from mercato.store.spells import person_spells

    kb = get_kb()
    full = kb.person(person) or person
    key = normalise(full)
    snap, claims = snapshot(db, as_of)
    mine = [c for c in claims if normalise(c.person) == key]
    kp = kb.people.get(full)
    if not mine and kp is None:
        return None
    day = today_of(snap, as_of)
    name = mine[-1].person if mine and kp is None else full
    word, line, stated = described(mine, name)
    age: int | None = None
    age_from = None
    if kp is not None and kp.born is not None:
        age, age_from = kp.age_on(day), "born " + kp.born.isoformat()
    elif stated is not None:
        age = stated[0] + max(0, (day - stated[1]).days) // 365
        age_from = f"{stated[0]} on {stated[1].isoformat()}, as an article stated"
    roles = Counter(c.role for c in mine)
    role = roles.most_common(1)[0][0] if roles else (kp.roles[0] if kp and kp.roles else None)
    club = CurrentClubs(db, as_of).club_of(name, day)
    stories = [move_story(snap, m) for m in snap.moves.values() if normalise(m.person) == key]
    stories.sort(key=lambda s: (-s["probability"], s["id"]))
    return {
        "person": name, "as_of": day.isoformat(), "age": age, "age_from": age_from,
        "born": kp.born.isoformat() if kp and kp.born else None,
        "nationality": (kp.nationality[0] if kp and kp.nationality else None),
        "position": word, "position_line": line, "role": role,
        "club": club, "club_league": league_of(club) if club else None,
        "spells": spells_on(person_spells(db, name, as_of), day), "stories": stories, "n_claims": len(mine),
    }


def spells_on(spells: list[dict[str, Any]], day: dt.date) -> list[dict[str, Any]]:
    """The spells as they stood on `day`: none that starts after it, and an end after it not yet shown."""
    out = []
    for s in spells:
        if s["from"] and s["from"] > day.isoformat():
            continue
        if s["until"] and s["until"] > day.isoformat():
            s = {**s, "until": None}
        out.append(s)
    return out
