"""Optional dependency-parse features of the learned extractor (off unless MERCATO_LEARNED_PARSE=1).

The rules engine runs only en_core_web_sm's entity recogniser. This group runs the model's tagger, parser and
lemmatizer too, on the sentences that hold a candidate whose club and person are both named there, and describes:

- the dependency path between the club and the person (labels up to their lowest common ancestor and down, with
  and without that ancestor's lemma), its length;
- each mention's own dependency label and the lemma of its governing verb; whether both hang off the same verb,
  with the club its subject and the person its object ("Arsenal signed Rice", "Arsenal are keen on Rice");
- negation on the governing verbs;
- whether the person sits inside a clausal complement of a verb ("X reports that ... Rice"), that verb's lemma and
  its subject's word (a pronoun, a common noun or a named source);
- per source option: whether the source is named in the sentence, and whether it is the subject (or the object of
  "according to") of a verb governing the person.

Every feature name starts with "dep|" (unit features) or "srcdep|" (source-option features), so that training can
drop the group for a side-by-side measure (`train --parse`, variant `lr-no-parse`).

Measured and left off (2026-11-30, `python -m mercato.extract.learned.train --no-save --parse-ablation --report
cv.json`, 5 document-level folds, seed 20261130; claim F1 without -> with, folds won of 5): articles 0.512 -> 0.513
(2/5), gossip 0.709 -> 0.714 (5/5), posts 0.651 -> 0.632 (0/5); stage accuracy on articles 0.694 -> 0.713 (3/5).
The source-option part changes nothing measurable, the lemma-free variant is no better. It costs 44.3 -> 24.3
English articles per CPU-second for the learned extractor (`bench/learned_parse.py --repeat 3`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from mercato.extract.doc import ArticleDoc, Mention, Sentence
from mercato.kb import normalise

ENV = "MERCATO_LEARNED_PARSE"


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


@lru_cache(maxsize=1)
def get_parser() -> Any:
    """en_core_web_sm with tagger, parser and lemmatizer (no entity recogniser: the rules ran it already)."""
    from mercato.extract.nlp import load_english

    return load_english(["ner", "senter"])


_SUBJ = ("nsubj", "nsubjpass", "csubj", "agent")
_OBJ = ("dobj", "pobj", "dative", "attr", "oprd", "obj")
_VERB = ("VERB", "AUX")


def _token(sdoc: Any, s: Sentence, m: Mention) -> Any | None:
    span = sdoc.char_span(m.start - s.start, m.end - s.start, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _gov(t: Any) -> Any:
    """The verb governing a token (itself if a verb; the sentence root at worst)."""
    x = t.head
    while x.pos_ not in _VERB and x.head.i != x.i:
        x = x.head
    return x


def _ancestors(t: Any) -> list[Any]:
    out = [t]
    while out[-1].head.i != out[-1].i:
        out.append(out[-1].head)
    return out


def _negated(v: Any) -> bool:
    return any(ch.dep_ == "neg" for ch in v.children)


def _subject(v: Any) -> Any | None:
    for ch in v.children:
        if ch.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return ch
    return None


def _word(t: Any) -> str:
    return "PROPN" if t.pos_ == "PROPN" else t.lemma_.lower()


def _complement_head(p: Any) -> Any | None:
    """The verb whose clausal complement (ccomp, xcomp via ccomp, parataxis) holds the token: 'X reports [that ... p]'."""
    anc = _ancestors(p)
    for a in anc[:-1]:
        if a.dep_ in ("ccomp", "parataxis") and a.head.pos_ in _VERB:
            return a.head
    return None


def pair_features(sdoc: Any, s: Sentence, cm: Mention, pm: Mention) -> tuple[dict[str, float], Any | None]:
    c, p = _token(sdoc, s, cm), _token(sdoc, s, pm)
    f: dict[str, float] = {}
    if c is None or p is None:
        f["dep|unaligned"] = 1.0
        return f, None
    f["dep|cdep=" + c.dep_] = 1.0
    f["dep|pdep=" + p.dep_] = 1.0
    gc, gp = _gov(c), _gov(p)
    f["dep|cgov=" + gc.lemma_.lower()] = 1.0
    f["dep|pgov=" + gp.lemma_.lower()] = 1.0
    if gc.i == gp.i:
        f["dep|same_gov"] = 1.0
        if (c.dep_ in _SUBJ or c.head.dep_ == "agent") and (p.dep_ in _OBJ or p.head.dep_ == "prep"):
            f["dep|club_subj_person_obj"] = 1.0
            f["dep|club_subj_person_obj=" + gc.lemma_.lower()] = 1.0
        if (p.dep_ in _SUBJ) and (c.dep_ in _OBJ or c.head.dep_ == "prep"):
            f["dep|person_subj_club_obj"] = 1.0
            f["dep|person_subj_club_obj=" + gc.lemma_.lower()] = 1.0
    if _negated(gp) or _negated(gc):
        f["dep|neg"] = 1.0
    ac, ap = _ancestors(c), _ancestors(p)
    ids = {t.i for t in ap}
    lca = next((t for t in ac if t.i in ids), ac[-1])
    up = [t.dep_ for t in ac[:[t.i for t in ac].index(lca.i)]]
    down = [t.dep_ for t in ap[:[t.i for t in ap].index(lca.i)]] if lca.i in ids else []
    path = ">".join(up) + "^" + "<".join(reversed(down))
    f["dep|path=" + path] = 1.0
    f["dep|pathl=" + ">".join(up) + "^" + lca.lemma_.lower() + "^" + "<".join(reversed(down))] = 1.0
    short = (up[0] if up else "") + "^" + (down[0] if down else "")
    f["dep|spath=" + short] = 1.0
    f["dep|lca=" + lca.lemma_.lower()] = 1.0
    n = len(up) + len(down)
    f["dep|plen=" + ("0" if n == 0 else "1" if n <= 1 else "2" if n <= 2 else "4" if n <= 4 else ">4")] = 1.0
    rep = _complement_head(p)
    if rep is not None:
        f["dep|in_ccomp"] = 1.0
        f["dep|ccomp_of=" + rep.lemma_.lower()] = 1.0
        subj = _subject(rep)
        f["dep|ccomp_subj=" + (_word(subj) if subj is not None else "none")] = 1.0
        if c.i in {t.i for t in ap} or rep.i in {t.i for t in ac}:
            f["dep|club_in_ccomp"] = 1.0
    return f, p


def source_features(sdoc: Any, s: Sentence, p: Any | None, src_mentions: list[Mention]) -> dict[str, float]:
    """A source option: named in the sentence or not; the subject of a verb governing the person ("Romano reports
    that ... Rice"), or the object of "according to"."""
    if not src_mentions:
        return {"srcdep|absent": 1.0}
    f = {"srcdep|in_sent": 1.0}
    if p is None:
        return f
    anc = {t.i: t for t in _ancestors(p)}
    for m in src_mentions:
        t = _token(sdoc, s, m)
        if t is None:
            continue
        if t.dep_ in _SUBJ and t.head.i in anc:
            f["srcdep|subj_of_gov"] = 1.0
            f["srcdep|subj_of=" + t.head.lemma_.lower()] = 1.0
        elif t.dep_ == "pobj" and t.head.lemma_.lower() == "to" and t.head.head.lemma_.lower() == "accord":
            f["srcdep|according_to"] = 1.0
        elif t.i in anc:
            f["srcdep|governs_person"] = 1.0
        f["srcdep|dep=" + t.dep_] = 1.0
    return f


def document_features(doc: ArticleDoc, cands: Sequence[Any], kb_outlet: Callable[[str], str | None]
                      ) -> tuple[dict[tuple[str, str, int], dict[str, float]], dict[int, dict[str, float]]]:
    """Unit features (by (club, person, sentence)) and source-option features (by candidate id()) of an article's
    candidates; only the sentences naming both a candidate's club and person are parsed. `kb_outlet`: an outlet's
    name as the candidates' sources give it (learned.candidates.kb_outlet)."""
    want: dict[int, list[Any]] = {}
    for c in cands:
        want.setdefault(c.sentence, []).append(c)
    todo: list[tuple[int, dict[str, Mention], dict[str, Mention]]] = []
    for si, cs in want.items():
        s = doc.sentences[si]
        clubs = {m.canonical: m for m in reversed(s.mentions) if m.kind == "club" and m.canonical}
        persons = {m.canonical: m for m in reversed(s.mentions)
                   if m.kind == "person" and m.canonical and m.role != "journalist"}
        if any(c.club in clubs and c.person in persons for c in cs):
            todo.append((si, clubs, persons))
    units: dict[tuple[str, str, int], dict[str, float]] = {}
    srcs: dict[int, dict[str, float]] = {}
    if not todo:
        return units, srcs
    nlp = get_parser()
    parsed = nlp.pipe([doc.sentences[si].text for si, _, _ in todo])
    for (si, clubs, persons), sdoc in zip(todo, parsed, strict=True):
        s = doc.sentences[si]
        heads: dict[tuple[str, str], Any] = {}
        for c in want[si]:
            if c.club not in clubs or c.person not in persons:
                continue
            if c.unit not in units:
                units[c.unit], heads[(c.club, c.person)] = pair_features(sdoc, s, clubs[c.club], persons[c.person])
            ms = [m for m in s.mentions if m.canonical and (
                (c.source.journalist and normalise(m.canonical) == normalise(c.source.journalist))
                or (c.source.outlet and m.kind in ("outlet", "club")
                    and (m.canonical == c.source.outlet or kb_outlet(m.canonical) == c.source.outlet)))]
            srcs[id(c)] = source_features(sdoc, s, heads.get((c.club, c.person)), ms)
    return units, srcs
