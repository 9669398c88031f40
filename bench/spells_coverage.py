"""How much of the annotated people the dated spells place: for every training document (never a blind one:
`training_docs()`), each person of its annotated claims counts once, and is *placed* when the spells give his club on
the document's date (`SpellBook.club_on`), the question the extractors ask when the text does not say.

    .venv/bin/python bench/spells_coverage.py [--spells FILE ...] [--json]

With no `--spells`, the knowledge base's own file (kb/data/spells.jsonl); with several, one column each (for example
an older version of the file: `git show REV:src/mercato/kb/data/spells.jsonl > /tmp/old.jsonl`).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from mercato.evaluate.annotations import training_docs
from mercato.kb.base import DATA
from mercato.kb.spells import SpellBook, read_spells


def coverage(books: dict[str, SpellBook]) -> dict[str, dict[str, float | int]]:
    counts: Counter[tuple[str, str]] = Counter()
    for d in training_docs():
        day = d.article.date
        for person in {c["person"] for c in d.claims}:
            counts[d.dataset, "people"] += 1
            for name, book in books.items():
                if day is not None and book.club_on(person, day):
                    counts[d.dataset, name] += 1
    out: dict[str, dict[str, float | int]] = {}
    for ds in sorted({k[0] for k in counts}):
        n = counts[ds, "people"]
        out[ds] = {"people": n, **{name: round(counts[ds, name] / n, 3) for name in books}}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--spells", type=Path, action="append", help="a spells JSONL file (repeatable)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    files = args.spells or [DATA / "spells.jsonl"]
    books = {}
    for f in files:
        spells = read_spells(f)
        books[f"{f} ({len(spells)} spells)"] = SpellBook(spells)
    result = coverage(books)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for ds, row in result.items():
        print(f"{ds}: {row['people']} (document, person) pairs")
        for name in books:
            print(f"  {row[name]:.1%} placed by {name}")


if __name__ == "__main__":
    main()
