"""Two cross-validation reports of the learned extractor compared document by document: the claim F1 difference
(other - base) per dataset with its 90% paired-bootstrap interval (the same resampled documents for both).

    nice -n 10 .venv/bin/python -m mercato.extract.learned.train --no-save --report /tmp/base.json   # unchanged code
    nice -n 10 .venv/bin/python -m mercato.extract.learned.train --no-save --report /tmp/new.json    # the change
    .venv/bin/python bench/cv_compare.py /tmp/base.json /tmp/new.json [--model shipped@0.35]

Reads the reports' `cv.per_doc` (each test document's dataset, matched claims, false alarms and misses, by model),
which the training command writes; both runs must use the same folds and seed (the default).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from mercato.extract.learned.train import paired_bootstrap


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base", type=Path)
    ap.add_argument("other", type=Path)
    ap.add_argument("--model", default=None, help="the model entry of per_doc (default: the shipped one, else lr)")
    args = ap.parse_args(argv)
    reports = []
    for path in (args.base, args.other):
        try:
            per_doc = json.loads(path.read_text(encoding="utf-8"))["cv"]["per_doc"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"{path}: no cross-validation per-document counts ({exc!r}); rerun train with --report", file=sys.stderr)
            return 2
        reports.append(per_doc)
    name = args.model or next((k for k in reports[0] if k.startswith("shipped@")), None) or next(iter(reports[0]), None)
    if name is None or any(name not in r for r in reports):
        print(f"model {name!r} is not in both reports (have {sorted(reports[0])} and {sorted(reports[1])})", file=sys.stderr)
        return 2
    base, other = ({u: tuple(v) for u, v in r[name].items()} for r in reports)
    out = paired_bootstrap(base, other, seed=20261130)
    print(json.dumps({"model": name, "vs_base": out}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
