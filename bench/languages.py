"""Quality and speed of extraction in German, Spanish, Italian, French and Portuguese, per language.

    .venv/bin/python bench/languages.py [--labels silver|second|both] [--repeat N] [--errors]

Scores the extractor on the non-blind non-English articles of ../shared/corpus/unlabelled against their silver
labels (../shared/corpus/silver) and the second labelling (annotations/second/articles); the frozen blind
articles of annotations/blind/MANIFEST.json are never read. Prints claim P/R/F1, (club, person) pair F1, stage
and certainty accuracy per language, then articles/second per language on one core (each article extracted
--repeat times after a warm-up). --errors lists misses and false alarms (development articles only).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402

from mercato.evaluate.languages import dev_articles, labels  # noqa: E402
from mercato.evaluate.scorer import Score, score  # noqa: E402
from mercato.extract import extract_article  # noqa: E402


def _fmt(s: Score) -> str:
    return (f"P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} | pair F1 {s.pair_f1:.3f} | "
            f"stage {s.stage_accuracy:.3f} certainty {s.certainty_accuracy:.3f} | tp {s.tp} fp {s.fp} fn {s.fn}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", choices=("silver", "second", "both"), default="both")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    arts = dev_articles()
    preds = {a.id: [c.to_json() for c in extract_article(a.record)] for a in arts}
    langs = sorted({a.lang for a in arts})
    for which in (("silver", "second") if args.labels == "both" else (args.labels,)):
        print(f"== labels: {which}")
        allp, allg = {}, {}
        for lang in langs:
            ids = [a.id for a in arts if a.lang == lang]
            gold = {i: labels(i, which) for i in ids}
            p = {i: preds[i] for i in ids}
            allp.update(p)
            allg.update(gold)
            s = score(p, gold)
            print(f"{lang}  {len(ids):2d} articles {sum(map(len, gold.values())):3d} claims  {_fmt(s)}")
            if args.errors:
                for r in s.articles:
                    for c in r.misses:
                        print(f"    miss {r.article}: {c['club']} / {c['person']} / {c['role']} / {c['source']}")
                    for c in r.false_alarms:
                        print(f"    fp   {r.article}: {c['club']} / {c['person']} / {c['role']} / {c['source']} "
                              f"[{c['stage']}] {c['evidence'][:80]!r}")
        print(f"all {len(allg):2d} articles {sum(map(len, allg.values())):3d} claims  {_fmt(score(allp, allg))}")
    print("== speed (one core)")
    for lang in langs:
        recs = [a.record for a in arts if a.lang == lang]
        for rec in recs:
            extract_article(rec)
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            for rec in recs:
                extract_article(rec)
        dt = time.perf_counter() - t0
        print(f"{lang}  {len(recs) * args.repeat / dt:7.1f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
