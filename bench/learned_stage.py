"""The learned extractor's stage and certainty decision, before and after, on the cross-validation folds of train.py.

    nice -n 10 .venv/bin/python bench/learned_stage.py [--limit N]

The same folds and seed as `python -m mercato.extract.learned.train`; training documents only (the blind articles
are never read). Prints, per document kind: claim F1, stage and certainty accuracy of the stage decision as it was
(train.STAGE_BEFORE), as it is now (train's defaults) and of the rules; the accuracies on the claims that both the
learned model and the rules matched (the rules match fewer, easier claims); and the confusion matrices (rows gold,
columns predicted).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from mercato.evaluate.annotations import training_docs
from mercato.evaluate.scorer import Score
from mercato.extract.learned import train as T
from mercato.records import CERTAINTIES

AFTER = {"stage_C": 0.3, "stage_article_weight": 3, "stage_pick": "confident-long", "rules_stage": "long"}
KINDS = ("articles", "gossip", "posts")


def _key(uid: str, g: dict[str, Any]) -> tuple:
    return (uid, g["club"], g["person"], g["role"], json.dumps(g["source"], sort_keys=True))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="the first N documents of each dataset")
    args = ap.parse_args()
    docs = training_docs()
    if args.limit:
        seen: Counter[str] = Counter()
        docs = [d for d in docs if (seen.update([d.dataset]) or seen[d.dataset] <= args.limit)]
    preps = T.prepare(docs)
    res: dict[str, dict[str, Score]] = {"before": {}, "after": {}}
    for test_idx in T.folds(preps, 5, T.SEED):
        held = set(test_idx)
        train = [p for i, p in enumerate(preps) if i not in held]
        test = [preps[i] for i in test_idx]
        for name, kw in (("before", T.STAGE_BEFORE), ("after", AFTER)):
            pred = T.run_model(test, T.lr_predictor(T.fit_lr(train, T.SEED, 0.1, **kw)), [0.3])[0.3]
            for ds, s in T.score_preds(test, pred).items():
                t = res[name].setdefault(ds, Score())
                T._merge({ds: t}, {ds: s})
                t.articles.extend(s.articles)
    res["rules"] = T.score_preds(preps, {p.doc.uid: p.rule_claims for p in preps})
    for name, by in res.items():
        for ds in KINDS:
            if sc := by.get(ds):
                print(f"{name:7} {ds:9} claim F1 {sc.f1:.3f} pair F1 {sc.pair_f1:.3f} stage {sc.stage_accuracy:.3f} "
                      f"certainty {sc.certainty_accuracy:.3f} (matched {sc.tp})")
    for ds in KINDS:
        if ds not in res["rules"]:
            continue
        rules = {_key(a.article, g): p for a in res["rules"][ds].articles for p, g in a.matched}
        for name in ("before", "after"):
            mine = {_key(a.article, g): (p, g) for a in res[name][ds].articles for p, g in a.matched}
            both = [k for k in mine if k in rules]
            if both:
                acc = {f: (sum(mine[k][0][f] == mine[k][1][f] for k in both) / len(both),
                           sum(rules[k][f] == mine[k][1][f] for k in both) / len(both)) for f in ("stage", "certainty")}
                print(f"{ds:9} {name:7} on the {len(both)} claims both matched: stage {acc['stage'][0]:.3f} (rules "
                      f"{acc['stage'][1]:.3f}), certainty {acc['certainty'][0]:.3f} (rules {acc['certainty'][1]:.3f})")
    for field, classes in (("stage", T.ALL_STAGES), ("certainty", CERTAINTIES)):
        for ds in KINDS:
            for name in ("before", "after", "rules"):
                if ds not in res[name]:
                    continue
                cm = Counter((g[field], p[field]) for a in res[name][ds].articles for p, g in a.matched)
                print(f"-- {field} {ds} {name} (rows gold, columns predicted)")
                print(" " * 10 + " ".join(f"{c[:6]:>6}" for c in classes))
                for g in classes:
                    row = [cm.get((g, p), 0) for p in classes]
                    if sum(row):
                        print(f"{g:>9} " + " ".join(f"{x:>6}" for x in row))


if __name__ == "__main__":
    main()
