"""Development data in German, Spanish, Italian, French and Portuguese: the non-English articles of
../shared/corpus/unlabelled with their labels (silver, or the second labelling in annotations/second), the
frozen blind articles (annotations/blind/MANIFEST.json) left out, so nothing here can read them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mercato.config import shared_dir
from mercato.evaluate.scorer import Claim, Score, score
from mercato.ingest import IngestError, read_path
from mercato.records import ArticleRecord

REPO = Path(__file__).resolve().parents[3]
MANIFEST = REPO / "annotations" / "blind" / "MANIFEST.json"
SECOND = REPO / "annotations" / "second" / "articles"
LANGS = ("de", "es", "it", "fr", "pt")


class BlindArticleError(RuntimeError):
    """Something asked for a frozen blind article."""


def blind_ids() -> frozenset[str]:
    m = json.loads(MANIFEST.read_text(encoding="utf-8"))
    ids = set(m.get("english", []))
    for v in m.get("other_languages", {}).values():
        ids.update(v)
    return frozenset(ids)


@dataclass
class DevArticle:
    id: str
    lang: str
    record: ArticleRecord


def _read(path: Path) -> ArticleRecord:
    for item in read_path(path):
        if isinstance(item, IngestError):
            raise ValueError(str(item))
        return item
    raise ValueError(f"{path}: no article")


def dev_articles(lang: str | None = None) -> list[DevArticle]:
    """Non-blind articles of ../shared/corpus/unlabelled in the five languages (by their lang as ingest sets it)."""
    blind = blind_ids()
    out: list[DevArticle] = []
    for path in sorted((shared_dir() / "corpus" / "unlabelled").glob("u*.txt")):
        if path.stem in blind:
            continue  # never read
        rec = _read(path)
        if rec.lang in LANGS and (lang is None or rec.lang == lang):
            out.append(DevArticle(path.stem, rec.lang or "", rec))
    return out


def labels(article_id: str, which: str = "silver") -> list[Claim]:
    if article_id in blind_ids():
        raise BlindArticleError(f"{article_id} is a frozen blind article: its labels are not read")
    if which == "silver":
        path = shared_dir() / "corpus" / "silver" / f"{article_id}.json"
    elif which == "second":
        path = SECOND / f"{article_id}.json"
    else:
        raise ValueError(f"labels: 'silver' or 'second', not {which!r}")
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8"))["claims"])


def evaluate(lang: str | None = None, which: str = "silver") -> dict[str, Score]:
    """Score the extractor per language against one labelling of the development articles."""
    from mercato.extract import extract_article

    by_lang: dict[str, tuple[dict[str, list[Claim]], dict[str, list[Claim]]]] = {}
    for a in dev_articles(lang):
        pred, gold = by_lang.setdefault(a.lang, ({}, {}))
        pred[a.id] = [c.to_json() for c in extract_article(a.record)]
        gold[a.id] = labels(a.id, which)
    return {lg: score(p, g) for lg, (p, g) in sorted(by_lang.items())}
