"""Batch ingest: read -> (extract) -> store, in transactions of `batch_size` articles.

Each batch commits on its own, so a crash loses at most the batch in flight, and a re-run skips
what was stored (content hash). Errors are collected per file/row; the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.ingest.errors import IngestError
from mercato.ingest.readers import iter_paths, read_path
from mercato.records import ArticleRecord, ClaimRecord


@dataclass
class IngestReport:
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[IngestError] = field(default_factory=list)
    new_article_ids: list[int] = field(default_factory=list)


def ingest_records(db: Any, records: Iterable[ArticleRecord | IngestError], *, extract: bool = True,
                   batch_size: int = 200, report: IngestReport | None = None,
                   on_item: Any = None) -> IngestReport:
    from mercato.extract import get_extractor
    from mercato.store.repo import known_hashes, store_batch

    report = report or IngestReport()
    extractor = get_extractor()
    batch: list[ArticleRecord] = []

    def flush() -> None:
        if not batch:
            return
        with db.session() as s:
            known = known_hashes(s, [a.content_hash for a in batch])
        items: list[tuple[ArticleRecord, list[ClaimRecord] | None]] = []
        for art in batch:
            if art.content_hash in known:
                report.skipped += 1
                continue
            items.append((art, extractor(art) if extract else None))
        res = store_batch(db, items, extractor.version if extract else None)
        report.stored += res.stored
        report.skipped += res.skipped
        report.claims += res.claims
        batch.clear()

    for item in records:
        if isinstance(item, IngestError):
            report.failed += 1
            report.errors.append(item)
        else:
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        if on_item is not None:
            on_item()
    flush()
    return report


def ingest_paths(db: Any, paths: Iterable[str | Path], *, extract: bool = True, batch_size: int = 200,
                 progress: Any = None) -> IngestReport:
    files = list(iter_paths(paths))
    report = IngestReport()
    task = progress.add_task("ingest", total=len(files)) if progress is not None else None
    for path in files:
        if progress is not None:
            progress.update(task, description=f"ingest {Path(path).name}")
        ingest_records(db, read_path(path), extract=extract, batch_size=batch_size, report=report)
        if progress is not None:
            progress.advance(task)
    return report
