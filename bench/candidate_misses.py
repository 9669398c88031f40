"""The annotated claims no candidate of the learned extractor reaches, classified (training data only).

    .venv/bin/python bench/candidate_misses.py [--limit N] [--out misses.json]

Reads the training documents (`training_docs()`: never a blind article nor its silver labels), makes the learned
extractor's candidates, and for each annotated claim (deduplicated as the scorer does) that no candidate carries
(its club, person and source in a sentence of its evidence) says why, first that applies:

- `source`: a candidate has the pair in the evidence's sentence, but not with the annotated source;
- `person_unrecognised` / `club_unrecognised` / `neither_recognised`: no mention of the person / club (as the
  annotation names it) anywhere in the document;
- `both_in_sent_no_pair`, `pair_elsewhere_club_missing_in_sent`, `pair_elsewhere_person_missing_in_sent`,
  `neither_in_sent`: both are recognised in the document, but the evidence's sentence lacks one side or both;
- `no_evidence`: the annotation's evidence is not in the text.

Prints the counts per dataset (`ok` is the claims a candidate carries: `candidate_recall`'s numerator) and writes
each miss with its sentence and the mentions found there to --out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from mercato.evaluate.annotations import training_docs
from mercato.evaluate.scorer import dedupe, person_match, source_match
from mercato.extract.learned.train import _as_claim, prepare
from mercato.kb import normalise


def classify(p: Any, g: dict[str, Any]) -> dict[str, Any]:
    adoc = p.adoc
    ev = (g.get("evidence") or "").strip()
    at = adoc.text.find(ev) if ev else -1
    if at < 0:
        return {"cat": "no_evidence"}
    sents = {i for i, s in enumerate(adoc.sentences) if s.start < at + len(ev) and s.end > at}
    club = normalise(g["club"])

    def same(c: Any) -> bool:
        return normalise(c.club) == club and person_match(c.person, g["person"])

    if any(c.sentence in sents and same(c) and source_match(_as_claim(c), g) for c in p.cands):
        return {"cat": "ok"}
    everywhere = [m for s in adoc.sentences for m in s.mentions]
    here = [m for i in sorted(sents) for m in adoc.sentences[i].mentions]

    def has_person(ms: list[Any]) -> bool:
        return any(m.kind == "person" and m.canonical and person_match(m.canonical, g["person"]) for m in ms)

    def has_club(ms: list[Any]) -> bool:
        return any(m.kind == "club" and m.canonical and normalise(m.canonical) == club for m in ms)

    if any(c.sentence in sents and same(c) for c in p.cands):
        cat = "source"
    elif not has_person(everywhere) and not has_club(everywhere):
        cat = "neither_recognised"
    elif not has_person(everywhere):
        cat = "person_unrecognised"
    elif not has_club(everywhere):
        cat = "club_unrecognised"
    elif has_person(here) and has_club(here):
        cat = "both_in_sent_no_pair"
    elif has_person(here):
        cat = "pair_elsewhere_club_missing_in_sent"
    elif has_club(here):
        cat = "pair_elsewhere_person_missing_in_sent"
    else:
        cat = "neither_in_sent"
    return {"cat": cat, "claim": {k: g.get(k) for k in ("club", "person", "stage", "source")},
            "sentence": " ".join(adoc.sentences[i].text for i in sorted(sents))[:300],
            "mentions": [(m.kind, m.text, m.canonical) for m in here]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents of each dataset")
    ap.add_argument("--out", type=Path, help="write every miss here (JSON)")
    args = ap.parse_args(argv)
    docs = training_docs()
    if args.limit:
        seen: Counter[str] = Counter()
        docs = [d for d in docs if (seen.update([d.dataset]) or seen[d.dataset] <= args.limit)]
    rows = []
    for p in prepare(docs):
        for g in dedupe(p.doc.claims):
            rows.append({"dataset": p.dataset, "doc": p.doc.uid, **classify(p, g)})
    for ds in sorted({r["dataset"] for r in rows}):
        counts = Counter(r["cat"] for r in rows if r["dataset"] == ds)
        total = sum(counts.values())
        print(f"{ds}: {total} claims, reachable {counts['ok'] / total:.3f}; "
              + ", ".join(f"{k} {n}" for k, n in counts.most_common() if k != "ok"))
    if args.out:
        args.out.write_text(json.dumps([r for r in rows if r["cat"] != "ok"], indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
