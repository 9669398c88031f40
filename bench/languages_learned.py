"""Experiment: does a pair filter trained on our own annotations beat the cue data alone (other languages)?

    .venv/bin/python bench/languages_learned.py [--labels silver|second]

Every candidate claim the multilingual extractor proposes carries features (word distance to the club, how the
pair was found, sentence counts, cue kinds in the sentence, stage, mention counts). A logistic regression (numpy,
L2, fixed seed) learns whether the (club, person) pair is labelled in the article, scored by leave-one-article-out
over the 22 non-blind development articles (blind ones never loaded); each held-out article keeps only the claims
whose pair scores >= threshold. Prints claim and pair F1 per threshold beside the unfiltered extractor.
"""

from __future__ import annotations

import argparse

import numpy as np

from mercato.evaluate.languages import dev_articles, labels
from mercato.evaluate.scorer import person_match, score
from mercato.extract import extract_article
from mercato.kb import normalise
from mercato.records import ClaimRecord, stage_rank

KINDS = ("attribution", "unnamed", "hedge", "reportive", "doubt", "official", "negation", "player", "manager",
         "staff", "title", "from", "departing")
LANGS = ("de", "es", "fr", "it", "pt")


def features(c: ClaimRecord) -> list[float]:
    f = c.extra["features"]
    d = f["dist"]
    row = [1.0, float(d < 0), min(max(d, 0), 30) / 30, float(f["club_first"]), float(f["via"] == "descriptor"),
           float(f["via"] == "topic"), min(f["n_people"], 6) / 6, min(f["n_clubs"], 6) / 6, float(f["sent"] == 0),
           min(f["sent"], 30) / 30, min(f["person_mentions"], 10) / 10, min(f["club_mentions"], 10) / 10,
           float(f["main"]), (stage_rank(f["stage"]) + 1) / 8]
    row += [float(k in f["kinds"]) for k in KINDS]
    row += [float(c.extra["lang"] == lg) for lg in LANGS]
    return row


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 2000, lr: float = 0.5) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) / len(y) + l2 * w / len(y)
        w -= lr * grad
    return w


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", choices=("silver", "second"), default="silver")
    args = ap.parse_args(argv)
    np.random.seed(0)
    arts = dev_articles()
    preds = {a.id: extract_article(a.record) for a in arts}
    gold = {a.id: labels(a.id, args.labels) for a in arts}

    def positive(aid: str, c: ClaimRecord) -> float:
        return float(any(normalise(g["club"]) == normalise(c.club) and person_match(c.person, g["person"])
                         for g in gold[aid]))

    width = 14 + len(KINDS) + len(LANGS)
    data = {aid: (np.array([features(c) for c in cs], dtype=float).reshape(len(cs), width),
                  np.array([positive(aid, c) for c in cs])) for aid, cs in preds.items()}
    base = score({k: [c.to_json() for c in v] for k, v in preds.items()}, gold)
    print(f"cue data alone: claim F1 {base.f1:.3f} (P {base.precision:.3f} R {base.recall:.3f}) pair F1 "
          f"{base.pair_f1:.3f}")
    print(f"candidates {sum(len(v) for v in preds.values())}, positive pairs "
          f"{int(sum(y.sum() for _, y in data.values()))}")
    probs: dict[str, np.ndarray] = {}
    for held in preds:
        xs = [data[k][0] for k in preds if k != held and len(preds[k])]
        ys = [data[k][1] for k in preds if k != held and len(preds[k])]
        w = fit(np.vstack(xs), np.concatenate(ys))
        x = data[held][0]
        probs[held] = 1 / (1 + np.exp(-x @ w)) if len(x) else np.array([])
    for t in (0.2, 0.3, 0.4, 0.5, 0.6):
        kept = {k: [c.to_json() for c, p in zip(v, probs[k], strict=True) if p >= t] for k, v in preds.items()}
        s = score(kept, gold)
        print(f"learned filter >= {t:.1f}: claim F1 {s.f1:.3f} (P {s.precision:.3f} R {s.recall:.3f}) "
              f"pair F1 {s.pair_f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
