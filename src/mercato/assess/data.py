"""Loading stored claims and outcomes into plain records for the assessment stage."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from mercato.assess.names import PersonResolver, slug
from mercato.assess.sources import Source, named_outlet, publisher, speaker
from mercato.kb.base import get_kb, normalise
from mercato.kb.names import club_key
from mercato.records import OFF
from mercato.store.db import Database
from mercato.store.models import Article, Claim, Outcome
from mercato.store.spells import affiliations_of, spellbook


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
    official: bool = False  # the club's own word (its site, account, or the club named as the source)
    here: bool = False  # a manager named as the club's own ("Roma boss Jose Mourinho"): he is there
    at: str | None = None  # the club he was at on the claim's date, as the store knew it then (None: unknown)
    # (day, article id) of each article that names him as this club's ("Roma boss Jose Mourinho"): the stored
    # affiliations of mentions, which every extractor keeps though none makes a claim of them; only those the
    # store knew as of the load's date. A reader of them counts each only from its day (no knowledge from the future)
    stated: tuple[tuple[dt.date, int], ...] = ()
    # the last day an article stated him at another club before any stated him at this one (within
    # AFFILIATION_DAYS of it): he was elsewhere then. Earlier than every `stated` day, so known before them
    left: dt.date | None = None
    # `current` only because an earlier article stated him at the club (CurrentClubs.club_of's fallback), not
    # because this claim's own article or evidence names the club as his: no second report of his being there
    inherited: bool = False

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
    move: str | None = None  # the move story it settles (a manager's job: the vacancy it belongs to)


@lru_cache(maxsize=100_000)
def source_id(kind: str, name: str) -> str:
    return f"{kind}--{slug(name)}"


def move_id(club: str, person: str, role: str) -> str:
    return "move--" + slug(club, person, role)


SOURCES: dict[str, Source] = {}  # source id -> what it is (kind, display name, in the knowledge base)


def register(src: Source) -> str:
    sid = source_id(src.kind, src.name)
    SOURCES.setdefault(sid, src)
    return sid


def masthead(name: str) -> str:
    """An outlet's name as its own pages shorten it: no qualifier in brackets, no leading "the", one word ("The Star"
    for "The Star (Sheffield)", "Lancashiretelegraph" for "Lancashire Telegraph"). A claim citing its own
    publisher's masthead is the publisher's own word, not another outlet's."""
    key = normalise(re.sub(r"\([^)]*\)", " ", name))
    return key.removeprefix("the ").replace(" ", "")


def credit_for(journalist: str | None, outlet: str | None, publisher_name: str | None, url: str | None = None,
               author: str | None = None, person: str = "", evidence: str = "",
               person_roles: dict[str, str] | None = None) -> tuple[tuple[str, ...], str]:
    """Who is credited with a claim, and the key of its independent origin.

    A named speaker is judged as what he is (assess/sources.py): a journalist (credited with his own
    outlet from the knowledge base, else the outlet the claim cites), a club, or a party to the move
    (his own record; the outlet that printed the quote is not judged on it). Without a speaker, the
    outlet the claim cites (a club named as the source is the club's announcement), else the
    publisher: an outlet, or the account behind a platform post. Relays of one origin share one key,
    so they count as one confirmation.
    """
    kb = get_kb()
    pub = publisher(publisher_name, url)
    cited: Source | None = None
    if outlet and not (publisher_name and (normalise(outlet) == normalise(publisher_name)
                                           or masthead(outlet) in {masthead(publisher_name), masthead(pub.name if pub else "")} - {""})):
        cited = named_outlet(outlet)
        if pub is not None and cited.kind == pub.kind and cited.name == pub.name:
            cited = None
    credit: list[str] = []
    origin = "unknown"
    if journalist:
        spk = speaker(journalist, person, evidence, author, person_roles or {})
        credit.append(register(spk))
        origin = spk.kind[0] + ":" + normalise(spk.name)
        if spk.kind == "journalist":
            j = kb.journalists.get(kb.journalist(spk.name) or "")
            if j is not None and j.outlet:
                credit.append(register(Source("outlet", j.outlet)))
            elif cited is not None and cited.kind == "outlet":
                credit.append(register(cited))
            elif pub is not None and pub.kind == "outlet" and author and normalise(author) == normalise(journalist):
                credit.append(register(pub))  # the byline's own paper
    elif cited is not None:
        credit.append(register(cited))
        origin = cited.kind[0] + ":" + normalise(cited.name)
    elif pub is not None:
        credit.append(register(pub))
        if pub.kind == "journalist":
            j = kb.journalists.get(kb.journalist(pub.name) or "")
            if j is not None and j.outlet:
                credit.append(register(Source("outlet", j.outlet)))
        origin = pub.kind[0] + ":" + normalise(pub.name)
    if (journalist and author and outlet and publisher_name and pub is not None and pub.kind == "outlet"
            and normalise(journalist) == normalise(author) and normalise(outlet) == normalise(publisher_name)):
        # an outlet's own article (its author writing in its voice) is the origin that relays elsewhere cite
        # as "according to kicker": both are one origin, in stories and in track records
        origin = "o:" + normalise(pub.name)
    return tuple(credit), origin


def is_official(credit: tuple[str, ...]) -> bool:
    """A claim from a club itself (its site, its account, the club named as the source)."""
    return any(c.startswith("club--") for c in credit)


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


def load(db: Database, as_of: dt.date | None = None) -> tuple[list[AClaim], list[AOutcome], PersonResolver]:
    """Claims and outcomes; with `as_of`, only what was known on that day: claims dated on or before it and
    outcomes resolved (made public) on or before it (an outcome with no date is not known in an as-of view)."""
    with db.session() as s:
        q = (select(Claim.id, Claim.article_id, Claim.claim_date, Claim.club, Claim.person, Claim.role, Claim.stage,
                    Claim.certainty, Claim.journalist, Claim.outlet, Article.outlet, Claim.evidence, Article.url,
                    Article.author)
             .join(Article, Article.id == Claim.article_id))
        oq = select(Outcome)
        if as_of is not None:
            q = q.where(Claim.claim_date <= as_of)
            oq = oq.where(Outcome.resolved_on.is_not(None), Outcome.resolved_on <= as_of)
        rows = s.execute(q.order_by(Claim.claim_date, Claim.id)).all()
        outs = s.scalars(oq.order_by(Outcome.id)).all()
        outcomes_raw = [(o.id, o.club, o.person, o.role, o.happened, o.resolved_on, o.status, o.origin, o.note) for o in outs]
    linked: dict[str, set[str]] = {}
    for r in rows:
        linked.setdefault(r[4], set()).add(club_key(r[3]))
    resolver = PersonResolver([r[4] for r in rows] + [o[2] for o in outcomes_raw], clubs=linked)
    claims: list[AClaim] = []
    current = CurrentClubs(db, as_of)
    pat_cache: dict[str, list[re.Pattern[str]]] = {}
    stated_cache: dict[tuple[str, str], tuple[tuple[dt.date, int], ...]] = {}
    roles = resolver.roles([(r[4], r[5]) for r in rows])
    person_roles = {normalise(resolver.name(p)): r for p, r in roles.items()}
    for (cid, aid, date, club, person, role, stage, cert, jour, outlet, pub_name, ev, url, author) in rows:
        cl = club_key(club)
        pn = resolver.name(person)
        role = roles.get(resolver.key(person), role) if role in ("player", "manager") else role
        credit, origin = credit_for(jour, outlet, pub_name, url, author, pn, ev, person_roles)
        is_cur = current.is_current(person, club, date, aid) if stage != OFF else False
        here = role == "manager" and stage != OFF and current_club_of(ev, pn, cl, pat_cache)
        claims.append(AClaim(
            id=cid, article_id=aid, date=date, club=cl, person=pn, role=role, stage=stage, certainty=cert,
            journalist=jour, outlet=outlet, publisher=pub_name, evidence=ev, move=move_id(cl, pn, role),
            origin=origin, credit=credit, current=is_cur, official=is_official(credit), here=here,
            inherited=is_cur and not here and not current.states_in(person, club, aid),
            at=club_key(at) if (at := current.club_of(person, date, aid)) else None,
            stated=(st := current.stated(pn, cl, stated_cache)), left=current.left(pn, st),
        ))
    outcomes = [
        AOutcome(id=i, club=club_key(c), person=resolver.name(p), role=r, happened=h, resolved_on=d, status=st,
                 origin=og, note=n)
        for (i, c, p, r, h, d, st, og, n) in outcomes_raw
    ]
    split_jobs(claims, outcomes, current.affs)
    return claims, outcomes, resolver


AFFILIATION_DAYS = 365


class CurrentClubs:
    """The club a person is at on a claim's date, as the store knows it on that date: what an article dated on
    or before it states (its own article first, else the latest within `AFFILIATION_DAYS`), else the dated
    spells known by then (the knowledge base's and those learnt while reading). Read, never re-derived."""

    def __init__(self, db: Database, as_of: dt.date | None = None) -> None:
        self.affs = {normalise(p): v for p, v in affiliations_of(db, as_of).items()}
        self.book = spellbook(db, as_of)
        self._cache: dict[tuple[str, dt.date, int], str | None] = {}

    def club_of(self, person: str, day: dt.date, article_id: int = 0) -> str | None:
        key = (person, day, article_id)
        if key in self._cache:
            return self._cache[key]
        found: str | None = None
        # a national team an article names ("the England captain") is his country, not his club
        rows = [r for r in self.affs.get(normalise(person), []) if not _national(r[2])]
        same = [c for d, a, c in rows if a == article_id]
        if same:
            found = same[0]
        else:
            before = [c for d, a, c in rows if d <= day and (day - d).days <= AFFILIATION_DAYS]
            found = before[-1] if before else self.book.club_on(person, day)
        self._cache[key] = found
        return found

    def states_in(self, person: str, club: str, article_id: int) -> bool:
        """Does article `article_id` itself state `person` at `club`?"""
        return any(a == article_id and club_key(c) == club_key(club) for _, a, c in self.affs.get(normalise(person), []))

    def stated(self, person: str, club: str,
               cache: dict[tuple[str, str], tuple[tuple[dt.date, int], ...]] | None = None) -> tuple[tuple[dt.date, int], ...]:
        """(day, article id) of the articles that state `person` at `club` (its key), in date order."""
        key = (normalise(person), club)
        if cache is not None and key in cache:
            return cache[key]
        out = tuple((d, a) for d, a, c in self.affs.get(key[0], []) if club_key(c) == club)
        if cache is not None:
            cache[key] = out
        return out

    def left(self, person: str, stated: tuple[tuple[dt.date, int], ...]) -> dt.date | None:
        """The last day an article stated `person` at another club (no national team) before the first of
        `stated` (his affiliations with one club), within AFFILIATION_DAYS of it; None if none did."""
        if not stated:
            return None
        first = stated[0][0]
        here = {a for _, a in stated}
        days = [d for d, a, c in self.affs.get(normalise(person), []) if a not in here and d < first
                and (first - d).days <= AFFILIATION_DAYS and not _national(c)]
        return days[-1] if days else None

    def is_current(self, person: str, club: str, day: dt.date, article_id: int = 0) -> bool:
        if _national(club):  # "England want X" while X is the England manager
            rows = [c for d, a, c in self.affs.get(normalise(person), []) if _national(c) and d <= day
                    and (a == article_id or (day - d).days <= AFFILIATION_DAYS)]
            cur = rows[-1] if rows else self.book.club_on(person, day)
        else:
            cur = self.club_of(person, day, article_id)
        return cur is not None and club_key(cur) == club_key(club)


def _national(club: str) -> bool:
    kb = get_kb()
    return bool(getattr(kb.clubs.get(club) or kb.clubs.get(kb.club(club) or ""), "national", False))


def appointments(claims: list[AClaim], outcomes: list[AOutcome],
                 stated: dict[str, list[tuple[dt.date, int, str]]] | None = None) -> dict[str, list[tuple[dt.date, str]]]:
    """Per club, when a manager was appointed: a known outcome, the club's own `done`, a firm `done` from
    two sources in two articles, or - after the talk of it - two articles naming him the club's manager
    (a claim's evidence, or an affiliation the store keeps: "Tottenham manager Nuno", which is no claim)."""
    out: dict[str, list[tuple[dt.date, str]]] = {}
    for o in outcomes:
        if o.role == "manager" and o.happened and o.status == "confirmed" and o.resolved_on is not None:
            out.setdefault(o.club, []).append((o.resolved_on, o.person))
    by_move: dict[tuple[str, str], list[AClaim]] = {}
    for c in claims:
        if c.role == "manager":
            by_move.setdefault((c.club, c.person), []).append(c)
    for (club, person), cs in by_move.items():
        cs.sort(key=lambda c: (c.date, c.id))
        day = None
        dones = [c for c in cs if c.stage == "done" and c.certainty == "firm"]
        if any(c.official for c in dones):
            day = next(c.date for c in dones if c.official)
        elif len({c.origin for c in dones}) >= 2 and len({c.article_id for c in dones}) >= 2:
            day = dones[1].date
        here = {c.id for c in cs if c.here}
        talk = next((c.date for c in cs if c.id not in here and not c.is_off), None)
        at_club = [(d, a) for d, a, cl in (stated or {}).get(normalise(person), []) if club_key(cl) == club]
        if talk is not None and not any(c.id in here for c in cs if c.date <= talk) \
                and not any(d <= talk for d, _ in at_club):  # already the club's manager when the talk began
            named = sorted({(c.date, c.article_id) for c in cs if c.id in here and c.date > talk}
                           | {(d, a) for d, a in at_club if d > talk})
            seen: list[int] = []
            for d, a in named:
                if a not in seen:
                    seen.append(a)
                    if len(seen) == 2:
                        day = min(day, d) if day else d
                        break
        if day is not None:
            out.setdefault(club, []).append((day, person))
    return out


def split_jobs(claims: list[AClaim], outcomes: list[AOutcome],
               stated: dict[str, list[tuple[dt.date, int, str]]] | None = None) -> None:
    """A job is one vacancy: an appointment closes it, and talk after it is about the next one. A
    manager's claims after someone else's appointment at the club belong to a new move story
    ("move--tottenham-hotspur--antonio-conte--manager--2": Conte in November, after Nuno's appointment,
    is not the Conte of May). Outcomes attach to the job they speak of (the latest that began before)."""
    jobs = appointments(claims, outcomes, stated)
    starts: dict[str, list[dt.date]] = {}
    for c in claims:
        if c.role != "manager" or c.club not in jobs:
            continue
        n = 1 + sum(1 for day, who in jobs[c.club] if who != c.person and day < c.date)
        if n > 1:
            c.move = f"{c.move}--{n}"
    for c in claims:
        if c.role == "manager":
            starts.setdefault(c.move, []).append(c.date)
    for o in outcomes:
        base = move_id(o.club, o.person, o.role)
        if o.role != "manager":
            continue
        eps = sorted((min(ds), mv) for mv, ds in starts.items() if mv == base or mv.startswith(base + "--"))
        before = [mv for first, mv in eps if o.resolved_on is None or first <= o.resolved_on]
        if before:
            o.move = before[-1]


def episode(move: str) -> int:
    """Which job of its club a manager's move story is about (1, 2, ...)."""
    tail = move.rsplit("--", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def outcome_index(outcomes: list[AOutcome], confirmed_only: bool = True) -> dict[str, AOutcome]:
    out: dict[str, AOutcome] = {}
    for o in outcomes:
        if confirmed_only and o.status != "confirmed":
            continue
        if o.happened is None:
            continue
        out[o.move or move_id(o.club, o.person, o.role)] = o
    return out
