"""Stage 1 of the learned extractor: candidate claims and their features.

After the rule components have segmented the article, found and resolved the mentions and read the
reporting frames (segment -> mentions -> resolve -> attribution), and the rules have made their own
proposals (`components.claims`), every (club, person) pair that meets in a sentence becomes a candidate,
together with:

- pairs the rules proposed (they resolve descriptors and pronouns: "the Spaniard", "he"),
- a club in a sentence naming no person, paired with the person last named (carried person),
- a person in a sentence naming no club, paired with the club last named (carried club).

Each pair in a sentence is offered with each source it could have: the source of its clause's frame
(`clause`), the article's own voice (`own`), an unnamed source (`unnamed`), another frame of the sentence
(`frame`) and the rules' own choice (`rule`). The model decides which of these are claims (stage 2).

`features()` describes a candidate as a sparse dict: the sentence with the pair masked (placeholders for
the club, the person, other clubs and people, sources), n-grams, the words between the two, cue-lexicon
hits, the rules' proposal (stage, source, certainty), and structure (order, distance, headline, whether
the club is the person's club by text or knowledge base, how the pair was found).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from mercato.extract import components as rules
from mercato.extract.doc import ArticleDoc, Clause, Mention, Sentence
from mercato.extract.learned import depfeats, pairfeats, srcfeats
from mercato.extract.lexicon import get_lexicon
from mercato.extract.word_sets import word_set
from mercato.kb import get_kb, normalise
from mercato.kb.base import DATA
from mercato.kb.datafile import regex_groups
from mercato.records import STAGES, ClaimRecord, Source, stage_rank

_TOKEN = re.compile(r"_[a-z]+_|[a-z0-9]+(?:['’][a-z]+)?|[^\w\s]", re.I)
SHORT = 600  # characters: a gossip item or a post, not an article
OPTIONS = ("clause", "own", "unnamed", "frame", "rule", "mention", "recent", "party")
# the candidate generators beyond (club, person) in one sentence; MERCATO_LEARNED_GENERATORS (comma-separated)
# switches them for an ablation: main (the article's main person and clubs paired with a sentence naming only
# one side, or neither with a reporting/cue word), single (one-word names a recogniser missed, named twice),
# party (a club or the person of the sentence as the source: "Bayern officials said", "Tuchel explained"),
# post (in a post or gossip item, a line naming one side or neither, with a cue or reporting word: the item's
# people with the clubs it names elsewhere), slot (a one-word name named once in a person's slot: "Brazilian
# forward Raphinha, 24", "winger Antony"), focus (a sentence about a job being filled, naming people: each with the
# club whose job an earlier sentence discussed, `_Focus.in_focus`); party_short (the party sources in a gossip item or
# post too)
GENERATORS = frozenset(os.environ.get("MERCATO_LEARNED_GENERATORS", "main,single,party,post,slot,focus").replace(" ", "").split(",")) - {""}


@dataclass
class Candidate:
    club: str
    person: str
    sentence: int
    clause: Clause
    source: Source
    option: str  # one of OPTIONS: the first that gives this source
    origin: str  # cooc, name (a capitalised name no recogniser took), carried_person, carried_club, rule_only
    role: str
    options: set[str] = field(default_factory=set)
    rule_claims: list[ClaimRecord] = field(default_factory=list)  # the rules' claims for this pair in this sentence
    rule_sources: list[tuple[str, str]] = field(default_factory=list)  # their source keys (outlets mapped)
    features: dict[str, float] = field(default_factory=dict)
    # the features of its (club, person, sentence) unit, shared by the unit's candidates: `features` begins with
    # them, in the same order (set by `generate`; None for a candidate made elsewhere)
    unit_feats: dict[str, float] | None = field(default=None, repr=False, compare=False)

    @property
    def source_key(self) -> tuple[str, str]:
        return _key(self.source)

    @property
    def unit(self) -> tuple[str, str, int]:
        """The (club, person, sentence) this candidate offers a source for."""
        return (self.club, self.person, self.sentence)


_SOURCE_FEATURES = ("opt=", "srckind=", "src_is_own", "r:src", "sx:", "sm:", "sl:", "sl2:", "sr:", "sr1:", "srv:",
                    "slp:", "sq:", "sw:", "sk:", "srcdep|")
# features made for the stage and certainty heads only (learned.train leaves them out of the claim and source heads)
STAGE_ONLY = ("st:", "r:srcdoc=")


def unit_features(f: dict[str, float]) -> dict[str, float]:
    """A candidate's features without those of its source option: the (club, person, sentence) unit's."""
    return {k: v for k, v in f.items() if not k.startswith(_SOURCE_FEATURES)}


@lru_cache(maxsize=8192)
def _norm(name: str) -> str:
    return normalise(name)


def _key(src: Source) -> tuple[str, str]:
    return (_norm(src.journalist or ""), _norm(src.outlet or ""))


def ident(key: tuple[str, str]) -> tuple[str, str]:
    """Which source a (journalist, outlet) key is, as the spec's scorer tells sources apart: the journalist where
    there is one (with or without his outlet), else the outlet."""
    return (key[0], "") if key[0] else key


def _sent_index(doc: ArticleDoc, pos: int) -> int:
    for i, s in enumerate(doc.sentences):
        if s.start <= pos < s.end:
            return i
    return max(0, len(doc.sentences) - 1)


def _clause_at(s: Sentence, pos: int | None) -> Clause:
    if pos is not None:
        for cl in s.clauses:
            if cl.start <= pos < cl.end:
                return cl
    return s.clauses[0]


def _persons(s: Sentence) -> list[Mention]:
    return [m for m in s.mentions if m.kind == "person" and m.canonical and m.role != "journalist"]


def _clubs(s: Sentence) -> list[Mention]:
    return [m for m in s.mentions if m.kind == "club" and m.canonical]


_NAME = re.compile(r"(?<![\w@#’'-])[A-Z][\w’'-]*[a-zà-ÿ][\w’'-]*(?:[ \t]+(?:(?:de|da|di|do|dos|van|von|der|den|la|le|el|del|della|ten)"
                   r"[ \t]+)*[A-Z][\w’'-]*[a-zà-ÿ][\w’'-]*){1,3}")
# a capitalised phrase that starts with one of these is no name ("The Bundesliga", "On Tuesday", "Former Man")
_NOT_NAME_START = word_set("not-name-start")
_ANAPHOR = re.compile(r"\b(?:he|him|his|the (?:\d{2}-year-old|[a-z]+(?:\s[a-z]+)?(?:striker|forward|winger|midfielder|defender|"
                      r"goalkeeper|keeper|manager|coach|boss|international|star|player|youngster|talent|centre-back|full-back)))\b",
                      re.I)


@lru_cache(maxsize=1)
def _stadium_names() -> frozenset[str]:
    try:
        raw = json.loads((DATA / "stadiums.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(raw if isinstance(raw, list) else raw.keys())


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Towns and grounds (kb places.json, from the openfootball lists: scripts/build_places.py), normalised: no person."""
    try:
        raw = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(normalise(n) for n in raw.get("names", []))


_AFTER_MENTION = re.compile(r"(?:[’']s)?[ \t]+")


def _fallback_persons(doc: ArticleDoc, s: Sentence) -> list[Mention]:
    """Capitalised names (two to four words) that no recogniser took and the knowledge base does not know as a club,
    outlet, journalist or country: the statistical recogniser misses many players' names."""
    kb = get_kb()
    lex = get_lexicon()
    stadiums = _stadium_names()
    places = _places()
    out = []
    for m in _NAME.finditer(s.text):
        a, b = s.start + m.start(), s.start + m.end()
        if over := [x for x in s.mentions if x.start < b and x.end > a]:
            # a mention at its start, possessive or not ("Blackburn's Adam Armstrong", "Ajax forward ..."): the
            # name that follows it, if it is still a name of two words or more
            rest = _AFTER_MENTION.match(s.text, max(x.end for x in over) - s.start)
            m2 = _NAME.match(s.text, rest.end(), m.end()) if rest else None
            if m2 is None or m2.end() != m.end() or any(x.start < s.start + m2.end() and x.end > s.start + m2.start()
                                                         for x in over):
                continue
            m, a = m2, s.start + m2.start()
        name = rules.strip_descriptors(m.group(0))  # "Argentine Emi Buendia" -> "Emi Buendia"
        a += m.group(0).find(name)
        low = name.lower()
        words = low.split()
        if words[0] in _NOT_NAME_START or any(w.strip("’'") in lex.not_person_words for w in words) or name in stadiums \
                or _norm(name) in places \
                or kb.club(name) or kb.outlet(name) or kb.journalist(name) or low in kb.country_demonyms \
                or words[0] in kb.demonyms or words[0] in kb.country_demonyms:
            continue  # a competition, a stadium, a club, an outlet, a nationality: the lexicons' words
        out.append(Mention("person", name, a, b, canonical=name, role="target", weak=True))
    return out


_SINGLE = re.compile(r"(?<![\w@#’'.-])[A-Z][a-zà-ÿ]{3,}(?![\w’'-]*[ \t]+[A-Z])")
_WORDISH = re.compile(r"[A-Za-zà-ÿ]+")


def _single_names(doc: ArticleDoc) -> set[str]:
    """One-word names ("Neymar", "Raphinha") no recogniser took: a capitalised word, not at a sentence's start,
    named at least twice, never written in lower case, and no club, outlet, journalist, nationality or lexicon
    word. The statistical recogniser only reads some sentences, and one-word names are what it misses most."""
    from mercato.kb import get_kb

    kb = get_kb()
    lex = get_lexicon()
    lower = {w for w in _WORDISH.findall(doc.text) if w.islower()}
    counts: Counter[str] = Counter()
    for s in doc.sentences:
        for m in _SINGLE.finditer(s.text):
            if m.start() == 0 or s.text[:m.start()].rstrip().endswith((".", "“", '"', ":")):
                continue
            a = s.start + m.start()
            if any(x.start <= a < x.end for x in s.mentions):
                continue
            counts[m.group(0)] += 1
    out = set()
    for w, n in counts.items():
        low = w.lower()
        if n < 2 or low in lower or low in lex.not_person_words or kb.is_common_word(low) or kb.club(w) or kb.outlet(w) \
                or kb.journalist(w) or low in kb.country_demonyms or low in kb.demonyms or _NOT_WORD.search(low) \
                    or _norm(w) in _places():
            continue
        out.add(w)
    return out


_NOT_WORD = re.compile(r"^(?:january|february|march|april|may|june|july|august|september|october|november|december|"
                       r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|league|cup|premier|champions|club|"
                       r"football|soccer|manager|coach|boss|england|europe|african?|american?|asian?)$")


@lru_cache(maxsize=1)
def _slot_before() -> re.Pattern[str]:
    """A person's slot before a one-word name: a position word of the knowledge base (kb positions.json: "forward",
    "keeper", "centre-back"), optionally after "'s", a nationality or an age ("Leeds' Brazilian forward ___")."""
    try:
        raw = json.loads((DATA / "positions.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    words = sorted({w for k, v in raw.items() if not k.startswith("_") for w in v if w.isascii() and w.islower()},
                   key=len, reverse=True)
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")[ \t]+$", re.I)


_AGE_AFTER = re.compile(r"^,[ \t]+\d{2}\b")


def _slot_names(doc: ArticleDoc) -> set[str]:
    """One-word names ("Raphinha", "Antony") named once, in a person's slot: right after a position word
    ("Brazilian forward Raphinha"), or with an age after ("Neymar, 29,"); the same filters as `_single_names`."""
    kb = get_kb()
    lex = get_lexicon()
    slot = _slot_before()
    lower = {w for w in _WORDISH.findall(doc.text) if w.islower()}
    out = set()
    for s in doc.sentences:
        for m in _SINGLE.finditer(s.text):
            if m.start() == 0:
                continue
            a = s.start + m.start()
            if any(x.start <= a < x.end for x in s.mentions):
                continue
            if not (slot.search(s.text[max(0, m.start() - 40):m.start()]) or _AGE_AFTER.match(s.text[m.end():m.end() + 6])):
                continue
            w = m.group(0)
            low = w.lower()
            if low in lower or low in lex.not_person_words or kb.is_common_word(low) or kb.club(w) or kb.outlet(w) \
                    or kb.journalist(w) or low in kb.country_demonyms or low in kb.demonyms or _NOT_WORD.search(low) \
                    or _norm(w) in _places():
                continue
            out.add(w)
    return out


def _single_mentions(s: Sentence, names: set[str]) -> list[Mention]:
    out = []
    for m in _SINGLE.finditer(s.text):
        if m.group(0) in names:
            a = s.start + m.start()
            if not any(x.start < a + len(m.group(0)) and x.end > a for x in s.mentions):
                out.append(Mention("person", m.group(0), a, a + len(m.group(0)), canonical=m.group(0), role="target", weak=True))
    return out


_HANDLE = re.compile(r"(?<![\w@])@(\w{3,})")


def _handle_mentions(s: Sentence) -> list[Mention]:
    """@handles of a sentence no recogniser took, as the journalist or outlet the knowledge base knows them by
    (kb.outlets.account), else an outlet it knows by that name, else the handle itself as a journalist's name (as
    annotators write an account they cannot name): "as @X reports" relays X."""
    from mercato.kb.outlets import account

    kb = get_kb()
    out = []
    for m in _HANDLE.finditer(s.text):
        a, b = s.start + m.start(), s.start + m.end()
        if any(x.start < b and x.end > a for x in s.mentions):
            continue
        handle = m.group(1)
        got = account(handle)
        if got is not None:
            kind, name = got
        elif outlet := kb.outlet(handle):
            kind, name = "outlet", outlet
        elif kb.club(handle):
            continue  # a club's account: the club, which the mentions already read
        else:
            kind, name = "journalist", handle
        out.append(Mention("journalist" if kind == "journalist" else "outlet", handle, a, b, canonical=name, weak=True))
    return out


def _main(doc: ArticleDoc) -> tuple[list[str], list[str], Counter[str], Counter[str]]:
    """The article's main people and clubs: the most named (the headline counts twice), two of each at most;
    and the mention counts."""
    pc: Counter[str] = Counter()
    cc: Counter[str] = Counter()
    for i, s in enumerate(doc.sentences):
        w = 2 if i == 0 else 1
        for m in _persons(s):
            pc[m.canonical or ""] += w
        for m in _clubs(s):
            if m.role in ("", "affiliation"):
                cc[m.canonical or ""] += w
    persons = [p for p, n in pc.most_common(2) if n >= 2] or [p for p, _ in pc.most_common(1)]
    clubs = [c for c, n in cc.most_common(2) if n >= 2]
    return persons, clubs, pc, cc


_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


PLATFORMS = frozenset({"x", "twitter", "x com", "instagram", "youtube", "facebook", "tiktok", "threads", "telegram"})


@lru_cache(maxsize=4096)
def kb_outlet(name: str) -> str | None:
    """An outlet under the knowledge base's name (by name, alias or domain); None for a platform (X, Instagram...:
    where something is posted, never who reports it); the name itself, qualifiers removed, where the knowledge
    base does not know it."""
    from mercato.kb import get_kb
    from mercato.kb.outlets import canonical_host, readable_outlet_name

    looks_like_domain = "." in name and " " not in name
    words = set(canonical_host(name).split(".")[:-1] if looks_like_domain else _norm(name).split(" "))
    if _norm(name) in PLATFORMS or words & (PLATFORMS - {"x"}) or (looks_like_domain and canonical_host(name) == "x.com"):
        return None
    kb = get_kb()
    if known := kb.outlet(name):
        return _QUALIFIER.sub("", known) or known  # the spec: "Daily Post (Nigeria)" -> Daily Post
    if looks_like_domain:
        # a domain the knowledge base knows gives its outlet, another the site's own label ("italy24news.com" ->
        # "Italy24news"): a domain is never an outlet's name
        return _QUALIFIER.sub("", readable_outlet_name(name))
    bare = _QUALIFIER.sub("", name)
    if bare != name and bare and (known := kb.outlet(bare)):
        return _QUALIFIER.sub("", known) or known
    return bare or name


def map_source(src: Source, outlets: dict[str, str] | None = None) -> Source:
    """A source with its outlet as the knowledge base names it (`kb_outlet`): a domain or alias gives the outlet's
    canonical name and a platform no outlet. `outlets` (a map learnt from the annotators' names, kept for the
    comparison) applies only where the knowledge base does not know the outlet and the name it maps to is known."""
    if not src.outlet:
        return src
    key = (src.outlet, id(outlets))  # the outlet's name under one map is looked up once (bounded)
    got = _MAPPED.get(key)
    if got is None or got[0] is not outlets:
        got = _MAPPED[key] = (outlets, _mapped_outlet(src.outlet, outlets))
        if len(_MAPPED) > 20000:
            _MAPPED.clear()
    out = got[1]
    return src if out == src.outlet else Source(src.journalist, out)


_MAPPED: dict[tuple[str, int], tuple[dict[str, str] | None, str | None]] = {}


def _mapped_outlet(name: str, outlets: dict[str, str] | None) -> str | None:
    from mercato.kb import get_kb

    kb = get_kb()
    if outlets and (alt := outlets.get(_norm(name))) and (known := kb.outlet(alt)):
        if not kb.outlet(name):
            name = alt
        elif known == kb.outlet(name):
            # the same outlet under the annotators' spelling ("Mirror" -> "Daily Mirror"): the knowledge base says
            # which outlet it is, the learnt map how the annotations write it
            return alt if kb_outlet(name) is not None else None
    return kb_outlet(name)


def generate(doc: ArticleDoc, rule_claims: list[ClaimRecord], outlets: dict[str, str] | None = None,
             parse: bool | None = None) -> list[Candidate]:
    """Candidates of one processed article (the rules' claims given separately: they are features).
    `outlets` maps an outlet's name as ingest gives it to the name annotators use (learnt, shipped with the model).
    `parse`: add the dependency-parse features (learned.depfeats); None: as MERCATO_LEARNED_PARSE says."""
    units, finish = generate_units(doc, rule_claims, outlets, parse)
    return finish(units)


def generate_units(doc: ArticleDoc, rule_claims: list[ClaimRecord], outlets: dict[str, str] | None = None,
                   parse: bool | None = None) -> tuple[list[Candidate], Callable[[Sequence[Candidate]], list[Candidate]]]:
    """`generate` in two steps: one candidate of each (club, person, sentence) unit, with its unit's features only
    (`unit_feats`; `features` empty; its source the pair's clause's), and a function that, handed some of these, gives
    their units' candidates (each source option: `generate`'s candidates of those units, in the same order) with their
    whole features (unit, then source option), as `generate` makes them. A factorised model decides whether a unit
    makes a claim from the unit's features alone, so a caller completes only the units that model may accept
    (`learned_claims`)."""
    units, expand, complete = _generate(doc, rule_claims, outlets, parse)

    def finish(reps: Sequence[Candidate]) -> list[Candidate]:
        out = expand(reps)
        complete(out)
        return out

    return units, finish


def _generate(doc: ArticleDoc, rule_claims: list[ClaimRecord], outlets: dict[str, str] | None = None,
              parse: bool | None = None) -> tuple[list[Candidate], Callable[[Sequence[Candidate]], list[Candidate]],
                                                  Callable[[Sequence[Candidate]], None]]:
    by_sentence: dict[int, list[ClaimRecord]] = {}
    for c in rule_claims:
        by_sentence.setdefault(_sent_index(doc, c.start), []).append(c)
    reps: list[Candidate] = []  # one candidate of each unit (the first of its source options)
    made: dict[int, Callable[[], list[Candidate]]] = {}  # id(rep) -> what makes the unit's candidates
    last_person: str | None = None
    last_club: str | None = None
    recent: list[Source] = []  # the named sources of the sentences before, latest last
    for s in doc.sentences:  # after the rules ran: they never see these
        late = [m for m in doc.late_clubs if s.start <= m.start < s.end and not any(
            x.start < m.end and x.end > m.start for x in s.mentions)]
        s.mentions = sorted([*s.mentions, *late], key=lambda x: x.start)
        s.mentions = sorted([*s.mentions, *_fallback_persons(doc, s), *_handle_mentions(s)], key=lambda x: x.start)
    if "single" in GENERATORS or "slot" in GENERATORS:
        singles = _single_names(doc) if "single" in GENERATORS else set()
        if "slot" in GENERATORS:
            singles |= _slot_names(doc)
        for s in doc.sentences:
            if singles:
                s.mentions = sorted([*s.mentions, *_single_mentions(s, singles)], key=lambda x: x.start)
    main_persons, main_clubs, pcount, ccount = _main(doc)
    doc_feats: dict[str, Any] = {"main_persons": main_persons, "main_clubs": main_clubs, "pcount": pcount,
                                 "ccount": ccount, "rule_stages": _rule_stages(rule_claims, outlets)}
    focus = _focus(doc) if "focus" in pairfeats.GROUPS or "focus" in GENERATORS else None
    if focus is not None and "focus" in pairfeats.GROUPS:
        doc_feats["focus"] = focus
    if "keep" in pairfeats.GROUPS:  # who the article says is leaving (named in a sentence about a departure)
        doc_feats["leaving"] = {m.canonical for s in doc.sentences if pairfeats.departure(s.text) for m in _persons(s)}
    if "direction" in pairfeats.GROUPS:  # which way each person moves with each club, sentence by sentence
        doc_feats["direction"] = _directions(doc)
        if "direction_split" in pairfeats.GROUPS:
            doc_feats["dir_long"] = len(doc.text) >= 400
    short = len(doc.text) < SHORT
    doc_persons = list(dict.fromkeys(m.canonical for s in doc.sentences for m in _persons(s) if m.canonical)) if short else []
    doc_clubs = list(dict.fromkeys(m.canonical for s in doc.sentences for m in _clubs(s) if m.canonical)) if short else []
    for si, s in enumerate(doc.sentences):
        if not s.clauses:
            continue
        persons, clubs = _persons(s), _clubs(s)
        pairs: dict[tuple[str, str], tuple[str, int | None]] = {}  # (club, person) -> origin, anchor position
        for pm in persons:
            for cm in clubs:
                if cm.canonical != pm.canonical:
                    pairs.setdefault((cm.canonical or "", pm.canonical or ""), ("name" if pm.weak else "cooc", pm.start))
        if last_person and (not persons or _ANAPHOR.search(s.text)):
            for cm in clubs:
                pairs.setdefault((cm.canonical or "", last_person), ("carried_person", cm.start))
        if not clubs and last_club:
            for pm in persons:
                if pm.canonical != last_club and doc.current_club.get(pm.canonical or "") != last_club:
                    pairs.setdefault((last_club, pm.canonical or ""), ("carried_club", pm.start))
        for rc in by_sentence.get(si, []):
            pairs.setdefault((rc.club, rc.person), ("rule_only", rc.start))
        if focus is not None and "focus" in GENERATORS and persons and si in focus.vacancy:
            # a sentence about a job being filled naming people ("Alonso, Amorim and De Zerbi are on the shortlist"):
            # each with the club whose job it is, named in a sentence about it before (`_focus`)
            for club in focus.in_focus(si):
                for pm in persons:
                    if club != pm.canonical and doc.current_club.get(pm.canonical or "") != club:
                        pairs.setdefault((club, pm.canonical or ""), ("focus", pm.start))
        if "main" in GENERATORS and not short:
            for cm in clubs:  # a club with the article's main people ("the striker", "he", or no name at all)
                for person in main_persons:
                    if person != cm.canonical:
                        pairs.setdefault((cm.canonical or "", person), ("main_person", cm.start))
            for pm in persons:  # a person with the article's main clubs ("Stuttgart's Hoeness ... considered")
                for club in main_clubs:
                    if club != pm.canonical and doc.current_club.get(pm.canonical or "") != club:
                        pairs.setdefault((club, pm.canonical or ""), ("main_club", pm.start))
            if not clubs and not persons and main_persons and main_clubs and (
                    _sentence_features(s) or _ANAPHOR.search(s.text)):
                for club in main_clubs:
                    if doc.current_club.get(main_persons[0]) != club:
                        pairs.setdefault((club, main_persons[0]), ("main_pair", None))
        if short:
            # a post or gossip item is about one move or a few: every club with every person it names
            for cm in clubs:
                for person in doc_persons:
                    if person != cm.canonical:
                        pairs.setdefault((cm.canonical or "", person), ("doc", cm.start))
            if "post" in GENERATORS and doc_persons and (_sentence_features(s) or _ANAPHOR.search(s.text)):
                # a line naming one side or neither ("Here we go, confirmed", "Deal done with Olympiacos, as @X
                # reports", "Kevin Danso also on the shortlist"): the post's people with the clubs it names elsewhere
                for pm in persons:
                    for club in doc_clubs:
                        if club != pm.canonical and doc.current_club.get(pm.canonical or "") != club:
                            pairs.setdefault((club, pm.canonical or ""), ("post_club", pm.start))
                if not persons:
                    for club in doc_clubs:
                        for person in doc_persons[:2]:
                            if club != person and doc.current_club.get(person) != club:
                                pairs.setdefault((club, person), ("post_pair", None))
            if not clubs and (any(x.kind in ("journalist", "outlet") for x in s.mentions)
                              or any(c2.kind == "named" for c2 in s.clauses)):
                # a sentence naming a source and no club ("Deal in place, as @X reports"): it relays the item's moves
                for club, person in dict.fromkeys((c.club, c.person) for c in reps):
                    pairs.setdefault((club, person), ("relay", None))
        # a person's role in the sentence, read once: rules._role answers alike for him with any club (it reads
        # his mention, the sentence and doc.titled_role, which it sets only for him and only to what it returns)
        roles: dict[str, str] = {}
        for (club, person), (origin, anchor) in pairs.items():
            cl = _clause_at(s, anchor)
            mine = [rc for rc in by_sentence.get(si, []) if rc.club == club and rc.person == person]
            if mine:
                cl = _clause_at(s, mine[0].start)
            options: list[tuple[str, Source]] = [("clause", cl.source or doc.own_source), ("own", doc.own_source),
                                                 ("unnamed", Source(None, None))]
            options += [("frame", c2.source) for c2 in s.clauses if c2.source is not None]
            options += [("rule", rc.source) for rc in mine]
            options += [("mention", Source(x.canonical, None) if x.kind == "journalist" else Source(None, x.canonical))
                        for x in s.mentions if x.kind in ("journalist", "outlet") and x.canonical]
            options += [("recent", src) for src in recent[-2:]]
            if "party" in GENERATORS and (not short or "party_short" in GENERATORS):  # a party speaking: a club of the
                # sentence announcing (the buying or the selling one), or the person in his own words; in a gossip item
                # or post too with `party_short` ("Example striker Jo Bloggs, 24, says he wants to join Leeds")
                options += [("party", Source(None, x.canonical)) for x in clubs]
                if m_person_here := next((x for x in persons if x.canonical == person), None):
                    options.append(("party", Source(m_person_here.canonical, None)))
            m = next((x for x in persons if x.canonical == person), None)
            if mine:
                role = mine[0].role
            else:
                known = roles.get(person)
                role = known if known is not None else roles.setdefault(person, rules._role(person, s, m, doc))
            mine_keys = [_key(map_source(rc.source, outlets)) for rc in mine]  # the same for each source option
            rep = Candidate(club, person, si, cl, map_source(options[0][1], outlets), options[0][0], origin, role,
                            {options[0][0]}, mine, mine_keys)
            reps.append(rep)
            made[id(rep)] = partial(_unit_candidates, rep, options, outlets)
        recent += [c2.source for c2 in s.clauses if c2.kind in ("named", "party") and c2.source is not None
                   and c2.source not in recent[-2:]]
        if persons:
            targets = [p for p in persons if p.role == "target"] or persons
            last_person = targets[-1].canonical
        suitors = [c for c in clubs if c.role == ""]
        if suitors:
            last_club = suitors[-1].canonical
    own = map_source(doc.own_source, outlets)

    expanded: dict[int, list[Candidate]] = {}  # each unit's candidates made once (the parse features know them by id)

    def expand(chosen: Sequence[Candidate]) -> list[Candidate]:
        out: list[Candidate] = []
        for rep in chosen:
            got = expanded.get(id(rep))
            if got is None:
                got = expanded[id(rep)] = made[id(rep)]()
            for cand in got:
                cand.unit_feats = rep.unit_feats
                out.append(cand)
        return out

    if depfeats.enabled() if parse is None else parse:  # optional: dependency-parse features (`train --parse`)
        doc_feats["dep"], doc_feats["srcdep"] = depfeats.document_features(doc, expand(reps), kb_outlet)
    if "doc" in pairfeats.GROUPS:  # the pair across the article: in how many sentences both are named, the rules' claims
        doc_feats["pair_sents"] = Counter((c, p) for c, p, _ in {cd.unit for cd in reps if cd.origin in ("cooc", "name")})
        doc_feats["pair_head"] = {cd.unit[:2] for cd in reps if cd.sentence == 0 and cd.origin in ("cooc", "name")}
        doc_feats["rule_pairs"] = {(rc.club, rc.person) for rc in rule_claims}
    units: dict[tuple[str, str, int], dict[str, float]] = {}
    for rep in reps:
        rep.unit_feats = _unit_of(doc, rep, units, doc_feats)

    def complete(cands: Sequence[Candidate]) -> None:
        for cand in cands:
            cand.features = features(doc, cand, own, units, doc_feats)

    return reps, expand, complete


def _unit_candidates(rep: Candidate, options: list[tuple[str, Source]], outlets: dict[str, str] | None
                     ) -> list[Candidate]:
    """The candidates of a unit (`rep`'s club, person, sentence, clause, origin, role and rules' claims): one for
    each source its options name, the options that name it recorded (the first names it)."""
    seen: dict[tuple[str, str], Candidate] = {}
    for opt, raw in options:
        src = map_source(raw, outlets)
        key = ident(_key(src))
        if key in seen:
            seen[key].options.add(opt)
            if src.outlet and not seen[key].source.outlet:
                seen[key].source = src  # the same journalist, his outlet named
            continue
        seen[key] = Candidate(rep.club, rep.person, rep.sentence, rep.clause, src, opt, rep.origin, rep.role, {opt},
                              rep.rule_claims, rep.rule_sources)
    return list(seen.values())


@dataclass
class _Focus:
    """Where each club is named in an article (sentence indices) and which sentences speak of a job being filled
    (a vacancy word or a job anaphor: learned.pairfeats), for a club not named in a sentence: is it the club whose
    job the article is discussing there?"""

    named: dict[str, list[int]]
    vacancy: set[int]
    suitors: dict[int, list[str]]  # the clubs of each sentence in no other role than suitor (or affiliation-free)

    def in_focus(self, si: int, back: int = 3) -> list[str]:
        """The clubs whose job sentence `si` may be about: the suitor clubs of the latest sentence about a job among
        the `back` before it, else of the headline where it is about one."""
        for i in range(si - 1, max(-1, si - 1 - back), -1):
            if i in self.vacancy and self.suitors.get(i):
                return self.suitors[i][:2]
        if si > 0 and 0 in self.vacancy and self.suitors.get(0):
            return self.suitors[0][:2]
        return []


def _focus(doc: ArticleDoc) -> _Focus:
    named: dict[str, list[int]] = {}
    vac: set[int] = set()
    suitors: dict[int, list[str]] = {}
    for i, s in enumerate(doc.sentences):
        for m in _clubs(s):
            got = named.setdefault(m.canonical or "", [])
            if not got or got[-1] != i:
                got.append(i)
        if pairfeats.vacancy(s.text) or pairfeats.club_anaphor(s.text):
            vac.add(i)
        suitors[i] = list(dict.fromkeys(m.canonical or "" for m in _clubs(s) if m.role == ""))
    return _Focus(named, vac, suitors)


def _focus_features(doc: ArticleDoc, c: Candidate, f: dict[str, float], masked: str, focus: _Focus) -> tuple[int, int] | None:
    """Features of a candidate whose club is not named in its sentence: a phrase standing for a club there ("the
    club", "the role": its span, returned, serves as the club's), whether the sentence speaks of a job being filled,
    and where the club was named before (how many sentences back, the headline, a sentence about a job, the latest
    club named, the club in focus), and whether another club stands here in a suitor's place."""
    span = None
    if an := pairfeats.club_anaphor(masked):
        span = (an[0] - 1, an[1])
        f["c_anaphor=" + an[2]] = 1.0
    here = c.sentence in focus.vacancy
    cur = doc.current_club.get(c.person)
    if any(m.role == "" and m.canonical != cur for m in _clubs(doc.sentences[c.sentence])):
        f["c_other_suitor_here"] = 1.0  # another club here, not his, in a suitor's place: the sentence's own club
    if here:
        f["c_vacancy"] = 1.0
    seen = focus.named.get(c.club, [])
    before = [i for i in seen if i < c.sentence]
    f["cfocus_gap=" + (_bucket(c.sentence - before[-1], (1, 2, 4)) if before else "none")] = 1.0
    if seen and seen[0] == 0 and c.sentence > 0:
        f["cfocus_head"] = 1.0
    if before and before[-1] in focus.vacancy:
        f["cfocus_vac_named"] = 1.0
    if before:
        latest = max((js[k] for js in focus.named.values() for k in range(len(js)) if js[k] < c.sentence), default=-1)
        if before[-1] == latest:
            f["cfocus_latest"] = 1.0
    if c.club in focus.in_focus(c.sentence):
        f["cfocus_in"] = 1.0
        if here:
            f["cfocus_in&vacancy"] = 1.0
    return span


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


# the placeholder of a mention in the masked sentence: by its kind, whether it is the candidate's club or person
_TAGS = {("club", True): "_club_", ("club", False): "_oclub_", ("person", True): "_person_", ("person", False): "_oper_",
         ("src", True): "_src_", ("src", False): "_src_"}


@dataclass
class _Layout:
    """A sentence cut at the mentions its masked form replaces (`_masked_sentence`), whichever the pair: the texts
    between them, each mention's kind (club, person, or src: any other) and name, and each text's tokens with their
    `w:` names and the `b:` names of the bigrams inside it (tokens never run across a placeholder: it is written with
    spaces around it)."""

    texts: list[str]
    marks: list[tuple[str, str]]
    words: list[tuple[list[str], list[str], list[str]]]


def _layout(doc: ArticleDoc, s: Sentence) -> _Layout:
    texts: list[str] = []
    marks: list[tuple[str, str]] = []
    pos = s.start
    for m in sorted(s.mentions, key=lambda x: x.start):
        if m.start < pos or not m.canonical:
            continue
        texts.append(doc.text[pos:m.start])
        marks.append(("club" if m.kind == "club" else "person" if m.kind == "person" and m.role != "journalist" else "src",
                      m.canonical))
        pos = m.end
    texts.append(doc.text[pos:s.end])
    words = []
    for text in texts:
        toks = _tokens(text)
        words.append((toks, ["w:" + t for t in toks], [f"b:{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]))
    return _Layout(texts, marks, words)


def _masked_sentence(doc: ArticleDoc, s: Sentence, club: str, person: str, layout: _Layout | None = None
                     ) -> tuple[str, int | None, int | None]:
    """The sentence with mentions replaced by placeholders; positions of the candidate's club and person in it."""
    lay = layout or _layout(doc, s)
    parts = [lay.texts[0]]
    n = len(lay.texts[0])
    cpos = ppos = None
    for (kind, name), text in zip(lay.marks, lay.texts[1:], strict=True):
        if kind == "club" and name == club and cpos is None:
            cpos = n
        elif kind == "person" and name == person and ppos is None:
            ppos = n
        tag = f" {_TAGS[kind, name == (club if kind == 'club' else person)]} "
        parts += (tag, text)
        n += len(tag) + len(text)
    return "".join(parts), cpos, ppos


def _word_features(lay: _Layout, club: str, person: str) -> tuple[list[str], list[str]]:
    """The `w:` names of the masked sentence's tokens and the `b:` names of its bigrams, in the order of its tokens
    (the same as `_tokens` of the masked sentence gives): each text's own made once per sentence."""
    wl: list[str] = []
    bl: list[str] = []
    prev: str | None = None
    for i, (toks, wnames, bnames) in enumerate(lay.words):
        if toks:
            if prev is not None:
                bl.append(f"b:{prev} {toks[0]}")
            wl += wnames
            bl += bnames
            prev = toks[-1]
        if i < len(lay.marks):
            kind, name = lay.marks[i]
            tag = _TAGS[kind, name == (club if kind == "club" else person)]
            if prev is not None:
                bl.append(f"b:{prev} {tag}")
            wl.append("w:" + tag)
            prev = tag
    return wl, bl


def _tokens(text: str) -> list[str]:
    return list(map(str.lower, _TOKEN.findall(text)))


_WINDOWS: dict[str, tuple[str, ...]] = {}


def _window_tokens(text: str) -> tuple[str, ...]:
    """`_tokens` of a window of a masked sentence (the words between, before and after the pair's placeholders),
    remembered by its text: the units of a sentence share most windows (about half the calls repeat one)."""
    got = _WINDOWS.get(text)
    if got is None:
        if len(_WINDOWS) > 20000:
            _WINDOWS.clear()
        got = _WINDOWS[text] = tuple(_tokens(text))
    return got


_CACHE: dict[tuple[int, int, str], tuple[str, ...]] = {}


def _cue_stages(text: str) -> tuple[str, ...]:
    """The stages of the cue lexicon's hits in a text (once per text: a one-clause sentence is its clause)."""
    key = (2, 0, text)
    got = _CACHE.get(key)
    if got is None:
        got = tuple(stage for stage, _ in rules._cues(text))
        _CACHE[key] = got
    return got


def _clause_features(cl: Clause) -> tuple[str, ...]:
    """Cue-lexicon hits of a clause (stage cues, hedges, doubts...), computed once per clause text."""
    key = (0, 0, cl.text)
    got = _CACHE.get(key)
    if got is None:
        lex = get_lexicon()
        out = ["cue:" + stage for stage in _cue_stages(cl.text)]
        for name, pat in (("hedge", lex.hedge), ("doubt", lex.doubt), ("firm", lex.firm), ("offp", lex.off_person),
                          ("offc", lex.off_club), ("modal", lex.modal)):
            if pat.search(cl.text):
                out.append("lex:" + name)
        got = tuple(dict.fromkeys(out))
        if len(_CACHE) > 20000:
            _CACHE.clear()
        _CACHE[key] = got
    return got


def _sentence_features(s: Sentence) -> tuple[str, ...]:
    key = (1, 0, s.text)
    got = _CACHE.get(key)
    if got is None:
        lex = get_lexicon()
        out = ["scue:" + stage for stage in _cue_stages(s.text)]
        for name, pat in (("reporting", lex.reporting), ("unnamedframe", lex.unnamed)):
            if pat.search(s.text):
                out.append("lex:" + name)
        got = tuple(dict.fromkeys(out))
        _CACHE[key] = got
    return got


def features(doc: ArticleDoc, c: Candidate, own: Source | None = None,
             units: dict[tuple[str, str, int], dict[str, float]] | None = None,
             doc_feats: dict | None = None) -> dict[str, float]:
    """The candidate's features: those of its (club, person, sentence) unit (computed once per unit when `units`
    is given), then those of its source option."""
    f = dict(_unit_of(doc, c, units, doc_feats))
    hedge, doubt = "lex:hedge" in f, "lex:doubt" in f
    # the rules' proposal from this source
    same_src = [rc for rc, key in zip(c.rule_claims, c.rule_sources, strict=True) if ident(key) == ident(c.source_key)]
    if same_src:
        f["r:src"] = 1.0
        f["r:src_stage=" + same_src[0].stage] = 1.0
        f["r:src_cert=" + same_src[0].certainty] = 1.0
    if doc_feats and (got := doc_feats.get("rule_stages", {}).get((c.club, c.person, c.source_key))):
        f["r:srcdoc=" + got] = 1.0  # the rules' strongest stage for the pair from this source, anywhere in the article
    _option_features(doc, c, f, own, bool(same_src), hedge, doubt)
    _source_features(doc, c, f, own, doc_feats)
    if doc_feats is not None and "srcdep" in doc_feats:
        f.update(doc_feats["srcdep"].get(id(c), ()))
    return f


def _unit_of(doc: ArticleDoc, c: Candidate, units: dict[tuple[str, str, int], dict[str, float]] | None = None,
             doc_feats: dict | None = None) -> dict[str, float]:
    """The features of the candidate's (club, person, sentence) unit, made once per unit where `units` is given."""
    base = units.get(c.unit) if units is not None else None
    if base is None:
        base = _unit_base(doc, c, doc_feats)
        if doc_feats is not None:
            _doc_features(c, base, doc_feats)
        _stage_features(doc, c, doc.sentences[c.sentence], base, doc_feats.get("rule_stages", {}) if doc_feats else {})
        if units is not None:
            units[c.unit] = base
    return base


_WORDS = re.compile(r"[@\w’'-]+|[^\w\s]")


def _source_mentions(s: Sentence, key: tuple[str, str]) -> list[Mention]:
    """The mentions of a sentence that name this source: its journalist (or speaking person) or its outlet (or
    announcing club)."""
    out = []
    for m in s.mentions:
        if not m.canonical:
            continue
        if m.kind in ("journalist", "person") and key[0] and _norm(m.canonical) == key[0]:
            out.append(m)
        elif m.kind in ("outlet", "club") and key[1] and not key[0] and _norm(kb_outlet(m.canonical) or m.canonical) == key[1]:
            out.append(m)
        elif m.kind == "outlet" and key[1] and key[0] and _norm(kb_outlet(m.canonical) or "") == key[1]:
            out.append(m)
    return out


def _source_features(doc: ArticleDoc, c: Candidate, f: dict[str, float], own: Source | None,
                     memo: dict | None = None) -> None:
    """Where and how the text names the candidate's source: the words around its mention in the sentence (the
    reporting verb after it, "according to", "as", "told", "via" before it), whether it is named before the pair
    and in the pair's clause, whether it is the reporting frame nearest the pair, whether it is the byline's author,
    the article's outlet, the person or a club (learnt: which of these makes a source is the model's to weigh).
    `memo`: a dict for one document whose mentions no longer change (`generate`'s): what depends on the sentence and
    the source alone (its mentions, the sentence's source mentions) is looked up once there, not per candidate."""
    s = doc.sentences[c.sentence]
    key = c.source_key
    short = "&short" if len(doc.text) < SHORT else ""
    if memo is None:
        memo = {}
    xk = ("sx", key, c.source.journalist, c.source.outlet, c.person, c.club, own.key() if own is not None else None)
    sx = memo.get(xk)
    if sx is None:
        sx = memo[xk] = _kind_features(doc, c, own)
    out = list(sx)
    mk = ("sm", c.sentence, key)
    ms = memo.get(mk)
    if ms is None:
        ms = memo[mk] = _source_mentions(s, key) if (key[0] or key[1]) else []
    if ms:
        out.append("sm:in_sentence")
        ak = ("anchor", c.sentence, c.club, c.person)
        anchors = memo.get(ak)
        if anchors is None:
            anchors = memo[ak] = [m.start for m in s.mentions
                                  if m.canonical in (c.club, c.person) and m.kind in ("club", "person")]
        anchor = min(anchors) if anchors else c.clause.start
        m = min(ms, key=lambda x: abs(x.start - anchor))
        out.append("sm:before" if m.start < anchor else "sm:after")
        if c.clause.start <= m.start < c.clause.end:
            out.append("sm:in_clause")
        # the source mention nearest the pair among all source-like mentions (journalists, outlets)
        ok = ("others", c.sentence)
        got = memo.get(ok)
        if got is None:
            others_ = [x for x in s.mentions if x.kind in ("journalist", "outlet") and x.canonical]
            got = memo[ok] = (others_, "sm:nsrc=" + _bucket(len({x.canonical for x in others_}), (1, 2)))
        others, nsrc = got
        if others and min(others, key=lambda x: abs(x.start - anchor)) in ms:
            out.append("sm:nearest")
        out.extend(_mention_context(s.text, m.start - s.start, m.end - s.start))
        out.append(nsrc)
    elif key[0] or key[1]:
        # named in an earlier sentence: how far back
        pk = ("prev", c.sentence, key)
        prev = memo.get(pk)
        if prev is None:
            for back in (1, 2, 3):
                if c.sentence - back >= 0 and _source_mentions(doc.sentences[c.sentence - back], key):
                    prev = f"sm:prev{back}"
                    break
            else:
                prev = "sm:absent"
            memo[pk] = prev
        out.append(prev)
    # quote scope: inside quotation marks the speaker's words, outside the reporter's
    qk = ("quote", c.sentence, c.clause.start)
    quoted = memo.get(qk)
    if quoted is None:
        quoted = memo[qk] = _in_quote(s.text, c.clause.start - s.start + 2)
    kind = out[0].split(":")[1] if out and out[0].startswith("sx:") else "named"
    out.append(("sq:in_quote&" if quoted else "sq:out&") + kind)
    if "cross" in srcfeats.GROUPS:
        # the sentence's source phrase, unnamed frame, reporting words and announcement with the candidate's kind of
        # source: which source such a sentence gives (a club announcing "..., the German giants announced", an outlet
        # relayed, an unnamed report, the article's own voice) is learnt, the same indicators for each option
        ik = ("cross", c.unit)
        inds = memo.get(ik)
        if inds is None:
            inds = memo[ik] = srcfeats.crossed(c.unit_feats if c.unit_feats is not None else f, s.text)
        skind = "own" if kind in ("author", "own_outlet") else kind if kind in ("none", "person", "club", "other_club") \
            else ("here" if ms else "away")
        out.extend(f"sk:{skind}&{i}" for i in inds)
    for k in out:
        f[k] = 1.0
        if short:
            f[k + short] = 1.0
    # the words of the pair's clause with the kind of source: which words make a claim the article's own, an
    # unnamed report's ("reports", "believed", "rumours") or a named source's is learnt, not listed
    group = "none" if kind == "none" else "own" if kind in ("author", "own_outlet") else \
        "party" if kind in ("person", "club", "other_club") else ("here" if ms else "away")
    f.update(dict.fromkeys(_clause_word_keys(group, c.clause.text, short), 1.0))


def _kind_features(doc: ArticleDoc, c: Candidate, own: Source | None) -> tuple[str, ...]:
    """What kind of source the candidate's is: none, the byline's author, the article's outlet, the person, a club,
    one the knowledge base knows (the same for each candidate with this source, person and club)."""
    key = c.source_key
    out: list[str] = []
    if not key[0] and not key[1]:
        out.append("sx:none")
    own_key = _key(own or doc.own_source)
    if key[0] and key[0] == own_key[0]:
        out.append("sx:author")
    if key[1] and key[1] == own_key[1] and not key[0]:
        out.append("sx:own_outlet")
    if key[0] and key[0] == _norm(c.person):
        out.append("sx:person")
    if key[1] and not key[0]:
        if key[1] == _norm(c.club):
            out.append("sx:club")
        elif get_kb().club(c.source.outlet or ""):
            out.append("sx:other_club")
    if key[0] and get_kb().journalist(c.source.journalist or ""):
        out.append("sx:kb_journalist")
    if key[1] and get_kb().outlet(c.source.outlet or ""):
        out.append("sx:kb_outlet")
    return tuple(out)


_WORD_KEYS: dict[tuple[str, str, str], tuple[str, ...]] = {}


def _clause_word_keys(group: str, text: str, short: str) -> tuple[str, ...]:
    """The `sw:` feature names of a clause's words for a kind of source, each followed by its `&short` twin in short
    texts: the order in which `_source_features` sets them one by one (made once per clause and kind)."""
    wk = (group, text, short)
    got = _WORD_KEYS.get(wk)
    if got is None:
        names: list[str] = []
        for w in _clause_words(text):
            names.append(f"sw:{group}&{w}")
            if short:
                names.append(f"sw:{group}&{w}{short}")
        got = tuple(names)
        if len(_WORD_KEYS) > 20000:
            _WORD_KEYS.clear()
        _WORD_KEYS[wk] = got
    return got


_CONTEXT: dict[tuple[str, int, int], tuple[str, ...]] = {}


def _mention_context(text: str, a: int, b: int) -> tuple[str, ...]:
    """The words around a source's mention at [a, b) of a sentence, and the lexicons' words there (a reporting verb
    or a party's factive verb after it, "according to", "told" before it: the same evidence for verbs the training
    data names rarely); once per mention, whichever pair asks."""
    got = _CONTEXT.get((text, a, b))
    if got is not None:
        return got
    out = []
    left = _WORDS.findall(text[max(0, a - 30):a].lower())[-2:]
    right = [w for w in _WORDS.findall(text[b:b + 30].lower()) if w not in ("’s", "'s", "’", "'")][:2]
    out += ["sl:" + w for w in left]
    if len(left) == 2:
        out.append("sl2:" + " ".join(left))
    out += ["sr:" + w for w in right]
    if right:
        out.append("sr1:" + right[0])
    lex = get_lexicon()
    after = text[b:b + 40]
    if lex.reporting.search(after):
        out.append("srv:reporting")
    if lex.factive.search(after):
        out.append("srv:factive")
    if lex.frame_prep.search(text[max(0, a - 40):a]):
        out.append("slp:frame_prep")
    got = tuple(out)
    if len(_CONTEXT) > 20000:
        _CONTEXT.clear()
    _CONTEXT[(text, a, b)] = got
    return got


_CLAUSE_WORDS: dict[str, tuple[str, ...]] = {}


def _clause_words(text: str) -> tuple[str, ...]:
    got = _CLAUSE_WORDS.get(text)
    if got is None:
        got = tuple(dict.fromkeys(w.lower() for w in _WORDISH.findall(text) if len(w) > 2))[:30]
        if len(_CLAUSE_WORDS) > 20000:
            _CLAUSE_WORDS.clear()
        _CLAUSE_WORDS[text] = got
    return got


def _in_quote(text: str, pos: int) -> bool:
    """Whether a position of a sentence is inside quotation marks (an odd number of them before it)."""
    before = text[:max(0, pos)]
    return (before.count("“") > before.count("”")) or before.count('"') % 2 == 1


def _sentence_phrase(doc: ArticleDoc, s: Sentence, lay: _Layout, memo: dict | None = None) -> tuple[str, ...]:
    """`srcfeats.source_phrase` of any unit's masked sentence, read once per sentence (on the sentence masked with
    every club and person another's, " _oclub_ " and " _oper_ "): the phrase patterns never tell a pair's placeholder
    from another's (they read " _src_ ", capitalised words and word-bounded cue words, and only look ahead for any
    of the four placeholders; a placeholder stands between spaces and its letters follow "_", so no word boundary or
    capital starts inside one), so every unit of a sentence has the same phrase (tests/test_exact_speedups.py)."""
    key = ("phrase", s.start)
    got = memo.get(key) if memo is not None else None
    if got is None:
        got = srcfeats.source_phrase(_masked_sentence(doc, s, "", "", lay)[0])
        if memo is not None:
            memo[key] = got
    return got


def _unit_base(doc: ArticleDoc, c: Candidate, memo: dict | None = None) -> dict[str, float]:
    """The features of the candidate's (club, person, sentence) unit. `memo`: a dict for one document whose mentions
    no longer change (`generate`'s), where each sentence's layout is made once."""
    s = doc.sentences[c.sentence]
    lk = ("layout", c.sentence)
    lay = memo.get(lk) if memo is not None else None
    if lay is None:
        lay = _layout(doc, s)
        if memo is not None:
            memo[lk] = lay
    masked, cpos, ppos = _masked_sentence(doc, s, c.club, c.person, lay)
    phrase = _sentence_phrase(doc, s, lay, memo) if "phrase" in srcfeats.GROUPS else ()
    if phrase and "frame" in srcfeats.GROUPS and (norm := srcfeats.normalise(masked)) is not None:
        # the source phrase as one placeholder: its words read alike whatever its form (learned.srcfeats.normalise)
        masked = norm
        cpos = i if (i := masked.find(" _club_ ")) >= 0 else None
        ppos = i if (i := masked.find(" _person_ ")) >= 0 else None
        toks = _tokens(masked)
        wl, bl = ["w:" + t for t in toks], [f"b:{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
    else:
        wl, bl = _word_features(lay, c.club, c.person)
    # dict.fromkeys / update: the same keys in the same order as setting each to 1.0, at less cost
    f: dict[str, float] = dict.fromkeys(wl, 1.0)
    f.update(dict.fromkeys(bl, 1.0))
    # the club's and the person's spans in the masked sentence: a coordinated list stands for its members, and a
    # pronoun or descriptor for a person not named here (learned.pairfeats)
    cspan = (cpos, cpos + 7) if cpos is not None else None
    pspan = (ppos, ppos + 9) if ppos is not None else None
    if cpos is not None and "list" in pairfeats.GROUPS and (co := pairfeats.coordination(masked, cpos, "club")):
        cspan = (co[0], co[1] - 1)
        f["clist"] = 1.0
        f["clist_n=" + _bucket(co[2], (2, 3))] = 1.0
        f["clist_at=" + ("first" if co[3] == 0 else "last" if co[3] == co[2] - 1 else "mid")] = 1.0
    if ppos is not None and "list" in pairfeats.GROUPS and (po := pairfeats.coordination(masked, ppos, "per")):
        pspan = (po[0], po[1] - 1)
        f["plist"] = 1.0
        f["plist_n=" + _bucket(po[2], (2, 3))] = 1.0
    if cpos is None and memo is not None and "focus" in memo:  # a club not named here (learned.pairfeats: focus)
        cspan = _focus_features(doc, c, f, masked, memo["focus"])
    if ppos is None and "anaphor" in pairfeats.GROUPS and (an := pairfeats.anaphor(masked)):
        pspan = (an[0] - 1, an[1])
        f["p_anaphor=" + an[2]] = 1.0
    if cspan is not None and pspan is not None:
        if cspan[0] < pspan[0]:
            between = _window_tokens(masked[cspan[1]:pspan[0]])
        else:
            between = _window_tokens(masked[pspan[1]:cspan[0]])
        for t in between[:12]:
            f["x:" + t] = 1.0
        f["order=" + ("club_first" if cspan[0] < pspan[0] else "person_first")] = 1.0
        f["dist=" + _bucket(len(between), (2, 5, 10, 20))] = 1.0
    if pspan is not None:
        for t in _window_tokens(masked[max(0, pspan[0] - 40):pspan[0]])[-4:]:
            f["pl:" + t] = 1.0
        for t in _window_tokens(masked[pspan[1]:pspan[1] + 51])[:4]:
            f["pr:" + t] = 1.0
    if cspan is not None:
        for t in _window_tokens(masked[max(0, cspan[0] - 40):cspan[0]])[-4:]:
            f["cl:" + t] = 1.0
        for t in _window_tokens(masked[cspan[1]:cspan[1] + 53])[:4]:
            f["cr:" + t] = 1.0
    if "dated" in pairfeats.GROUPS:  # the years the sentence names, against the article's date
        for a, b, when in pairfeats.years(masked, doc.date):
            f["yr=" + when] = 1.0
            if cspan is not None and a - cspan[1] < 50 and cspan[0] - b < 50:
                f["yr_club=" + when] = 1.0
    f.update(dict.fromkeys(_clause_features(c.clause), 1.0))
    f.update(dict.fromkeys(_sentence_features(s), 1.0))
    # structure
    cm = [m for m in _clubs(s) if m.canonical == c.club]
    pm = [m for m in _persons(s) if m.canonical == c.person]
    f["club_role=" + (cm[0].role or "suitor" if cm else "absent")] = 1.0
    f["person_role=" + (pm[0].role or "none" if pm else "absent")] = 1.0
    if pm and pm[0].weak:
        f["person_weak"] = 1.0
    f.update(dict.fromkeys(phrase, 1.0))  # the sentence's source phrase, whoever the person
    if pm and "person" in srcfeats.GROUPS:  # the person mention's own evidence, beside the knowledge base's
        a, b = pm[0].start - s.start, pm[0].end - s.start
        f.update(dict.fromkeys(srcfeats.person_evidence(s.text, a, b, pm[0].weak, _kb_person(c.person), _slot_before()),
                               1.0))
    if doc.current_club.get(c.person) == c.club:
        f["club_is_current"] = 1.0
        if c.person in doc.kb_current:
            f["club_is_current_kb"] = 1.0
        if memo is not None and "leaving" in memo:  # keeping one's own man: a claim once his exit was agreed
            kept = pairfeats.keep(s.text)
            gone = c.person in memo["leaving"]
            if kept:
                f["cur&keep"] = 1.0
            if gone:
                f["cur&leaving"] = 1.0
            if kept and gone:
                f["cur&keep&leaving"] = 1.0
    if c.club in doc.former.get(c.person, ()):
        f["club_is_former"] = 1.0
    if "current" in pairfeats.GROUPS:  # his own club on the date known, and another: this one would be a buyer
        cur = doc.current_club.get(c.person)
        if cur is None:
            f["current_unknown"] = 1.0
        elif c.person in doc.kb_current and "person" in srcfeats.GROUPS:
            # his club from the knowledge base's dated spells, not the text: that the knowledge base knows him, one
            # feature in place of current_other(_here), which then say only what the text says (srcfeats.KB_FEATURES)
            f["current_kb"] = 1.0
        elif cur != c.club:
            f["current_other"] = 1.0
            if any(m.canonical == cur for m in _clubs(s)):
                f["current_other_here"] = 1.0
    if cm and pm and any(cm[0].start >= cl.start and cm[0].start < cl.end and pm[0].start >= cl.start and pm[0].start < cl.end
                         for cl in s.clauses):
        f["same_clause"] = 1.0
    f["sent=" + _bucket(c.sentence, (0, 1, 3, 8))] = 1.0
    f["nclubs=" + _bucket(len({m.canonical for m in _clubs(s)}), (1, 2, 3))] = 1.0
    f["npersons=" + _bucket(len({m.canonical for m in _persons(s)}), (1, 2, 3))] = 1.0
    f["origin=" + c.origin] = 1.0
    f["role=" + c.role] = 1.0
    if s.text.rstrip(" ”\"’'").endswith("?"):
        f["question"] = 1.0
    f["doclen=" + ("short" if len(doc.text) < 400 else "long")] = 1.0
    f["ckind=" + c.clause.kind] = 1.0
    if c.clause.frame_hedge:
        f["frame_hedge"] = 1.0
    # the rules' proposal for the pair
    if c.rule_claims:
        f["r:pair"] = 1.0
        best = max(c.rule_claims, key=lambda rc: stage_rank(rc.stage))
        f["r:stage=" + best.stage] = 1.0
    return f


@lru_cache(maxsize=8192)
def _kb_person(name: str) -> bool:
    return get_kb().person(name) is not None


def _rule_stages(rule_claims: list[ClaimRecord], outlets: dict[str, str] | None) -> dict[tuple, str]:
    """The rules' strongest stage for each (club, person) and each (club, person, source key) in the whole article."""
    out: dict[tuple, str] = {}
    for rc in rule_claims:
        for k in ((rc.club, rc.person), (rc.club, rc.person, _key(map_source(rc.source, outlets)))):
            if k not in out or stage_rank(rc.stage) > stage_rank(out[k]):
                out[k] = rc.stage
    return out


STAGE_WORDS = Path(__file__).parents[1] / "data" / "stage_features.jsonl"
_STAGE_WORD_KINDS = ("modality", "negation", "perfect", "done")


@lru_cache(maxsize=1)
def stage_words(path: Path = STAGE_WORDS) -> dict[str, re.Pattern[str]]:
    """The word lists the stage and certainty heads read around a stage cue (extract/data/stage_features.jsonl):
    modality ("could", "set to"), negation ("not", "failed to"), perfect ("has", "were"), and the spec's words of a
    completed move (done: "signed", "official", "completed"), one pattern per kind."""
    groups = regex_groups(path, tuple(_STAGE_WORD_KINDS))
    return {k: re.compile(r"(?<![\w’'])(?:" + "|".join(v) + r")(?![\w’'])", re.I) for k, v in groups.items() if v}


def _cue_list(text: str) -> tuple[tuple[str, int, str], ...]:
    """The cue lexicon's hits in a text as (stage, position, the cue's first three words), once per text."""
    got = _CUE_LIST.get(text)
    if got is None:
        lex = get_lexicon()
        out = []
        for stage, pos in rules._cues(text):
            m = lex.stage_patterns[stage].match(text, pos)
            if m is None:  # a cue the rules read as another stage ("could make an offer": interest)
                m = next((x for pat in lex.stage_patterns.values() if (x := pat.match(text, pos))), None)
            out.append((stage, pos, " ".join((m.group(0).lower() if m else "").split()[:3])))
        if len(_CUE_LIST) > 20000:
            _CUE_LIST.clear()
        got = _CUE_LIST[text] = tuple(out)
    return got


_CUE_LIST: dict[str, tuple[tuple[str, int, str], ...]] = {}


def _clause_reading(cl: Clause) -> tuple[str, ...]:
    """The rules' reading of a clause for the stage and certainty heads: its stage (the strongest cue, with the
    rules' corrections for modals and completions), the stages at or below it (the ladder as cumulative
    features), its certainty, and what stands before its strongest cue (modality, negation, perfect)."""
    key = (4, 0, cl.text)
    got = _CACHE.get(key)
    if got is None:
        st = rules._stage(cl.text)
        out = ["st:cst=" + (st or "none"), "st:rcert=" + rules._certainty(cl, st)]
        if st and st != "off":
            out += ["st:cst>=" + s for s in STAGES[:STAGES.index(st) + 1]]
        cues = _cue_list(cl.text)
        words = stage_words()
        if cues:
            stage, pos, lemma = max(cues, key=lambda x: stage_rank(x[0]))
            out.append("st:clem=" + lemma)
            before = cl.text[max(0, pos - 40):pos]
            out += [f"st:{kind}_before={stage}" for kind, pat in words.items() if pat.search(before)]
            out.append("st:ncues=" + _bucket(len(cues), (1, 2, 3)))
            kinds = sorted({x[0] for x in cues})
            if len(kinds) > 1:
                out.append("st:mixed=" + "+".join(kinds))
        out += [f"st:{kind}_clause" for kind, pat in words.items() if pat.search(cl.text)]
        got = _CACHE[key] = tuple(out)
    return got


def _sentence_stage(text: str) -> str:
    """The rules' stage of a whole sentence ("none" where it has no cue), once per text."""
    key = (5, 0, text)
    got = _CACHE.get(key)
    if got is None:
        got = _CACHE[key] = (rules._stage(text) or "none",)
    return got[0]


def _stage_features(doc: ArticleDoc, c: Candidate, s: Sentence, f: dict[str, float], rule_stages: dict[tuple, str]) -> None:
    """What the stage and certainty heads read beyond the words: the rules' reading of the clause and the sentence,
    the cue nearest the person and the club (its stage, lemma and distance), the rules' strongest stage for the
    pair anywhere in the article."""
    for k in _clause_reading(c.clause):
        f[k] = 1.0
    f["st:sst=" + _sentence_stage(s.text)] = 1.0
    cues = _cue_list(s.text)
    if cues:
        for tag, kind, name in (("p", "person", c.person), ("c", "club", c.club)):
            m = next((x for x in s.mentions if x.kind == kind and x.canonical == name), None)
            if m is None:
                continue
            at = m.start - s.start
            stage, pos, lemma = min(cues, key=lambda x: abs(x[1] - at))
            d = abs(pos - at)
            f[f"st:near{tag}={stage}"] = 1.0
            f[f"st:near{tag}d={_bucket(d, (10, 30, 60, 120))}"] = 1.0
            f[f"st:near{tag}={stage}&{_bucket(d, (30, 80))}"] = 1.0
            f[f"st:near{tag}lem={lemma}"] = 1.0
            if tag == "p":
                f[f"st:nearp={stage}&{'before' if pos < at else 'after'}"] = 1.0
    if got := rule_stages.get((c.club, c.person)):
        f["st:rdoc=" + got] = 1.0
    if len(doc.text) < SHORT:  # a post or gossip item is about one move: the strongest cue anywhere in it
        read = [_sentence_stage(x.text) for x in doc.sentences]
        rungs = [r for r in read if r in STAGES]
        if rungs:
            f["st:short=" + max(rungs, key=stage_rank)] = 1.0
        if "off" in read:
            f["st:short_off"] = 1.0
        if (done := stage_words().get("done")) is not None and done.search(doc.text):
            f["st:short_done_word"] = 1.0  # a completion's word anywhere in the item (learned.DONE_EVIDENCE)


def _directions(doc: ArticleDoc) -> dict[str, list[tuple[str, int, str]]]:
    """Each person's moves by the words right before a club in a sentence naming him (learned.pairfeats.direction):
    person -> [(club, sentence, "from" or "to")]."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for si, s in enumerate(doc.sentences):
        persons = [m.canonical for m in _persons(s) if m.canonical]
        if not persons:
            continue
        for cm in _clubs(s):
            way = pairfeats.direction(doc.text[max(s.start, cm.start - 24):cm.start])
            if way is not None and cm.canonical:
                for person in dict.fromkeys(persons):
                    out.setdefault(person, []).append((cm.canonical, si, way))
    return out


def _doc_features(c: Candidate, f: dict[str, float], d: dict) -> None:
    """Where the pair stands in the whole article: is the person / the club among its most named, how often each is
    named (the headline counts twice)."""
    if c.person in d["main_persons"]:
        f["main_person" + ("1" if d["main_persons"][0] == c.person else "2")] = 1.0
    if c.club in d["main_clubs"]:
        f["main_club" + ("1" if d["main_clubs"][0] == c.club else "2")] = 1.0
    f["pcount=" + _bucket(d["pcount"].get(c.person, 0), (0, 1, 2, 4, 8))] = 1.0
    f["ccount=" + _bucket(d["ccount"].get(c.club, 0), (0, 1, 2, 4, 8))] = 1.0
    if "pair_sents" in d:
        pair = (c.club, c.person)
        f["pair_sents=" + _bucket(d["pair_sents"].get(pair, 0), (0, 1, 2, 4))] = 1.0
        if pair in d["pair_head"]:
            f["pair_in_headline"] = 1.0
        if pair in d["rule_pairs"] and not c.rule_claims:
            f["r:pair_elsewhere"] = 1.0
    for club, si, way in d.get("direction", {}).get(c.person, ()):
        if club == c.club and si != c.sentence:
            key = "dir_" + way + "_else"  # he leaves (or joins) this club in another sentence
        elif club != c.club:
            key = "dir_" + way + "_other"  # he leaves (or joins) another club somewhere in the article
        else:
            continue
        f[key] = 1.0
        if "dir_long" in d:  # and a copy by the kind of text (a post or an item, a full article): each its own weight
            f[key + ("@long" if d["dir_long"] else "@short")] = 1.0
    if "dep" in d:
        f.update(d["dep"].get(c.unit, ()))


def _option_features(doc: ArticleDoc, c: Candidate, f: dict[str, float], own: Source | None, same_src: bool,
                     hedge: bool, doubt: bool) -> None:
    # the source option, and its interactions
    src_kind = "none" if c.source.journalist is None and c.source.outlet is None else (
        "journalist" if c.source.journalist else "outlet")
    opt_feats = [f"opt={o}" for o in sorted(c.options)] + [f"srckind={src_kind}"]
    if c.source == (own or doc.own_source):
        opt_feats.append("src_is_own")
    doclen = "doclen=" + ("short" if len(doc.text) < 400 else "long")
    inter = ["ckind=" + c.clause.kind, doclen, "frame_hedge" if c.clause.frame_hedge else "",
             "lex:hedge" if hedge else "", "lex:doubt" if doubt else "", "r:src" if same_src else "", "r:pair" if c.rule_claims else "",
             "lex:unnamedframe" if "lex:unnamedframe" in f else "", "lex:reporting" if "lex:reporting" in f else ""]
    at = (tuple(opt_feats), tuple(inter))
    keys = _OPTION_KEYS.get(at)
    if keys is None:  # few combinations recur: their names are made once
        names: list[str] = []
        for o in opt_feats:
            names.append(o)
            names.extend(f"{o}&{i}" for i in inter if i)
        keys = _OPTION_KEYS[at] = tuple(names)
        if len(_OPTION_KEYS) > 20000:
            _OPTION_KEYS.clear()
    for k in keys:
        f[k] = 1.0


_OPTION_KEYS: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}


def feature_settings() -> dict[str, list[str]]:
    """The switches that decide which features and candidates exist ($MERCATO_LEARNED_GENERATORS,
    $MERCATO_LEARNED_PAIRFEATS, $MERCATO_LEARNED_SRCFEATS, read at import): a model keeps those it was trained under
    (meta `feature_settings`), and `learned_claims` refuses to read a text under others."""
    return {"generators": sorted(GENERATORS), "pairfeats": sorted(pairfeats.GROUPS), "srcfeats": sorted(srcfeats.GROUPS)}


NER_ENV = "MERCATO_LEARNED_NER_MAX_CHARS"


def ner_max_chars() -> int | None:
    """Texts of at least this many characters are read without the statistical entity recogniser (None: every text
    with it), as $MERCATO_LEARNED_NER_MAX_CHARS says (`train --ner-max-chars`; a trained model keeps its own)."""
    raw = os.environ.get(NER_ENV, "").strip()
    return int(raw) if raw else None


def process(doc: ArticleDoc, outlets: dict[str, str] | None = None, parse: bool | None = None,
            ner: bool | None = None) -> list[Candidate]:
    """Run the rule components over a fresh ArticleDoc and return its candidates (rules' claims as features).
    `ner`: run the statistical entity recogniser in the mentions step; None: as `ner_max_chars()` says for the text."""
    units, finish = process_units(doc, outlets, parse, ner)
    return finish(units)


def process_units(doc: ArticleDoc, outlets: dict[str, str] | None = None, parse: bool | None = None,
                  ner: bool | None = None) -> tuple[list[Candidate], Callable[[Sequence[Candidate]], list[Candidate]]]:
    """`process` in `generate_units`' two steps: a candidate of each unit with the unit's features, and what makes
    the chosen units' candidates."""
    if ner is None:
        limit = ner_max_chars()
        ner = limit is None or len(doc.text) < limit
    rules.segment(doc)
    rules.mentions(doc, recognise=ner)
    for component in (rules.resolve, rules.attribution, rules.claims):
        component(doc)
    return generate_units(doc, list(doc.claims), outlets, parse)
