"""Issue 9 (time): figures for clubs over time, with the extractor as installed.

    .venv/bin/python bench/time_check.py [--no-gossip]

1. Eight one-sentence articles written by us, each dated before the move it describes (the same as
   tests/test_time.py): how many give exactly the right claim.
2. The 2021 gossip set (../shared/datasets/bbc-gossip-2021/rumours.csv): claims for three moves that all
   happened and that the KB's later clubs used to veto, the seller-as-suitor pairs, the busiest pairs.
3. Extraction against the gossip silver labels (1,520 items, not a blind set), with the project's scorer.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import json

from mercato.config import shared_dir
from mercato.evaluate.scorer import score
from mercato.extract import extract_article
from mercato.ingest.readers import read_path, record_from_mapping
from mercato.records import ArticleRecord

EIGHT = [
    ("Manchester United have agreed a fee with Borussia Dortmund for Jadon Sancho, according to Sky Sports.",
     "2021-07-01", "Manchester United", "Jadon Sancho"),
    ("Manchester City have agreed a fee with Borussia Dortmund for Erling Haaland, according to Sky Sports.",
     "2022-05-10", "Manchester City", "Erling Haaland"),
    ("Manchester United have agreed a fee with Real Madrid for Raphael Varane, according to Sky Sports.",
     "2021-07-27", "Manchester United", "Raphael Varane"),
    ("Manchester United have agreed compensation with Ajax for Erik ten Hag, according to Sky Sports.",
     "2022-04-15", "Manchester United", "Erik ten Hag"),
    ("Newcastle United have agreed a fee with Real Sociedad for Alexander Isak, according to Sky Sports.",
     "2022-08-24", "Newcastle United", "Alexander Isak"),
    ("Real Madrid have agreed a fee with Chelsea for Eden Hazard, according to Sky Sports.",
     "2019-06-05", "Real Madrid", "Eden Hazard"),
    ("Bayern Munich have agreed a fee with Tottenham Hotspur for Harry Kane, according to Sky Sports.",
     "2023-08-10", "Bayern Munich", "Harry Kane"),
    ("Bayern Munich have made an improved offer to Tottenham Hotspur for Harry Kane.",
     "2023-08-03", "Bayern Munich", "Harry Kane"),
]
WATCH = [("Manchester United", "Raphael Varane"), ("Manchester United", "Jadon Sancho"),
         ("Manchester City", "Erling Haaland"), ("Borussia Dortmund", "Erling Haaland"),
         ("Borussia Dortmund", "Jadon Sancho"), ("Real Madrid", "Raphael Varane"), ("Tottenham Hotspur", "Harry Kane")]


def eight() -> None:
    ok = 0
    for text, day, club, person in EIGHT:
        got = {(c.club, c.person) for c in extract_article(ArticleRecord(date=dt.date.fromisoformat(day), text=text))}
        ok += got == {(club, person)}
        print(f"  {'ok ' if got == {(club, person)} else 'BAD'} {day} {text[:60]}... -> {sorted(got)}")
    print(f"eight dated sentences: {ok} of {len(EIGHT)} right")


def gossip() -> None:
    g = shared_dir() / "datasets" / "bbc-gossip-2021"
    pairs: collections.Counter[tuple[str, str]] = collections.Counter()
    n = 0
    for art in read_path(g / "rumours.csv"):
        if isinstance(art, ArticleRecord):
            for c in extract_article(art):
                pairs[(c.club, c.person)] += 1
                n += 1
    print(f"gossip claims: {n}")
    for k in WATCH:
        print(f"  {k[0]} <- {k[1]}: {pairs[k]}")
    print("  busiest:", ", ".join(f"{p} -> {c} {k}" for (c, p), k in pairs.most_common(5)))
    gold: dict[str, list] = {}
    for part in sorted((g / "silver").glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                gold[str(r["id"])] = r["claims"]
    with open(g / "rumours.csv", newline="", encoding="utf-8") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    pred = {i: [c.to_json() for c in extract_article(record_from_mapping(rows[i], "rumours.csv", int(i)))] for i in gold}
    s = score(pred, gold)
    print(f"gossip silver ({len(gold)} items): P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-gossip", action="store_true")
    args = ap.parse_args()
    eight()
    if not args.no_gossip:
        gossip()


if __name__ == "__main__":
    main()
