"""Claims from German, Spanish, Italian, French and Portuguese articles, into the same claim model as English.

Steps over spaCy tokens of `spacy.blank(lang)`:
  mentions   clubs (KB names, names as written in that language, nicknames), outlets, journalists (KB), people
             (KB, then runs of capitalised words; a lone surname links to a full name in the article)
  roles      per person mention: official or incumbent (a title before him), journalist, else a possible target;
             per club mention: the person's current/former club ("vom", "dal", "ex", parentheses after him)
  cues       stage, attribution, hedge, doubt, negation, official from data/<lang>.json (see cues.py)
  claims     per sentence with a stage cue: every target person x every club that may acquire him, with the
             sentence's source (named frame, unnamed frame, carried by reported speech, the announcing club, else the
             article's own voice), certainty and the sentence as evidence (offsets into the original text)

The ML_* environment variables switch single design choices off or to their alternative, only to measure them
side by side with bench/languages.py (defaults are the measured best); nothing in production sets them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from mercato.extract.multilingual.cues import CueSet, Hit, _word_ok, common_not_names, get_cues, get_nicknames
from mercato.extract.multilingual.text import Sent, sentences, stop_words, tokenizer
from mercato.kb import get_kb, normalise
from mercato.kb.base import DATA as DATA_KB
from mercato.kb.base import KnowledgeBase
from mercato.kb.outlets import outlet_from_domain_or_name
from mercato.kb.spells import club_people as spell_club_people
from mercato.kb.spells import club_people_index, kb_spells
from mercato.records import ArticleRecord, ClaimRecord, Source, stage_rank

VERSION = "ml-cues-0.1"
MAX_NGRAM = 6
_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "dos", "das", "do", "le", "la",
                        "d'", "d’", "mac", "ter", "ten", "y", "e"})
_LEADING_PARTICLES = frozenset({"de", "da", "di", "van", "von", "dos", "le", "la", "del", "ter", "ten", "d'", "d’"})
PAIR_WINDOW = int(os.environ.get("ML_PAIR_WINDOW", "20"))  # tokens between a person and a club of one claim
CARRY = os.environ.get("ML_CARRY", "paragraph")  # how far a named source carries: reportive, paragraph, article
CLUB_FALLBACK = os.environ.get("ML_CLUB_FALLBACK", "1") == "1"
PAIRING = os.environ.get("ML_PAIRING", "segment")  # window: within PAIR_WINDOW words; segment: same clause
_SEGMENT_ENDS = frozenset({",", ";", ":", "–", "—", "(", ")"})
PER_CLAUSE = os.environ.get("ML_PER_CLAUSE", "1") == "1"
PARTY_QUOTES = os.environ.get("ML_PARTY_QUOTES", "1") == "1"
BACKREF = os.environ.get("ML_BACKREF", "1") == "1"
DESCRIPTORS = os.environ.get("ML_DESCRIPTORS", "1") == "1"
REPORTIVE_CARRY = os.environ.get("ML_REPORTIVE_CARRY", "1") == "1"  # reported speech carries over a paragraph break
OWNER_OF = os.environ.get("ML_OWNER_OF", "1") == "1"  # "<club> de <person>": he is the club's, not its target
ROLE_WORDS_SPLIT = os.environ.get("ML_ROLE_WORDS_SPLIT", "1") == "1"  # a role word never starts a name
AFTER_DONE = os.environ.get("ML_AFTER_DONE", "1") == "1"  # nothing new about a move after its firm `done`
CLUB_LISTS = os.environ.get("ML_CLUB_LISTS", "1") == "1"  # a comma between two clubs is no clause break
LONE_SURNAMES = os.environ.get("ML_LONE_SURNAMES", "role")  # 0, role, role+freq (see _lone_ok)
# a lone unknown surname right after a transfer noun and its "of" ("el fichaje de X", cue kind `object`)
OBJECT_NAMES = os.environ.get("ML_OBJECT_NAMES", "1") == "1"
# lower-case words allowed between a role word and a lone surname ("il terzino sinistro X", "le milieu de terrain X")
ROLE_GAP = int(os.environ.get("ML_ROLE_GAP", "2"))
# "el club", "der Verein", "la società" before an announcement cue, no club named: the club of the move announces it
CLUB_REF = os.environ.get("ML_CLUB_REF", "1") == "1"
# a word of not_names.json ("Europa", "Liga") alone is no club the KB knows only from its world list ("College Europa")
NOT_NAME_CLUBS = os.environ.get("ML_NOT_NAME_CLUBS", "1") == "1"
# "del club", "la società" in a sentence naming no club: the club the article is about (cue kind club_ref)
CLUB_REF_MENTION = os.environ.get("ML_CLUB_REF_MENTION", "1") == "1"
# "Marco Azzi di Repubblica", "Fabrizio Romano de Sky": a person of an outlet (cue kind owner between) is its journalist
OUTLET_OF = os.environ.get("ML_OUTLET_OF", "1") == "1"
# German: a club's name with the genitive -s ("Leverkusens Geschäftsführer", "Dortmunds Sportdirektor") is no name
CLUB_GENITIVE = os.environ.get("ML_CLUB_GENITIVE", "1") == "1"
OFFICIAL_AFTER = os.environ.get("ML_OFFICIAL_AFTER", "1") == "1"  # no club before an announcement cue: the first after
FRAME_OUTLETS = os.environ.get("ML_FRAME_OUTLETS", "1") == "1"  # "segundo o jornal Record", "según El Chiringuito"
RELAY_ORIGIN = os.environ.get("ML_RELAY_ORIGIN", "1") == "1"  # own voice of "X (relays Y)" as Y (the spec: a relay keeps the origin)
ANNOUNCE_MOVE = os.environ.get("ML_ANNOUNCE_MOVE", "1") == "1"  # a club announcing "the move" announces the last one
ROLE_ADJECTIVES = os.environ.get("ML_ROLE_ADJECTIVES", "1") == "1"  # "il difensore bianconero": his own club
CUE_WORDS_SPLIT = os.environ.get("ML_CUE_WORDS_SPLIT", "1") == "1"  # a frame or hedge word never joins a name
NICKNAMES = os.environ.get("ML_NICKNAMES", "1") == "1"  # data/nicknames/<lang>.json
# person names from our annotations (kb/data/person_names.json): the transfer register's players, the people the
# non-English development labels name (left out for the article they come from by bench/languages_honest.py), and
# each name used only from the date it was first seen
REGISTER_NAMES = os.environ.get("ML_REGISTER_NAMES", "1") == "1"
DEV_NAMES = os.environ.get("ML_DEV_NAMES", "0") == "1"  # measured: no honest gain
NAMES_DATED = os.environ.get("ML_NAMES_DATED", "1") == "1"
# a cued sentence naming a target but no club pairs him with the article's club (its headline's, else its most named)
DATED_CLUB = os.environ.get("ML_DATED_CLUB", "1") == "1"  # his club on the article's date (dated spells): no target
# a cued sentence naming a target but no club, whom the article never pairs with a club: the club named last in
# its paragraph, at most two sentences before
PREV_CLUB = os.environ.get("ML_PREV_CLUB", "0") == "1"
SURNAME_RUNS = os.environ.get("ML_SURNAME_RUNS", "1") == "1"  # a run of words that is a known surname: his full name
# a sentence without a stage cue that names a target and a club in one clause: an interest claim (cue data is never
# complete in a language we do not read)
UNCUED = os.environ.get("ML_UNCUED", "1") == "1"
NAMES_ROLES = os.environ.get("ML_NAMES_ROLES", "1") == "1"  # a manager or staff member in our English labels, by date
SAME_VARIANTS = os.environ.get("ML_SAME_VARIANTS", "1") == "1"  # a surname two spellings of one person share: his
ARTICLE_CLUB = os.environ.get("ML_ARTICLE_CLUB", "0") == "1"
# a cued sentence naming clubs but nobody takes the one target its headline names (the article's subject)
HEADLINE_PERSON = os.environ.get("ML_HEADLINE_PERSON", "0") == "1"
# a club's name that is also its city's in this language (clubs_multilingual.jsonl `cities`: "Nizza", "Colonia",
# "Oporto") names the club only right after an article ("il Nizza", "del Colonia", "o Estugarda"); "0": never
CITY_CLUBS = os.environ.get("ML_CITY_CLUBS", "1") == "1"
_CLUB_ARTICLES = {
    "es": frozenset({"el", "del", "al"}),
    "it": frozenset({"il", "del", "al", "dal", "col", "nel", "sul", "lo", "dello", "allo", "dallo", "nello", "sullo",
                     "l'", "dell'", "all'", "dall'", "nell'", "sull'", "l’", "dell’", "all’", "dall’", "nell’", "sull’"}),
    "pt": frozenset({"o", "do", "ao", "pelo", "no"}),
    "fr": frozenset({"le", "du", "au", "l'", "l’"}),
    "de": frozenset(),
}
_EACH_PAIR = "\x00each pair"  # an announcer standing for the club of each pair of the sentence
_QUALIFIER = re.compile(r"\s*\(.*\)\s*$")
_RELAYS = re.compile(r"\(.*?\brelays ([^;)]+)\)\s*$")


@dataclass
class Mention:
    kind: str  # club, outlet, journalist, person
    start: int  # token indices
    end: int
    name: str  # canonical
    role: str = ""  # clubs: "from" (the person's club); people: "official", "journalist", "target", "departing",
    # "incumbent" (named as the club's own: "el Barça de Hansi Flick")
    genitive: bool = False  # "Kompanys Berater": a title after it is someone else's


@dataclass
class SentInfo:
    sent: Sent
    words: list[str]  # lower-cased tokens of the sentence
    mentions: list[Mention] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    def kinds(self, kind: str) -> list[Hit]:
        return [h for h in self.hits if h.entry.kind == kind]


def _is_cap(text: str) -> bool:
    return bool(text) and text[0].isupper()


def _all_caps(doc: Doc, s: Sent) -> bool:
    letters = [t.text for t in doc[s.start:s.end] if t.is_alpha]
    return len(letters) >= 3 and sum(w.isupper() for w in letters) >= 0.8 * len(letters)


def _variants(a: str, b: str) -> bool:
    """Two spellings of one person: the words of one are all among the other's ("Frank Anguissa", "André-Frank
    Zambo Anguissa")."""
    wa, wb = set(normalise(a).split()), set(normalise(b).split())
    return wa <= wb or wb <= wa


@dataclass(frozen=True)
class PersonNames:
    """Names from our annotations (kb/data/person_names.json, built by scripts/build_person_names.py)."""

    names: tuple[str, ...]  # full names (English labels; the transfer register and the development labels per switch)
    mononyms: frozenset[str]  # one-word names ("Neymar")
    since: dict[str, str]  # name -> ISO date of the first document that names it
    dev: dict[str, frozenset[str]]  # a name only the non-English development labels give -> the articles naming him
    roles: dict[str, dict[str, str]]  # name -> manager/staff -> the first date our English labels give him that role


@lru_cache(maxsize=1)
def _person_names() -> PersonNames:
    path = DATA_KB / "person_names.json"
    if not path.exists():
        return PersonNames((), frozenset(), {}, {}, {})
    raw = json.loads(path.read_text(encoding="utf-8"))
    names = list(raw["names"])
    mononyms = set(raw.get("mononyms", []))
    if REGISTER_NAMES:
        names += raw.get("register", [])
    dev: dict[str, frozenset[str]] = {}
    if DEV_NAMES:
        known = set(names) | mononyms
        for name, arts in raw.get("dev", {}).items():
            if name not in known:
                dev[name] = frozenset(arts)
                (names.append(name) if " " in name else mononyms.add(name))
    return PersonNames(tuple(names), frozenset(mononyms), dict(raw.get("since", {})), dev, dict(raw.get("roles", {})))


class MultilingualExtractor:
    """One language's extractor: KB indexes and cue data are built once."""

    def __init__(self, lang: str, all_pairs: bool = False) -> None:
        self.lang = lang
        self.all_pairs = all_pairs  # also sentences without a stage cue (candidates for the learned decision)
        self.kb: KnowledgeBase = get_kb()
        self.cues: CueSet = get_cues(lang)
        self.nlp = tokenizer(lang)
        self.stops = stop_words(lang)
        self.not_name_words = common_not_names()
        self.not_name_patterns = [w for e in self.cues.of("not_name") for c in e.cues for w in c]
        self.nouns: set[str] = set()
        kb = self.kb
        # normalised name -> (kind, canonical, needs a capital)
        idx: dict[str, tuple[str, str, bool]] = {}
        for key, name in kb.person_alias.items():
            idx.setdefault(key, ("person", name, True))
        for key, name in kb.journalist_alias.items():
            idx[key] = ("journalist", name, True)
        for key, name in kb.outlet_alias.items():
            idx[key] = ("outlet", name, key != "kicker")
        for key, name in kb.club_alias.items():
            idx[key] = ("club", name, True)
        for key, name in kb.club_alias_lang.get(lang, {}).items():
            idx[key] = ("club", name, True)
        for key, name in kb.club_nick_lang.get(lang, {}).items():
            idx[key] = ("club", name, False)
        self.city_keys: frozenset[str] = frozenset()  # names of clubs that are their city's name too
        if CITY_CLUBS:
            cities = {k: v for k, v in kb.club_city_lang.get(lang, {}).items() if k not in idx}
            idx.update({k: ("club", v, True) for k, v in cities.items()})
            self.city_keys = frozenset(cities)
        for key, name in kb.outlet_alias_lang.get(lang, {}).items():
            idx[key] = ("outlet", name, True)
        self.club_adjectives: dict[str, str] = {}  # "bianconero" -> Juventus (after a role word: his club)
        if NICKNAMES:  # club nicknames and demonyms of this language (data/nicknames/<lang>.json)
            for nick in get_nicknames(lang):
                club_name = kb.club(nick.club) or nick.club
                if ROLE_ADJECTIVES:
                    for adj in nick.adjectives:
                        if " " not in adj:
                            self.club_adjectives.setdefault(normalise(adj), club_name)
                for written in nick.names:
                    idx.setdefault(normalise(written), ("club", club_name, written[:1].isupper()))
        self.index = idx
        # clubs with dated spells of KB people: for lone surnames (kb.spells.club_people)
        self.spell_clubs = frozenset(club_people_index(kb_spells()))
        self.first_words = frozenset(k.split(" ", 1)[0] for k in idx)
        # surnames of people our English annotations name in full (kb/data/person_names.json), for a lone
        # surname the article never writes in full; a surname two people share links to neither
        gaz: dict[str, str | None] = {}
        pn = _person_names()
        full_names, self.mononyms = pn.names, pn.mononyms
        self.names_since, self.names_dev, self.names_roles = pn.since, pn.dev, pn.roles
        self.held_out: frozenset[str] = frozenset()  # development articles whose own labels' names are not used
        for full_name in full_names:
            parts = normalise(full_name).split()
            gaz[" ".join(parts)] = full_name
            for key in {parts[-1], " ".join(parts[1:])}:
                if len(key) >= 4 and key not in self.stops:
                    cur = gaz.get(key, full_name)
                    if cur is None or cur == full_name:
                        gaz[key] = cur
                    elif not (SAME_VARIANTS and _variants(cur, full_name)):
                        gaz[key] = None  # two people of that surname: neither
        self.gazetteer = {k: v for k, v in gaz.items() if v}

    # -- mentions ---------------------------------------------------------------------------------
    def known_name(self, name: str | None, day: dt.date | None) -> str | None:
        """A name from our annotations as of `day` (None if first seen later, or only in a held-out article)."""
        if not name:
            return None
        arts = self.names_dev.get(name)
        if arts is not None and arts <= self.held_out:
            return None
        if NAMES_DATED and day is not None and self.names_since.get(name, "") > day.isoformat():
            return None
        return name

    def _gaz(self, key: str, day: dt.date | None) -> str | None:
        return self.known_name(self.gazetteer.get(key), day)

    def _not_name(self, word: str) -> bool:
        w = word.lower()
        if w in self.not_name_words or w in self.kb.demonyms or w in self.nouns:
            return True
        if CLUB_GENITIVE and self.lang == "de" and len(w) > 4 and w.endswith("s"):
            hit = self.index.get(normalise(word[:-1]))
            if hit is not None and hit[0] == "club":
                return True
        return any(_word_ok(p, w) for p in self.not_name_patterns)

    def _kb_mentions(self, doc: Doc, s: Sent, caps: bool, norms: list[str]) -> list[Mention]:
        out: list[Mention] = []
        i = s.start
        while i < s.end:
            found = None
            if norms[i].split(" ", 1)[0] not in self.first_words:
                i += 1
                continue
            for j in range(min(s.end, i + MAX_NGRAM), i, -1):
                if not norms[j - 1]:
                    continue  # a name does not end in punctuation ("Deco," is "Deco")
                hit = self.index.get(" ".join(x for x in norms[i:j] if x))
                if hit is None:
                    continue
                kind, name, needs_cap = hit
                first = doc[i].text
                if kind == "club" and j - i == 1 and norms[i] in self.city_keys and (
                        i == s.start or doc[i - 1].lower_ not in _CLUB_ARTICLES.get(self.lang, frozenset())):
                    continue  # "volato a Nizza" is the city; "il Nizza" the club
                if needs_cap and not _is_cap(first):
                    continue
                if j - i == 1 and (first.lower() in self.stops or first.lower() in self.not_name_words) \
                        and (i == s.start or caps):
                    continue  # "Como" opening a sentence is a word, not the club
                if NOT_NAME_CLUBS and kind == "club" and j - i == 1 and first.lower() in self.not_name_words:
                    club = self.kb.clubs.get(name)
                    if club is not None and not club.curated:
                        continue  # "Campeón de Europa" is no "College Europa"
                if kind == "person" and j - i == 1 and any(
                        s.start <= k < s.end and doc[k].is_alpha and _is_cap(doc[k].text)
                        and doc[k].lower_ not in self.stops and not caps for k in (i - 1, j)):
                    continue  # "Jobe Bellingham", "Xavi Simons": a KB surname inside a longer name
                found = Mention(kind=kind, start=i, end=j, name=name)
                break
            if found:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    def _name_runs(self, doc: Doc, s: Sent, taken: set[int]) -> list[tuple[int, int]]:
        """Runs of capitalised words (with name particles inside) outside KB mentions."""
        runs: list[tuple[int, int]] = []
        i = s.start
        while i < s.end:
            tok = doc[i]
            low = tok.text.lower()
            # a word a mention or a role word has taken starts no name, hyphenated ("Abwehr-Talent") or not
            starts = i not in taken and _is_cap(tok.text) and (
                tok.is_alpha or "-" in tok.text or "'" in tok.text or "’" in tok.text)
            if starts and (low in self.stops and low not in _LEADING_PARTICLES or self._not_name(tok.text)):
                starts = False
            if not starts:
                i += 1
                continue
            j = i + 1
            while j < s.end and j not in taken:
                t = doc[j]
                if _is_cap(t.text) and not self._not_name(t.text) and (t.text.lower() not in self.stops
                                                                         or t.text.lower() in _LEADING_PARTICLES):
                    j += 1
                elif t.text.lower() in _PARTICLES and j + 1 < s.end and _is_cap(doc[j + 1].text) \
                        and (j + 1) not in taken and t.text.lower() not in {"y", "e"} \
                        and not self._not_name(doc[j + 1].text) and doc[j + 1].text.lower() not in self.stops:
                    j += 2
                else:
                    break
            # a lower-case part after a hyphen ("Fußball-Nationalspieler") is a noun, not a name
            words = [doc[k].text for k in range(i, j)]
            if not any(part[:1].islower() for w in words for part in w.split("-")[1:]):
                runs.append((i, j))
            i = j
        return runs

    def _lone_ok(self, doc: Doc, si: SentInfo, a: int, counts: dict[str, int]) -> bool:
        """A lone capitalised word nobody knows is kept as a surname, as written, where something says it is one:
        a role word right before it ("il difensore Rossi", "Trainer Kovac") or up to ROLE_GAP lower-case words
        before it ("el lateral izquierdo Rossi"), a transfer noun and its "of" ("el fichaje de Rossi"), or (outside German, whose nouns are
        capitalised) it recurs in the article away from the start of a sentence."""
        tok = doc[a]
        if a == si.sent.start or len(tok.text) < 3 or not tok.is_alpha or tok.text.isupper() \
                or tok.lower_ in self.stops or tok.lower_ in self.kb.demonyms:
            return False
        rel = a - si.sent.start
        if any(h.entry.kind in ("manager", "staff", "player") and 0 <= rel - h.end <= 1 for h in si.hits):
            return True
        if OBJECT_NAMES and any(h.entry.kind == "object" and h.end == rel for h in si.hits):
            return True  # "el fichaje de Olmedilla", "die Verpflichtung von Brandstätter"
        if ROLE_GAP > 1:  # "il terzino sinistro Ferracuti", "le milieu de terrain Vaucheret": lower-case words between
            for h in si.hits:
                gap = range(si.sent.start + h.end, a)
                if h.entry.kind in ("manager", "staff", "player") and 2 <= len(gap) <= ROLE_GAP \
                        and all(doc[k].is_alpha and doc[k].text.islower() and doc[k].lower_ not in self.stops
                                for k in gap) \
                        and not any(o.entry.kind in ("stage", "attribution", "speech") and o.start < rel
                                    and o.end > h.end for o in si.hits):
                    return True
        return LONE_SURNAMES == "role+freq" and self.lang != "de" and counts.get(tok.text, 0) >= 2

    def mentions(self, doc: Doc, sents: list[SentInfo], author: str | None, day: dt.date | None = None) -> None:
        kb = self.kb
        dets = {w for e in self.cues.of("determiner") for c in e.cues for w in c}
        self.nouns = {doc[i + 1].text.lower() for i in range(len(doc) - 1) if doc[i].lower_ in dets
                      and doc[i].text.islower()}
        full: dict[str, str] = {}  # normalised full name or surname -> full name
        pending: list[tuple[SentInfo, int, int, bool]] = []
        norms = [normalise(t.text) for t in doc]  # per token: n-gram keys join them (as normalise joins words)
        for si in sents:
            caps = _all_caps(doc, si.sent)
            ms = self._kb_mentions(doc, si.sent, caps, norms)
            if self.club_adjectives:  # "il difensore bianconero", "le milieu lyonnais": the club he plays for
                role_ends = {si.sent.start + h.end for h in si.hits if h.entry.kind in ("player", "manager", "staff")}
                taken_here = {k for m in ms for k in range(m.start, m.end)}
                for pos in sorted(role_ends):
                    adj_club = self.club_adjectives.get(norms[pos]) if pos < si.sent.end and pos not in taken_here \
                        else None
                    if adj_club and doc[pos].text.islower():
                        ms.append(Mention("club", pos, pos + 1, adj_club, role="from"))
                ms.sort(key=lambda m: m.start)
            si.mentions = ms
            if caps:
                pending.append((si, si.sent.start, si.sent.end, True))
                continue
            taken = {k for m in ms for k in range(m.start, m.end)}
            if ROLE_WORDS_SPLIT:  # "Coach Tedesco", "Trainer Kovac": a role word is no part of the name
                taken |= {si.sent.start + k for h in si.hits if h.entry.kind in ("manager", "staff", "player", "title")
                          for k in range(h.start, h.end)}
            if CUE_WORDS_SPLIT:  # "Laut Informationen der Bild": a reporting frame is no part of a name either
                taken |= {si.sent.start + k for h in si.hits if h.entry.kind in ("attribution", "unnamed", "hedge")
                          and len(doc[si.sent.start + h.start].text) > 1 for k in range(h.start, h.end)}
            for a, b in self._name_runs(doc, si.sent, taken):
                pending.append((si, a, b, False))
                if b - a >= 2:
                    text = doc[a:b].text
                    name = kb.person(text) or text
                    full.setdefault(normalise(text), name)
        for m in (m for si in sents for m in si.mentions if m.kind == "person"):
            full.setdefault(normalise(m.name), m.name)
        club_people: dict[str, str | None] = {}
        lone_counts: dict[str, int] = {}
        if LONE_SURNAMES != "0":
            article_clubs = {m.name for si in sents for m in si.mentions if m.kind == "club"}
            if article_clubs & self.spell_clubs:
                club_people = spell_club_people(article_clubs, day)
            for si, a, b, caps in pending:
                if not caps and b - a == 1 and a != si.sent.start:
                    lone_counts[doc[a].text] = lone_counts.get(doc[a].text, 0) + 1
        surname: dict[str, str | None] = {}
        for key, name in list(full.items()):
            parts = key.split()
            if len(parts) >= 2:
                for k in (parts[-1], " ".join(parts[1:]), parts[0] if len(parts[0]) > 3 else ""):
                    if k and k not in self.stops:
                        surname[k] = name if surname.get(k, name) == name else None
        for si, a, b, caps in pending:
            if caps:  # an all-caps headline: only names known from the article or the KB
                i = a
                while i < b:
                    for j in range(min(b, i + 4), i, -1):
                        key = normalise(doc[i:j].text)
                        known = full.get(key) or surname.get(key) or kb.person(doc[i:j].text) \
                            or kb.surnames_norm_map.get(key) or self._gaz(key, day)
                        if known and not any(m.start < j and i < m.end for m in si.mentions):
                            si.mentions.append(Mention("person", i, j, known))
                            i = j - 1
                            break
                    i += 1
                self._caps_names(doc, si, a, b)
                continue
            text = doc[a:b].text
            key = normalise(text)
            genitive = False
            if b - a >= 2:
                name = full.get(key, text)
                if SURNAME_RUNS and name == text and kb.person(text) is None:
                    # "Di María", "De Bruyne", "van Dijk": a surname of several words, of a full name the article
                    # gives elsewhere, else the KB's or our annotations'
                    longer = surname.get(key)
                    if longer and len(normalise(longer).split()) > len(key.split()):
                        name = longer
                    else:
                        name = kb.surnames_norm_map.get(key) or self._gaz(key, day) or text
            else:
                name = surname.get(key) or kb.person(text) or ""
                if not name:
                    name = kb.surnames_norm_map.get(key) or self._gaz(key, day) or ""
                if not name and text in self.mononyms and self.known_name(text, day):  # "Neymar", "Antony" on their own
                    name = text
                if not name and LONE_SURNAMES != "0":
                    # the one KB person of that surname among the people of the article's clubs (dated spells),
                    # else the surname as the article writes it, where the text says it is a person
                    name = club_people.get(key) or (text if self._lone_ok(doc, si, a, lone_counts) else "")
                genitive = False
                if not name and self.lang == "de" and key.endswith("s"):  # German genitive: "Kompanys Berater"
                    name = surname.get(key[:-1]) or kb.person(text[:-1]) or self._gaz(key[:-1], day) or ""
                    genitive = bool(name)
            if name and normalise(name) != normalise(author or ""):
                si.mentions.append(Mention("person", a, b, name, genitive=b - a == 1 and genitive))
        for si in sents:
            si.mentions.sort(key=lambda m: m.start)

    def _caps_names(self, doc: Doc, si: SentInfo, a: int, b: int) -> None:
        """In an all-caps headline, runs of two or three words that are no cue, club or common word are names
        ("IN ATTACCO GABRIEL JESUS" -> Gabriel Jesus); a lone word is left out (it may be any noun)."""
        cue_tokens = {si.sent.start + k for h in si.hits for k in range(h.start, h.end)}
        taken = {k for m in si.mentions for k in range(m.start, m.end)} | cue_tokens
        i = a
        while i < b:
            j = i
            while j < b and j not in taken and doc[j].is_alpha and doc[j].text.isupper() \
                    and doc[j].lower_ not in self.stops and not self._not_name(doc[j].text):
                j += 1
            if 2 <= j - i <= 3:
                name = " ".join(t.text.capitalize() for t in doc[i:j])
                si.mentions.append(Mention("person", i, j, self.kb.person(name) or name))
            i = max(j, i + 1)

    def _frame_outlet(self, doc: Doc, s: Sent, k: int, media: set[int], taken: set[int]) -> Mention | None:
        """After a reporting frame, a medium word ("il quotidiano", "o jornal", "le site") and the capitalised name
        after it, or a name of several words that starts with its own article ("La Gazzetta dello Sport", "El
        Chiringuito", "Le Parisien"), is an outlet the KB does not know, written as the text has it."""
        had_medium = False
        while k < s.end and (k in media or doc[k].text in {"“", '"', "«", "„", "'"}
                             or (doc[k].text.islower() and doc[k].lower_ in self.stops and not had_medium)):
            had_medium = had_medium or k in media
            k += 1
        if k >= s.end or k in taken or not _is_cap(doc[k].text):
            return None
        j = k + 1
        while j < s.end and j not in taken and j - k < 6:
            t = doc[j].text
            if _is_cap(t) and t.isalpha() or t.isdigit():
                j += 1
            elif t.lower() in _PARTICLES | {"dello", "della", "del", "de", "di", "do", "da", "des", "du"} \
                    and j + 1 < s.end and _is_cap(doc[j + 1].text):
                j += 2
            else:
                break
        own_article = doc[k].lower_ in self.stops and j - k >= 2  # "El Chiringuito", "La Gazzetta dello Sport"
        if not (had_medium or own_article):
            return None
        if not own_article and (doc[k].lower_ in self.stops or self._not_name(doc[k].text)):
            return None
        name = doc[k:j].text
        return Mention("outlet", k, j, self.kb.outlet(name) or name)

    # -- roles ------------------------------------------------------------------------------------
    def _mark_roles(self, doc: Doc, si: SentInfo) -> None:
        s = si.sent
        titles = [h for h in si.hits if h.entry.kind == "title"]
        jtitles = [h for h in si.hits if h.entry.kind == "attribution"]
        # "Cheftrainer von Borussia Dortmund", "entrenador del Madrid": after a role word, "von"/"del" is "of"
        role_ends = {h.end for h in si.hits if h.entry.kind in ("manager", "staff", "player", "title")}
        person_ends = {m.end - s.start for m in si.mentions if m.kind == "person"}
        froms = [h for h in si.hits if h.entry.kind == "from"
                 and not (h.entry.of_after_role and h.start in role_ends)
                 and (not h.entry.after_person or h.start in person_ends)]
        people = [m for m in si.mentions if m.kind == "person"]
        taken = {k for m in si.mentions for k in range(m.start, m.end)}
        media = {s.start + k for h in si.hits if h.entry.kind == "medium" for k in range(h.start, h.end)}
        for h in jtitles:  # "Nach SPORT1-Informationen", "laut kicker-Recherchen": the outlet is the first part
            tok = doc[s.start + h.start]
            if FRAME_OUTLETS and h.end - h.start == 1 and "-" in tok.text and s.start + h.start not in taken:
                head = tok.text.rsplit("-", 1)[0]
                if head and (_is_cap(head) or self.kb.outlet(head)) and not self._not_name(head):
                    si.mentions.append(Mention("outlet", s.start + h.start, s.start + h.end,
                                               self._outlet_name(self.kb.outlet(head) or head) or head))
        for h in jtitles:  # "Selon BFMTV": a name the KB does not know, right after a frame, is an outlet
            k = s.start + h.end
            while k < s.end and doc[k].text in {"“", '"', "«", "„"} | {"la", "il", "o", "a", "le", "der", "die"}:
                k += 1
            if k < s.end and k not in taken and _is_cap(doc[k].text) and len(doc[k].text) > 1 \
                    and doc[k].text.lower() not in self.stops and not self._not_name(doc[k].text) \
                    and (doc[k].text.isupper() or k + 1 >= s.end or not _is_cap(doc[k + 1].text)):
                si.mentions.append(Mention("outlet", k, k + 1, doc[k].text))
            elif FRAME_OUTLETS:
                # a name run the KB does not know as a person may be the outlet's name ("o jornal Correio Matinal")
                unknown = [m for m in si.mentions if m.kind == "person" and m.name not in self.kb.people
                           and m.start >= k]
                free = taken - {x for m in unknown[:1] for x in range(m.start, m.end)}
                out = self._frame_outlet(doc, s, k, media, free)
                if out is not None:
                    si.mentions = [m for m in si.mentions if not (m.start < out.end and out.start < m.end)]
                    si.mentions.append(out)
        si.mentions.sort(key=lambda m: m.start)
        for m in si.mentions:
            rel = m.start - s.start
            if m.kind == "person":
                kbp = self.kb.people.get(m.name)
                if self.kb.journalist(m.name):
                    m.kind = "journalist"
                elif kbp is not None and kbp.roles and kbp.roles[0] not in ("manager", "player", "staff"):
                    m.role = "official"  # a president or director the KB knows
                elif any(0 <= rel - h.end <= 1 or (0 <= h.start - (m.end - s.start) <= 3 and not m.genitive
                                                    and m.end < s.end and doc[m.end].text == ",")
                         or (0 <= rel - h.end <= 4 and doc[m.start - 1].text == ",") for h in titles):
                    # "Sportdirektor Max Eberl", "Eberl, Sportdirektor", "o presidente dos dragões, André Villas-Boas"
                    m.role = "official"
                elif any(0 <= rel - h.end <= 1 for h in si.kinds("departing")):
                    m.role = "departing"
                elif any(0 <= rel - h.end <= 2 for h in jtitles) and any(x.kind == "outlet" for x in si.mentions):
                    m.kind = "journalist"
                elif OUTLET_OF and any(h.start == m.end - s.start and any(
                        x.kind == "outlet" and x.start == s.start + h.end for x in si.mentions)
                        for h in si.kinds("owner")):
                    m.kind = "journalist"  # "dal collega Marco Azzi di Repubblica"
                elif OWNER_OF and any(h.end == rel and any(c.kind == "club" and c.end == s.start + h.start
                                                           for c in si.mentions) for h in si.kinds("owner")):
                    m.role = "incumbent"  # "el Barça de Hansi Flick", "la Juve di Allegri": the club's own man
                else:
                    m.role = "target"
            elif m.kind == "club":
                if any(0 <= rel - h.end <= 2 for h in froms):
                    m.role = "from"
                # "Armel Bella-Kotchap (FC Southampton)": the club in brackets after a name is his club
                elif m.start >= 2 and doc[m.start - 1].text == "(" and any(p.end == m.start - 1 for p in people):
                    m.role = "from"
        rejections = [h for h in si.hits if h.entry.rejection]
        offers = [h for h in si.hits if h.entry.kind == "stage" and h.entry.stage == "bid"]
        counterparts = [h for h in si.hits if h.entry.kind == "counterpart"]
        clubs_here = [m for m in si.mentions if m.kind == "club"]
        for h in rejections:  # "Lille a refusé une offre de Newcastle": Lille sells
            if any(o.start > h.start for o in offers):
                before = [m for m in clubs_here if m.end - s.start <= h.start]
                if before:
                    before[-1].role = "from"
        cut = [k - s.start for k in range(s.start, s.end) if doc[k].text in _SEGMENT_ENDS]
        for h in (h for h in si.hits if h.entry.kind == "seller"):  # "Dortmund kassiert", "il Napoli cede X": sells
            before = [m for m in clubs_here if m.end - s.start <= h.start
                      and not any(m.end - s.start <= k < h.start for k in cut)]
            if before:
                before[-1].role = "from"
        for h in (h for h in si.hits if h.entry.stay):  # "resta all'Atalanta", "renueva con el Athletic": his club
            for m in clubs_here:
                if 0 <= (m.start - s.start) - h.end <= 2:
                    m.role = "from"
        for m in clubs_here:  # "negocia con el Inter por Julián Álvarez": Inter sells
            rel = m.start - s.start
            for h in counterparts:
                if not 0 <= rel - h.end <= 1:
                    continue
                if h.entry.after_offer and not any(o.end <= h.start for o in offers):
                    continue
                if any(c.start < m.start and c.role != "from" for c in clubs_here):
                    m.role = "from"

    # -- claims -----------------------------------------------------------------------------------
    def __call__(self, article: ArticleRecord) -> list[ClaimRecord]:
        text = article.text
        doc = self.nlp(text)
        sents = [SentInfo(sent=s, words=[t.lower_ for t in doc[s.start:s.end]]) for s in sentences(doc)]
        for si in sents:
            si.hits = self.cues.find(si.words)  # token offsets relative to the sentence
        author = article.author
        self.mentions(doc, sents, author, article.date)
        for si in sents:
            self._mark_roles(doc, si)
        # a title anywhere makes an official everywhere in the article ("Deco, su director de fútbol")
        officials = {m.name for si in sents for m in si.mentions if m.kind == "person" and m.role == "official"}
        for si in sents:
            for m in si.mentions:
                if m.kind == "person" and m.name in officials:
                    m.role = "official"
        own_outlet = outlet_from_domain_or_name(_QUALIFIER.sub("", article.outlet)) if article.outlet else None
        relay = _RELAYS.search(article.outlet or "") if RELAY_ORIGIN else None
        if relay and "/" not in relay.group(1):  # an aggregator's own voice relays its origin (the spec: a relay keeps
            own_outlet = outlet_from_domain_or_name(relay.group(1).strip())  # the origin); "Sky / Di Marzio": unclear
        own = Source(journalist=author, outlet=own_outlet)
        current: dict[str, set[str]] = {}
        for si in sents:
            targets = [m for m in si.mentions if m.kind == "person" and m.role == "target"]
            for cm in si.mentions:
                if cm.kind == "club" and cm.role == "from":
                    for pm in targets:
                        current.setdefault(pm.name, set()).add(cm.name)
        if DATED_CLUB and article.date is not None:
            # a person the text does not place: his club on the article's date from the KB's dated spells (as the
            # English extractor has it: extract.components._dated_clubs), a move of the last weeks still the news
            book = kb_spells()
            for name in {m.name for si in sents for m in si.mentions if m.kind == "person" and m.role == "target"}:
                if name in current:
                    continue
                club_on = book.club_as_news(name, article.date)
                if club_on:
                    current[name] = {club_on}
        roles = self._person_roles(doc, sents, article.date)
        # the club the article has pursue each person most (a headline counts twice), and its main person:
        # a sentence with a stage cue that names only one side takes the other from here
        together: dict[str, dict[str, int]] = {}
        for n_sent, si in enumerate(sents):
            # in order of mention, so that a tie for the topic club goes the same way on every run
            for pname in dict.fromkeys(m.name for m in si.mentions if m.kind == "person" and m.role == "target"):
                tally = together.setdefault(pname, {})
                for cname in dict.fromkeys(m.name for m in si.mentions if m.kind == "club" and m.role != "from"):
                    if cname in current.get(pname, set()):
                        continue
                    tally[cname] = tally.get(cname, 0) + (2 if n_sent == 0 else 1)
        topic_club = {pn: max(v, key=lambda cn: v[cn]) for pn, v in together.items() if v}
        club_counts: dict[str, int] = {}
        for si in sents:
            for m in si.mentions:
                if m.kind == "club" and m.role != "from":
                    club_counts[m.name] = club_counts.get(m.name, 0) + 1
        head_clubs = [m.name for si in sents[:1] for m in si.mentions if m.kind == "club" and m.role != "from"]
        article_club = head_clubs[0] if len(set(head_clubs)) == 1 else (
            max(club_counts, key=lambda cn: club_counts[cn]) if club_counts else None)
        if CLUB_REF_MENTION and article_club is not None:
            for si in sents:  # "Uno de los objetivos del club era fichar a X": the article's club
                if any(m.kind == "club" for m in si.mentions):
                    continue
                for h in si.kinds("club_ref"):
                    ref_start, ref_end = si.sent.start + h.start, si.sent.start + h.end
                    if ref_end < si.sent.end and doc[ref_end].is_alpha and doc[ref_end].text.islower() \
                            and doc[ref_end].lower_ not in self.stops \
                            and not any(o.start <= h.end < o.end for o in si.hits):
                        continue  # "el club francés" (a word no cue knows): a club the text describes
                    if any(m.start < ref_end and ref_start < m.end for m in si.mentions):
                        continue  # a name already ("L'Équipe" is the newspaper)
                    si.mentions.append(Mention("club", ref_start, ref_end, article_club))
                    si.mentions.sort(key=lambda m: m.start)
                    break
        head_people = {m.name for si in sents[:2] for m in si.mentions if m.kind == "person" and m.role == "target"}
        subject = next(iter(head_people)) if len(head_people) == 1 else None
        out: list[ClaimRecord] = []
        prev_named: Source | None = None
        last_was_named = False
        prev_par = -1
        last_target: tuple[str, int] | None = None
        last_club: tuple[str, int, int] | None = None  # the last club named: name, paragraph, sentence
        last_sentence_start = 0
        n_mentions: dict[str, int] = {}
        for si in sents:
            for m in si.mentions:
                n_mentions[m.name] = n_mentions.get(m.name, 0) + 1
        ppl_counts = {m.name: n_mentions[m.name] for si in sents for m in si.mentions if m.kind == "person"}
        main_person = max(ppl_counts, key=lambda k: ppl_counts[k]) if ppl_counts else None
        for n_sent, si in enumerate(sents):
            named_here = [m.name for m in si.mentions if m.kind == "person" and m.role == "target"]
            if named_here:
                last_target = (named_here[-1], n_sent)
            clubs_here = [m.name for m in si.mentions if m.kind == "club" and m.role != "from"]
            prev_club = last_club if last_club is not None and last_club[1] == si.sent.paragraph \
                and n_sent - last_club[2] <= 2 else None
            if clubs_here:
                last_club = (clubs_here[-1], si.sent.paragraph, n_sent)
            if si.sent.paragraph != prev_par and CARRY != "article":
                # a new paragraph in the conditional of reported speech goes on relaying the source the last one
                # ended with ("sarebbe", "hätte"); anything else starts in the article's own voice
                prev_named = prev_named if REPORTIVE_CARRY and si.kinds("reportive") and last_was_named else None
            prev_par = si.sent.paragraph
            source, named = self._source(si, own, prev_named)
            last_was_named = named
            if named:
                prev_named = source
            n_out = len(out)
            if named and BACKREF and si.sent.end - si.sent.start <= 12 and si.kinds("attribution") \
                    and not any(m.kind in ("club", "person") for m in si.mentions):
                # a frame of its own after the claim: "Das berichtet kicker.", "Lo riporta la Gazzetta."
                for k in range(last_sentence_start, n_out):
                    if out[k].source == own:
                        out[k].source = source
            moved = self._announced_move(si, n_sent, out) if ANNOUNCE_MOVE and not named else None
            if moved is not None:
                # "Am Dienstag gaben die Monegassen den Wechsel bekannt", "o Benfica já tinha oficializado o negócio":
                # a club announcing "the move" without naming him announces the one the article just reported
                last, by_club = moved
                out.append(ClaimRecord(
                    club=last.club, person=last.person, role=last.role, stage="done",
                    source=Source(journalist=None, outlet=by_club), certainty="firm",
                    evidence=text[si.sent.char_start:si.sent.char_end], start=si.sent.char_start,
                    end=si.sent.char_end, date=article.date,
                    extra={"lang": self.lang, "extractor": VERSION,
                           "features": {**(last.extra or {}).get("features", {}), "sent": n_sent, "via": "announce"}}))
            stage = self._stage(si)
            cued = stage is not None
            if stage is None:
                # a stage cue negated ("no presentó ninguna oferta") is no missing cue: only a sentence without any
                uncued = UNCUED and not si.kinds("stage") and not si.kinds("negation")
                if not (self.all_pairs or uncued):
                    continue
                stage = "interest"  # a candidate only (no stage cue): the learned decision sees "cued": False
            else:
                last_sentence_start = len(out)
            people = [m for m in si.mentions if m.kind == "person" and m.role == "target"]
            clubs = [m for m in si.mentions if m.kind == "club" and m.role != "from"]
            if not people and clubs and DESCRIPTORS and last_target is not None and n_sent - last_target[1] <= 3:
                # "Der Flügelspieler wechselt zu Chelsea", "il tecnico": a role word stands for the person just named
                desc = [h for h in si.hits if h.entry.kind in ("player", "manager", "staff")]
                if desc:
                    pos = si.sent.start + desc[0].start
                    people = [Mention("person", pos, pos + 1, last_target[0], role="target")]
            if not people and clubs and HEADLINE_PERSON and subject is not None and n_sent >= 1 \
                    and not any(m.kind in ("person", "journalist") for m in si.mentions):
                # "Il Milan ha presentato un'offerta": the headline's one target is who the article is about
                people = [Mention("person", clubs[0].start, clubs[0].start, subject, role="target")]
            pairs: dict[tuple[str, str], dict] = {}
            pair_segs: dict[tuple[str, str], set[int]] = {}
            cuts = [k for k in range(si.sent.start, si.sent.end) if doc[k].text in _SEGMENT_ENDS
                    and not (CLUB_LISTS and doc[k].text == "," and self._in_club_list(doc, si, k))]

            def segment_of(tok: int, cuts: list[int] = cuts) -> int:
                return sum(1 for k in cuts if k < tok)

            for pm in people:
                near = [cm.name for cm in clubs if min(abs(cm.start - pm.end), abs(pm.start - cm.end)) <= PAIR_WINDOW]
                if PAIRING == "segment" and clubs:
                    seg = segment_of(pm.start)
                    same = [cm.name for cm in clubs if segment_of(cm.start) == seg]
                    nearest = min(clubs, key=lambda cm: min(abs(cm.start - pm.end), abs(pm.start - cm.end)))
                    near = same or [nearest.name]
                if not clubs and PREV_CLUB and prev_club is not None and pm.name not in topic_club:
                    near = [prev_club[0]]  # "Uno de los objetivos del club era fichar a X": the club just named
                elif not clubs and CLUB_FALLBACK and pm.name in topic_club:
                    near = [topic_club[pm.name]]
                elif not clubs and (ARTICLE_CLUB or self.all_pairs) and article_club is not None:
                    near = [article_club]  # with all_pairs a candidate only (via "article")
                for cname in near:
                    if cname in current.get(pm.name, set()):
                        continue  # the KB's current club is today's, not the article's: only the text says it
                    club = self.kb.clubs.get(cname)
                    if club is not None and club.national and roles.get(pm.name) != "manager":
                        continue  # a national team takes no player or staff in a transfer
                    dist = min(abs(cm.start - pm.end) for cm in clubs if cm.name == cname) if clubs else -1
                    club_first = any(cm.name == cname and cm.start < pm.start for cm in clubs)
                    segs = {segment_of(pm.start)} | {segment_of(cm.start) for cm in clubs if cm.name == cname}
                    pair_segs.setdefault((cname, pm.name), set()).update(segs)
                    pairs.setdefault((cname, pm.name), {
                        "dist": dist, "club_first": club_first, "via": "descriptor" if pm.end - pm.start == 1
                        and pm.name not in named_here else ("text" if clubs else "topic" if pm.name in topic_club
                                                            else "article"),
                        "n_people": len({m.name for m in people}), "n_clubs": len({m.name for m in clubs}),
                        "sent": n_sent, "person_mentions": n_mentions.get(pm.name, 0),
                        "club_mentions": n_mentions.get(cname, 0), "main": pm.name == main_person,
                        "kinds": sorted({h.entry.kind for h in si.hits}), "stage": stage, "cued": cued,
                        "question": si.words[-1:] == ["?"]})
            certainty = "doubtful" if si.kinds("doubt") else "hedged" if si.kinds("hedge") or si.kinds(
                "reportive") else "firm"
            off_hits = si.kinds("official")
            announcer = None
            party = PARTY_QUOTES and si.kinds("speech") and any(
                m.kind == "person" and m.role == "official" for m in si.mentions)
            if off_hits and stage == "done" and not party and not named:  # the club's own announcement
                before = [m for m in si.mentions if m.kind == "club" and m.role != "from"
                          and m.start - si.sent.start < off_hits[0].start]
                announcer = before[-1].name if before else None
                if announcer is None and OFFICIAL_AFTER:  # "Ufficiale: la Juventus ...", "oficial, os reds informam"
                    after = [m for m in si.mentions if m.kind == "club" and m.role != "from"
                             and m.start - si.sent.start >= off_hits[0].end]
                    announcer = after[0].name if after else None
                if announcer is None and not before and CLUB_REF and any(
                        h.end <= off_hits[0].start for h in si.kinds("club_ref")):
                    announcer = _EACH_PAIR  # "El club lo ha hecho oficial": each pair's club is its announcer
            if not cued and UNCUED and not self.all_pairs:  # no stage cue: only a person and a club of one clause
                pairs = {k: f for k, f in pairs.items() if f["via"] == "text" and len(pair_segs.get(k, ())) == 1}
            for (c, p), feats in pairs.items():
                src = Source(journalist=None, outlet=c) if announcer in (c, _EACH_PAIR) else source
                pair_stage, pair_certainty = stage, certainty
                if any(h.entry.stay for h in si.hits) and stage == "off":
                    pass  # he stays: off for every suitor in the sentence, whatever its clause says
                elif PER_CLAUSE:  # the cues of the pair's own clauses decide, where they have any
                    segs = pair_segs.get((c, p), set())
                    local = [h for h in si.hits if segment_of(si.sent.start + h.start) in segs]
                    pair_stage = self._stage(si, local) or stage
                    kinds = {h.entry.kind for h in local}
                    pair_certainty = "doubtful" if "doubt" in kinds else "hedged" if kinds & {"hedge", "reportive"} \
                        else "firm"
                out.append(ClaimRecord(
                    club=c, person=p, role=roles.get(p, "player"), stage=pair_stage, source=src,
                    certainty=pair_certainty,
                    evidence=text[si.sent.char_start:si.sent.char_end], start=si.sent.char_start,
                    end=si.sent.char_end, date=article.date,
                    extra={"lang": self.lang, "extractor": VERSION, "features": feats}))
        if AFTER_DONE:  # after a move is announced, what follows about it (fee, permit, contract) takes it as given
            done_at: dict[tuple[str, str], int] = {}
            kept: list[ClaimRecord] = []
            for claim in out:
                key = (claim.club, claim.person)
                first = done_at.get(key)
                if first is not None and (claim.start or 0) > first and claim.stage not in ("done", "off"):
                    continue
                if claim.stage == "done" and claim.certainty == "firm" and (first is None or (claim.start or 0) < first):
                    done_at[key] = claim.start or 0
                kept.append(claim)
            out = kept
        return out

    def _announced_move(self, si: SentInfo, n_sent: int,
                        out: list[ClaimRecord]) -> tuple[ClaimRecord, str] | None:
        """An announcement (cue kind `official`) by a club named before the cue (not his former club, not after a
        preposition of place: "a Roma", "in München"), naming no other target and quoting no official, within two
        sentences of a firm claim that has a move agreed or done: that claim and the announcing club."""
        offs = si.kinds("official")
        if not offs or si.kinds("negation"):
            return None
        if si.kinds("speech") and any(m.kind == "person" and m.role == "official" for m in si.mentions):
            return None  # an official's words are his claim ("wie BVB-Sportchef Lars Ricken bestätigte")
        cue_at = si.sent.start + offs[0].start
        places = {si.sent.start + h.end for h in si.kinds("place")}
        clubs = [m for m in si.mentions if m.kind == "club" and m.role != "from" and m.end <= cue_at
                 and m.start not in places]
        # "Der Verein gab den Wechsel bekannt": no club named, a word for the club before the cue is the move's club
        by_ref = CLUB_REF and not clubs and any(h.end <= offs[0].start for h in si.kinds("club_ref"))
        if not clubs and not by_ref:
            return None
        for last in reversed(out):
            feats = (last.extra or {}).get("features", {})
            if n_sent - int(feats.get("sent", -99)) > 2:
                return None
            if last.stage in ("agreement", "done") and last.certainty == "firm":
                if any(m.kind == "person" and m.role == "target" and m.name != last.person for m in si.mentions):
                    return None
                return last, clubs[-1].name if clubs else last.club
        return None

    def _in_club_list(self, doc: Doc, si: SentInfo, k: int) -> bool:
        """A comma between two clubs ("Liverpool, Manchester United e Real Madrid") lists them: no clause break."""
        ends = {m.end for m in si.mentions if m.kind == "club"}
        starts = {m.start for m in si.mentions if m.kind == "club"}
        nxt = k + 1
        if nxt < si.sent.end and doc[nxt].lower_ in self.stops and nxt + 1 not in ends:
            nxt += 1  # "il Milan, la Juventus": an article before the next club
        return k in ends and nxt in starts

    def _stage(self, si: SentInfo, hits: list[Hit] | None = None) -> str | None:
        hits = si.hits if hits is None else hits
        negs = si.kinds("negation")
        best: str | None = None
        spans = [(h.start, h.end) for h in hits if h.entry.kind == "stage"]
        for h in hits:
            if h.entry.kind != "stage":
                continue
            if any(a <= h.start and h.end <= b and b - a > h.end - h.start for a, b in spans):
                continue  # inside a longer cue: "sigue de cerca" is no "cerca"
            stage = h.entry.stage or ""
            if any(0 <= h.start - n.end <= n.entry.window for n in negs):
                continue  # "kein Angebot", "non resta che"
            if h.entry.rejection and any(o.entry.kind == "stage" and o.entry.stage == "bid" for o in hits):
                stage = "bid"  # a rejected bid is a bid (the spec): the pursuit goes on
            if best is None or stage_rank(stage) > stage_rank(best):
                best = stage
        return best

    def _source(self, si: SentInfo, own: Source, prev_named: Source | None) -> tuple[Source, bool]:
        journalists = [m for m in si.mentions if m.kind == "journalist"]
        outlets = [m for m in si.mentions if m.kind == "outlet" and m.name != own.outlet]
        framed = bool(si.kinds("attribution"))
        if journalists and (framed or not outlets):
            j = journalists[0].name
            kbj = self.kb.journalists.get(j)
            outlet = outlets[0].name if outlets else self._outlet_name(kbj.outlet if kbj else None)
            return Source(journalist=j, outlet=outlet), True
        officials = [m for m in si.mentions if m.kind == "person" and m.role == "official"]
        if officials and si.kinds("speech") and PARTY_QUOTES:  # "wie BVB-Sportchef Lars Ricken DAZN bestätigte"
            return Source(journalist=officials[0].name, outlet=outlets[0].name if outlets else None), False
        if outlets and framed:
            return Source(journalist=None, outlet=outlets[0].name), True
        if si.kinds("unnamed"):
            return Source(), False
        if outlets:
            return Source(journalist=None, outlet=outlets[0].name), True
        if prev_named is not None and (CARRY != "reportive" or si.kinds("reportive")):
            return prev_named, True
        return own, False

    def _outlet_name(self, outlet: str | None) -> str | None:
        """An outlet's name as this language's data has it (a journalist's KB outlet "Sky Italia" -> Sky Sport Italia)."""
        if not outlet:
            return outlet
        hit = self.index.get(normalise(outlet))
        return hit[1] if hit and hit[0] == "outlet" else outlet

    def annotated_role(self, name: str, day: dt.date | None) -> str | None:
        """The role our English labels last gave him by `day` (a manager or staff member; None: none or a player)."""
        if not NAMES_ROLES:
            return None
        firsts = self.names_roles.get(name, {})
        seen = [(d, r) for r, d in firsts.items() if day is None or d <= day.isoformat()]
        return max(seen)[1] if seen else None

    def _person_roles(self, doc: Doc, sents: list[SentInfo], day: dt.date | None = None) -> dict[str, str]:
        votes: dict[str, dict[str, int]] = {}
        for si in sents:
            for m in si.mentions:
                if m.kind != "person":
                    continue
                rel_s, rel_e = m.start - si.sent.start, m.end - si.sent.start
                v = votes.setdefault(m.name, {})
                staff_spans = [(h.start, h.end) for h in si.hits if h.entry.kind == "staff"]
                for h in si.hits:
                    if h.entry.kind not in ("manager", "staff", "player"):
                        continue
                    if h.entry.kind != "staff" and any(a <= h.start and h.end <= b for a, b in staff_spans):
                        continue  # "coach des gardiens" is staff, not a coach
                    gap = rel_s - h.end if h.end <= rel_s else h.start - rel_e
                    near = 0 <= gap <= h.entry.window
                    if near or h.entry.kind != "staff":
                        v[h.entry.kind] = v.get(h.entry.kind, 0) + (3 if near else 1)
        out: dict[str, str] = {}
        for name, v in votes.items():
            kbp = self.kb.people.get(name)
            if kbp and kbp.roles:
                out[name] = kbp.roles[0]
            else:  # the most votes; a tie or none is a player (or, with no player vote, his role in our labels)
                best = max(("player", "manager", "staff"), key=lambda k: v.get(k, 0))
                out[name] = best if v.get(best, 0) > v.get("player", 0) else "player"
                if out[name] == "player" and not v.get("player") and (known := self.annotated_role(name, day)):
                    out[name] = known
        return out


_EXTRACTORS: dict[str, MultilingualExtractor] = {}


def extract_multilingual(article: ArticleRecord) -> list[ClaimRecord]:
    lang = article.lang or ""
    ex = _EXTRACTORS.get(lang)
    if ex is None:
        ex = _EXTRACTORS[lang] = MultilingualExtractor(lang)
    return ex(article)
