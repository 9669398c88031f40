"""Batch ingest for `mercato ingest` and `mercato watch`: read (ingest) -> extract -> store, in
transactions of `batch_size` articles. It lives in serve because it drives three stages in turn; the
stages themselves stay one-way (ingest never touches the database).

Each batch commits on its own, so a crash loses at most the batch in flight, and a re-run skips
what was stored (content hash). Errors are collected per file/row; the batch goes on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.extract import get_extractor
from mercato.ingest.dates import future_problem
from mercato.ingest.errors import IngestError
from mercato.ingest.files import MAX_BYTES, is_url
from mercato.ingest.language import with_language
from mercato.ingest.readers import READERS, iter_paths, read_path
from mercato.kb.outlets import byline_person
from mercato.records import ArticleRecord, ClaimRecord
from mercato.store.repo import known_hashes, store_batch, stored_text_lengths
from mercato.store.spells import learn_moves, official_done, spellbook


@dataclass
class IngestReport:
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    claims: int = 0
    replaced: int = 0  # stored articles given the fuller text read at their URL
    errors: list[IngestError] = field(default_factory=list)
    new_article_ids: list[int] = field(default_factory=list)


def ingest_records(db: Any, records: Iterable[ArticleRecord | IngestError], *, extract: bool = True,
                   batch_size: int = 200, report: IngestReport | None = None,
                   on_item: Any = None) -> IngestReport:
    """Store `records` (extracting their claims) in batches; `on_item(n)` is told each time n of them are
    done (stored, skipped or failed), for progress."""
    report = report or IngestReport()
    extractor = get_extractor()
    batch: list[ArticleRecord] = []

    def flush() -> None:
        if not batch:
            return
        with db.session() as s:
            known = known_hashes(s, [a.content_hash for a in batch])
            longest = stored_text_lengths(s, [a.url for a in batch if a.at_url and a.url])
        items: list[tuple[ArticleRecord, list[ClaimRecord] | None]] = []
        affiliations: dict[str, dict[str, str]] = {}
        book = spellbook(db) if extract else None  # clubs over time, with what the store has learnt so far
        moves = []
        for art in batch:
            if art.content_hash in known or (art.at_url and art.url in longest and len(art.text) <= longest[art.url]):
                report.skipped += 1  # this text, or a fuller one for its URL, is stored
                continue
            if not extract:
                items.append((art, None))
                continue
            # each article is read with the clubs of its own date (the spells answer by date)
            doc = extractor.read(art, book)
            items.append((art, doc.claims))
            affiliations[art.content_hash] = doc.affiliations
            moves.extend(official_done(doc.claims, art.date, art.content_hash[:16]))
        res = store_batch(db, items, extractor.version if extract else None, affiliations=affiliations)
        if moves:
            learn_moves(db, moves)  # a club's own `done` announcement: the next batch reads him at his new club
        report.stored += res.stored
        report.skipped += res.skipped
        report.claims += res.claims
        report.replaced += res.replaced
        batch.clear()

    def done(n: int) -> None:
        if on_item is not None and n:
            on_item(n)

    for item in records:
        if isinstance(item, ArticleRecord) and (problem := future_problem(item.date)):
            item = IngestError(item.origin or "(input)", problem)
        if isinstance(item, IngestError):
            report.failed += 1
            report.errors.append(item)
            done(1)
        else:
            batch.append(with_language(item))  # feeds and pages read by `watch` come here without one
            if len(batch) >= batch_size:
                n = len(batch)
                flush()
                done(n)
    n = len(batch)
    flush()
    done(n)
    return report


def ingest_paths(db: Any, paths: Iterable[str | Path], *, extract: bool = True, batch_size: int = 200,
                 progress: Any = None) -> IngestReport:
    """Ingest files, folders and URLs. `progress` (a rich Progress, or anything with its add_task, update
    and advance) counts articles read, against a total counted first where it is knowable."""
    files = list(iter_paths(paths))
    report = IngestReport()
    task = None
    if progress is not None:
        counts = [count_items(p) for p in files]
        total = None if any(c is None for c in counts) else sum(c or 0 for c in counts)
        task = progress.add_task("ingest", total=total)
    for path in files:
        if progress is not None:
            progress.update(task, description=f"ingest {Path(path).name}")
        ingest_records(db, read_path(path), extract=extract, batch_size=batch_size, report=report,
                       on_item=(lambda n: progress.advance(task, n)) if progress is not None else None)
    return report


def count_items(path: str | Path) -> int | None:
    """How many articles (or bad rows) reading `path` yields, counted cheaply; None when it is not knowable
    without fetching (a URL). A file a reader will refuse counts as one (its one error)."""
    if is_url(path):
        return None
    p = Path(path)
    try:
        if not p.is_file() or p.stat().st_size == 0 or p.stat().st_size > MAX_BYTES:
            return 1
    except OSError:
        return 1
    return READERS.count(p)  # each reader counts its own format


@dataclass
class ReextractReport:
    version: str = ""
    articles: int = 0  # re-extracted
    claims_before: int = 0
    claims_after: int = 0
    by_version: dict[str | None, int] = field(default_factory=dict)  # what was stale, per old version


def reextract(db: Any, versions: list[str] | None = None, *, batch_size: int = 200, dry_run: bool = False,
              on_item: Any = None) -> ReextractReport:
    """Read again the stored articles whose claims an extractor version other than the one chosen made (only
    `versions`, when given), in date order, and replace their claims, the affiliations their text states and
    the spells their clubs' own `done` announcements taught, a transaction per batch: an article is never left
    with no claims or two sets of them, and a run stopped half-way goes on where it stopped."""
    from sqlalchemy import func, select

    from mercato.store.models import Claim
    from mercato.store.repo import replace_claims_batch, stale_article_batches, stale_articles
    from mercato.store.spells import forget

    extractor = get_extractor()
    report = ReextractReport(version=extractor.version, by_version=stale_articles(db, extractor.version, versions))
    if dry_run:
        return report
    for batch in stale_article_batches(db, extractor.version, versions, batch_size):
        ids = [i for i, _ in batch]
        with db.session() as s:
            report.claims_before += int(s.scalar(select(func.count()).select_from(Claim)
                                                 .where(Claim.article_id.in_(ids))) or 0)
        book = spellbook(db)
        items = []
        moves = []
        for art_id, art in batch:
            # a byline stored before agency and staff bylines were told apart is read as ingest reads it now
            doc = extractor.read(dataclasses.replace(art, author=byline_person(art.author)), book)
            items.append((art_id, doc.claims, doc.affiliations))
            moves.extend(official_done(doc.claims, art.date, art.content_hash[:16]))
        for _, art in batch:  # the spells the old claims taught go (first: a run stopped here reads them again)
            forget(db, f"claim:{art.content_hash[:16]}")
        report.claims_after += replace_claims_batch(db, items, extractor.version)
        if moves:  # and the new claims' are learnt
            learn_moves(db, moves)
        report.articles += len(batch)
        if on_item is not None:
            on_item(len(batch))
    return report
