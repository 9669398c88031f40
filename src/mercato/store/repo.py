"""Reads and writes over the models. Writes are transactional per batch and idempotent."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mercato.records import ArticleRecord, ClaimRecord
from mercato.store.db import Database
from mercato.store.models import Article, Claim, Entity


@dataclass
class BatchResult:
    stored: int = 0
    skipped: int = 0
    claims: int = 0


def known_hashes(session: Session, hashes: Sequence[str]) -> set[str]:
    if not hashes:
        return set()
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = list(hashes[i : i + 500])
        found.update(session.scalars(select(Article.content_hash).where(Article.content_hash.in_(chunk))))
    return found


def _insert(dialect: str):  # type: ignore[no-untyped-def]
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def store_batch(
    db: Database,
    items: Sequence[tuple[ArticleRecord, list[ClaimRecord] | None]],
    extractor_version: str | None = None,
) -> BatchResult:
    """Store articles (each once, by content hash) with their claims, in one transaction.

    Rows are inserted in content-hash order, so two processes storing overlapping batches at once take
    the unique-index locks in the same order and cannot deadlock (PostgreSQL); a transaction the server
    still aborts (deadlock, serialization failure, SQLite busy) rolled back whole and is run again.
    """
    if not items:
        return BatchResult()
    ordered = sorted(items, key=lambda item: item[0].content_hash)
    for attempt in range(1, RETRIES + 1):
        try:
            return _store_batch_once(db, ordered, extractor_version)
        except DBAPIError as exc:
            if attempt == RETRIES or not _transient(exc):
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


RETRIES = 5


def _transient(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if code in ("40P01", "40001"):  # deadlock_detected, serialization_failure
        return True
    return "database is locked" in str(exc.orig)


def _store_batch_once(
    db: Database,
    items: Sequence[tuple[ArticleRecord, list[ClaimRecord] | None]],
    extractor_version: str | None,
) -> BatchResult:
    result = BatchResult()
    insert = _insert(db.dialect)
    with db.session() as s:
        seen: set[str] = set()
        for art, claims in items:
            h = art.content_hash
            if h in seen:
                result.skipped += 1
                continue
            seen.add(h)
            stmt = (
                insert(Article)
                .values(
                    content_hash=h, date=art.date, url=art.url, outlet=_clip(art.outlet), author=_clip(art.author),
                    title=art.title, text=art.text, origin=art.origin, lang=art.lang,
                    extracted_with=extractor_version if claims is not None else None,
                )
                .on_conflict_do_nothing(index_elements=["content_hash"])
                .returning(Article.id)
            )
            new_id = s.execute(stmt).scalar_one_or_none()
            if new_id is None:
                result.skipped += 1
                continue
            result.stored += 1
            for c in claims or []:
                s.add(_claim_row(new_id, c, art.date))
                result.claims += 1
        _remember_entities(s, db.dialect, [c for _, cs in items for c in (cs or [])])
    return result


NAME_MAX = 200  # width of the name columns (articles.outlet/author, claims.club/person/journalist/outlet)


def _clip(value: str | None) -> str | None:
    """PostgreSQL refuses a value over a column's width (SQLite would keep it): clip, never crash a batch."""
    return value[:NAME_MAX] if value is not None and len(value) > NAME_MAX else value


def _claim_row(article_id: int, c: ClaimRecord, date: dt.date) -> Claim:
    return Claim(
        article_id=article_id, club=_clip(c.club), person=_clip(c.person), role=c.role, stage=c.stage,
        journalist=_clip(c.source.journalist), outlet=_clip(c.source.outlet), certainty=c.certainty,
        evidence=c.evidence, start=c.start, end=c.end, claim_date=c.date or date,
    )


def _remember_entities(s: Session, dialect: str, claims: list[ClaimRecord]) -> None:
    rows: set[tuple[str, str]] = set()
    for c in claims:
        rows.add(("club", c.club))
        rows.add(("person", c.person))
        if c.source.journalist:
            rows.add(("journalist", c.source.journalist))
        if c.source.outlet:
            rows.add(("outlet", c.source.outlet))
    if not rows:
        return
    insert = _insert(dialect)
    stmt = insert(Entity).values([{"kind": k, "name": n[:200], "in_kb": False} for k, n in sorted(rows)])
    s.execute(stmt.on_conflict_do_nothing(index_elements=["kind", "name"]))


def replace_claims(db: Database, article_id: int, claims: list[ClaimRecord], version: str) -> None:
    with db.session() as s:
        art = s.get(Article, article_id)
        if art is None:
            return
        s.query(Claim).filter(Claim.article_id == article_id).delete()
        for c in claims:
            s.add(_claim_row(article_id, c, art.date))
        art.extracted_with = version
        _remember_entities(s, db.dialect, claims)


def article_to_dict(a: Article, with_text: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": a.id, "date": a.date.isoformat(), "outlet": a.outlet, "author": a.author, "url": a.url,
        "title": a.title, "origin": a.origin, "content_hash": a.content_hash, "lang": a.lang,
    }
    if with_text:
        d["text"] = a.text
    return d


def claim_to_dict(c: Claim) -> dict[str, Any]:
    return {
        "id": c.id, "article_id": c.article_id, "date": c.claim_date.isoformat(), "club": c.club,
        "person": c.person, "role": c.role, "stage": c.stage,
        "source": {"journalist": c.journalist, "outlet": c.outlet}, "certainty": c.certainty,
        "evidence": c.evidence, "start": c.start, "end": c.end,
    }


def claims_query(
    club: str | None = None, person: str | None = None, source: str | None = None, stage: str | None = None,
    since: dt.date | None = None, until: dt.date | None = None, lang: str | None = None,
) -> Select[Any]:
    q = select(Claim)
    if lang:
        q = q.join(Article, Article.id == Claim.article_id).where(Article.lang == lang.lower())
    if club:
        q = q.where(func.lower(Claim.club) == club.lower())
    if person:
        q = q.where(func.lower(Claim.person).contains(person.lower(), autoescape=True))
    if source:
        q = q.where((func.lower(Claim.journalist) == source.lower()) | (func.lower(Claim.outlet) == source.lower()))
    if stage:
        q = q.where(Claim.stage == stage)
    if since:
        q = q.where(Claim.claim_date >= since)
    if until:
        q = q.where(Claim.claim_date <= until)
    return q.order_by(Claim.claim_date, Claim.id)


def count(db: Database, model: type) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)
