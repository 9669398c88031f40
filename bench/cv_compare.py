"""Cross-validation reports of the learned extractor compared document by document: the claim F1 difference
(other - base) per dataset with its 90% paired-bootstrap interval (the same resampled documents for both).

    nice -n 10 .venv/bin/python -m mercato.extract.learned.train --no-save --report /tmp/base.json   # unchanged code
    nice -n 10 .venv/bin/python -m mercato.extract.learned.train --no-save --report /tmp/new.json    # the change
    .venv/bin/python bench/cv_compare.py /tmp/base.json /tmp/new.json [--model shipped@0.35]

Reads the reports' `cv.per_doc` (each test document's dataset, matched claims, false alarms and misses, by model),
which the training command writes; each pair of runs must use the same folds and seed.

Several fold seeds (`train --seed N`): give the reports as pairs, base then other for each seed,

    .venv/bin/python bench/cv_compare.py base_s1.json new_s1.json base_s2.json new_s2.json base_s3.json new_s3.json

(or `--dirs BASE_DIR NEW_DIR`: the reports bench/cv_seeds.py writes, S.json for each seed S in both folders), and
besides each pair's difference it prints the pooled one (`pooled`): each document's counts summed over the
seeds, so the fold assignment's own noise (about 0.02 on the articles) averages out, and the bootstrap resamples
documents over that sum; `agree` says whether every seed's difference has the pooled one's sign.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mercato.extract.learned.train import paired_bootstrap

Counts = dict[str, tuple[str, int, int, int]]


def _per_doc(path: Path) -> dict[str, dict[str, list]] | str:
    try:
        per_doc = json.loads(path.read_text(encoding="utf-8"))["cv"]["per_doc"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{path}: no cross-validation per-document counts ({exc!r}); rerun train with --report"
    if not isinstance(per_doc, dict):
        return f"{path}: cv.per_doc is not a mapping of models"
    return per_doc


def pooled(runs: list[Counts]) -> Counts:
    """Each document's (dataset, matched, false alarms, misses) summed over runs (documents in every run only)."""
    common = set(runs[0]).intersection(*runs[1:])
    return {u: (runs[0][u][0], *(sum(r[u][k] for r in runs) for k in (1, 2, 3))) for u in sorted(common)}  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reports", type=Path, nargs="*", help="BASE OTHER [BASE OTHER ...]: one pair per fold seed")
    ap.add_argument("--dirs", type=Path, nargs=2, metavar=("BASE_DIR", "NEW_DIR"),
                    help="pair the reports of two folders of bench/cv_seeds.py by their seed (S.json)")
    ap.add_argument("--model", default=None, help="the model entry of per_doc (default: the shipped one, else lr)")
    args = ap.parse_args(argv)
    if args.dirs:
        if args.reports:
            print("give either --dirs or the reports, not both", file=sys.stderr)
            return 2
        base_dir, new_dir = args.dirs
        seeds = sorted({p.stem for p in base_dir.glob("*.json")} & {p.stem for p in new_dir.glob("*.json")})
        if not seeds:
            print(f"no seed's report (S.json) is in both {base_dir} and {new_dir}", file=sys.stderr)
            return 2
        args.reports = [d / f"{s}.json" for s in seeds for d in (base_dir, new_dir)]
    if len(args.reports) < 2 or len(args.reports) % 2:
        print(f"give the reports in pairs, base then other (got {len(args.reports)})", file=sys.stderr)
        return 2
    reports = []
    for path in args.reports:
        got = _per_doc(path)
        if isinstance(got, str):
            print(got, file=sys.stderr)
            return 2
        reports.append(got)
    name = args.model or next((k for k in reports[0] if k.startswith("shipped@")), None) or next(iter(reports[0]), None)
    if name is None or any(name not in r for r in reports):
        missing = [str(p) for p, r in zip(args.reports, reports, strict=True) if name not in r]
        print(f"model {name!r} is not in every report (missing from {missing}; the first has {sorted(reports[0])})",
              file=sys.stderr)
        return 2
    counts: list[Counts] = [{u: tuple(v) for u, v in r[name].items()} for r in reports]  # type: ignore[misc]
    bases, others = counts[0::2], counts[1::2]
    per_seed = [paired_bootstrap(b, o, seed=20261130) for b, o in zip(bases, others, strict=True)]
    if len(per_seed) == 1:
        print(json.dumps({"model": name, "vs_base": per_seed[0]}, indent=1))
        return 0
    pool = paired_bootstrap(pooled(bases), pooled(others), seed=20261130)
    for ds, d in pool.items():
        signs = {(s[ds]["diff"] > 0) - (s[ds]["diff"] < 0) for s in per_seed if ds in s}
        d["agree"] = signs == {(d["diff"] > 0) - (d["diff"] < 0)}
    print(json.dumps({"model": name, "seeds": len(per_seed), "per_seed": per_seed, "pooled": pool}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
