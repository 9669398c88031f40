"""Benchmark: the learned extractor's decision step per document, with and without the claim trees, on one core.

    .venv/bin/python bench/learned_decision.py [--weights PATH] [--repeat N]

Reads the English training documents (articles, gossip items, posts; never the blind ones: only their text
lengths and candidates are used, no label), makes their candidates once (learned.candidates.process), then
times `learned.predict` over every document (CPU time of this process, the fastest of --repeat passes), first
with the model as shipped, then with its trees removed (the linear heads alone). Prints the mean per-document
cost of each, by dataset, beside that of reading the document and making its candidates, and the weights' size.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from mercato.evaluate.annotations import training_docs  # noqa: E402
from mercato.extract.doc import ArticleDoc  # noqa: E402
from mercato.extract.learned import predict, process  # noqa: E402
from mercato.extract.learned.model import WEIGHTS, ClaimModel  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--weights", type=Path, default=WEIGHTS)
    ap.add_argument("--repeat", type=int, default=3, help="time each pass this many times, keep the fastest")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents of each dataset")
    args = ap.parse_args(argv)
    model = ClaimModel.load(args.weights)
    linear = ClaimModel(model.vocab, model.heads, model.meta, {})
    docs = training_docs()
    if args.limit:
        seen: dict[str, int] = {}
        kept = []
        for d in docs:
            seen[d.dataset] = seen.get(d.dataset, 0) + 1
            if seen[d.dataset] <= args.limit:
                kept.append(d)
        docs = kept
    work = []
    making: dict[str, float] = {}
    for d in docs:
        a = d.article
        adoc = ArticleDoc(text=a.text, date=a.date, outlet=a.outlet, author=a.author)
        s = time.process_time()
        work.append((d.dataset, len(a.text), process(adoc, model.meta.get("outlets"))))
        making[d.dataset] = making.get(d.dataset, 0.0) + time.process_time() - s
    for ds, secs in sorted(making.items()):  # the rest of the learned extraction: segmenting, the rules, candidates
        n = sum(1 for w in work if w[0] == ds)
        print(f"reading + candidates {ds:9s} {n:5d} docs: {1e3 * secs / n:.3f} ms CPU per document (one pass)")
    size = args.weights.stat().st_size
    t = model.trees.get("claim")
    print(f"weights {args.weights}: {size / 1e6:.2f} MB; trees: "
          + (f"{len(t.roots)} trees, {len(t.feature)} nodes, depth {t.depth}, {len(t.columns)} features, "
             f"weight {model.meta.get('gb_weight')}, texts of {model.meta.get('gb_min_chars')}+ chars" if t else "none"))
    for name, m in (("shipped", model), ("linear heads only", linear)):
        for ds in sorted({w[0] for w in work}):
            part = [w for w in work if w[0] == ds]
            best = float("inf")
            for _ in range(args.repeat):
                s = time.process_time()  # CPU time of this process: the machine may be shared
                for _, chars, cands in part:
                    predict(m, cands, chars)
                best = min(best, time.process_time() - s)
            n_c = sum(len(c) for _, _, c in part)
            print(f"{name:18s} {ds:9s} {len(part):5d} docs {n_c:6d} candidates: {1e3 * best / len(part):.3f} ms CPU per document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
