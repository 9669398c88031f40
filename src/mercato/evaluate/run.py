"""Run the extractor over a folder of articles and score it against a folder of gold claims."""

from __future__ import annotations

from pathlib import Path

from mercato.evaluate.scorer import Score, load_gold, score
from mercato.extract import extract_article
from mercato.ingest import IngestError, read_path


def predict_folder(articles: Path, names: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for name in names:
        candidates = [p for p in Path(articles).glob(f"{name}.*") if p.is_file()]
        preds: list[dict] = []
        for path in candidates[:1]:
            for item in read_path(path):
                if isinstance(item, IngestError):
                    continue
                preds.extend(c.to_json() for c in extract_article(item))
        out[name] = preds
    return out


def evaluate_folder(gold_dir: Path, articles_dir: Path) -> Score:
    gold = load_gold(gold_dir)
    return score(predict_folder(articles_dir, sorted(gold)), gold)
