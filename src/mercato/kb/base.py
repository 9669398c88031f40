from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mercato.kb.datafile import DataFileError, jsonl_rows

DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=1 << 16)  # pure and called per claim and per move in every replay: a story page's hot spot
def normalise(s: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Rúben  Amorim!" -> "ruben amorim")."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("ß", "ss").lower()
    s = re.sub(r"[^\w\s]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


class KBDataError(DataFileError):
    """A knowledge-base data file line that is not what its file holds (the message names the file and line)."""


def squash(s: str) -> str:
    """`normalise`, written as one word: a site's own label ("Lancashiretelegraph") is its name run together."""
    return normalise(s).replace(" ", "")


def _jsonl(name: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _jsonl_words(name: str) -> list[str]:
    path = DATA / name
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _jsonl_words("common_words.json"))


@dataclass
class Club:
    name: str
    aliases: list[str] = field(default_factory=list)
    nicknames: list[str] = field(default_factory=list)
    country: str | None = None
    league: str | None = None
    national: bool = False
    curated: bool = False
    founded: int | None = None  # the year it was founded, where known: an article dated before it does not know it
    world: bool = False  # from clubs_openfootball_world.jsonl (loaded after, never taking a name already known)


@dataclass
class Person:
    name: str
    aliases: list[str] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    born: dt.date | None = None
    roles: list[str] = field(default_factory=list)
    club: str | None = None
    descriptors: list[str] = field(default_factory=list)

    def age_on(self, day: dt.date) -> int | None:
        if self.born is None:
            return None
        return day.year - self.born.year - ((day.month, day.day) < (self.born.month, self.born.day))


@dataclass
class Outlet:
    name: str
    aliases: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)  # its accounts on platforms (X, Instagram, YouTube)


@dataclass
class Journalist:
    name: str
    outlet: str | None = None
    aliases: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)


class KnowledgeBase:
    """Clubs, people, outlets and journalists with alias indexes keyed by `normalise`."""

    def __init__(self) -> None:
        self.clubs: dict[str, Club] = {}
        self.club_alias: dict[str, str] = {}
        self.people: dict[str, Person] = {}
        self.person_alias: dict[str, str] = {}
        self.outlets: dict[str, Outlet] = {}
        self.outlet_alias: dict[str, str] = {}
        self.outlet_domain: dict[str, str] = {}
        self.outlet_handle: dict[str, str] = {}
        self.club_handle: dict[str, str] = {}
        self.journalists: dict[str, Journalist] = {}
        self.journalist_alias: dict[str, str] = {}
        self.journalist_handle: dict[str, str] = {}
        # names clubs go by in German, Spanish, Italian, French and Portuguese text (clubs_multilingual.jsonl):
        # kept apart from the English indexes, so that only the multilingual extractor sees them
        self.club_alias_lang: dict[str, dict[str, str]] = {}
        self.club_nick_lang: dict[str, dict[str, str]] = {}
        # a club's name that is its city's name in that language ("Nizza", "Colonia", "Oporto"): a club only after
        # an article ("il Nizza", "del Colonia"), a place elsewhere ("volato a Nizza"): the extractor decides
        self.club_city_lang: dict[str, dict[str, str]] = {}
        self.native_clubs: dict[str, Club] = {}
        self.outlet_alias_lang: dict[str, dict[str, str]] = {}
        # outlets known by their sites (outlets_sites.jsonl): what assessment names a publisher or a cited site by
        # (kb.outlets.known_outlet); kept apart from the indexes the extractor reads, so that extraction is unchanged
        self.site_outlets: dict[str, Outlet] = {}
        self.site_ids: dict[str, str] = {}  # name -> the entry's id
        self.site_alias: dict[str, str] = {}  # the name or an alias, normalised and written as one word
        self.site_domain: dict[str, str] = {}
        self._load()
        self._load_multilingual()

    # -- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        ambiguous: set[str] = set()
        by_any: dict[str, Club] = {}
        for row in _jsonl("clubs_openfootball.jsonl"):
            club = Club(name=row["name"], aliases=list(row.get("aliases", [])), country=row.get("country"))
            if club.name in self.clubs:
                continue
            self.clubs[club.name] = club
            for a in [club.name, *club.aliases]:
                key = normalise(a)
                if key in by_any and by_any[key] is not club:
                    ambiguous.add(key)
                by_any.setdefault(key, club)
        for row in _jsonl("clubs_curated.jsonl"):
            base = None if row.get("national") else by_any.get(normalise(row.get("match", row["name"])))
            if base is not None:
                del self.clubs[base.name]
                aliases = [base.name, *base.aliases]
                country = base.country
            else:
                aliases, country = [], row.get("country")
            club = Club(
                name=row["name"],
                aliases=sorted({*aliases, *row.get("aliases", [])} - {row["name"]}),
                nicknames=list(row.get("nicknames", [])),
                country=country,
                league=row.get("league"),
                national=bool(row.get("national")),
                curated=True,
            )
            self.clubs[club.name] = club
        # curated names and aliases win; other aliases shared by two clubs are dropped
        for club in sorted(self.clubs.values(), key=lambda c: not c.curated):
            for a in [club.name, *club.aliases, *club.nicknames]:
                key = normalise(a)
                if not key or (key in ambiguous and not club.curated):
                    continue
                self.club_alias.setdefault(key, club.name)
        self._load_world()
        for row in _jsonl("people.jsonl"):
            born = dt.date.fromisoformat(row["born"]) if row.get("born") else None
            p = Person(
                name=row["name"], aliases=row.get("aliases", []), nationality=row.get("nationality", []),
                born=born, roles=row.get("roles", []), club=row.get("club"), descriptors=row.get("descriptors", []),
            )
            self.people[p.name] = p
            for a in [p.name, *p.aliases]:
                self.person_alias.setdefault(normalise(a), p.name)
        # the people of the dated spells (kb/data/spells.jsonl) are known people too, by their full name only, with
        # the role of their first spell listed and no undated club: a footballer the knowledge base can date is one it
        # knows (cross-validated, learned-0.9: articles +0.039, gossip +0.009, posts +0.006 claim F1)
        self.dated_people: set[str] = set()  # known from the spells alone: matched by exact name, never fuzzily
        for row in _jsonl("spells.jsonl"):
            key = normalise(str(row.get("person") or ""))
            if key and key not in self.person_alias:
                p = Person(name=str(row["person"]), roles=[str(row.get("role") or "player")])
                self.people[p.name] = p
                self.person_alias[key] = p.name
                self.dated_people.add(p.name)
        for row in _jsonl("outlets.jsonl"):
            o = Outlet(name=row["name"], aliases=row.get("aliases", []), domains=row.get("domains", []),
                       handles=row.get("handles", []))
            self.outlets[o.name] = o
            for a in [o.name, *o.aliases]:
                self.outlet_alias.setdefault(normalise(a), o.name)
            for d in o.domains:
                self.outlet_domain[d.lower()] = o.name
            for h in o.handles:
                self.outlet_handle[h.lower()] = o.name
        for row in _jsonl("club_accounts.jsonl"):  # clubs' own accounts: a post there is the club's announcement
            club_name = self.club_alias.get(normalise(row["club"]))
            if club_name:
                for h in row.get("handles", []):
                    self.club_handle[h.lower()] = club_name
        for row in _jsonl("journalists.jsonl"):
            j = Journalist(name=row["name"], outlet=row.get("outlet"), aliases=row.get("aliases", []),
                           handles=row.get("handles", []))
            self.journalists[j.name] = j
            for a in [j.name, *j.aliases]:
                self.journalist_alias.setdefault(normalise(a), j.name)
            for h in j.handles:
                self.journalist_handle[h.lower()] = j.name
                if len(h) >= 6:
                    self.journalist_alias.setdefault(normalise(h), j.name)

        # fuzzy-linking indexes (typo-tolerant matching in extract)
        self.club_names_norm_map: dict[str, str] = {}
        for club in self.clubs.values():
            if club.curated:
                for a in [club.name, *club.aliases]:
                    if " " in a.strip():
                        self.club_names_norm_map.setdefault(normalise(a), club.name)
        self.club_names_norm = list(self.club_names_norm_map)
        # a misspelt full name ("Arne Slott") is linked to the curated people only: among a thousand footballers
        # known from their spells alone, a near miss is as likely another man ("Nico Williams", "Neco Williams")
        self.person_names_norm_map = {normalise(p.name): p.name for p in self.people.values()
                                      if " " in p.name and p.name not in self.dated_people}
        for p in self.people.values():
            for a in p.aliases:
                if " " in a:
                    self.person_names_norm_map.setdefault(normalise(a), p.name)
        self.person_names_norm = list(self.person_names_norm_map)
        surnames: dict[str, str | None] = {}
        for p in self.people.values():
            for a in [p.name, *p.aliases]:
                key = normalise(a).split()[-1] if a.strip() else ""
                if len(key) >= 4:
                    surnames[key] = p.name if surnames.get(key, p.name) == p.name else None
        self.surnames_norm_map = {k: v for k, v in surnames.items() if v}
        self.surnames_norm = list(self.surnames_norm_map)
        self.demonyms = {n.lower() for p in self.people.values() for n in p.nationality}
        self.demonyms |= {w.lower() for w in _jsonl_words("demonyms.json")}
        # club grounds ("the London Stadium"), kept only where the club is in the KB
        spath = DATA / "stadiums.json"
        sraw = json.loads(spath.read_text(encoding="utf-8")) if spath.exists() else {}
        self.stadiums: dict[str, str] = {k: c for k, v in sraw.items() if (c := self.club(v))}
        # "the Germany international": a country's name used as a nationality -> its demonyms
        path = DATA / "countries.json"
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.country_demonyms: dict[str, list[str]] = {k.lower(): [d.lower() for d in v] for k, v in raw.items()}

    def _load_world(self) -> None:
        """The clubs of every other country (clubs_openfootball_world.jsonl, built by scripts/build_clubs_kb.py):
        additive, a name or alias already known stays its club; among these, a club's own name goes before
        another's alias, and an alias two of them share is dropped."""
        rows = [r for r in _jsonl("clubs_openfootball_world.jsonl") if r["name"] not in self.clubs]
        added: list[Club] = []
        for row in rows:
            if row["name"] in self.clubs:
                continue
            club = Club(name=row["name"], aliases=list(row.get("aliases", [])), country=row.get("country"),
                        founded=row.get("founded"), world=True)
            self.clubs[club.name] = club
            added.append(club)
        names: dict[str, str] = {}
        for club in added:
            key = normalise(club.name)
            if key and key not in self.club_alias:
                names.setdefault(key, club.name)
        owners: dict[str, set[str]] = {}
        for club in added:
            for a in club.aliases:
                key = normalise(a)
                if key and key not in self.club_alias and key not in names:
                    owners.setdefault(key, set()).add(club.name)
        self.club_alias.update(names)
        self.club_alias.update({k: next(iter(v)) for k, v in owners.items() if len(v) == 1})

    def known_on(self, club: str, day: dt.date | None) -> bool:
        """Whether a club existed on `day` (a club founded after it is no knowledge of that article)."""
        c = self.clubs.get(club)
        return c is None or c.founded is None or day is None or day.year >= c.founded

    def _load_multilingual(self) -> None:
        for row in _jsonl("clubs_multilingual.jsonl"):
            name = row["name"]
            if name not in self.clubs:
                self.native_clubs.setdefault(name, Club(name=name, country=row.get("country")))
            for field_name, index in (("aliases", self.club_alias_lang), ("nicknames", self.club_nick_lang),
                                      ("cities", self.club_city_lang)):
                for lang, names in row.get(field_name, {}).items():
                    for a in names:
                        index.setdefault(lang, {}).setdefault(normalise(a), name)

        self._load_sites()
        for row in _jsonl("outlets_multilingual.jsonl"):
            for lang, names in row.get("aliases", {}).items():
                for a in names:
                    self.outlet_alias_lang.setdefault(lang, {}).setdefault(normalise(a), row["name"])

    def _load_sites(self) -> None:
        path = DATA / "outlets_sites.jsonl"
        if not path.exists():
            return
        for where, row in jsonl_rows(path, KBDataError):
            if "about" in row and "name" not in row:
                continue
            if not row.get("id") or not row.get("name") or not row.get("domains"):
                raise KBDataError(f"{where}: an outlet needs an id, a name and its domains")
            o = Outlet(name=row["name"], aliases=row.get("aliases", []), domains=row["domains"])
            if o.name in self.outlets or o.name in self.site_outlets:
                raise KBDataError(f"{where}: outlet {o.name!r} is already in the knowledge base")
            self.site_outlets[o.name] = o
            self.site_ids[o.name] = row["id"]
            for a in [o.name, *o.aliases]:
                self.site_alias.setdefault(squash(a), o.name)
            for d in o.domains:
                self.site_domain[d.lower()] = o.name

    def site_outlet(self, text: str) -> str | None:
        """The outlet of outlets_sites.jsonl a name is ("Lancashiretelegraph", "Lancashire Telegraph"), else None."""
        return self.site_alias.get(squash(text))

    def club_in(self, text: str, lang: str) -> str | None:
        """The canonical club for a name as written in `lang` text ("Bayern Monaco" in Italian), else as in English."""
        key = normalise(text)
        return self.club_alias_lang.get(lang, {}).get(key) or self.club_nick_lang.get(lang, {}).get(key) or self.club(text)

    def is_common_word(self, key: str) -> bool:
        """Words that are never a misspelt surname (English words that look like names)."""
        return key in _common_words()

    # -- lookups ------------------------------------------------------------------------------
    def club(self, text: str) -> str | None:
        return self.club_alias.get(normalise(text))

    def person(self, text: str) -> str | None:
        return self.person_alias.get(normalise(text))

    def outlet(self, text: str) -> str | None:
        return self.outlet_alias.get(normalise(text))

    def journalist(self, text: str) -> str | None:
        return self.journalist_alias.get(normalise(text))


@lru_cache(maxsize=1)
def get_kb() -> KnowledgeBase:
    return KnowledgeBase()
