"""Regression harness for the rules extractor: its claims on every text in ../shared, saved and diffed.

    .venv/bin/python bench/extract_regression.py save OUT.jsonl      # claims of every text, one line per text
    .venv/bin/python bench/extract_regression.py diff BASE.jsonl [NEW.jsonl]   # counts of texts/claims that changed

`--only REGEX` keeps the texts whose body or title matches it (case-insensitive): a change to a lexicon's words can
change only the texts those words occur in, so save and diff can be run on them alone (both runs with the same
REGEX; the count of texts left out is printed).

Texts: ../shared/corpus/articles, ../shared/corpus/unlabelled, every row of the BBC gossip CSV and every post of
tweets.csv. It runs the rules engine unless `--extractor` names another (learned, auto; whatever MERCATO_EXTRACTOR
says is ignored). `diff` without NEW runs the extractor afresh. Only counts are printed for texts listed in
annotations/blind/MANIFEST.json (their claims are never shown); for the others, up to `--show` changed texts are
printed. It re-executes itself with PYTHONHASHSEED=0 where that is unset: the multilingual extractor's output on at
least one article depends on string hashing (set order), which would show as a change between two runs of the same
code.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from mercato.config import shared_dir
from mercato.ingest import IngestError, read_path
from mercato.records import ArticleRecord


def texts() -> Iterator[tuple[str, ArticleRecord]]:
    from mercato.evaluate.annotations import _tweet_record, _tweet_rows

    shared = shared_dir()
    for folder in ("corpus/articles", "corpus/unlabelled"):
        for path in sorted((shared / folder).glob("*.txt")):
            for n, a in enumerate(read_path(path)):
                if not isinstance(a, IngestError):
                    yield f"{path.stem}#{n}" if n else path.stem, a
    for n, a in enumerate(read_path(shared / "datasets/bbc-gossip-2021/rumours.csv")):
        if not isinstance(a, IngestError):
            yield f"gossip:{n}", a
    rows = _tweet_rows(shared)
    for n in range(len(rows)):
        yield f"post:{n}", _tweet_record(rows, n, Path("tweets.csv"))


def run(engine: str = "rules", only: str | None = None) -> dict[str, list[dict[str, object]]]:
    from mercato.extract.pipeline import get_extractor

    ex = get_extractor(engine)
    keep = re.compile(only, re.IGNORECASE) if only else None
    out: dict[str, list[dict[str, object]]] = {}
    skipped = 0
    for tid, a in texts():
        if keep is not None and not keep.search(f"{a.title or ''}\n{a.text}"):
            skipped += 1
            continue
        out[tid] = [c.to_json() for c in ex(a)]
    if keep is not None:
        print(f"--only {only!r}: {len(out)} texts kept, {skipped} left out (the regex does not occur in them)")
    return out


def save(path: Path, claims: dict[str, list[dict[str, object]]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for tid, cs in claims.items():
            f.write(json.dumps({"id": tid, "claims": cs}, sort_keys=True) + "\n")


def load(path: Path) -> dict[str, list[dict[str, object]]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            out[rec["id"]] = rec["claims"]
    return out


def _key(c: dict[str, object]) -> str:
    return json.dumps(c, sort_keys=True)


def diff(base: dict[str, list[dict[str, object]]], new: dict[str, list[dict[str, object]]], show: int) -> dict[str, int]:
    from mercato.evaluate.annotations import blind_ids

    blind = blind_ids()
    counts = {"texts": len(base), "texts_changed": 0, "claims_before": 0, "claims_after": 0, "claims_lost": 0,
              "claims_added": 0}
    shown = 0
    for tid in sorted(set(base) | set(new)):
        a = {_key(c) for c in base.get(tid, [])}
        b = {_key(c) for c in new.get(tid, [])}
        counts["claims_before"] += len(a)
        counts["claims_after"] += len(b)
        if a == b:
            continue
        counts["texts_changed"] += 1
        counts["claims_lost"] += len(a - b)
        counts["claims_added"] += len(b - a)
        if shown < show and tid.split("#")[0] not in blind:
            shown += 1
            print(f"--- {tid}")
            for k in sorted(a - b):
                print(f"  - {k}")
            for k in sorted(b - a):
                print(f"  + {k}")
    return counts


def main(argv: list[str] | None = None) -> int:
    if argv is None and os.environ.get("PYTHONHASHSEED") is None:
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("save", "diff"))
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--extractor", choices=("rules", "learned", "auto"), default="rules",
                    help="the extractor to run (default rules)")
    ap.add_argument("--only", default=None, help="keep only the texts this regex occurs in (case-insensitive)")
    ap.add_argument("--show", type=int, default=10, help="changed (non-blind) texts to print (default 10)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.mode == "save":
        claims = run(args.extractor, args.only)
        save(args.paths[0], claims)
        print(f"{len(claims)} texts, {sum(len(c) for c in claims.values())} claims -> {args.paths[0]} "
              f"({time.perf_counter() - t0:.0f} s)")
        return 0
    base = load(args.paths[0])
    new = load(args.paths[1]) if len(args.paths) > 1 else run(args.extractor, args.only)
    counts = diff(base, new, args.show)
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
