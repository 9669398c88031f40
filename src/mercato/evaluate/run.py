"""Run the extractor over a folder of articles and score it against a folder of gold claims."""

from __future__ import annotations

from pathlib import Path

from mercato.evaluate.annotations import LabelledDoc
from mercato.evaluate.scorer import Score, load_gold, score, score_article
from mercato.extract import extract_article
from mercato.ingest import IngestError, read_path


class EvalInputError(Exception):
    """A gold or article file the evaluation cannot use (named in the message)."""


def predict_folder(articles: Path, names: list[str]) -> dict[str, list[dict]]:
    """Claims for each gold article name; an article that is missing or unreadable is an error, not zero claims."""
    out: dict[str, list[dict]] = {}
    files = sorted(p for p in Path(articles).iterdir() if p.is_file())
    for name in names:
        candidates = [p for p in files if p.stem == name]
        if not candidates:
            raise EvalInputError(f"{articles}: no article file for gold article {name!r}")
        preds: list[dict] = []
        for item in read_path(candidates[0]):
            if isinstance(item, IngestError):
                raise EvalInputError(str(item))
            preds.extend(c.to_json() for c in extract_article(item))
        out[name] = preds
    return out


def evaluate_folder(gold_dir: Path, articles_dir: Path) -> Score:
    gold = load_gold(gold_dir)
    return score(predict_folder(articles_dir, sorted(gold)), gold)


def evaluate_labelled(docs: list[LabelledDoc], by_lang: bool = False) -> dict[str, Score]:
    """Score the extractor on annotated documents (mercato.evaluate.annotations), one Score per dataset; with
    `by_lang`, also one per language within each dataset ("articles:de")."""
    by: dict[str, Score] = {}
    for d in docs:
        preds = [c.to_json() for c in extract_article(d.article)]
        score_article(d.uid, preds, d.claims, by.setdefault(d.dataset, Score()))
        if by_lang:
            score_article(d.uid, preds, d.claims, by.setdefault(f"{d.dataset}:{d.lang}", Score()))
    return dict(sorted(by.items())) if by_lang else by
