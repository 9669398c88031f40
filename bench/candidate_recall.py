"""The candidate recall ceiling of the learned extractor: which annotated claims' (club, person) pair is proposed at all.

    .venv/bin/python bench/candidate_recall.py [--limit N] [--sets articles,gossip,posts,gold] [--out misses.json]

For each annotated claim of the training documents (`training_docs()`: never a blind article nor its silver labels)
and of the development gold (deduplicated as the scorer does), the learned extractor's candidates (`process`) are
made, and the claim counts as reachable where some candidate has its club and person (the scorer's matching):

- `pair_doc`: the pair is proposed somewhere in the document (the ceiling of the model's claim recall: the scorer
  does not read the evidence);
- `pair_sent`: the pair is proposed in a sentence of the claim's evidence (what training labels as a claim);
- `source_doc`: the pair is proposed somewhere with the claim's source (the scorer's source matching): the ceiling
  of claim recall, since the role is the model's choice among all roles.

Each claim whose pair is proposed nowhere is classified, the first that applies:

- `club_not_in_text`: neither the annotated club nor any of its knowledge-base names is in the text;
- `club_not_linked`: one of its names is in the text, but no club mention resolves to it;
- `person_not_in_text`: the person's surname (last word of the annotated name) is not in the text;
- `person_linked_other`: a person mention covers the surname but resolves to another name;
- `person_not_recognised`: the surname is in the text, but no person mention covers it;
- `manager_other_sentence`: both are recognised, never in a sentence together, and the claim's role is manager or
  staff;
- `other_sentence`: both are recognised, never in a sentence together (a player);
- `other`: both are recognised and meet in a sentence, yet no candidate pairs them.

A claim whose pair is proposed only outside its evidence's sentence is counted by what that sentence names:
`club_named` (the person is in another sentence: "X are looking for a new manager. ... Y is their top choice",
the hiring club named elsewhere), `person_named`, `both_named` or `neither`, prefixed `manager_` for a manager's
or staff member's claim (the manager-vacancy lists the branch pairs2 works on).

Prints per set the claims, the three recall figures and the counts of each miss; --out writes every claim whose
pair is not proposed in its evidence's sentence, with its evidence and the mentions of its sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from mercato.evaluate.annotations import LabelledDoc, gold_articles, training_docs
from mercato.evaluate.scorer import dedupe, person_match, source_match
from mercato.extract.doc import ArticleDoc
from mercato.extract.learned.candidates import Candidate, process
from mercato.extract.learned.train import _as_claim
from mercato.kb import get_kb, normalise
from mercato.kb.names import fold

CATEGORIES = ("club_not_in_text", "club_not_linked", "person_not_in_text", "person_linked_other",
              "person_not_recognised", "manager_other_sentence", "other_sentence", "other")


def _in_text(name: str, folded_text: str) -> int:
    """Where `name` (folded, as a whole word) is in the folded text; -1 if nowhere."""
    key = fold(name)
    if not key:
        return -1
    m = re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded_text)
    return m.start() if m else -1


def classify(adoc: ArticleDoc, cands: list[Candidate], g: dict[str, Any]) -> dict[str, Any]:
    club = normalise(g["club"])
    ev = (g.get("evidence") or "").strip()
    at = adoc.text.find(ev) if ev else -1
    sents = {i for i, s in enumerate(adoc.sentences) if at >= 0 and s.start < at + len(ev) and s.end > at}

    def same(c: Candidate) -> bool:
        return normalise(c.club) == club and person_match(c.person, g["person"])

    hits = [c for c in cands if same(c)]
    out: dict[str, Any] = {"pair_doc": bool(hits), "pair_sent": any(c.sentence in sents for c in hits),
                           "source_doc": any(source_match(_as_claim(c), g) for c in hits)}
    if hits and (out["pair_sent"] or not sents):
        return out
    here = [m for i in sorted(sents) for m in adoc.sentences[i].mentions]
    out.update({"claim": {k: g.get(k) for k in ("club", "person", "role", "stage")}, "evidence": ev[:300],
                "mentions": [(m.kind, m.text, m.canonical) for m in here]})
    if hits:  # proposed elsewhere, not in the evidence's sentence: which side that sentence lacks
        p_here = any(m.kind == "person" and m.canonical and person_match(m.canonical, g["person"]) for m in here)
        c_here = any(m.kind == "club" and m.canonical and normalise(m.canonical) == club for m in here)
        side = "both_named" if p_here and c_here else "club_named" if c_here else "person_named" if p_here else "neither"
        out["sent_cat"] = ("manager_" if g.get("role") in ("manager", "staff") else "") + side
        return out
    ms = [m for s in adoc.sentences for m in s.mentions]
    p_sents = {i for i, s in enumerate(adoc.sentences) for m in s.mentions
               if m.kind == "person" and m.canonical and person_match(m.canonical, g["person"])}
    c_sents = {i for i, s in enumerate(adoc.sentences) for m in s.mentions
               if m.kind == "club" and m.canonical and normalise(m.canonical) == club}
    text = fold(adoc.text)
    kb = get_kb()
    if not c_sents:
        known = kb.club(g["club"])
        names = [g["club"]]
        if known and (k := kb.clubs.get(known)):
            names += [k.name, *k.aliases, *k.nicknames]
        found = [n for n in names if _in_text(n, text) >= 0]
        cat = "club_not_linked" if found else "club_not_in_text"
        out["club_names_found"] = found
    elif not p_sents:
        surname = (g["person"].split() or [""])[-1]
        if _in_text(surname, text) < 0:
            cat = "person_not_in_text"
        else:
            cover = [m for m in ms if m.kind == "person" and _in_text(surname, fold(m.text)) >= 0]
            cat = "person_linked_other" if cover else "person_not_recognised"
            out["person_mentions"] = [(m.text, m.canonical) for m in cover]
    elif not p_sents & c_sents:
        cat = "manager_other_sentence" if g.get("role") in ("manager", "staff") else "other_sentence"
    else:
        cat = "other"
    out["cat"] = cat
    return out


def run(docs: list[LabelledDoc]) -> list[dict[str, Any]]:
    rows = []
    for d in docs:
        a = d.article
        adoc = ArticleDoc(text=a.text, date=a.date, outlet=a.outlet, author=a.author)
        cands = process(adoc)
        for g in dedupe(d.claims):
            rows.append({"dataset": d.dataset, "doc": d.uid, **classify(adoc, cands, g)})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents of each set")
    ap.add_argument("--sets", default="articles,gossip,posts,gold", help="comma-separated: articles, gossip, posts, gold")
    ap.add_argument("--out", type=Path, help="write every miss here (JSON)")
    args = ap.parse_args(argv)
    sets = set(args.sets.split(","))
    docs = [d for d in [*training_docs(), *(gold_articles() if "gold" in sets else [])] if d.dataset in sets]
    if args.limit:
        seen: Counter[str] = Counter()
        docs = [d for d in docs if (seen.update([d.dataset]) or seen[d.dataset] <= args.limit)]
    t0 = time.perf_counter()
    rows = run(docs)
    print(f"{len(docs)} documents in {time.perf_counter() - t0:.0f} s")
    for ds in [s for s in ("articles", "gossip", "posts", "gold") if s in sets]:
        mine = [r for r in rows if r["dataset"] == ds]
        if not mine:
            continue
        n = len(mine)
        counts = Counter(r["cat"] for r in mine if not r["pair_doc"])
        print(f"{ds}: {n} claims; pair proposed in the document {sum(r['pair_doc'] for r in mine) / n:.3f}, "
              f"in the evidence's sentence {sum(r['pair_sent'] for r in mine) / n:.3f}, "
              f"with the claim's source {sum(r['source_doc'] for r in mine) / n:.3f}; misses: "
              + ", ".join(f"{k} {counts[k]}" for k in CATEGORIES if counts[k]))
        mgr = Counter(r["cat"] for r in mine if not r["pair_doc"] and r["claim"]["role"] in ("manager", "staff"))
        if mgr:
            print("  of which a manager's or staff member's claim: " + ", ".join(f"{k} {v}" for k, v in sorted(mgr.items())))
        sc = Counter(r["sent_cat"] for r in mine if "sent_cat" in r)
        print("  proposed only outside the evidence's sentence, which names: "
              + ", ".join(f"{k} {v}" for k, v in sorted(sc.items())))
    if args.out:
        args.out.write_text(json.dumps([r for r in rows if not r["pair_sent"]], indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
