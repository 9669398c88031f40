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
     of the summer's year. A completed move (`done`) reported in February speaks of the January window
     just closed as well (season Y-1 too: `windows.claim_seasons`), so a register without that season
     leaves it unknown instead of settling a January signing as "no such arrival" in the summer.
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
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import delete, select

from mercato.assess.data import AFFILIATION_DAYS, AClaim, CurrentClubs, club_aliases, current_club_of, load
from mercato.assess.windows import claim_seasons, season_close, seasons, window_close
from mercato.kb.base import get_kb, normalise
from mercato.kb.names import club_key, fold, same_name
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
    """Seasons a claim dated `first` speaks of, and the day its window has closed (assess/windows.py)."""
    return seasons(first), window_close(first)


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
            if not same_name(k, c):
                continue
            sc = fuzz.ratio(k, c)
            if sc > score:
                best, score = c, sc
        return best


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


def _return(row: RegisterRow, rows: list[RegisterRow]) -> bool:
    """He comes back to a club he left for this one in an earlier season: the end of a loan, not a signing
    (Guendouzi: Arsenal -> Marseille in 2021, Marseille -> Arsenal in 2022)."""
    return any(o.season < row.season and o.left == row.joined and o.joined == row.left for o in rows)


def _loan(row: RegisterRow, rows: list[RegisterRow]) -> bool:
    """He leaves the club he came from again in a later season, or comes back to it: this move was a loan
    (Woodman: Newcastle -> Bournemouth in 2021, Newcastle -> Preston in 2022)."""
    return any(o.season > row.season and (o.left == row.left or (o.left == row.joined and o.joined == row.left))
               for o in rows)


def _unplaceable(row: RegisterRow, rows: list[RegisterRow], claims: list[AClaim]) -> bool:
    """A loan there and back within one season (A -> B and B -> A), judged for talk of January only: a
    register row has no date, so it cannot say whether the spell at B fell in that January window or
    began in the summer before it (Woodman: Newcastle -> Bournemouth -> Newcastle, season 2021, against
    January-2022 talk of Bournemouth signing him)."""
    round_trip = any(o.season == row.season and o.left == row.joined and o.joined == row.left for o in rows)
    spoken = [c for c in claims if row.season in claim_seasons(c.date, c.stage)]
    return round_trip and bool(spoken) and all(c.date.month == 1 for c in spoken)


_PERMANENT = re.compile(r"\b(?:permanent(?:ly)?|for good|outright)\b", re.I)


def signing(row: RegisterRow, rows: list[RegisterRow], claims: list[AClaim]) -> str | None:
    """Is this arrival the move the claims speak of? None if so, else why not (a return, a loan...)."""
    if _passing_through(row, rows):
        return "a loan return (he left again that season)"
    if _return(row, rows):
        return "the end of a loan (he came back to a club he had left)"
    if _loan(row, rows) and any(_PERMANENT.search(c.evidence) for c in claims):
        return "a loan, and the claims speak of a permanent move"
    return None


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
    current = CurrentClubs(db)
    for (club, person, role), cs in moves.items():
        if role != "player" or _national(club):
            continue  # the register lists players moving between clubs
        # every window the claims speak of (a claim is judged on its own window, see assess/windows.py)
        spoken = sorted({s for c in cs for s in claim_seasons(c.date, c.stage)})
        last_close = max(window_close(c.date) for c in cs)
        if not all(s in seasons_known for s in spoken):
            report.unknown += 1
            continue
        key = matcher.match(person)
        mine = by_person.get(key or "", [])
        reg = [r for r in mine if r.season in spoken]
        arrivals = [r for r in reg if r.joined == club]
        joined = [r for r in arrivals if signing(r, mine, cs) is None]
        placed = [r for r in joined if not _unplaceable(r, mine, cs)]
        if joined and not placed:
            report.unknown += 1  # a loan there and back that season: the register cannot say it fell in January
            continue
        if joined:
            r0 = joined[0]
            when = season_close(r0.season, min(c.date for c in cs if r0.season in claim_seasons(c.date, c.stage)))
            decided.append((club, person, role, True, when,
                            f"register row: {r0.person} {r0.left} -> {r0.joined}, season {r0.season}"))
            continue
        not_signing = [f"{r.left} -> {r.joined} ({r.season}) was {signing(r, mine, cs)}" for r in arrivals]
        club_covered = all(club in covered[s] for s in spoken)
        if club_covered or reg:
            # the move he made instead: a signing before a loan's end or a return, and one from the club he
            # was at on the claims' dates (Woodman's summer-2021 Southampton talk: he went Newcastle ->
            # Bournemouth that season; "Bournemouth -> Newcastle", the loan's end, came after)
            was_at = {club_key(h) for c in cs if (h := current.club_of(c.person, c.date, c.article_id))}
            moved = sorted((r for r in reg if r.joined != club),
                           key=lambda r: (signing(r, mine, cs) is not None, r.left not in was_at))
            why = ("register: " + "; ".join(not_signing) if not_signing
                   else f"register row: {moved[0].person} moved {moved[0].left} -> {moved[0].joined} instead "
                        f"(season {moved[0].season})" if moved
                   else f"window closed: {club} covered by the register, no such arrival in season(s) "
                        f"{', '.join(map(str, spoken))}")
            decided.append((club, person, role, False, last_close, why))
            continue
        # the other club: where he was on the claims' dates, as the store knew it then (an article dated
        # on or before the claim stating it, else his dated spells); if the register covers that club, it
        # would list his departure - and it lists none
        homes = {club_key(h) for c in cs if (h := current.club_of(c.person, c.date, c.article_id))} - {club}
        home = next((h for h in sorted(homes) if all(h in covered[s] for s in spoken)), None)
        if home is not None:
            decided.append((club, person, role, False, last_close,
                            f"window closed: the register covers {home}, his club, and lists no departure in "
                            f"season(s) {', '.join(map(str, spoken))}"))
        else:
            report.unknown += 1
    with db.session() as s:
        s.execute(delete(Outcome).where(Outcome.origin == origin))
        s.flush()
        for club, person, role, happened, day, note in decided:
            _upsert(s, club, person, role, happened, day, "confirmed", origin, note, None, report)
    return report


# -- proposals from claims ------------------------------------------------------------------------

# "Klopp says England defender Joe Gomez will not join": the speaker reports someone else's move
_ABOUT_ANOTHER = re.compile(r"\b(?:says|said|has told|have told|told|tells|insists|admits|believes|claims|confirms|"
                            r"confirmed|revealed|reveals)\s+(?:that\s+)?(?:[\w'\u2019-]+\s+){0,4}?"
                            r"[A-Z][\w'\u2019-]+\s+[A-Z][\w'\u2019-]+")


def _kind(credit: tuple[str, ...]) -> set[str]:
    return {c.split("--", 1)[0] for c in credit}


def _speaks_for_himself(c: AClaim) -> bool:
    """A party's word on his own move: the speaker is the person, and does not report another's move."""
    if not c.journalist or normalise(c.journalist) != normalise(c.person):
        return False
    i = c.evidence.find(c.journalist)
    tail = c.evidence[i + len(c.journalist):] if i >= 0 else c.evidence
    m = _ABOUT_ANOTHER.search(tail[:120])
    return not (m and c.person.split()[-1] not in m.group(0))


def proposals(claims: list[AClaim], have: set[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """What the evidence supports settling, for moves no outcome settles yet (no register covers them).

    - happened: the club's own `done` (its site, its account, the club named as the source), or a firm
      `done` from two independent sources in two articles - and no `off` from a club or party after it;
    - did not happen: a firm `off` from a party speaking for himself, or from a club - and no `done` or
      `agreement` from anyone on or after it;
    - happened, too: after the talk of a move, reports in two articles or more name the club as his
      present club ("Barcelona forward Memphis Depay").
    Each proposal carries its reason and the claims it rests on.
    """
    found = settlements(claims, lambda c: (c.club, c.person, c.role), skip=have)
    return [{"key": key, **p} for key, p in found.items()]


def settlements(claims: list[AClaim], key: Any, skip: Any = frozenset()) -> dict[Any, dict[str, Any]]:
    """`proposal_for` on the claims of each move (grouped by `key(claim)`; keys in `skip` left out). Arrivals
    read from later reports that would put one person at two clubs contradict each other: neither stands
    (Lingard, "West Ham's" on loan and "Manchester United's" after it)."""
    by_move: dict[Any, list[AClaim]] = defaultdict(list)
    for c in claims:
        by_move[key(c)].append(c)
    out: dict[Any, dict[str, Any]] = {}
    for k, cs in by_move.items():
        if k in skip:
            continue
        p = proposal_for(cs)
        if p is not None:
            out[k] = {**p, "person": cs[0].person, "role": cs[0].role}
    arrivals: dict[tuple[str, str], set[Any]] = defaultdict(set)
    for k, p in out.items():
        if p.get("arrived"):
            arrivals[(normalise(p["person"]), p["role"])].add(k)
    for ks in arrivals.values():
        if len(ks) > 1:
            for k in ks:
                del out[k]
    return out


def proposal_for(claims: list[AClaim]) -> dict[str, Any] | None:
    """What the claims about one move (dated up to some day) support settling it as, by the rules of
    `proposals`: {"happened", "date", "reason", "claims"}, or None. The board reads the same rule on the
    claims known as of its date (a story settled so is shown as an outcome to confirm)."""
    cs = sorted(claims, key=lambda c: (c.date, c.id))
    if not cs:
        return None
    key = (cs[0].club, cs[0].person, cs[0].role)
    dones = [c for c in cs if c.stage == "done" and c.certainty == "firm"]
    official = [c for c in dones if "club" in _kind(c.credit)]
    several = len({c.origin for c in dones}) >= 2 and len({c.article_id for c in dones}) >= 2
    authoritative_off = [c for c in cs if c.is_off and c.certainty == "firm"
                         and ("club" in _kind(c.credit) or ("party" in _kind(c.credit) and _speaks_for_himself(c)))]
    if official or several:
        basis = official[:1] if official else dones
        since = basis[0].date if official else sorted(dones, key=lambda c: c.date)[1].date
        if any(o.date > since for o in authoritative_off):
            return None  # called off since by a party or the club
        why = (f"club announcement ({official[0].credit[0].split('--', 1)[1]})" if official
               else f"done from {len({c.origin for c in dones})} independent sources")
        return {"happened": True, "date": since, "reason": why, "claims": basis[:3]}
    if (arrived := _arrived(cs)) is not None:
        return {"happened": True, "date": arrived[0], "arrived": True,
                "reason": f"later reports present {key[0]} as his club", "claims": arrived[1][:3]}
    if authoritative_off:
        off = authoritative_off[-1]
        if any(c.stage in ("done", "agreement") and not c.is_off and c.date >= off.date for c in cs):
            return None  # others report the move going through on or after the denial
        who = off.journalist or off.credit[0].split("--", 1)[1]
        return {"happened": False, "date": off.date, "reason": f"{who} said it is off", "claims": [off]}
    return None


# The evidence presents the club as his own: "when his Paris St-Germain contract ends", "his first signing as
# Tottenham manager" (he is there), or a renewal: "set to sign a new deal with Real Madrid", "wants to stay at
# Marseille" (he stays there). Neither is talk of a move to the club.
_PRESENT = (r"his (?:current |existing )?{c} (?:contract|deal)", r"his (?:first|latest) signing as {c}")
_STAYING = (r"(?:new|fresh|extended|improved|longer) (?:contract|deal) (?:with|at) {c}",
            r"(?:stay|remain|staying|remaining|future) at {c}")


@lru_cache(maxsize=4096)
def _club_patterns(club: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alias = "(?:" + "|".join(re.escape(a) for a in club_aliases(club)) + ")"
    present, staying = (re.compile(r"\b(?:" + "|".join(p.format(c=alias) for p in group) + r")\b", re.I)
                        for group in (_PRESENT, _STAYING))
    return present, staying


_CLUB_PATTERNS: dict[str, list[re.Pattern[str]]] = {}  # club -> its name patterns (data.current_club_of's cache)


def own_club(c: AClaim, cache: dict[str, list[re.Pattern[str]]] | None = None) -> str | None:
    """Does the claim present the club as his own? "here" (the store knew him there on the claim's date, the
    evidence calls him the club's: "Barcelona's Memphis Depay", "his PSG contract"), "staying" (a renewal:
    "a new deal with Real Madrid"), or None: talk of a move to the club."""
    cache = _CLUB_PATTERNS if cache is None else cache
    present, staying = _club_patterns(c.club)
    if c.current or c.here or current_club_of(c.evidence, c.person, c.club, cache) or present.search(c.evidence):
        return "here"
    return "staying" if staying.search(c.evidence) else None


_GIVEN = re.compile(r"\b([A-Z][a-z\u00c0-\u017f]+)\s+$")


def namesake(c: AClaim) -> bool:
    """The evidence names another man of his surname: every mention of it follows a different given name
    ("Chelsea's Spanish left-back Marcos Alonso" in a claim read as Xabi Alonso's)."""
    toks = c.person.split()
    if len(toks) < 2 or toks[-1] not in c.evidence:
        return False
    mine = {fold(t) for t in toks}
    kb = get_kb()
    for m in re.finditer(r"\b" + re.escape(toks[-1]) + r"\b", c.evidence):
        g = _GIVEN.search(c.evidence[max(0, m.start() - 30):m.start()])
        if g is None or fold(g.group(1)) in mine or kb.club(g.group(1)) is not None:
            return False
    return True


def _arrived(cs: list[AClaim]) -> tuple[dt.date, list[AClaim]] | None:
    """Claims about a move, then reports (two articles at least) that name the club as his present one
    ("Barcelona forward Memphis Depay" in a claim, or "Roma boss Jose Mourinho", an affiliation the store keeps
    for a mention: `AClaim.stated`): he has arrived, on the day of the first. None unless the talk of the move
    came first (for a manager, or the store stated him at another club before: `AClaim.left`); for a player,
    also unless the store knew him at another club when the talk began (without that,
    a later "Juventus' Paulo Dybala" is as likely a renewal or a seller's player as an arrival). Returns the
    day and the claims it rests on (the reports naming him there, else the talk they followed)."""
    kinds = {c.id: own_club(c) for c in cs}
    here = {c.id for c in cs if kinds[c.id] == "here" and not namesake(c)}
    talk = [c for c in cs if kinds[c.id] is None and not c.is_off]
    left = next((c.left for c in cs if c.left is not None), None)
    if talk:
        start = talk[0].date
        if talk[0].role == "player" and (talk[0].at is None or talk[0].at == talk[0].club):
            return None
    elif cs[0].role == "manager" and left is not None:
        start = left  # no talk of it: the store stated him at another club, then at this one (likelihood.MoveState)
    else:
        return None
    after = [c for c in cs if c.id in here and c.date > start]
    stated = {(d, a) for c in cs for d, a in c.stated}
    if any(c.id in here for c in cs if c.date <= start) \
            or any(d <= start and (start - d).days <= AFFILIATION_DAYS for d, _ in stated):
        return None
    days: dict[int, dt.date] = {}
    for d, a in sorted([(c.date, c.article_id) for c in after] + [(d, a) for d, a in stated if d > start]):
        days.setdefault(a, d)
    if len(days) < 2:
        return None
    return min(days.values()), after or talk[:3] or cs[:3]


def propose_from_claims(db: Database) -> int:
    """Pending outcomes from what the claims support (`proposals`), each with its reason and evidence."""
    claims, outcomes, _ = load(db)
    have = {(o.club, o.person, o.role) for o in outcomes}
    found = proposals(claims, have)
    with db.session() as s:
        rep = ImportReport(form="proposals")
        for p in found:
            club, person, role = p["key"]
            evidence = " | ".join(f"{c.date} {c.evidence[:160]}" for c in p["claims"])
            _upsert(s, club, person, role, p["happened"], p["date"], "pending",
                    "claims:" + ",".join(str(c.id) for c in p["claims"]), f"{p['reason']}: {evidence}", 0.9, rep)
    return len(found)


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
