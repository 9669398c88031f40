"""The dated spells checked against an independent record: the BBC gossip set's register of completed transfers in
and out of Premier League clubs (../shared/datasets/bbc-gossip-2021/transfers.csv, seasons 2021 and 2022).

    .venv/bin/python bench/spells_vs_register.py [--register FILE] [--examples N]

A row says a player left one club for another in the season's windows (season S: summer S or January S+1). For every
row whose player the spells know, it asks the spells where he was on the first of each month: does any day from
January S to February S+1 place him at the club he left, and any day from July S to June S+1 at the club he joined
(a loan, a loan's return or a second move that season still agrees)? Each side counts as agreeing, another club
only, or unknown (no spell answers in those months). The register is only read to measure the spells; nothing reads
it to make a claim (it is dated after most of the rumours it covers).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from mercato.config import shared_dir
from mercato.kb import get_kb
from mercato.kb.names import club_key
from mercato.kb.spells import kb_spells


def _month(first: dt.date, m: int) -> dt.date:
    y, mo = divmod(first.month - 1 + m, 12)
    return dt.date(first.year + y, mo + 1, 1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--register", type=Path,
                    default=shared_dir() / "datasets" / "bbc-gossip-2021" / "transfers.csv")
    ap.add_argument("--examples", type=int, default=10, help="rows to show where the spells name another club")
    args = ap.parse_args(argv)
    kb, book = get_kb(), kb_spells()
    counts: Counter[str] = Counter()
    examples: list[str] = []
    with args.register.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            person = row["player_name"].strip()
            if not book.spells_of(person):
                counts["rows, player without spells"] += 1
                continue
            counts["rows, player with spells"] += 1
            season = int(row["season"])
            for side, first, months, col in (("left", dt.date(season, 1, 1), 14, "club_left"),
                                             ("joined", dt.date(season, 7, 1), 12, "club_joined")):
                named = kb.club(row[col]) or row[col]
                got = {c for m in range(months) if (c := book.club_on(person, _month(first, m)))}
                if not got:
                    counts[f"{side}: unknown"] += 1
                elif club_key(named) in {club_key(c) for c in got}:
                    counts[f"{side}: agrees"] += 1
                else:
                    counts[f"{side}: another club only"] += 1
                    if len(examples) < args.examples:
                        examples.append(f"  {person} ({season}) {side}: register {named}, spells {sorted(got)}")
    for key in sorted(counts):
        print(f"{key}: {counts[key]}")
    for side in ("left", "joined"):
        known = counts[f"{side}: agrees"] + counts[f"{side}: another club only"]
        if known:
            print(f"{side}: the spells agree on {counts[f'{side}: agrees'] / known:.1%} of the rows they answer")
    if examples:
        print("another club only (first rows):")
        print("\n".join(examples))


if __name__ == "__main__":
    main()
