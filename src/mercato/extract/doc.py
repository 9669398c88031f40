"""The shared data structure every extraction component reads and writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mercato.kb.spells import SpellBook
from mercato.records import ClaimRecord, Source


@dataclass
class Mention:
    kind: str  # club, person, outlet, journalist
    text: str
    start: int  # character offsets in the article text
    end: int
    canonical: str | None = None  # resolved name (club, person, outlet, journalist)
    in_kb: bool = False
    weak: bool = False  # an outlet name that is also a common word ("Sky", "Mail"): needs a reporting frame
    # clubs: "" (may acquire), affiliation (the club someone is at), former, opponent, location, context
    # people: target, official, departing, host, journalist
    role: str = ""
    owner: str | None = None  # for an affiliation: the person the club belongs to


@dataclass
class Clause:
    start: int
    end: int
    text: str
    source: Source | None = None
    kind: str = "own"  # own, named, unnamed, party, carried
    frame_hedge: bool = False  # the frame itself hedges ("reports suggest", "is said to")
    speaker: str | None = None
    factive: bool = False


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int = 0
    mentions: list[Mention] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    spacy_doc: object | None = None
    masks: list[tuple[int, int]] = field(default_factory=list)  # article offsets of cue words bound elsewhere

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind and m.canonical]


@dataclass
class ArticleDoc:
    text: str
    date: dt.date
    outlet: str | None = None
    author: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)
    # person canonical name -> the club they are at on the article's date, never the acquiring club: from the
    # text first (`affiliations`), then from the dated spells (`spells`, else the KB's); absent when unknown
    current_club: dict[str, str] = field(default_factory=dict)
    affiliations: dict[str, str] = field(default_factory=dict)  # person -> club as the text states it (stored)
    club_hint: dict[str, str] = field(default_factory=dict)  # person -> the KB's undated club, where nothing dated is known
    spells: SpellBook | None = None  # clubs over time to read the article with (None: the KB's dated spells)
    former: dict[str, set[str]] = field(default_factory=dict)  # person -> clubs the text calls former
    titled_role: dict[str, str] = field(default_factory=dict)  # person -> role a title gave him in the text
    kb_current: set[str] = field(default_factory=set)  # people whose current club came from a dated spell, not the text
    main_person: str | None = None
    last_journalist: tuple[str, str | None] | None = None
    last_target: str | None = None
    last_outlet: Source | None = None  # the outlet of the last outlet-only frame ("the Spanish outlet concedes")
    manager_article: bool = False
    club_topic: dict[str, str] = field(default_factory=dict)  # club -> the person the article last has it pursue
    person_topic: dict[str, str] = field(default_factory=dict)  # person -> the club the article last has pursue him
    # pairing's hand-over to the article-level steps: clauses where a person stays put (clause, sentence, person,
    # clubs named with him) and clauses that only doubt a move (person or "", source key, clubs named)
    stays: list[tuple[Clause, Sentence, str, list[str]]] = field(default_factory=list)
    doubts: list[tuple[str, tuple, frozenset[str]]] = field(default_factory=list)
    # mentions of the clubs of the knowledge base's other countries (kb clubs_openfootball_world.jsonl), held back
    # from the rule components (their pairing misreads them: a selling club becomes the bidder); the learned
    # extractor's candidates add them (`learned.candidates.generate`)
    late_clubs: list[Mention] = field(default_factory=list)

    @property
    def own_source(self) -> Source:
        return Source(journalist=self.author, outlet=self.outlet)
