"""Learning clubs over time while reading, and reading them back as of a date.

A completed move closes the person's old spell and opens a new one on its date, in the store
(table `spells`), so a long-running `mercato watch` stays right without anyone editing files:

- a transfer-register row (season S: certain once its last window has closed, 1 February of S+1);
- a confirmed outcome that happened, on its `resolved_on` date;
- a club's own `done` announcement (a firm `done` claim whose source is the club itself), on its date.

Learning is idempotent (a spell is unique by person, club, start and source) and order-free: a
spell learnt out of date order still ends where the next known spell starts. Each spell keeps
`known_on`, the day it became known: `spellbook(db, as_of=D)` uses only what was known on or
before D, with the knowledge base's dated spells (kb/data/spells.jsonl) underneath.

`affiliations_*` keep and read what articles state ("Tottenham striker Harry Kane"), with the
article's date; assess reads them instead of re-deriving a current club.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mercato.kb.base import get_kb, normalise
from mercato.kb.spells import Spell, SpellBook, kb_spells
from mercato.records import ClaimRecord
from mercato.store.db import RETRIES, Database, transient
from mercato.store.models import Affiliation, Article, Outcome, SpellRow

NAME_MAX = 200


@dataclass(frozen=True)
class Move:
    """A completed move, as learnt: the person joined `club` on `day` (from `left`, where known)."""

    person: str
    club: str
    day: dt.date
    source: str
    role: str = "player"
    left: str | None = None
    note: str | None = None


def _clip(v: str) -> str:
    return v[:NAME_MAX]


def learn_moves(db: Database, moves: Iterable[Move]) -> int:
    """Store each move as a spell (new club from its day); close the person's earlier spells there.
    Returns the number of spells added."""
    ordered = sorted(moves, key=lambda m: (m.person, m.day, m.club))  # one lock order for every process
    for attempt in range(1, RETRIES + 1):
        try:
            added = 0
            with db.session() as s:
                for mv in ordered:
                    added += _learn(s, mv, db.dialect)
            return added
        except DBAPIError as exc:  # two processes learning at once: a deadlock or busy database is run again
            if attempt == RETRIES or not transient(exc):
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _learn(s: Session, mv: Move, dialect: str) -> int:
    person, club = _clip(mv.person), _clip(mv.club)
    rows = list(s.scalars(select(SpellRow).where(SpellRow.person == person)))
    if any(r.club == club and r.start == mv.day and r.source == mv.source for r in rows):
        return 0
    added = 0
    # the spell he leaves: known to have ended on this day
    for r in rows:
        if r.club != club and (r.start is None or r.start < mv.day) and (r.end is None or r.end > mv.day):
            r.end = mv.day
    if mv.left and mv.left != club and not any(r.club == mv.left and r.end == mv.day for r in rows):
        s.add(SpellRow(person=person, club=_clip(mv.left), role=mv.role, start=None, end=mv.day, source=mv.source,
                       known_on=mv.day, note="the club he left (start unknown)"))
        added += 1
    later = [r.start for r in rows if r.start is not None and r.start > mv.day and r.club != club]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # another process may learn the same move at the same moment: the unique key keeps one
    done = s.execute(insert(SpellRow).values(
        person=person, club=club, role=mv.role, start=mv.day, end=min(later) if later else None, source=mv.source,
        known_on=mv.day, note=mv.note).on_conflict_do_nothing(index_elements=["person", "club", "start", "source"])
        .returning(SpellRow.id)).scalar_one_or_none()
    s.flush()
    return added + (done is not None)


def forget(db: Database, source_prefix: str) -> None:
    """Drop the spells learnt from one source (a register re-imported, outcomes re-read)."""
    with db.session() as s:
        s.execute(delete(SpellRow).where(SpellRow.source.startswith(source_prefix, autoescape=True)))


# -- where moves come from ------------------------------------------------------------------------

def moves_from_register(rows: Sequence[Any], origin: str) -> list[Move]:
    """Register rows (person, left, joined, season: see assess/outcomes.py). A row does not say which window
    of season S the move was in (the summer of S or the winter after it), so it is dated when it is certain:
    1 February of S+1, once both windows have closed. Earlier would let a January move answer for October."""
    out = []
    seen: set[tuple[str, str, int]] = set()
    for i, r in enumerate(rows, 1):
        if not r.joined or not r.person or (r.person, r.joined, r.season) in seen:
            continue  # a register by club lists a move under both clubs: once is enough
        seen.add((r.person, r.joined, r.season))
        out.append(Move(person=get_kb().person(r.person) or r.person, club=r.joined, left=r.left or None, day=dt.date(r.season + 1, 2, 1),
                        source=f"{origin}:{i}", note=f"register, season {r.season}"))
    return out


def moves_from_outcomes(db: Database) -> list[Move]:
    with db.session() as s:
        rows = s.scalars(select(Outcome).where(Outcome.status == "confirmed", Outcome.happened.is_(True),
                                               Outcome.resolved_on.is_not(None))).all()
        return [Move(person=o.person, club=o.club, role=o.role, day=o.resolved_on, source=f"outcome:{o.id}",
                     note=f"confirmed outcome ({o.origin})") for o in rows
                if o.resolved_on is not None and not (o.origin or "").startswith("register:")]
    # (a register's outcomes are dated by the window of the claims; its rows are learnt themselves, dated honestly)


def official_done(claims: Iterable[ClaimRecord], day: dt.date, where: str) -> list[Move]:
    """A club's own announcement that a move is done: a firm `done` claim whose only source is that club."""
    kb = get_kb()
    out = []
    for c in claims:
        if c.stage != "done" or c.certainty != "firm" or c.source.journalist or not c.source.outlet:
            continue
        if kb.club(c.source.outlet) != c.club:
            continue
        out.append(Move(person=c.person, club=c.club, role=c.role, day=c.date or day, source=f"claim:{where}",
                        note=f"{c.club} announced it: {c.evidence[:160]}"))
    return out


def learn_after_outcomes(db: Database, register_rows: Sequence[Any] | None = None, origin: str | None = None) -> int:
    """The hook for outcome import and confirmation: spells from confirmed outcomes (relearnt whole) and,
    for a register, from each of its rows."""
    forget(db, "outcome:")
    n = learn_moves(db, moves_from_outcomes(db))
    if register_rows is not None and origin:
        forget(db, origin + ":")
        n += learn_moves(db, moves_from_register(register_rows, origin))
    return n


# -- reading back ---------------------------------------------------------------------------------

def stored_spells(db: Database, person: str | None = None, as_of: dt.date | None = None) -> list[Spell]:
    with db.session() as s:
        q = select(SpellRow)
        if as_of is not None:
            q = q.where(SpellRow.known_on <= as_of)
        rows = s.scalars(q.order_by(SpellRow.id)).all()
    key = normalise(person) if person else None
    out = []
    for r in rows:
        if key and normalise(r.person) != key:
            continue
        # an end learnt after `as_of` was not known then (it changes no answer for a day on or before it)
        end = None if as_of is not None and r.end is not None and r.end > as_of else r.end
        out.append(Spell(person=r.person, club=r.club, role=r.role, start=r.start, end=end, source=r.source, note=r.note,
                         known_on=r.known_on))
    return out


def spellbook(db: Database | None, as_of: dt.date | None = None) -> SpellBook:
    """The knowledge base's dated spells with those learnt in the store (known on or before `as_of`)."""
    book = kb_spells().copy()
    if db is not None:
        book.extend(stored_spells(db, as_of=as_of))
    return book


def person_spells(db: Database | None, person: str, as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """A person's spells, the knowledge base's and the learnt ones, each with where it came from."""
    book = spellbook(db, as_of)
    full = get_kb().person(person) or person
    return [s.as_dict() for s in book.spells_of(full)]


# -- affiliations stated by articles ---------------------------------------------------------------

def store_affiliations(s: Session, article_id: int, day: dt.date, affiliations: dict[str, str]) -> None:
    s.execute(delete(Affiliation).where(Affiliation.article_id == article_id))
    for person, club in sorted(affiliations.items()):
        s.add(Affiliation(article_id=article_id, person=_clip(person), club=_clip(club), day=day))


def affiliations_of(db: Database, until: dt.date | None = None) -> dict[str, list[tuple[dt.date, int, str]]]:
    """person -> [(day, article id, club)] in date order, from articles dated on or before `until`."""
    with db.session() as s:
        q = select(Affiliation.person, Affiliation.day, Affiliation.article_id, Affiliation.club)
        if until is not None:
            q = q.where(Affiliation.day <= until)
        rows = s.execute(q.order_by(Affiliation.day, Affiliation.article_id)).all()
    out: dict[str, list[tuple[dt.date, int, str]]] = {}
    for person, day, aid, club in rows:
        out.setdefault(person, []).append((day, aid, club))
    return out


def article_ids_by_hash(s: Session, hashes: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(hashes), 500):
        chunk = list(hashes[i:i + 500])
        out.update(dict(s.execute(select(Article.content_hash, Article.id).where(Article.content_hash.in_(chunk))).all()))
    return out
