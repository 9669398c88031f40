"""The scorer of ../shared/spec/claims.md.

A predicted claim matches a gold claim when club, person and role are equal after canonicalisation
(case, accents and punctuation ignored; a person also matches on a fuzzy ratio >= 90) and the
source's journalist (or, where gold has none, outlet) is equal. Per article, claims are first
deduplicated to the strongest stage per (club, person, role, source), at equal stage the firmest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from mercato.kb import normalise
from mercato.records import CERTAINTY_RANK, stage_rank

Claim = dict[str, Any]


def _src(c: Claim) -> tuple[str, str]:
    s = c.get("source") or {}
    return (normalise(s.get("journalist") or ""), normalise(s.get("outlet") or ""))


def dedupe(claims: Iterable[Claim]) -> list[Claim]:
    best: dict[tuple, Claim] = {}
    for c in claims:
        key = (normalise(c["club"]), normalise(c["person"]), c["role"], _src(c))
        cur = best.get(key)
        rank = (stage_rank(c["stage"]), CERTAINTY_RANK.get(c["certainty"], -1))
        if cur is None or rank > (stage_rank(cur["stage"]), CERTAINTY_RANK.get(cur["certainty"], -1)):
            best[key] = c
    return list(best.values())


def person_match(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    return na == nb or fuzz.ratio(na, nb) >= 90


def source_match(pred: Claim, gold: Claim) -> bool:
    gj, go = _src(gold)
    pj, po = _src(pred)
    if gj:
        return pj == gj
    return pj == "" and po == go


def claims_match(pred: Claim, gold: Claim) -> bool:
    return (
        normalise(pred["club"]) == normalise(gold["club"])
        and pred["role"] == gold["role"]
        and person_match(pred["person"], gold["person"])
        and source_match(pred, gold)
    )


@dataclass
class ArticleResult:
    article: str
    matched: list[tuple[Claim, Claim]] = field(default_factory=list)  # (pred, gold)
    misses: list[Claim] = field(default_factory=list)
    false_alarms: list[Claim] = field(default_factory=list)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    stage_ok: int = 0
    certainty_ok: int = 0
    pair_tp: int = 0
    pair_fp: int = 0
    pair_fn: int = 0
    articles: list[ArticleResult] = field(default_factory=list)

    @staticmethod
    def _f(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    @property
    def precision(self) -> float:
        return self._f(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return self._f(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return self._f(self.tp, self.fp, self.fn)[2]

    @property
    def pair_f1(self) -> float:
        return self._f(self.pair_tp, self.pair_fp, self.pair_fn)[2]

    @property
    def stage_accuracy(self) -> float:
        return self.stage_ok / self.tp if self.tp else 0.0

    @property
    def certainty_accuracy(self) -> float:
        return self.certainty_ok / self.tp if self.tp else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "pair_f1": round(self.pair_f1, 4), "stage_accuracy": round(self.stage_accuracy, 4),
            "certainty_accuracy": round(self.certainty_accuracy, 4),
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
        }


def _pairs(claims: list[Claim]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for c in claims:
        key = (normalise(c["club"]), c["person"])
        if not any(k[0] == key[0] and person_match(k[1], key[1]) for k in out):
            out.append(key)
    return out


def score_article(article: str, predicted: list[Claim], gold: list[Claim], total: Score) -> ArticleResult:
    pred = dedupe(predicted)
    gold_d = dedupe(gold)
    res = ArticleResult(article)
    unmatched_pred = list(pred)
    for g in gold_d:
        # prefer a candidate with the same stage, then any
        cands = [p for p in unmatched_pred if claims_match(p, g)]
        if not cands:
            res.misses.append(g)
            continue
        cands.sort(key=lambda p: (p["stage"] != g["stage"], p["certainty"] != g["certainty"]))
        p = cands[0]
        unmatched_pred.remove(p)
        res.matched.append((p, g))
    res.false_alarms = unmatched_pred
    total.tp += len(res.matched)
    total.fn += len(res.misses)
    total.fp += len(res.false_alarms)
    total.stage_ok += sum(p["stage"] == g["stage"] for p, g in res.matched)
    total.certainty_ok += sum(p["certainty"] == g["certainty"] for p, g in res.matched)
    pp, gp = _pairs(pred), _pairs(gold_d)
    hit = sum(1 for g in gp if any(p[0] == g[0] and person_match(p[1], g[1]) for p in pp))
    total.pair_tp += hit
    total.pair_fn += len(gp) - hit
    total.pair_fp += len(pp) - sum(1 for p in pp if any(p[0] == g[0] and person_match(p[1], g[1]) for g in gp))
    total.articles.append(res)
    return res


def load_gold(gold_dir: Path) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for f in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            out[data.get("article") or f.stem] = data["claims"]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{f}: not a gold file ({{'article', 'claims': [...]}}): {exc}") from None
    for f in sorted(Path(gold_dir).glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                c = json.loads(line)
                out.setdefault(c.get("article") or f.stem, []).append(c)
    return out


def score(predicted: dict[str, list[Claim]], gold: dict[str, list[Claim]]) -> Score:
    total = Score()
    for article in sorted(gold):
        score_article(article, predicted.get(article, []), gold[article], total)
    return total
