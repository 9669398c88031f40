"""Deal terms on real gossip items: how many mention a fee, and the precision of the fee read, by hand.

    .venv/bin/python bench/deal_terms.py                 # counts, and precision over the hand-checked sample
    .venv/bin/python bench/deal_terms.py --show-sample   # the 50 sampled items with the fee read, to check by hand

The sample: 50 items drawn (seed 13) among those where a fee was read. The verdicts (item id -> yes, partial or
no: is the amount read the transfer fee, asking price, bid or valuation of a move the item speaks of, in
the right currency and size; partial = one bound of a range) are labels kept in
bench/data/deal_terms_checked.json; the item texts stay in ../shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

from mercato.config import shared_dir
from mercato.extract.terms import read_terms

HERE = Path(__file__).parent
CHECKED = HERE / "data" / "deal_terms_checked.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-sample", action="store_true")
    ap.add_argument("--n", type=int, default=50)
    args = ap.parse_args()
    path = shared_dir() / "datasets" / "bbc-gossip-2021" / "rumours.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    read = {r["id"]: (r, read_terms(r["raw_text"])) for r in rows}
    with_fee = [i for i, (_, t) in read.items() if t.fee_text is not None and (t.fee_amount or 0) > 0]
    free = [i for i, (_, t) in read.items() if t.fee_amount == 0]
    loans = [i for i, (_, t) in read.items() if t.deal_type == "loan"]
    perm = [i for i, (_, t) in read.items() if t.deal_type == "permanent"]
    opt = [i for i, (_, t) in read.items() if t.buy_clause == "option"]
    obl = [i for i, (_, t) in read.items() if t.buy_clause == "obligation"]
    print(f"{path}: {len(rows)} items")
    money = sum(1 for r in rows if re.search(r"[£€$]\s?\d|\d\s?(?:m|million|bn)?\s?(?:euros|pounds|dollars)\b", r["raw_text"]))
    print(f"  an amount of money:  {money} (a currency symbol or word next to a number: fees, wages, budgets)")
    print(f"  a fee read:          {len(with_fee)} ({len(with_fee) / len(rows):.1%})")
    print(f"  a free transfer:     {len(free)}")
    print(f"  loan / permanent:    {len(loans)} / {len(perm)}")
    print(f"  option / obligation: {len(opt)} / {len(obl)}")
    sample = random.Random(13).sample(sorted(with_fee, key=int), min(args.n, len(with_fee)))
    if args.show_sample:
        for i in sample:
            r, t = read[i]
            print(f"\n[{i}] {r['raw_text']}\n   -> {t.fee_text!r} = {t.fee_amount:,.0f} {t.fee_currency}")
        return 0
    if not CHECKED.exists():
        print(f"no hand-checked verdicts at {CHECKED}: run with --show-sample and write them", file=sys.stderr)
        return 1
    verdicts: dict[str, str] = json.loads(CHECKED.read_text(encoding="utf-8"))["verdicts"]
    judged = [i for i in sample if i in verdicts]
    right = sum(1 for i in judged if verdicts[i] == "yes")
    part = sum(1 for i in judged if verdicts[i] == "partial")
    n = max(1, len(judged))
    print(f"  fee precision (hand-checked sample of {len(judged)}): strict {right / n:.2f} ({right} right), "
          f"counting one bound of a range as right {(right + part) / n:.2f}")
    if len(judged) < len(sample):
        print(f"  ({len(sample) - len(judged)} sampled items have no verdict yet)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
