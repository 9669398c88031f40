"""Clubs over time: spells (person, club, role, from, until) and "the club of P on date D".

A spell's dates are given only where they are known. Where spells come from:

- `kb/data/spells.jsonl` (ours): dated spells of well-known people, from public facts, written as data;
- the store (`store/spells.py`): affiliations learnt while reading (a transfer-register row, a confirmed
  outcome, a club's own `done` announcement close the old spell and open a new one on their date).

`club_on(person, day)` answers from the spells valid on that day only: a spell counts from its start
(inclusive) to its end (exclusive). A spell with no start (learnt from a move away: "he left X on D")
counts for at most `OPEN_START_DAYS` before its end; a spell with neither date never answers; a spell
learnt on a day (`known_on`) answers only for that day and after. Where spells overlap (a loan inside
a contract), the one that started last wins, and of two that started together the one that ends first (a player
signed and loaned straight back out). No answer means unknown.

The undated `club` of `people.jsonl` (a snapshot, about 2024) is not a spell: `hint(person)` returns it
as a weak hint only, for callers that need a guess when nothing dated is known (who "the Feyenoord
coach" is); it never decides whether a claim stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mercato.kb.base import DATA, get_kb, normalise
from mercato.kb.datafile import jsonl_rows

OPEN_START_DAYS = 365
MOVE_GAP_DAYS = 31  # the most days between a spell's end and the next one's start that still reads as one move
MOVE_NEWS_DAYS = 30  # a move this recent is still the news: an article may be reporting that very move

SPELL_ROLES = ("player", "manager", "staff", "official")


class SpellFileError(ValueError):
    """A spells file that cannot be read: the message names the file, the line and the problem."""


@dataclass(frozen=True)
class Spell:
    person: str
    club: str
    role: str = "player"
    start: dt.date | None = None
    end: dt.date | None = None
    source: str = ""  # where the spell came from: "kb:spells.jsonl", "register:transfers.csv", "outcome:12", ...
    note: str | None = None
    known_on: dt.date | None = None  # the day it was learnt (None: the KB's own, a public record of its dates)

    def covers(self, day: dt.date) -> bool:
        if self.start is None and self.end is None:
            return False
        if self.known_on is not None and self.known_on > day:
            return False  # learnt after that day: no fact from after a date may answer for it
        if self.start is not None and day < self.start:
            return False
        if self.end is not None and day >= self.end:
            return False
        if self.start is None and self.end is not None and (self.end - day).days > OPEN_START_DAYS:
            return False
        return True

    def as_dict(self) -> dict[str, object]:
        return {"person": self.person, "club": self.club, "role": self.role,
                "from": self.start.isoformat() if self.start else None,
                "until": self.end.isoformat() if self.end else None, "source": self.source, "note": self.note,
                "known_on": self.known_on.isoformat() if self.known_on else None}


class SpellBook:
    """Spells indexed by person (accent-, case- and punctuation-free name)."""

    def __init__(self, spells: Iterable[Spell] = ()) -> None:
        self._by_person: dict[str, list[Spell]] = {}
        for s in spells:
            self.add(s)

    def add(self, spell: Spell) -> None:
        self._by_person.setdefault(normalise(spell.person), []).append(spell)

    def extend(self, spells: Iterable[Spell]) -> SpellBook:
        for s in spells:
            self.add(s)
        return self

    def copy(self) -> SpellBook:
        return SpellBook(s for ss in self._by_person.values() for s in ss)

    def _of(self, person: str) -> list[Spell]:
        found = self._by_person.get(normalise(person))
        if found is None:  # a short name the knowledge base knows ("Haaland")
            full = get_kb().person(person)
            found = self._by_person.get(normalise(full), []) if full else []
        return found

    def spells_of(self, person: str) -> list[Spell]:
        return sorted(self._of(person),
                      key=lambda s: (s.start or s.end or dt.date.min, s.end or dt.date.max))

    def spell_on(self, person: str, day: dt.date) -> Spell | None:
        valid = [s for s in self._of(person) if s.covers(day)]
        if not valid:
            return None
        # a loan inside a contract: the spell that started last is where he is; an open start counts as oldest; a
        # loan that starts the day his contract does (signed and loaned straight out) ends first, so it wins the tie
        return max(valid, key=lambda s: (s.start or dt.date.min, -(s.end or dt.date.max).toordinal()))

    def club_on(self, person: str, day: dt.date) -> str | None:
        """The club `person` is at on `day`, or None (unknown)."""
        s = self.spell_on(person, day)
        return s.club if s else None

    def club_before(self, person: str, spell: Spell, as_of: dt.date) -> str | None:
        """The club `person` left for `spell`, as known on `as_of` (the article's date): the one he was at the day
        before it began, else the dated spell (one with a start) that ended last within `MOVE_GAP_DAYS` before it (a
        spell entered to the month, "until 2018-07", leaves a gap before a move dated to the day, 2018-07-10). A spell
        learnt after `as_of` never answers; nor does a spell learnt from a move away alone (no start: the register's
        "left X" is dated when the move was certain, not when it happened)."""
        if spell.start is None:
            return None
        if club := self.club_on(person, spell.start - dt.timedelta(days=1)):
            return club
        ended = [s for s in self._of(person) if s is not spell and s.start is not None and s.end is not None and
                 (s.known_on is None or s.known_on <= as_of) and 0 <= (spell.start - s.end).days <= MOVE_GAP_DAYS]
        return max(ended, key=lambda s: s.end or dt.date.min).club if ended else None

    def club_as_news(self, person: str, day: dt.date) -> str | None:
        """The club an article of `day` should take `person` to be at: his club that day, except that a move of the
        last `MOVE_NEWS_DAYS` is still the news ("Chelsea have appointed X" the day after), so he counts as at the
        club he left (`club_before`). The English and the other-language extractors both read it."""
        spell = self.spell_on(person, day)
        if spell is None:
            return None
        if spell.start is not None and (day - spell.start).days < MOVE_NEWS_DAYS:
            return self.club_before(person, spell, day)
        return spell.club

    def people(self) -> list[str]:
        return sorted({ss[0].person for ss in self._by_person.values() if ss})

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_person.values())


def hint(person: str) -> str | None:
    """The undated club of `people.jsonl` (a snapshot): a weak hint, never a fact about a given date."""
    kb = get_kb()
    p = kb.people.get(person) or kb.people.get(kb.person(person) or "")
    return p.club if p else None


def _date(value: object, where: str, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    text = str(value)
    if len(text) == 7:  # YYYY-MM: month precision, read as the 1st
        text += "-01"
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SpellFileError(f"{where}: {field} {value!r} is not YYYY-MM-DD or YYYY-MM") from None


def read_spells(path: Path) -> list[Spell]:
    """Spells from a JSON Lines file: {person, club, role, from, until, source?, note?} per line."""
    out: list[Spell] = []
    if not path.exists():
        return out
    kb = get_kb()
    for where, row in jsonl_rows(path, SpellFileError):
        if not row.get("person") or not row.get("club"):
            raise SpellFileError(f"{where}: a spell needs 'person' and 'club'")
        role = row.get("role", "player")
        if role not in SPELL_ROLES:
            raise SpellFileError(f"{where}: role {role!r} (one of {', '.join(SPELL_ROLES)})")
        club = kb.club(str(row["club"]))
        if club is None:
            raise SpellFileError(f"{where}: club {row['club']!r} is not in the knowledge base")
        start, end = _date(row.get("from"), where, "from"), _date(row.get("until"), where, "until")
        if start and end and end <= start:
            raise SpellFileError(f"{where}: 'until' {end} is not after 'from' {start}")
        person = kb.person(str(row["person"])) or str(row["person"])
        out.append(Spell(person=person, club=club, role=role, start=start, end=end,
                         source=str(row.get("source") or f"kb:{path.name}"), note=row.get("note")))
    return out


@lru_cache(maxsize=1)
def kb_spells() -> SpellBook:
    """The knowledge base's own dated spells (kb/data/spells.jsonl)."""
    return SpellBook(read_spells(DATA / "spells.jsonl"))


ClubPeople = dict[str, list[tuple[dt.date, str, tuple[str, ...], dt.date | None]]]


def _surname_keys(person: str) -> tuple[str, ...]:
    """The normalised last words a person goes by alone: of his name and of the KB's aliases ("Alonso", "Xabi")."""
    kb = get_kb()
    aliases = {person, *(kb.people[person].aliases if person in kb.people else ())}
    return tuple(sorted({k for a in aliases if a.strip() and len(k := normalise(a).split()[-1]) >= 3}))


def club_people_index(book: SpellBook) -> ClubPeople:
    """Club -> (start of a dated spell, person, his surname keys, the day the spell was learnt) for every spell with
    a start date (a spell with none says nothing about when he came)."""
    out: ClubPeople = {}
    for person in book.people():
        keys = _surname_keys(person)
        for sp in book.spells_of(person):
            if sp.start is not None and keys:
                out.setdefault(sp.club, []).append((sp.start, person, keys, sp.known_on))
    return out


@lru_cache(maxsize=1)
def _kb_club_people() -> ClubPeople:
    return club_people_index(kb_spells())


def club_people(clubs: Iterable[str], day: dt.date | None, book: SpellBook | None = None) -> dict[str, str | None]:
    """Surname key (`normalise`d) -> full name of the people with a dated spell at one of `clubs` begun on or before
    `day` (and learnt by then): whom a lone surname ("Lukaku") in an article of that day naming those clubs can be.
    A surname two of them share maps to None (never resolved); no day, no answer (nothing is known as of no date).
    `book`: the spells to read (default the knowledge base's own, kb/data/spells.jsonl: dated public records entered
    by hand, none taken from our annotations). Used by the English and the other-language extractors alike."""
    out: dict[str, str | None] = {}
    if day is None:
        return out
    index = _kb_club_people() if book is None or book is kb_spells() else club_people_index(book)
    for club in clubs:
        for start, person, keys, known in index.get(club, ()):
            if start <= day and (known is None or known <= day):
                for key in keys:
                    out[key] = person if out.get(key, person) == person else None
    return out
