"""Per-language cue data (data/<lang>.json): what each entry means, and matching it against tokens.

A file holds `entries`, each with an `id`, a `kind`, `cues` and an `example` sentence (tests check that every
entry finds its own cue in its example). A word in angle brackets is a lemma that stands for all its forms
(morphology.py): "<fichar>" for "ficha", "fichó", "ficharía", "fichado"..., "<oferta:n>" for "oferta" and "ofertas",
"<avanzado:a>" for "avanzada", "avanzados"..., "<fechar:f>" for the forms without the infinitive; "<estar> cerca de"
is every form of "estar" before "cerca de".
A cue is one or more words, matched case-insensitively on spaCy
tokens of `spacy.blank(lang)`; a word ending in `*` matches any word that starts with it, a word starting with
`*` any word that ends with it ("*offerte" finds "55-Mio.-Offerte").

Club nicknames and demonyms live apart, in data/nicknames/<lang>.json (see `load_nickname_file`): per entry an `id`, the
club's KB name, `names` ("bianconeri", "Vecchia Signora"), `adjectives` that name the club after one of the file's
`club_nouns` ("la società bianconera") or, right after a role word, say whose a player is ("il difensore
bianconero"), and an `example`.

kinds:
  stage        a rung of the ladder or "off" (field `stage`) for claims in the sentence; an entry with
               "rejection": true is a refusal: with an offer in the clause it is a (rejected) bid, and the club
               refusing it is the seller ("Lille a refusé une offre de Newcastle")
               "stay": true marks staying ("bleibt", "resta", "renueva"): the club named right after it is his
               own, and the claim is off for the clubs pursuing him
  seller       a verb of selling ("kassiert", "cede", "ingresa", "empoche", "encaixa"): the club named last before it,
               in its clause, sells
  counterpart  "negocia con el <club>", "verhandelt mit dem <club>": after another club, the club the talks are
               with is the seller, not a suitor; with "after_offer": true, only after an offer ("una oferta al
               PSG por Mbappé": the club the offer goes to)
  attribution  a reporting frame ("laut", "secondo", "según", "selon", "segundo", "berichtet"): the outlet or
               journalist named in the sentence makes the claims
  unnamed      a frame without a name ("mehrere Medien", "indiscrezioni"): source {null, null}
  hedge        the source's own wording hedges ("angeblich", "sembra", "al parecer", "pourrait", "poderá")
  reportive    a hedge of reported speech (German Konjunktiv, Romance conditional): it also carries the
               previous sentence's named source on
  doubt        the text casts doubt ("unwahrscheinlich", "difficile")
  negation     a negator: a stage cue right after it (within `window` words, default 3) does not count
  official     a club's announcement: the club named before it is the source
  manager      words that make a person near them a manager; `staff` and `player` the same for staff and players
               (the most votes over the article win; near = within `window` words counts 3, elsewhere in the
               sentence 1; staff only near)
  title        a title before a name that makes him an official or an incumbent, not a target ("Sportdirektor")
  speech       a verb of saying ("sagte", "ha dichiarato", "confirmó", "a déclaré", "afirmou"): with an official named
               in the sentence, the claims are that party's (journalist = the speaker, outlet = a medium named there)
  departing    words before a person who is replaced or leaves ("Nachfolger von", "al posto di"): not a target
  from         a word before a club that makes it the person's current or former club ("vom", "dal", "ex"); an
               entry with "of_after_role": true (prepositions) means "of" right after a role word ("Trainer von");
               one with "after_person": true counts only right after a name ("Álex Jiménez del Milan")
  owner        a word between a club and a person that makes him the club's own ("el Barça de Hansi Flick",
               "la Juve di Allegri"): he is no target of that sentence
  medium       a word for a newspaper, broadcaster or site ("quotidiano", "jornal", "Zeitung"): after a reporting frame,
               the capitalised name that follows it is an outlet ("segundo o jornal Record")
  place        a preposition of place ("a", "in", "nach"): a club name right after it is a city, not a club acting
               ("le visite mediche a Roma"), so it announces nothing
  object       a transfer noun and its "of" ("el fichaje de", "l'acquisto di", "die Verpflichtung von", "le transfert
               de", "a contratação de"): a lone capitalised word right after it that nobody knows is a person's
               surname, kept as written (as after a role word)
  club_ref     a word for "the club" with its article ("el club", "del club", "der Verein", "la società"): before an
               `official` cue in a sentence naming no club, the club of the move is the announcer; elsewhere in a
               sentence naming no club (and not followed by a describing word: "el club francés"), the club the
               article is about
  not_name     capitalised words that never start or belong to a person's name
  determiner   lower-case words after which a capitalised word is a noun, not a name (German "der", "ein")
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
LANGS = ("de", "es", "it", "fr", "pt")
KINDS = frozenset({"counterpart", "seller", "stage", "attribution", "unnamed", "hedge", "reportive", "doubt", "negation", "official",
                   "manager", "staff", "player", "title", "medium", "place", "from", "not_name", "determiner", "departing",
                   "speech", "owner", "object", "club_ref"})
STAGE_VALUES = frozenset({"interest", "contact", "talks", "bid", "advanced", "agreement", "done", "off"})


class CueDataError(ValueError):
    """A cue file that cannot be used (the message names the file and the entry)."""


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    cues: tuple[tuple[str, ...], ...]
    example: str
    stage: str | None = None
    window: int = 3
    of_after_role: bool = False
    rejection: bool = False
    stay: bool = False
    after_offer: bool = False
    after_person: bool = False
    sources: tuple[str, ...] = ()  # per cue, the cue as written in the file ("<fichar>" for "fichó")


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int  # token indices, end exclusive
    end: int


def _word_ok(pattern: str, word: str) -> bool:
    if pattern.startswith("*") and pattern.endswith("*") and len(pattern) > 2:
        return pattern[1:-1] in word
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    if pattern.startswith("*"):
        return word.endswith(pattern[1:])
    return word == pattern


@dataclass
class CueSet:
    lang: str
    entries: list[Entry] = field(default_factory=list)
    # first word -> (pattern words, entry) for exact first words; wildcard first words are scanned
    _exact: dict[str, list[tuple[tuple[str, ...], Entry]]] = field(default_factory=dict)
    _wild: list[tuple[tuple[str, ...], Entry]] = field(default_factory=list)
    _wild_cache: dict[str, list[tuple[tuple[str, ...], Entry]]] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self._wild_cache.clear()
        for words in entry.cues:
            first = words[0]
            if "*" in first:
                self._wild.append((words, entry))
            else:
                self._exact.setdefault(first, []).append((words, entry))

    def find(self, words: list[str]) -> list[Hit]:
        """Every cue occurrence in a list of lower-cased words."""
        hits: list[Hit] = []
        n = len(words)
        for i, w in enumerate(words):
            wild = self._wild_cache.get(w)
            if wild is None:
                wild = self._wild_cache[w] = [c for c in self._wild if _word_ok(c[0][0], w)]
            cands = [*self._exact.get(w, ()), *wild]
            for pat, entry in cands:
                k = len(pat)
                if i + k <= n and all(_word_ok(p, words[i + j]) for j, p in enumerate(pat)):
                    hits.append(Hit(entry, i, i + k))
        return hits

    def of(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]


def _tokenize_cue(nlp_lang: str, cue: str) -> tuple[str, ...]:
    from mercato.extract.multilingual.text import tokenizer

    words: list[str] = []
    for raw in cue.lower().split():
        if "*" in raw or raw.endswith(("'", "’")):
            words.append(raw)  # a wildcard word, and an elided article ("dall'", "l’"), are kept whole
        else:
            # tokenised before a word, as in running text ("dall'" stays one token before "Atalanta")
            words.extend(t.lower_ for t in tokenizer(nlp_lang)(raw + " x")[:-1])
    return tuple(words)


def expand_lemmas(lang: str, cue: str) -> list[str]:
    """A cue with its lemma words (`<fichar>`, `<oferta:n>`) replaced by each of their forms; others unchanged."""
    from itertools import product

    from mercato.extract.multilingual.morphology import forms

    options = [list(forms(lang, w[1:-1])) if w.startswith("<") and w.endswith(">") and len(w) > 2 else [w]
               for w in cue.split()]
    return [" ".join(p) for p in product(*options)]


def load_cue_file(path: Path) -> CueSet:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CueDataError(f"{path}: cannot read cue data: {exc}") from exc
    lang = raw.get("lang")
    if lang not in LANGS:
        raise CueDataError(f"{path}: 'lang' must be one of {', '.join(LANGS)}, not {lang!r}")
    out = CueSet(lang=lang)
    seen: set[str] = set()
    for i, row in enumerate(raw.get("entries", [])):
        where = f"{path}: entry {i} ({row.get('id', 'no id')})"
        for key in ("id", "kind", "cues", "example"):
            if not row.get(key):
                raise CueDataError(f"{where}: missing {key!r}")
        if row["id"] in seen:
            raise CueDataError(f"{where}: duplicate id")
        seen.add(row["id"])
        if row["kind"] not in KINDS:
            raise CueDataError(f"{where}: unknown kind {row['kind']!r}")
        if row["kind"] == "stage" and row.get("stage") not in STAGE_VALUES:
            raise CueDataError(f"{where}: a stage entry needs 'stage' in {sorted(STAGE_VALUES)}")
        made: dict[tuple[str, ...], str] = {}
        try:
            for c in row["cues"]:
                for f in expand_lemmas(lang, c):
                    made.setdefault(_tokenize_cue(lang, f), c)
        except ValueError as exc:
            raise CueDataError(f"{where}: {exc}") from exc
        cues = tuple(made)
        out.add(Entry(id=row["id"], kind=row["kind"], cues=cues, example=row["example"], stage=row.get("stage"),
                      window=int(row.get("window", 3)), of_after_role=bool(row.get("of_after_role", False)),
                      rejection=bool(row.get("rejection", False)), stay=bool(row.get("stay", False)),
                      after_offer=bool(row.get("after_offer", False)),
                      after_person=bool(row.get("after_person", False)), sources=tuple(made.values())))
    return out


@dataclass(frozen=True)
class Nickname:
    """A club's nickname or demonym in one language (data/nicknames/<lang>.json): `club` is a KB name."""

    id: str
    club: str
    names: tuple[str, ...]
    example: str
    adjectives: tuple[str, ...] = ()


def load_nickname_file(path: Path) -> list[Nickname]:
    """Club nicknames and demonyms of one language: entries with `id`, `club`, `names` and/or `adjectives`, and an
    `example`. A name written with a capital needs one in the text ("Lyonnais", "Biscione"); one in lower case
    matches any case. An adjective names the club only after one of the file's `club_nouns` ("la società
    bianconera", "le staff parisien"); right after a player's or coach's role word it says whose he is ("il
    difensore bianconero": his current club, no target)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CueDataError(f"{path}: cannot read nickname data: {exc}") from exc
    if raw.get("lang") not in LANGS:
        raise CueDataError(f"{path}: 'lang' must be one of {', '.join(LANGS)}, not {raw.get('lang')!r}")
    nouns = raw.get("club_nouns", [])
    if not isinstance(nouns, list) or not all(isinstance(n, str) and n.strip() for n in nouns):
        raise CueDataError(f"{path}: 'club_nouns' must be a list of non-empty strings")
    out: list[Nickname] = []
    seen: set[str] = set()
    for i, row in enumerate(raw.get("entries", [])):
        where = f"{path}: entry {i} ({row.get('id', 'no id')})"
        for key in ("id", "club", "example"):
            if not row.get(key):
                raise CueDataError(f"{where}: missing {key!r}")
        if row["id"] in seen:
            raise CueDataError(f"{where}: duplicate id")
        seen.add(row["id"])
        for key in ("names", "adjectives"):
            if not isinstance(row.get(key, []), list) or not all(isinstance(n, str) and n.strip()
                                                                for n in row.get(key, [])):
                raise CueDataError(f"{where}: {key!r} must be a list of non-empty strings")
        if row.get("adjectives") and not nouns:
            raise CueDataError(f"{where}: 'adjectives' need the file's 'club_nouns'")
        if not row.get("names") and not row.get("adjectives"):
            raise CueDataError(f"{where}: needs 'names' or 'adjectives'")
        names = [*row.get("names", []), *(f"{n} {a}" for a in row.get("adjectives", []) for n in nouns)]
        out.append(Nickname(id=row["id"], club=row["club"], names=tuple(names), example=row["example"],
                            adjectives=tuple(row.get("adjectives", []))))
    return out


@cache
def get_nicknames(lang: str) -> tuple[Nickname, ...]:
    if lang not in LANGS:
        raise ValueError(f"no nickname data for language {lang!r}")
    path = DATA / "nicknames" / f"{lang}.json"
    return tuple(load_nickname_file(path)) if path.exists() else ()


@cache
def get_cues(lang: str) -> CueSet:
    if lang not in LANGS:
        raise ValueError(f"no cue data for language {lang!r}")
    return load_cue_file(DATA / f"{lang}.json")


@lru_cache(maxsize=1)
def common_not_names() -> frozenset[str]:
    """Capitalised words of every language that are never part of a person's name (competitions, months...)."""
    raw = json.loads((DATA / "not_names.json").read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in raw["words"])
