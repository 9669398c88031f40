"""A score per component of the rules engine, beside the end-to-end claim score.

    python -m mercato.evaluate.components                      # gold, silver articles (blind excluded), gossip, posts
    python -m mercato.evaluate.components --set gold --set posts
    python -m mercato.evaluate.components --labels annotations/second/articles
    mercato eval --gold ../shared/corpus/gold --articles ../shared/corpus/articles --per-component

Each component is scored on what reaches it, so a figure says where the claims are lost:

- mentions + linking (`doc.spans["mentions"]` after `mercato_linking`): recall of the gold claims' clubs and
  people among the canonical names the article's mentions link to (gold labels only claim participants, so
  there is no precision here);
- pairing (`mercato_pairing`, `mercato_stays`): (club, person) pair precision, recall and F1, as the spec's scorer;
- stage: on the gold pairs the engine found, the strongest predicted stage equals the strongest gold stage;
- attribution (`mercato_attribution`): on the gold claims whose pair was found, a predicted claim on that pair
  carries the gold claim's source (journalist, or outlet where gold names no journalist);
- certainty (`mercato_pairing`, `mercato_certainty`): on the claims matched end to end, the same certainty.

English texts only (the other languages have their own extractor and no spans). Blind articles are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.evaluate.annotations import LabelledDoc
from mercato.evaluate.scorer import Claim, Score, dedupe, person_match, score_article, source_match
from mercato.kb import normalise
from mercato.records import stage_rank

SETS = ("gold", "articles", "gossip", "posts")


@dataclass
class Count:
    ok: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.ok += int(ok)
        self.total += 1

    @property
    def rate(self) -> float:
        return self.ok / self.total if self.total else 0.0


@dataclass
class ComponentScore:
    documents: int = 0
    club_mentions: Count = field(default_factory=Count)
    person_mentions: Count = field(default_factory=Count)
    stage: Count = field(default_factory=Count)
    attribution: Count = field(default_factory=Count)
    end_to_end: Score = field(default_factory=Score)

    def as_dict(self) -> dict[str, Any]:
        e = self.end_to_end
        pp, pr, pf = Score._f(e.pair_tp, e.pair_fp, e.pair_fn)
        return {
            "documents": self.documents,
            "mentions_club_recall": round(self.club_mentions.rate, 4),
            "mentions_person_recall": round(self.person_mentions.rate, 4),
            "pairing_precision": round(pp, 4), "pairing_recall": round(pr, 4), "pairing_f1": round(pf, 4),
            "stage_accuracy_on_found_pairs": round(self.stage.rate, 4),
            "attribution_accuracy_on_found_pairs": round(self.attribution.rate, 4),
            "certainty_accuracy_on_matched_claims": round(e.certainty_accuracy, 4),
            "claim_precision": round(e.precision, 4), "claim_recall": round(e.recall, 4), "claim_f1": round(e.f1, 4),
            "gold_pairs": e.pair_tp + e.pair_fn, "gold_claims": e.tp + e.fn,
        }


def _found(pairs: Iterable[tuple[str, str]], club: str, person: str) -> bool:
    return any(c == club and person_match(p, person) for c, p in pairs)


def score_document(uid: str, predicted: list[Claim], gold: list[Claim], mentions: list[tuple[str, str]],
                   total: ComponentScore) -> None:
    """`mentions`: (kind, canonical) of the document's linked mentions."""
    total.documents += 1
    gold_d = dedupe(gold)
    pred = dedupe(predicted)
    clubs = {normalise(c) for k, c in mentions if k == "club"}
    people = [c for k, c in mentions if k == "person"]
    for club in sorted({normalise(g["club"]) for g in gold_d}):
        total.club_mentions.add(club in clubs)
    seen: list[str] = []
    for g in gold_d:
        if not any(person_match(g["person"], p) for p in seen):
            seen.append(g["person"])
            total.person_mentions.add(any(person_match(g["person"], p) for p in people))
    pred_pairs = {(normalise(p["club"]), p["person"]) for p in pred}
    by_pair: dict[tuple[str, str], list[Claim]] = {}
    for g in gold_d:
        key = (normalise(g["club"]), g["person"])
        by_pair.setdefault(key, []).append(g)
    for (club, person), gs in by_pair.items():
        if not _found(pred_pairs, club, person):
            continue
        ps = [p for p in pred if normalise(p["club"]) == club and person_match(p["person"], person)]
        total.stage.add(max(stage_rank(p["stage"]) for p in ps) == max(stage_rank(g["stage"]) for g in gs))
        for g in gs:
            total.attribution.add(any(source_match(p, g) for p in ps))
    score_article(uid, predicted, gold, total.end_to_end)


def evaluate(docs: list[LabelledDoc]) -> dict[str, ComponentScore]:
    """One ComponentScore per dataset, over the English documents of `docs`, with the rules engine."""
    from mercato.extract.multilingual import LANGS
    from mercato.extract.pipeline import Extractor

    ex = Extractor()
    by: dict[str, ComponentScore] = {}
    for d in docs:
        if d.article.lang in LANGS:
            continue
        sdoc = ex.read_spacy(d.article)
        preds = [c.to_json() for c in sdoc._.article.claims]
        mentions = [(sp.label_, sp._.canonical) for sp in sdoc.spans["mentions"] if sp._.canonical]
        score_document(d.uid, preds, d.claims, mentions, by.setdefault(d.dataset, ComponentScore()))
    return by


def load_docs(sets: list[str], gold: Path | None = None, articles: Path | None = None,
              labels: Path | None = None) -> list[LabelledDoc]:
    from mercato.evaluate import annotations as ann

    docs: list[LabelledDoc] = []
    if labels is not None:
        return ann.load_packed(labels)
    if gold is not None and articles is not None:
        from mercato.evaluate.scorer import load_gold
        from mercato.ingest import IngestError, read_path

        for name, claims in sorted(load_gold(gold).items()):
            paths = [p for p in sorted(Path(articles).iterdir()) if p.stem == name]
            if not paths:
                raise ValueError(f"{articles}: no article file for gold article {name!r}")
            items = [a for a in read_path(paths[0]) if not isinstance(a, IngestError)]
            if items:
                docs.append(LabelledDoc("gold", name, items[0], claims, annotator="gold"))
        return docs
    for s in sets:
        if s == "gold":
            docs += ann.gold_articles()
        elif s == "articles":
            docs += ann.silver_articles(english_only=True)
        elif s == "gossip":
            docs += ann.gossip_items()
        elif s == "posts":
            docs += ann.posts()
    return docs


def render(by: dict[str, ComponentScore]) -> str:
    rows = {ds: s.as_dict() for ds, s in sorted(by.items())}
    keys = list(next(iter(rows.values())).keys()) if rows else []
    width = max((len(k) for k in keys), default=10)
    out = [f"{'':<{width}}  " + "  ".join(f"{ds:>9}" for ds in rows)]
    for k in keys:
        cells = []
        for ds in rows:
            v = rows[ds][k]
            cells.append(f"{v:>9.3f}" if isinstance(v, float) else f"{v:>9}")
        out.append(f"{k:<{width}}  " + "  ".join(cells))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", choices=SETS, help="datasets (default: all four)")
    ap.add_argument("--gold", type=Path, help="folder of gold claim files (with --articles)")
    ap.add_argument("--articles", type=Path)
    ap.add_argument("--labels", type=Path, help="packed labels (annotations/...), blind excluded")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        docs = load_docs(args.set or list(SETS), args.gold, args.articles, args.labels)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    by = evaluate(docs)
    if args.json:
        print(json.dumps({ds: s.as_dict() for ds, s in by.items()}, indent=1))
    else:
        print(render(by))
    return 0


if __name__ == "__main__":
    sys.exit(main())
