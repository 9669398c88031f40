"""The learned extractor's (club, person) pair decisions under cross-validation, their errors classified
(training data only).

    nice -n 10 .venv/bin/python bench/pair_errors.py [--dataset articles] [--limit N] [--out errors.json]

Runs the same document-level 5-fold cross-validation as `python -m mercato.extract.learned.train` (same folds,
seed and shipped configuration: the linear heads with the claim trees blended in, threshold 0.35), so its
per-dataset claim and pair F1 are the report's `shipped@0.35`. Reads the training documents only
(`training_docs()`: never a blind article nor its silver labels). For each document of `--dataset` it compares
the predicted pairs with the annotated ones (the scorer's `_pairs`: club normalised, person by `person_match`) and
says why each error happened, the first that applies:

False positives (a predicted pair no annotation has):
- `current_club`: the club is the person's own club on the article's date (the text or the dated spells,
  `doc.current_club`): the seller given as a suitor;
- `former_club`: a club the text says he left (`doc.former`);
- `person_not_annotated`: the person is in no annotated pair (a manager, a quoted player, a player named in
  passing);
- `club_not_annotated`: the club is in no annotated pair (a rival, an opponent, the club of another person);
- `cross_pairing`: both are annotated, each with others (a list of suitors and a list of players, two moves in
  one sentence).

False negatives (an annotated pair no prediction has):
- `unreachable`: no candidate carries the pair (bench/candidate_misses.py says why);
- `current_club_feature`: the model's best candidate for the pair says the club is his current club (the
  annotation says it is a suitor: the text or the spell is wrong or out of date, or the move is back);
- `club_role=<role>`: the rules gave the club mention a role other than suitor (affiliation, former, opponent...);
- `carried` / `main` / `other_origin`: the best candidate pairs the two across sentences (a carried person or
  club, the article's main person or club) and the model rejected it;
- `list`: the club is one of a coordinated list of clubs in the sentence ("City, United and Chelsea");
- `same_sentence`: the two are named in one sentence, no role, no list: the decision itself.

Prints the counts (and the pair P/R/F1 per dataset) and writes each error with its sentence to --out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from mercato.evaluate.annotations import training_docs
from mercato.evaluate.scorer import _pairs, dedupe, person_match
from mercato.extract.learned import decode
from mercato.extract.learned.train import (
    SEED,
    Prepared,
    _row,
    fit_lr,
    fit_trees,
    folds,
    lr_predictor,
    prepare,
    score_preds,
    with_blend,
)
from mercato.kb import normalise

# the shipped configuration (train.main's defaults)
SHIPPED: dict[str, Any] = {"article_weight": 2, "stage_C": 0.3, "stage_article_weight": 3, "stage_pick": "confident-long",
                           "rules_stage": "long", "ladder_at": 0.5}
C, THRESHOLD, GB = 0.1, 0.35, {"features": 500, "rounds": 100, "rate": 0.15, "weight": 0.5}

_LIST = re.compile(r"(?:,|\band\b|\bor\b|/|&)\s*(?:the\s+)?$", re.I)


def _in_list(p: Prepared, c: Any) -> bool:
    """Whether the candidate's club mention is coordinated with another club mention in its sentence."""
    s = p.adoc.sentences[c.sentence]
    clubs = sorted((m for m in s.mentions if m.kind == "club" and m.canonical), key=lambda m: m.start)
    for a, b in zip(clubs, clubs[1:], strict=False):
        if c.club in (a.canonical, b.canonical) and a.canonical != b.canonical:
            gap = p.adoc.text[a.end:b.start]
            if len(gap) <= 8 and _LIST.search(gap):
                return True
    return False


def _best(p: Prepared, probs: np.ndarray, club: str, person: str) -> int | None:
    idx = [i for i, c in enumerate(p.cands) if normalise(c.club) == club and person_match(c.person, person)]
    return max(idx, key=lambda i: probs[i]) if idx else None


def classify(p: Prepared, probs: np.ndarray, pred: list[dict[str, Any]]) -> list[dict[str, Any]]:
    gold = dedupe(p.doc.claims)
    gp, pp = _pairs(gold), _pairs(dedupe(pred))
    rows: list[dict[str, Any]] = []
    g_persons = [g[1] for g in gp]
    g_clubs = {g[0] for g in gp}
    cur = {normalise(k): normalise(v) for k, v in p.adoc.current_club.items()}
    former = {normalise(k): {normalise(x) for x in v} for k, v in p.adoc.former.items()}
    for club, person in pp:
        if any(g[0] == club and person_match(person, g[1]) for g in gp):
            continue
        if cur.get(normalise(person)) == club:
            cat = "current_club"
        elif club in former.get(normalise(person), set()):
            cat = "former_club"
        elif not any(person_match(person, x) for x in g_persons):
            cat = "person_not_annotated"
        elif club not in g_clubs:
            cat = "club_not_annotated"
        else:
            cat = "cross_pairing"
        i = _best(p, probs, club, person)
        rows.append({"kind": "fp", "cat": cat, "club": club, "person": person, "doc": p.doc.uid,
                     "origin": p.cands[i].origin if i is not None else None,
                     "p": round(float(probs[i]), 3) if i is not None else None,
                     "sentence": p.adoc.sentences[p.cands[i].sentence].text[:300] if i is not None else None})
    for club, person in gp:
        if any(x[0] == club and person_match(x[1], person) for x in pp):
            continue
        i = _best(p, probs, club, person)
        if i is None:
            cat = "unreachable"
        else:
            c = p.cands[i]
            f = c.features
            role = next((k.split("=", 1)[1] for k in f if k.startswith("club_role=")), "absent")
            if "club_is_current" in f:
                cat = "current_club_feature"
            elif role not in ("suitor", "absent", ""):
                cat = f"club_role={role}"
            elif c.origin.startswith("carried"):
                cat = "carried"
            elif c.origin.startswith("main") or c.origin in ("post_club", "post_pair", "relay", "doc"):
                cat = "main"
            elif c.origin not in ("cooc", "name", "rule_only"):
                cat = "other_origin"
            elif _in_list(p, c):
                cat = "list"
            else:
                cat = "same_sentence"
        ev = next((g.get("evidence") for g in gold if normalise(g["club"]) == club and person_match(g["person"], person)), "")
        rows.append({"kind": "fn", "cat": cat, "club": club, "person": person, "doc": p.doc.uid,
                     "origin": p.cands[i].origin if i is not None else None,
                     "p": round(float(probs[i]), 3) if i is not None else None,
                     "evidence": (ev or "")[:300],
                     "sentence": p.adoc.sentences[p.cands[i].sentence].text[:300] if i is not None else None})
    return rows


def cross_validated(preps: list[Prepared], k: int = 5, seed: int = SEED) -> tuple[dict[str, list], dict[str, np.ndarray]]:
    """The shipped model's predictions (claims, and each candidate's P(claim)) on every document, from the fold
    that held it out."""
    preds: dict[str, list] = {}
    probs: dict[str, np.ndarray] = {}
    for fi, test_idx in enumerate(folds(preps, k, seed)):
        t0 = time.perf_counter()
        held = set(test_idx)
        train = [p for i, p in enumerate(preps) if i not in held]
        base = fit_lr(train, seed, C, **SHIPPED)
        trees = fit_trees(train, base.vocab, seed, int(GB["features"]), int(GB["rounds"]), GB["rate"])
        run = lr_predictor(with_blend(base, trees, GB["weight"], 0))
        for i in test_idx:
            p = preps[i]
            pr, st, ce, roles, opts = run(p.cands, len(p.adoc.text))
            probs[p.doc.uid] = pr
            kw = opts(p.adoc, p.cands)
            off = kw.pop("threshold_offset", 0.0)  # as train.run_model: a long document's threshold offset
            preds[p.doc.uid] = [c.to_json() for c in decode(p.adoc, p.cands, pr, st, ce, THRESHOLD + off, roles, **kw)]
        print(f"  fold {fi + 1}/{k}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return preds, probs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", default="articles", help="whose errors to classify (articles, gossip, posts)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents of each dataset")
    ap.add_argument("--out", type=Path, help="write every error here (JSON)")
    args = ap.parse_args(argv)
    docs = training_docs()
    if args.limit:
        seen: Counter[str] = Counter()
        docs = [d for d in docs if (seen.update([d.dataset]) or seen[d.dataset] <= args.limit)]
    preps = prepare(docs, progress=True)
    preds, probs = cross_validated(preps)
    for ds, sc in sorted(score_preds(preps, preds).items()):
        r = _row(sc)
        print(f"{ds}: claim F1 {r['f1']:.4f}, pair F1 {r['pair_f1']:.4f} (tp {sc.pair_tp}, fp {sc.pair_fp}, fn {sc.pair_fn})")
    rows = [r for p in preps if p.dataset == args.dataset for r in classify(p, probs[p.doc.uid], preds[p.doc.uid])]
    for kind in ("fp", "fn"):
        counts = Counter(r["cat"] for r in rows if r["kind"] == kind)
        print(f"{args.dataset} pair {kind}: {sum(counts.values())}; " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
