"""Loading stored claims and outcomes into plain records for the assessment stage."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from mercato.assess.names import PersonResolver, club_key, slug
from mercato.kb.base import get_kb, normalise
from mercato.records import OFF
from mercato.store.db import Database
from mercato.store.models import Article, Claim, Outcome


@dataclass
class AClaim:
    """A claim with the keys assessment needs: its move, its independent source and its credit."""

    id: int
    article_id: int
    date: dt.date
    club: str
    person: str
    role: str
    stage: str
    certainty: str
    journalist: str | None
    outlet: str | None
    publisher: str | None
    evidence: str
    move: str  # story id of the move
    origin: str  # independent source key: relays of one origin share it
    credit: tuple[str, ...]  # source ids credited with this claim (journalist and/or origin outlet)
    current: bool = False  # the evidence names the club as the person's present club ("Watford's X")

    @property
    def is_off(self) -> bool:
        return self.stage == OFF


@dataclass
class AOutcome:
    club: str
    person: str
    role: str
    happened: bool | None
    resolved_on: dt.date | None
    status: str
    origin: str | None
    note: str | None
    id: int = 0


@lru_cache(maxsize=100_000)
def source_id(kind: str, name: str) -> str:
    return f"{kind}--{slug(name)}"


def move_id(club: str, person: str, role: str) -> str:
    return "move--" + slug(club, person, role)


@lru_cache(maxsize=100_000)
def credit_for(journalist: str | None, outlet: str | None, publisher: str | None,
               author: str | None = None) -> tuple[tuple[str, ...], str]:
    """Who is credited with a claim, and the key of its independent origin.

    The journalist is credited where named. The outlet credited is the journalist's own outlet
    (from the knowledge base) where known, else the outlet the claim names; an aggregator that
    relays someone else's story ("CaughtOffside, citing Fabrizio Romano") is not credited. An
    unnamed-source claim is the publisher's to answer for. Relays of one origin share one key, so
    they count as one confirmation.
    """
    kb = get_kb()
    credit: list[str] = []
    origin_outlet = outlet
    if journalist:
        credit.append(source_id("journalist", journalist))
        j = kb.journalists.get(kb.journalist(journalist) or "")
        if j is not None and j.outlet:
            origin_outlet = j.outlet
        elif outlet and publisher and normalise(outlet) == normalise(publisher):
            origin_outlet = None  # a named person quoted by the publisher: the person is the origin
    elif not outlet:
        origin_outlet = publisher
    own_voice = bool(journalist and author and outlet and publisher and normalise(journalist) == normalise(author)
                     and normalise(outlet) == normalise(publisher))
    if own_voice:
        origin_outlet = publisher
    if origin_outlet:
        credit.append(source_id("outlet", origin_outlet))
    if journalist and not own_voice:
        origin = "j:" + normalise(journalist)
    elif origin_outlet:
        # an outlet's own article (its author writing in its voice) is the origin that relays elsewhere cite as
        # "according to kicker": both are one origin, in stories and in track records
        origin = "o:" + normalise(origin_outlet)
    else:
        origin = "unknown"
    return tuple(credit), origin


_POSITIONS = (r"(?:midfielder|striker|forward|defender|winger|goalkeeper|keeper|full-back|centre-back|center-back|"
              r"left-back|right-back|wing-back|playmaker|captain|boss|manager|coach|head coach|player|star|"
              r"youngster|teenager|attacker|centre-half|defender/midfielder)")
_NOT_DESCRIPTOR = r"(?!(?:prospects|chances|hopes|bid|offer|interest|move|pursuit|plans?|attempt|approach|target)\b)"
_CURRENT_AFTER = re.compile(
    r"^(?:'s|\u2019s)\s+" + _NOT_DESCRIPTOR + r"(?:[\w\u00a3\u20ac$.,/-]+\s+){0,3}?" + _POSITIONS
    + r"|^\s+and\s+[A-Z][\w-]+(?:\s+[\w-]+){0,2}\s+" + _POSITIONS
    + r"|^\s+(?:[A-Z][\w-]+\s+)?(?:[\w-]+\s+)?" + _POSITIONS + r"\b")
_CURRENT_BEFORE = re.compile(r"\b(?:leave|leaving|quit|exit|stay at|remain at|depart|departure from)\s+(?:the\s+)?$", re.I)


_FROM_BEFORE = re.compile(r"(?<!interest )(?<!bid )(?<!bids )(?<!offer )(?<!offers )(?<!approach )(?<!approaches )"
                          r"(?<!attention )(?<!enquiries )(?<!enquiry )(?<!competition )(?<!calls )(?<!move )"
                          r"\bfrom\s+(?:the\s+)?$", re.I)
_FORMER = re.compile(r"\b(?:former|ex-?|one-time|previously)\s*$", re.I)


def current_club_of(evidence: str, person: str, club: str, cache: dict[str, list[re.Pattern[str]]]) -> bool:
    """Does the evidence name `club` as where `person` plays now?

    "Chelsea's 26-year-old defender Matt Miazga", "West Ham forward Jarrod Bowen", "Argentina
    left-back Nicolas Tagliafico, 29, from Ajax": the club with a descriptor right before the person's
    name, or "from <club>" shortly after it.
    """
    surname = person.split()[-1] if person.split() else person
    if not surname or surname not in evidence:
        return False
    pats = cache.get(club)
    if pats is None:
        pats = cache[club] = [re.compile(r"\b" + re.escape(a) + r"\b") for a in club_aliases(club)]
    for p in pats:
        for m in p.finditer(evidence):
            after = evidence[m.end():m.end() + 80]
            if _FORMER.search(evidence[max(0, m.start() - 12):m.start()]):
                continue  # "former West Ham midfielder"
            cue = _CURRENT_AFTER.search(after)
            # the descriptor runs straight into his name ("West Ham forward Jarrod Bowen")
            if cue and surname in " ".join(after[cue.end():].split()[:3]):
                return True
            before = evidence[max(0, m.start() - 40):m.start()]
            if _FROM_BEFORE.search(before) and surname in before:
                return True
    return False


def club_aliases(club: str) -> list[str]:
    kb = get_kb()
    c = kb.clubs.get(club)
    names = {club}
    if c is not None:
        names.update(a for a in c.aliases if len(a) > 2)
    return sorted(names, key=len, reverse=True)


def names_current_club(evidence: str, club: str, cache: dict[str, list[re.Pattern[str]]]) -> bool:
    """Does the evidence present the club as where the person is now ("Watford and England midfielder")?"""
    pats = cache.get(club)
    if pats is None:
        pats = cache[club] = [re.compile(r"\b" + re.escape(a) + r"\b") for a in club_aliases(club)]
    mentions = [(m.start(), m.end()) for p in pats for m in p.finditer(evidence)]
    if not mentions:
        return False
    flagged = 0
    for start, end in mentions:
        if _CURRENT_AFTER.search(evidence[end:end + 60]) or _CURRENT_BEFORE.search(evidence[max(0, start - 20):start]):
            flagged += 1
    return flagged == len(mentions)


def load(db: Database) -> tuple[list[AClaim], list[AOutcome], PersonResolver]:
    with db.session() as s:
        rows = s.execute(
            select(Claim.id, Claim.article_id, Claim.claim_date, Claim.club, Claim.person, Claim.role, Claim.stage,
                   Claim.certainty, Claim.journalist, Claim.outlet, Article.outlet, Claim.evidence, Article.author)
            .join(Article, Article.id == Claim.article_id)
            .order_by(Claim.claim_date, Claim.id)
        ).all()
        outs = s.scalars(select(Outcome).order_by(Outcome.id)).all()
        outcomes_raw = [(o.id, o.club, o.person, o.role, o.happened, o.resolved_on, o.status, o.origin, o.note) for o in outs]
    resolver = PersonResolver([r[4] for r in rows] + [o[2] for o in outcomes_raw])
    claims: list[AClaim] = []
    pat_cache: dict[str, list[re.Pattern[str]]] = {}
    for (cid, aid, date, club, person, role, stage, cert, jour, outlet, publisher, ev, author) in rows:
        cl = club_key(club)
        pn = resolver.name(person)
        credit, origin = credit_for(jour, outlet, publisher, author)
        claims.append(AClaim(
            id=cid, article_id=aid, date=date, club=cl, person=pn, role=role, stage=stage, certainty=cert,
            journalist=jour, outlet=outlet, publisher=publisher, evidence=ev, move=move_id(cl, pn, role),
            origin=origin, credit=credit, current=names_current_club(ev, club, pat_cache) if stage != OFF else False,
        ))
    outcomes = [
        AOutcome(id=i, club=club_key(c), person=resolver.name(p), role=r, happened=h, resolved_on=d, status=st,
                 origin=og, note=n)
        for (i, c, p, r, h, d, st, og, n) in outcomes_raw
    ]
    return claims, outcomes, resolver


def outcome_index(outcomes: list[AOutcome], confirmed_only: bool = True) -> dict[str, AOutcome]:
    out: dict[str, AOutcome] = {}
    for o in outcomes:
        if confirmed_only and o.status != "confirmed":
            continue
        if o.happened is None:
            continue
        out[move_id(o.club, o.person, o.role)] = o
    return out
