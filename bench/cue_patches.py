"""Which cue patterns are phrase-level patches, and does removing each cost anything on the labelled dev data?

    .venv/bin/python bench/cue_patches.py [--max-docs 1] [--min-words 3] [--retire]

Dev data (never the blind set): the shared gold articles and everything `training_docs()` reads (silver
articles with blind ones excluded, adjudicated labels where they exist, gossip items, posts), English only.

A candidate patch is a pattern of extract/data/cues.jsonl whose shortest reading is a phrase (at least
`--min-words` words: a single lemma is lexicon, not a patch) and that fires in at most `--max-docs` labelled
documents. For each candidate the rules engine re-reads only the documents where the pattern fires, without it,
and the per-document scores (claims matched, false alarms, stage and certainty right, pairs found) are compared
with the engine's with it. A candidate that fires nowhere, or whose removal changes no score, does not pay.
Removing them all at once is then checked on every dev document: a document that scores worse gets back the
patterns it needs. A pattern that fires on a sentence of tests/test_extract_rules.py (sentences of our own,
written for a rule) is kept: retiring it means retiring that test, a separate decision. With `--retire` the
rest are deleted from cues.jsonl.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mercato.evaluate.annotations import LabelledDoc, gold_articles, training_docs
from mercato.evaluate.scorer import Score, score_article
from mercato.extract import components
from mercato.extract.lexicon import DATA, Lexicon, cue_entries
from mercato.extract.multilingual import LANGS

CUES = DATA / "cues.jsonl"
FIELDS = ("tp", "fp", "fn", "stage_ok", "certainty_ok", "pair_tp", "pair_fp")


def dev_docs() -> list[LabelledDoc]:
    docs = [*gold_articles(), *training_docs(english_only=True)]
    return [d for d in docs if d.article.lang not in LANGS]


def shortest_words(entry: dict[str, Any]) -> int:
    ex = entry["example"]
    m = re.search(r"(?<![\w-])(?:" + entry["regex"] + r")", ex, re.IGNORECASE)
    return len(m.group(0).split()) if m else 0


def fires_in(entry: dict[str, Any], docs: list[LabelledDoc]) -> list[int]:
    rx = re.compile(r"(?<![\w-])(?:" + entry["regex"] + r")", re.IGNORECASE)
    return [i for i, d in enumerate(docs) if rx.search(d.article.text)]


def tested(entries: list[dict[str, Any]]) -> set[str]:
    """Ids of the patterns that fire on a string of tests/test_extract_rules.py."""
    import ast

    path = Path(__file__).resolve().parents[1] / "tests" / "test_extract_rules.py"
    if not path.exists():
        return set()
    strs = [n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and len(n.value) > 20]
    return {e["id"] for e in entries if "regex" in e and any(
        re.search(r"(?<![\w-])(?:" + e["regex"] + r")", t, re.IGNORECASE) for t in strs)}


def doc_score(d: LabelledDoc, read: Callable[[LabelledDoc], list[dict[str, Any]]]) -> dict[str, int]:
    s = Score()
    score_article(d.uid, read(d), d.claims, s)
    return {f: getattr(s, f) for f in FIELDS}


def reader(lex: Lexicon) -> Callable[[LabelledDoc], list[dict[str, Any]]]:
    from mercato.extract.pipeline import Extractor

    ex = Extractor()

    def read(d: LabelledDoc) -> list[dict[str, Any]]:
        saved = components.get_lexicon
        components.get_lexicon = lambda: lex  # type: ignore[assignment]
        try:
            return [c.to_json() for c in ex(d.article)]
        finally:
            components.get_lexicon = saved  # type: ignore[assignment]

    return read


def without(entries: list[dict[str, Any]], drop: set[str], path: Path) -> Lexicon:
    with open(path, "w", encoding="utf-8") as f:
        for e in entries:
            if e.get("id") not in drop:
                f.write(json.dumps({k: v for k, v in e.items() if k != "_line"}, ensure_ascii=False) + "\n")
    return Lexicon(path)


def delta(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {f: b[f] - a[f] for f in FIELDS}


def pays(d: dict[str, int]) -> bool:
    """Removing the pattern costs something: fewer matches, stages, certainties or pairs, or more false alarms."""
    return d["tp"] < 0 or d["fp"] > 0 or d["stage_ok"] < 0 or d["certainty_ok"] < 0 or d["pair_tp"] < 0 or d["pair_fp"] > 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-docs", type=int, default=1)
    ap.add_argument("--min-words", type=int, default=3)
    ap.add_argument("--retire", action="store_true", help="delete the candidates that do not pay from cues.jsonl")
    ap.add_argument("--tmp", type=Path, default=Path("/tmp/cues-ablation.jsonl"))
    args = ap.parse_args(argv)
    entries = cue_entries(CUES)
    patterns = [e for e in entries if "regex" in e]
    singles = {e["group"] for e in entries if e.get("type") == "single"}  # one regex each: structure, not a phrase
    docs = dev_docs()
    base_read = reader(Lexicon(CUES))
    cands = []
    for e in patterns:
        if e["group"] in singles or shortest_words(e) < args.min_words:
            continue
        where = fires_in(e, docs)
        if len(where) <= args.max_docs:
            cands.append((e, where))
    print(f"{len(patterns)} patterns; {len(docs)} dev documents; {len(cands)} candidate patches "
          f"(>= {args.min_words} words, firing in <= {args.max_docs} documents)", flush=True)
    base_cache: dict[int, dict[str, int]] = {}
    retire: list[str] = []
    kept: list[tuple[str, dict[str, int]]] = []
    for e, where in cands:
        if not where:
            retire.append(e["id"])
            continue
        lex = without(entries, {e["id"]}, args.tmp)
        total = dict.fromkeys(FIELDS, 0)
        for i in where:
            if i not in base_cache:
                base_cache[i] = doc_score(docs[i], base_read)
            for f, v in delta(base_cache[i], doc_score(docs[i], reader(lex))).items():
                total[f] += v
        if pays(total):
            kept.append((e["id"], total))
        else:
            retire.append(e["id"])
    # patterns that do not pay alone may pay together (two cues for one sentence), or act where the raw text
    # does not show them (a cue read on a sentence with other cue words masked): remove all at once, score every
    # dev document, and for each one that scores worse give back the retired patterns it needs (found by bisection)
    where_of = {e["id"]: w for e, w in cands}
    joint: list[str] = []
    base_all = [base_cache.get(i) or doc_score(d, base_read) for i, d in enumerate(docs)]

    def worse_with(i: int, dropped: list[str]) -> bool:
        return pays(delta(base_all[i], doc_score(docs[i], reader(without(entries, set(dropped), args.tmp)))))

    while retire:
        read_all = reader(without(entries, set(retire), args.tmp))
        worse = [i for i, d in enumerate(docs) if pays(delta(base_all[i], doc_score(d, read_all)))]
        if not worse:
            break
        for i in worse:
            # the smallest set to give back, greedily: drop each pattern from it while the document stays fixed
            back = list(retire)
            for pid in list(back):
                trial = [p for p in back if p != pid]
                if not worse_with(i, [p for p in retire if p not in trial]):
                    back = trial
            joint += back
            retire = [p for p in retire if p not in back]
    if joint:
        print(f"pay only together with another retired pattern (kept): {' '.join(joint)}")
    with_test = tested(entries)
    kept_tested = [pid for pid in retire if pid in with_test]
    retire = [pid for pid in retire if pid not in with_test]
    print(f"pay nothing but a rules test exercises them (kept): {len(kept_tested)}")
    fired_nowhere = sum(1 for pid in retire if not where_of[pid])
    print(f"fire in no dev document: {fired_nowhere}; fire in some and removal changes no score: "
          f"{len(retire) - fired_nowhere}; removal costs: {len(kept) + len(joint)}")
    for pid, d in kept:
        print(f"  keeps paying: {pid} {json.dumps({k: v for k, v in d.items() if v})}")
    print("retire: " + " ".join(retire))
    if args.retire:
        with open(CUES, "w", encoding="utf-8") as fh:
            for e in entries:
                if e.get("id") not in set(retire):
                    fh.write(json.dumps({k: v for k, v in e.items() if k != "_line"}, ensure_ascii=False) + "\n")
        print(f"{CUES}: {len(patterns)} -> {len(patterns) - len(retire)} patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
