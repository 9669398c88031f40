"""Annotated documents, loaded uniformly: silver labels, the development gold, packed labels, and agreement.

Every labelled source becomes a list of `LabelledDoc`s (the text as ingest reads it, the claims in the gold
form of ../shared/corpus/gold with verbatim evidence), whatever its form:

- `silver_articles()`: ../shared/corpus/silver for ../shared/corpus/unlabelled, **minus every article of
  annotations/blind/MANIFEST.json** (neither the article nor its labels is opened);
- `gossip_items()`, `posts()`: ../shared/datasets/bbc-gossip-2021/silver and romano-tweets-2025/silver;
- `gold_articles()`: ../shared/corpus/gold (the development gold);
- `load_packed(path)`: labels in the repository's packed form (scripts/annotations.py: evidence as
  [start, end] offsets into the ../shared texts), read back with their evidence text.

`agreement(a, b)` compares two annotators' labels of the same documents: claim F1 (the spec's scorer,
`a` as gold), and Cohen's kappa on stage and on certainty over the matched claims, per dataset.

    python -m mercato.evaluate.annotations agreement silver annotations/second   # or two packed paths
    python -m mercato.evaluate.annotations agreement --by-lang silver annotations/second   # per language too
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.config import shared_dir
from mercato.evaluate.scorer import Claim, Score, score_article
from mercato.ingest import IngestError
from mercato.ingest.readers import parse_text_article, record_from_mapping
from mercato.records import ArticleRecord

ROMANO = "Fabrizio Romano"
DATASETS = ("articles", "gossip", "posts", "gold")


class AnnotationError(ValueError):
    """A label file the loader cannot use (the message names the file and the problem)."""


@dataclass
class LabelledDoc:
    dataset: str  # articles, gossip, posts, gold
    key: str  # article id (u001, d03), gossip row id, or post row number
    article: ArticleRecord
    claims: list[Claim]
    lang: str = "en"
    annotator: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uid(self) -> str:
        return f"{self.dataset}:{self.key}"


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "src" / "mercato").is_dir():
            return parent
    return Path.cwd()


def blind_manifest(path: Path | None = None) -> dict[str, Any]:
    p = path or repo_root() / "annotations" / "blind" / "MANIFEST.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AnnotationError(f"{p}: cannot read the blind manifest: {exc}") from None


def blind_ids(path: Path | None = None) -> frozenset[str]:
    """Every article id of the frozen blind sets (English and other languages)."""
    m = blind_manifest(path)
    ids = set(m.get("english", []))
    for group in (m.get("other_languages") or {}).values():
        ids.update(group)
    if not ids:
        raise AnnotationError(f"{path or 'annotations/blind/MANIFEST.json'}: lists no blind article")
    return frozenset(ids)


def _read_text(p: Path) -> str:
    with open(p, encoding="utf-8") as f:  # universal newlines, as scripts/annotations.py packs them
        return f.read()


def _lang(raw: str, aid: str, manifest: dict[str, Any]) -> str:
    for line in raw.splitlines()[:8]:
        if line.lower().startswith("lang:"):
            return line.split(":", 1)[1].strip().lower() or "en"
        if not line.strip():
            break
    return (manifest.get("languages_without_lang_line") or {}).get(aid, "en")


def _article(path: Path) -> ArticleRecord:
    try:
        return parse_text_article(_read_text(path), str(path))
    except IngestError as exc:
        raise AnnotationError(str(exc)) from None


def _claims_of(data: Any, where: Path) -> list[Claim]:
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise AnnotationError(f"{where}: expected {{'claims': [...]}}")
    return list(data["claims"])


def silver_articles(shared: Path | None = None, manifest: Path | None = None, english_only: bool = False) -> list[LabelledDoc]:
    """The silver-labelled articles, blind ones excluded before any file of theirs is opened."""
    shared = shared or shared_dir()
    man = blind_manifest(manifest)
    blind = blind_ids(manifest)
    out: list[LabelledDoc] = []
    for label in sorted((shared / "corpus" / "silver").glob("u*.json")):
        aid = label.stem
        if aid in blind:
            continue
        text_path = shared / "corpus" / "unlabelled" / f"{aid}.txt"
        raw = _read_text(text_path)
        lang = _lang(raw, aid, man)
        if english_only and lang != "en":
            continue
        claims = _claims_of(json.loads(label.read_text(encoding="utf-8")), label)
        out.append(LabelledDoc("articles", aid, _article(text_path), claims, lang=lang, annotator="silver"))
    return out


def gold_articles(shared: Path | None = None) -> list[LabelledDoc]:
    shared = shared or shared_dir()
    out = []
    for label in sorted((shared / "corpus" / "gold").glob("*.json")):
        data = json.loads(label.read_text(encoding="utf-8"))
        aid = data.get("article") or label.stem
        out.append(LabelledDoc("gold", aid, _article(shared / "corpus" / "articles" / f"{aid}.txt"),
                               _claims_of(data, label), annotator="gold"))
    return out


def _gossip_rows(shared: Path) -> dict[str, tuple[int, dict[str, str]]]:
    path = shared / "datasets" / "bbc-gossip-2021" / "rumours.csv"
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return {r["id"]: (reader.line_num, r) for r in reader}


def _gossip_record(shared: Path, rows: dict[str, tuple[int, dict[str, str]]], gid: str, where: Path) -> ArticleRecord:
    if gid not in rows:
        raise AnnotationError(f"{where}: gossip id {gid} is not a row of rumours.csv")
    line, row = rows[gid]
    return record_from_mapping(row, str(shared / "datasets/bbc-gossip-2021/rumours.csv"), line)


def _tweet_rows(shared: Path) -> list[dict[str, str]]:
    with open(shared / "datasets" / "romano-tweets-2025" / "tweets.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _tweet_record(rows: list[dict[str, str]], n: int, where: Path) -> ArticleRecord:
    if not 0 <= n < len(rows):
        raise AnnotationError(f"{where}: post row {n} is not a row of tweets.csv")
    row = rows[n]
    return ArticleRecord(date=dt.date.fromisoformat(row["Date"][:10]), text=row["Tweet"], author=ROMANO, outlet=None,
                         origin=f"tweets.csv:{n}")


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationError(f"{path}:{n}: not JSON ({exc.msg})") from None


def gossip_items(shared: Path | None = None) -> list[LabelledDoc]:
    shared = shared or shared_dir()
    rows = _gossip_rows(shared)
    out = []
    for part in sorted((shared / "datasets" / "bbc-gossip-2021" / "silver").glob("part-*.jsonl")):
        for _, rec in _jsonl(part):
            gid = str(rec["id"])
            out.append(LabelledDoc("gossip", gid, _gossip_record(shared, rows, gid, part), _claims_of(rec, part),
                                   annotator=f"silver-{part.stem}"))
    return out


def posts(shared: Path | None = None) -> list[LabelledDoc]:
    shared = shared or shared_dir()
    rows = _tweet_rows(shared)
    out = []
    for part in sorted((shared / "datasets" / "romano-tweets-2025" / "silver").glob("part-*.jsonl")):
        for _, rec in _jsonl(part):
            n = int(rec["row"])
            out.append(LabelledDoc("posts", str(n), _tweet_record(rows, n, part), _claims_of(rec, part),
                                   annotator=f"silver-{part.stem}"))
    return out


def training_docs(shared: Path | None = None, manifest: Path | None = None, english_only: bool = True,
                  adjudicated: bool = True, extra: bool = True) -> list[LabelledDoc]:
    """Everything the model may learn from: silver articles (blind excluded), gossip items, posts; a document
    whose two labellings were adjudicated (annotations/adjudicated) takes the settled labels instead of the
    silver ones, and the gossip items labelled for training (annotations/extra) are added."""
    docs = [*silver_articles(shared, manifest, english_only=english_only), *gossip_items(shared), *posts(shared)]
    root = repo_root() / "annotations"
    if adjudicated and (root / "adjudicated").is_dir():
        settled = {d.uid: d for d in load_packed(root / "adjudicated", shared, manifest)}
        docs = [settled.get(d.uid, d) for d in docs]
    if extra and (root / "extra").is_dir():
        have = {d.uid for d in docs}
        docs += [d for d in load_packed(root / "extra", shared, manifest) if d.uid not in have]
    return docs


# --- packed labels -------------------------------------------------------------------------------------------


def _unpack_claims(where: str, claims: list[dict[str, Any]], text: str) -> list[Claim]:
    out = []
    for i, c in enumerate(claims):
        c = dict(c)
        span = c.pop("evidence_span", None)
        if span is not None:
            if not (isinstance(span, list) and len(span) == 2 and 0 <= span[0] <= span[1] <= len(text)):
                raise AnnotationError(f"{where} claim {i}: evidence_span {span!r} is not within the text ({len(text)} chars)")
            c["evidence"] = text[span[0]:span[1]]
        out.append(c)
    return out


def load_packed(path: Path, shared: Path | None = None, manifest: Path | None = None,
                include_blind: bool = False) -> list[LabelledDoc]:
    """Packed labels (a file or a folder of .json articles and .jsonl gossip items/posts) with evidence text.
    Blind articles are skipped unless `include_blind` (only the blind scoring command sets it)."""
    shared = shared or shared_dir()
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.suffix in {".json", ".jsonl"} and p.name != "MANIFEST.json") \
        if path.is_dir() else [path]
    blind = frozenset() if include_blind else blind_ids(manifest)
    man = blind_manifest(manifest)
    gossip: dict[str, tuple[int, dict[str, str]]] | None = None
    tweets: list[dict[str, str]] | None = None
    out: list[LabelledDoc] = []
    for f in files:
        if f.suffix == ".json":
            try:
                data = json.loads(f.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise AnnotationError(f"{f}: not JSON ({exc})") from None
            recs: Iterable[tuple[int, Any]] = [(1, r) for r in (data if isinstance(data, list) else [data])]
        else:
            recs = list(_jsonl(f))
        for n, rec in recs:
            where = f"{f}:{n}"
            if not isinstance(rec, dict):
                raise AnnotationError(f"{where}: expected an object with 'article', 'id' or 'row'")
            if "article" in rec:
                aid = rec["article"]
                if aid in blind:
                    continue
                folder = "unlabelled" if (shared / "corpus/unlabelled" / f"{aid}.txt").exists() else "articles"
                p = shared / "corpus" / folder / f"{aid}.txt"
                if not p.exists():
                    raise AnnotationError(f"{where}: article {aid} is not in ../shared/corpus")
                raw = _read_text(p)
                claims = _unpack_claims(where, _claims_of(rec, f), raw)
                out.append(LabelledDoc("articles" if folder == "unlabelled" else "gold", aid, _article(p), claims,
                                       lang=_lang(raw, aid, man), annotator=rec.get("annotator")))
            elif "id" in rec:
                gossip = gossip if gossip is not None else _gossip_rows(shared)
                gid = str(rec["id"])
                art = _gossip_record(shared, gossip, gid, f)
                out.append(LabelledDoc("gossip", gid, art, _unpack_claims(where, _claims_of(rec, f), art.text),
                                       annotator=rec.get("annotator")))
            elif "row" in rec:
                tweets = tweets if tweets is not None else _tweet_rows(shared)
                art = _tweet_record(tweets, int(rec["row"]), f)
                out.append(LabelledDoc("posts", str(rec["row"]), art, _unpack_claims(where, _claims_of(rec, f), art.text),
                                       annotator=rec.get("annotator")))
            else:
                raise AnnotationError(f"{where}: a record needs 'article', 'id' or 'row'")
    return out


# --- agreement -----------------------------------------------------------------------------------------------


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels over the same items (1.0 where both are constant and agree)."""
    n = len(pairs)
    if not n:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    labels = {x for p in pairs for x in p}
    pe = sum((sum(a == lab for a, _ in pairs) / n) * (sum(b == lab for _, b in pairs) / n) for lab in labels)
    if pe >= 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


@dataclass
class Agreement:
    dataset: str
    documents: int
    score: Score
    stage_kappa: float
    certainty_kappa: float

    def as_dict(self) -> dict[str, Any]:
        s = self.score
        return {"dataset": self.dataset, "documents": self.documents, "claims_a": s.tp + s.fn, "claims_b": s.tp + s.fp,
                "claim_f1": round(s.f1, 4), "pair_f1": round(s.pair_f1, 4), "matched": s.tp,
                "stage_kappa": round(self.stage_kappa, 4), "certainty_kappa": round(self.certainty_kappa, 4)}


def agreement(a: list[LabelledDoc], b: list[LabelledDoc], by_lang: bool = False) -> list[Agreement]:
    """Per dataset (and, with `by_lang`, per language within it: "articles:de"), over the documents both label:
    claim F1 with `a` as gold, kappa on stage and certainty."""
    bmap = {d.uid: d for d in b}
    out = []
    groups: list[tuple[str, str | None]] = [(ds, None) for ds in DATASETS]
    if by_lang:
        groups = [(ds, lang) for ds in DATASETS for lang in sorted({d.lang for d in a if d.dataset == ds})]
    for ds, lang in groups:
        common = [(d, bmap[d.uid]) for d in a if d.dataset == ds and d.uid in bmap and lang in (None, d.lang)]
        if not common:
            continue
        total = Score()
        for da, db in common:
            score_article(da.uid, db.claims, da.claims, total)
        matched = [(g, p) for r in total.articles for p, g in r.matched]
        name = ds if lang is None else f"{ds}:{lang}"
        out.append(Agreement(name, len(common), total, cohen_kappa([(g["stage"], p["stage"]) for g, p in matched]),
                             cohen_kappa([(g["certainty"], p["certainty"]) for g, p in matched])))
    return out


def _labels(arg: str) -> list[LabelledDoc]:
    """`silver` (the shared silver labels of articles, gossip items and posts, blind articles excluded) or a
    path of packed labels."""
    if arg == "silver":
        return [*silver_articles(), *gossip_items(), *posts()]
    return load_packed(Path(arg))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    by_lang = "--by-lang" in argv
    argv = [x for x in argv if x != "--by-lang"]
    if len(argv) != 3 or argv[0] != "agreement":
        print(__doc__)
        return 2
    try:
        rows = agreement(_labels(argv[1]), _labels(argv[2]), by_lang=by_lang)
    except AnnotationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for r in rows:
        print(json.dumps(r.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
