"""A learned decision on top of the cue data: which (club, person) pairs of a sentence are claims, from features
that mean the same in every language, so English annotations can teach it too.

Features (`li:` names, one vocabulary for all six languages): the distance between person and club and their
order, the sentence's place in the article (0 = headline), how many clubs and people the sentence names, how often
the article names the person and the club and whether he is its main person, how the pair was found (both named,
a role word standing for the person, the article's main club), the stage the cues give (or none) and the cue
categories of the sentence (hedge, doubt, attribution frame, unnamed frame, negation), and a question mark.
For a non-English article they come from the multilingual extractor's candidates (`MultilingualExtractor(lang,
all_pairs=True)`: every pair of a sentence, cued or not); for an English article from the learned English
extractor's candidates (`extract.learned.candidates`), mapped onto the same names (its cue-lexicon hits are the
cue categories, its rules' stage the cued stage).

Only measured so far (bench/languages.py --learned, document-level leave-one-out); the shipped extractor does not
use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mercato.evaluate.scorer import Claim, dedupe, person_match
from mercato.kb import normalise
from mercato.records import ClaimRecord, stage_rank

_DIST = (2, 5, 10, 20)
_SENT = (0, 1, 3, 8)
_COUNT = (1, 2, 3)
_MENTIONS = (1, 2, 4, 8)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def ml_features(claim: ClaimRecord) -> dict[str, float]:
    """Language-independent features of a multilingual extractor's candidate claim."""
    f = claim.extra.get("features", {})
    out: dict[str, float] = {"li:bias": 1.0}
    dist = int(f.get("dist", -1))
    if dist >= 0:
        out["li:dist=" + _bucket(dist, _DIST)] = 1.0
        out["li:order=" + ("club_first" if f.get("club_first") else "person_first")] = 1.0
    out["li:sent=" + _bucket(int(f.get("sent", 0)), _SENT)] = 1.0
    out["li:nclubs=" + _bucket(int(f.get("n_clubs", 0)), _COUNT)] = 1.0
    out["li:npersons=" + _bucket(int(f.get("n_people", 0)), _COUNT)] = 1.0
    out["li:pm=" + _bucket(int(f.get("person_mentions", 0)), _MENTIONS)] = 1.0
    out["li:cm=" + _bucket(int(f.get("club_mentions", 0)), _MENTIONS)] = 1.0
    if f.get("main"):
        out["li:main"] = 1.0
    out["li:via=" + str(f.get("via", "text"))] = 1.0
    cued = bool(f.get("cued", True))
    out["li:stage=" + (claim.stage if cued else "none")] = 1.0
    kinds = set(f.get("kinds", ()))
    for name, ks in (("hedge", {"hedge", "reportive"}), ("doubt", {"doubt"}), ("attr", {"attribution"}),
                     ("unnamed", {"unnamed"}), ("negation", {"negation"})):
        if kinds & ks:
            out["li:" + name] = 1.0
    if f.get("question"):
        out["li:question"] = 1.0
    return out


_ORIGIN_VIA = {"cooc": "text", "name": "text", "carried_club": "topic", "carried_person": "descriptor",
               "rule_only": "descriptor"}


def english_unit_features(feats: dict[str, float], person_mentions: int, club_mentions: int, main: bool) -> dict[str, float]:
    """The same features for an English learned-extractor candidate (its feature dict, mapped)."""
    out: dict[str, float] = {"li:bias": 1.0}
    stages: list[str] = []
    for k in feats:
        for pre in ("dist=", "order=", "sent=", "nclubs=", "npersons="):
            if k.startswith(pre):
                out["li:" + k] = 1.0
        if k.startswith("origin="):
            out["li:via=" + _ORIGIN_VIA.get(k[7:], "text")] = 1.0
        if k.startswith("r:stage="):
            stages.append(k[8:])
    if not stages:
        stages = [k[4:] for k in feats if k.startswith("cue:")]
    out["li:stage=" + (max(stages, key=stage_rank) if stages else "none")] = 1.0
    for name, keys in (("hedge", ("lex:hedge", "lex:modal")), ("doubt", ("lex:doubt",)), ("attr", ("lex:reporting",)),
                       ("unnamed", ("lex:unnamedframe",))):
        if any(k in feats for k in keys):
            out["li:" + name] = 1.0
    if "question" in feats:
        out["li:question"] = 1.0
    out["li:pm=" + _bucket(person_mentions, _MENTIONS)] = 1.0
    out["li:cm=" + _bucket(club_mentions, _MENTIONS)] = 1.0
    if main:
        out["li:main"] = 1.0
    return out


def label_claims(text: str, claims: Sequence[ClaimRecord], gold: list[Claim], with_source: bool = False) -> list[int | None]:
    """1 where an annotated claim has the candidate's club and person (and source, with `with_source`) and its
    evidence overlaps the candidate's sentence; None where the pair is annotated only elsewhere; else 0."""
    from mercato.evaluate.scorer import source_match

    gold = dedupe(gold)
    spans = []
    for g in gold:
        ev = (g.get("evidence") or "").strip()
        at = text.find(ev) if ev else -1
        spans.append((at, at + len(ev)) if at >= 0 else None)
    out: list[int | None] = []
    for c in claims:
        cj = c.to_json()
        hits = [i for i, g in enumerate(gold) if normalise(g["club"]) == normalise(c.club) and person_match(c.person, g["person"])
                and (not with_source or source_match(cj, g))]
        here = [i for i in hits if spans[i] is not None and spans[i][0] < c.end and spans[i][1] > c.start]  # type: ignore[index]
        out.append(1 if here else None if hits else 0)
    return out


class Decision:
    """Logistic regression over the `li:` features: P(the pair is a claim in this sentence)."""

    def __init__(self, C: float = 1.0, seed: int = 20261130) -> None:
        self.C = C
        self.seed = seed
        self.vocab: dict[str, int] = {}
        self.model: Any = None

    def _matrix(self, rows: Sequence[dict[str, float]]) -> Any:
        from scipy.sparse import csr_matrix

        data, ind, ptr = [], [], [0]
        for r in rows:
            for k, v in r.items():
                j = self.vocab.get(k)
                if j is not None:
                    ind.append(j)
                    data.append(v)
            ptr.append(len(ind))
        return csr_matrix((data, ind, ptr), shape=(len(rows), len(self.vocab)))

    def fit(self, rows: Sequence[dict[str, float]], y: Sequence[int], weights: Sequence[float] | None = None) -> Decision:
        from sklearn.linear_model import LogisticRegression

        self.vocab = {k: i for i, k in enumerate(sorted({k for r in rows for k in r}))}
        self.model = LogisticRegression(C=self.C, max_iter=2000, random_state=self.seed)
        self.model.fit(self._matrix(rows), list(y), sample_weight=None if weights is None else list(weights))
        return self

    def proba(self, rows: Sequence[dict[str, float]]) -> list[float]:
        if not rows:
            return []
        return [float(p) for p in self.model.predict_proba(self._matrix(rows))[:, 1]]
