"""Outcomes: importing known results, and proposing them from `done` / `off` claims.

Two file forms are read by `import_file`:

1. JSON, as ../shared/corpus/outcomes.json: {"outcomes": [{club, person, role, happened,
   resolved_on, note}]} (a bare list works too). Each row is stored as given (club canonicalised).

2. A register of completed transfers, CSV with columns player_name, club_left, club_joined and
   season (as ../shared/datasets/bbc-gossip-2021/transfers.csv). A register only lists moves that
   happened, so it is read against the stored claims: every claimed player move gets an outcome
   where the register can decide it.

   - Seasons: season S holds the summer window of year S and the winter window of year S+1.
   - The window of a move: the rumour is about the next window after its first claim. A move first
     claimed February to August of year Y is judged on season Y (the summer window of Y, and - since
     a register row does not say which window - the winter window after it), resolved on 1 September
     of Y. A move first claimed September to January is judged on the winter window and the summer
     after it (seasons Y and Y+1 for September-December, Y-1 and Y for January), resolved on 1 September
     of the summer's year.
   - Coverage: a register scraped club by club lists every arrival and departure of the clubs it
     covers. The covered clubs of a season are found from the rows themselves: the smallest set of
     clubs that appears in every row (greedy set cover; on the gossip register it finds exactly the
     20 Premier League clubs of each season). A move is decided when its club is covered in each
     season of its window (the register would list the arrival), or when the register shows the player
     moving somewhere in that window (he went elsewhere). Otherwise it stays unknown.
   - True: the register lists the player joining the claimed club in the window. False: the move is
     decided and the register does not list it.
   - Names: clubs through the knowledge base (so "Arsenal FC", "Man City", "Nottm Forest", "Sheff Utd"
     all resolve); players by accent-, case- and punctuation-free names, then a lone surname against a
     unique full name, then a fuzzy ratio of 90 or more with the same surname initial.
   Outcomes of register imports carry origin "register:<file>"; re-importing replaces them.

`propose_from_claims` turns `done` and `off` claims from parties and official sources (a club's
own announcement, the person or an official quoted) into pending outcomes; `confirm` makes one
confirmed (or rejects it).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import delete, select

from mercato.assess.data import AClaim, current_club_of, load
from mercato.assess.names import club_key, fold
from mercato.kb.base import get_kb, normalise
from mercato.store.db import Database
from mercato.store.models import Outcome
from mercato.store.spells import learn_after_outcomes


class OutcomeFileError(ValueError):
    """A file that cannot be read as outcomes: the message names the file and the problem."""


@dataclass
class ImportReport:
    form: str
    stored: int = 0
    updated: int = 0
    true: int = 0
    false: int = 0
    unknown: int = 0
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def import_file(db: Database, path: str | Path) -> ImportReport:
    p = Path(path)
    if not p.is_file():
        raise OutcomeFileError(f"{p}: no such file")
    text = p.read_text(encoding="utf-8-sig")
    head = text.lstrip()[:1]
    if head in "[{" and head:
        report = import_json(db, p, text)
        learn_after_outcomes(db)  # spells: a confirmed move opens his new spell on its date
        return report
    report = import_register(db, p, text)
    learn_after_outcomes(db, read_register(p, text), f"register:{p.name}")  # spells from every register row
    return report


# -- JSON form ---------------------------------------------------------------------------------

def import_json(db: Database, path: Path, text: str) -> ImportReport:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OutcomeFileError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    rows = data.get("outcomes") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise OutcomeFileError(f"{path}: expected a list of outcomes or an object with an 'outcomes' list")
    parsed = []
    for i, r in enumerate(rows, 1):
        if not isinstance(r, dict):
            raise OutcomeFileError(f"{path}: outcome {i} is not an object")
        missing = [k for k in ("club", "person", "role", "happened") if k not in r]
        if missing:
            raise OutcomeFileError(f"{path}: outcome {i} lacks {', '.join(missing)}")
        if r["role"] not in ("manager", "player", "staff"):
            raise OutcomeFileError(f"{path}: outcome {i} has role {r['role']!r} (manager, player or staff)")
        happened = r["happened"]
        if happened is not None and not isinstance(happened, bool):
            raise OutcomeFileError(f"{path}: outcome {i}: 'happened' must be true, false or null")
        day = None
        if r.get("resolved_on"):
            try:
                day = dt.date.fromisoformat(str(r["resolved_on"]))
            except ValueError:
                raise OutcomeFileError(f"{path}: outcome {i}: resolved_on {r['resolved_on']!r} is not YYYY-MM-DD") from None
        parsed.append((club_key(str(r["club"])), str(r["person"]).strip(), r["role"], happened, day, r.get("note")))
    report = ImportReport(form="json", rows=len(parsed))
    with db.session() as s:
        for club, person, role, happened, day, note in parsed:
            _upsert(s, club, person, role, happened, day, "confirmed", f"file:{path.name}", note, 1.0, report)
    return report


def _upsert(s: Any, club: str, person: str, role: str, happened: bool | None, day: dt.date | None, status: str,
            origin: str, note: str | None, confidence: float | None, report: ImportReport) -> None:
    row = s.scalar(select(Outcome).where(Outcome.club == club, Outcome.person == person, Outcome.role == role))
    if row is None:
        s.add(Outcome(club=club, person=person, role=role, happened=happened, resolved_on=day, status=status,
                      origin=origin, note=note, confidence=confidence))
        report.stored += 1
    else:
        row.happened, row.resolved_on, row.status, row.origin = happened, day, status, origin
        row.note, row.confidence = note, confidence
        report.updated += 1
    if happened is True:
        report.true += 1
    elif happened is False:
        report.false += 1


# -- register form -----------------------------------------------------------------------------

REGISTER_COLUMNS = ("player_name", "club_left", "club_joined", "season")


@dataclass
class RegisterRow:
    person: str
    key: str
    left: str
    joined: str
    season: int


def read_register(path: Path, text: str) -> list[RegisterRow]:
    reader = csv.DictReader(text.splitlines())
    cols = reader.fieldnames or []
    missing = [c for c in REGISTER_COLUMNS if c not in cols]
    if missing:
        raise OutcomeFileError(
            f"{path}: not an outcomes file: JSON needs an 'outcomes' list, a register CSV needs columns "
            f"{', '.join(REGISTER_COLUMNS)} (missing {', '.join(missing)})")
    rows = []
    for i, r in enumerate(reader, 2):
        try:
            season = int(str(r["season"]).strip()[:4])
        except ValueError:
            raise OutcomeFileError(f"{path}: line {i}: season {r['season']!r} is not a year") from None
        name = (r["player_name"] or "").strip()
        if not name:
            raise OutcomeFileError(f"{path}: line {i}: empty player_name")
        rows.append(RegisterRow(name, fold(name), club_key(r["club_left"] or ""), club_key(r["club_joined"] or ""),
                                season))
    return rows


def covered_clubs(rows: list[RegisterRow]) -> dict[int, set[str]]:
    """Per season, the smallest set of clubs touching every row (greedy set cover)."""
    out: dict[int, set[str]] = {}
    for season in sorted({r.season for r in rows}):
        left = [(r.left, r.joined) for r in rows if r.season == season]
        chosen: set[str] = set()
        while left:
            club, n = Counter(c for pair in left for c in set(pair) if c).most_common(1)[0]
            if n < 2:  # a club seen once is a counterpart, not a scraped club
                break
            chosen.add(club)
            left = [pair for pair in left if club not in pair]
        out[season] = chosen
    return out


def window(first: dt.date) -> tuple[list[int], dt.date]:
    """Seasons a move first claimed on `first` is judged on, and the day its outcome is public."""
    y, m = first.year, first.month
    if 2 <= m <= 8:
        return [y], dt.date(y, 9, 1)
    if m >= 9:
        return [y, y + 1], dt.date(y + 1, 9, 1)
    return [y - 1, y], dt.date(y, 9, 1)


class NameMatcher:
    def __init__(self, names: list[str]) -> None:
        self.keys = sorted({fold(n) for n in names})
        self.by_last: dict[str, list[str]] = defaultdict(list)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for k in self.keys:
            toks = k.split()
            self.by_last[toks[-1]].append(k)
            self.by_initial[toks[-1][:1]].append(k)
        self.exact = set(self.keys)

    def match(self, name: str) -> str | None:
        k = fold(name)
        if not k:
            return None
        if k in self.exact:
            return k
        toks = k.split()
        if len(toks) == 1:
            cands = self.by_last.get(k, [])
            return cands[0] if len(cands) == 1 else None
        same_last = [c for c in self.by_last.get(toks[-1], []) if c.split()[0][:1] == toks[0][:1]]
        if len(same_last) == 1:
            return same_last[0]
        best, score = None, 0.0
        for c in self.by_initial.get(toks[-1][:1], []):
            sc = fuzz.ratio(k, c)
            if sc > score:
                best, score = c, sc
        return best if score >= 90 else None


def _national(club: str) -> bool:
    c = get_kb().clubs.get(club)
    return bool(c is not None and c.national)


def _passing_through(row: RegisterRow, rows: list[RegisterRow]) -> bool:
    """An arrival the same season's rows show him leaving again for a third club: a loan return.

    Saliba, 2021: Nice -> Arsenal, Arsenal -> Marseille. The arrival at Arsenal is the end of a loan,
    not Arsenal signing him. (A -> B and B -> A in one season cannot be ordered, so both stand.)
    """
    return any(o.season == row.season and o.left == row.joined and o.joined not in (row.left, row.joined)
               for o in rows)


def import_register(db: Database, path: Path, text: str) -> ImportReport:
    rows = read_register(path, text)
    return resolve_with_register(db, rows, origin=f"register:{path.name}")


def resolve_with_register(db: Database, rows: list[RegisterRow], origin: str) -> ImportReport:
    claims, _, _ = load(db)
    report = ImportReport(form="register", rows=len(rows))
    covered = covered_clubs(rows)
    seasons_known = set(covered)
    matcher = NameMatcher([r.person for r in rows])
    by_person: dict[str, list[RegisterRow]] = defaultdict(list)
    for r in rows:
        by_person[r.key].append(r)
    moves: dict[tuple[str, str, str], list[AClaim]] = defaultdict(list)
    for c in claims:
        moves[(c.club, c.person, c.role)].append(c)
    decided: list[tuple[str, str, str, bool, dt.date, str]] = []
    pat_cache: dict[str, list[re.Pattern[str]]] = {}
    for (club, person, role), cs in moves.items():
        if role != "player" or _national(club):
            continue  # the register lists players moving between clubs
        first = min(c.date for c in cs)
        seasons, resolved_on = window(first)
        if not all(s in seasons_known for s in seasons):
            report.unknown += 1
            continue
        key = matcher.match(person)
        reg = [r for r in by_person.get(key or "", []) if r.season in seasons]
        joined = [r for r in reg if r.joined == club and not _passing_through(r, by_person[r.key])]
        if joined:
            decided.append((club, person, role, True, resolved_on, f"register: {joined[0].person} joined {club}, "
                                                                  f"season {joined[0].season}"))
            continue
        club_covered = all(club in covered[s] for s in seasons)
        if club_covered or reg:
            why = (f"register: {reg[0].person} moved {reg[0].left} -> {reg[0].joined} instead" if reg
                   else f"register: {club} covered, no such arrival in season(s) {', '.join(map(str, seasons))}")
            decided.append((club, person, role, False, resolved_on, why))
            continue
        # the other club: where the evidence says he plays now; if the register covers it, it would
        # list his departure - and it lists none
        selling = {c for s in seasons for c in covered[s]} - {club}
        home = next((h for h in sorted(selling) if all(h in covered[s] for s in seasons)
                     and any(current_club_of(c.evidence, person, h, pat_cache) for c in cs)), None)
        if home is not None:
            decided.append((club, person, role, False, resolved_on,
                            f"register: covers {home}, his club, and lists no departure in season(s) "
                            f"{', '.join(map(str, seasons))}"))
        else:
            report.unknown += 1
    with db.session() as s:
        s.execute(delete(Outcome).where(Outcome.origin == origin))
        s.flush()
        for club, person, role, happened, day, note in decided:
            _upsert(s, club, person, role, happened, day, "confirmed", origin, note, None, report)
    return report


# -- proposals from claims ------------------------------------------------------------------------

def _is_party(c: AClaim) -> bool:
    """A club's own announcement, or a party to the move (the person, a club official) speaking."""
    kb = get_kb()
    if c.journalist is None:
        return bool(c.outlet and kb.club(c.outlet))
    if normalise(c.journalist) == normalise(c.person):
        return True
    # a named speaker who is not a known journalist, quoted in the evidence: an official or agent
    quoted = any(q in c.evidence for q in ('"', "\u201c", "\u2018"))
    return kb.journalist(c.journalist) is None and quoted


def propose_from_claims(db: Database) -> int:
    """Pending outcomes from `done`/`off` claims of parties and official announcements."""
    claims, outcomes, _ = load(db)
    have = {(o.club, o.person, o.role) for o in outcomes}
    proposals: dict[tuple[str, str, str], tuple[bool, dt.date, AClaim]] = {}
    for c in claims:
        if c.stage not in ("done", "off") or c.certainty != "firm" or not _is_party(c):
            continue
        key = (c.club, c.person, c.role)
        if key in have:
            continue
        proposals[key] = (c.stage == "done", c.date, c)
    n = 0
    with db.session() as s:
        rep = ImportReport(form="proposals")
        for (club, person, role), (happened, day, c) in proposals.items():
            who = c.journalist or c.outlet or "a party"
            _upsert(s, club, person, role, happened, day, "pending", f"claim:{c.id}",
                    f"{who}: {c.evidence[:200]}", 0.9, rep)
            n += 1
    return n


def pending(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        rows = s.scalars(select(Outcome).where(Outcome.status == "pending").order_by(Outcome.id)).all()
        return [outcome_to_dict(o) for o in rows]


def confirm(db: Database, outcome_id: int, happened: bool | None = None, reject: bool = False) -> dict[str, Any]:
    with db.session() as s:
        o = s.get(Outcome, outcome_id)
        if o is None:
            raise LookupError(f"no outcome with id {outcome_id}")
        if reject:
            s.delete(o)
            return {**outcome_to_dict(o), "status": "rejected"}
        if happened is not None:
            o.happened = happened
        o.status = "confirmed"
        out = outcome_to_dict(o)
    learn_after_outcomes(db)  # spells: a confirmed move opens his new spell on its date
    return out


def outcome_to_dict(o: Outcome) -> dict[str, Any]:
    return {"id": o.id, "club": o.club, "person": o.person, "role": o.role, "happened": o.happened,
            "resolved_on": o.resolved_on.isoformat() if o.resolved_on else None, "status": o.status,
            "origin": o.origin, "note": o.note}
