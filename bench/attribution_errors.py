"""Attribution errors of the learned extractor, by document-level cross-validation (the folds of train.py).

    nice -n 10 .venv/bin/python bench/attribution_errors.py --out /tmp/attr.json [--examples /tmp/attr-ex.jsonl]

Each test fold's predictions are compared with the annotations, per article, after the scorer's deduplication:

- wrong_source: an annotated claim missed while the same (club, person, role) was predicted from another source
  (counted by gold source kind -> predicted source kind);
- missing_source: an annotated claim missed whose pair was matched from another source (a second source missed);
- extra_source: a predicted claim of an annotated pair whose source no annotation of the pair has;
- role: pair and source right, role wrong; pair_miss / pair_false: the pair itself missed or invented.

Source kinds: own (the article's own source), unnamed (no journalist, no outlet), person (the journalist field is
the claim's person), club (the outlet is a club), journalist (+outlet), outlet. The blind set is never read
(`training_docs` leaves it out)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from mercato.evaluate.annotations import training_docs
from mercato.evaluate.scorer import Claim, Score, _src, dedupe, person_match, source_match
from mercato.extract.learned.candidates import map_source
from mercato.extract.learned.model import ClaimModel
from mercato.extract.learned.train import SEED, _as_claim, _merge, _row, fit_lr, folds, lr_predictor, prepare, run_model, score_preds
from mercato.kb import get_kb, normalise


def kind(c: Claim, own: tuple[str, str]) -> str:
    j, o = _src(c)
    if (j, o) == own:
        return "own"
    if not j and not o:
        return "unnamed"
    if j and person_match(j, c["person"]):
        return "person"
    if j:
        return "journalist+outlet" if o else "journalist"
    if normalise(c["club"]) == o or get_kb().club(o):
        return "club"
    return "outlet"


def _pair(a: Claim, b: Claim) -> bool:
    return normalise(a["club"]) == normalise(b["club"]) and person_match(a["person"], b["person"]) and a["role"] == b["role"]


def classify(pred: list[Claim], gold: list[Claim], own: tuple[str, str]) -> dict[str, list[tuple[Claim | None, Claim | None]]]:
    pred, gold = dedupe(pred), dedupe(gold)
    out: dict[str, list[tuple[Claim | None, Claim | None]]] = {
        k: [] for k in ("match", "wrong_source", "missing_source", "extra_source", "role", "pair_miss", "pair_false")}
    left = list(pred)
    missed = []
    for g in gold:
        hit = next((p for p in left if _pair(p, g) and source_match(p, g)), None)
        if hit is None:
            missed.append(g)
        else:
            left.remove(hit)
            out["match"].append((hit, g))
    matched_gold = [g for _, g in out["match"] if g is not None]  # every match pairs a gold claim
    still = []
    for g in missed:
        p = next((p for p in left if _pair(p, g)), None)
        if p is not None:
            left.remove(p)
            out["wrong_source"].append((p, g))
            continue
        p = next((p for p in left if normalise(p["club"]) == normalise(g["club"]) and person_match(p["person"], g["person"])
                  and source_match(p, g)), None)
        if p is not None:
            left.remove(p)
            out["role"].append((p, g))
            continue
        still.append(g)
    for g in still:
        if any(_pair(m, g) for m in matched_gold):
            out["missing_source"].append((None, g))
        else:
            out["pair_miss"].append((None, g))
    for p in left:
        if any(_pair(p, g) for g in gold):
            out["extra_source"].append((p, None))
        else:
            out["pair_false"].append((p, None))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--C", type=float, default=0.1)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--source-thresholds", type=float, nargs="*", default=[],
                    help="also score with these P(source) thresholds for a second source (the model's own is classified)")
    ap.add_argument("--examples", type=Path, help="write each attribution error (with its evidence) here, JSON Lines")
    args = ap.parse_args(argv)
    docs = training_docs()
    if args.limit:
        seen: Counter[str] = Counter()
        docs = [d for d in docs if (seen.update([d.dataset]) or seen[d.dataset] <= args.limit)]
    preps = prepare(docs, progress=True)
    counts: dict[str, Counter[str]] = {}
    kinds: dict[str, Counter[str]] = {}
    examples: list[dict[str, Any]] = []
    scores: dict[str, Score] = {}
    by_st: dict[str, dict[str, Score]] = {}
    for test_idx in folds(preps, args.folds, args.seed):
        test_set = set(test_idx)
        train = [p for i, p in enumerate(preps) if i not in test_set]
        test = [preps[i] for i in test_idx]
        model = fit_lr(train, args.seed, args.C)
        for st in args.source_thresholds:
            alt = ClaimModel(model.vocab, model.heads, {**model.meta, "source_threshold": st})
            _merge(by_st.setdefault(str(st), {}), score_preds(test, run_model(test, lr_predictor(alt), [args.threshold])[args.threshold]))
        pred = run_model(test, lr_predictor(model), [args.threshold])[args.threshold]
        _merge(scores, score_preds(test, pred))
        for p in test:
            own_src = map_source(p.adoc.own_source)
            own = (normalise(own_src.journalist or ""), normalise(own_src.outlet or ""))
            res = classify(pred.get(p.doc.uid, []), p.doc.claims, own)
            c = counts.setdefault(p.dataset, Counter())
            k = kinds.setdefault(p.dataset, Counter())
            for cls, items in res.items():
                c[cls] += len(items)
                for pc, gc in items:
                    offered = ""
                    if gc is not None and cls in ("wrong_source", "missing_source"):
                        offered = " (offered)" if any(
                            normalise(c.club) == normalise(gc["club"]) and person_match(c.person, gc["person"])
                            and source_match(_as_claim(c), gc) for c in p.cands) else " (not offered)"
                    if cls == "wrong_source":
                        k[f"wrong {kind(gc, own)} -> {kind(pc, own)}{offered}"] += 1  # type: ignore[arg-type]
                    elif cls == "missing_source":
                        k[f"missing {kind(gc, own)}{offered}"] += 1  # type: ignore[arg-type]
                    elif cls == "extra_source":
                        k[f"extra {kind(pc, own)}"] += 1  # type: ignore[arg-type]
                    elif cls == "match":
                        k[f"match {kind(gc, own)}"] += 1  # type: ignore[arg-type]
                    if cls in ("wrong_source", "missing_source", "extra_source") and args.examples:
                        examples.append({"doc": p.doc.uid, "class": cls, "own": own, "pred": pc, "gold": gc})
    report = {"scores": {ds: _row(s) for ds, s in sorted(scores.items())},
              "source_thresholds": {st: {ds: _row(x) for ds, x in sorted(sc.items())} for st, sc in by_st.items()},
              "counts": {ds: dict(sorted(c.items())) for ds, c in sorted(counts.items())},
              "kinds": {ds: dict(c.most_common()) for ds, c in sorted(kinds.items())}}
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if args.examples:
        args.examples.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in examples), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
