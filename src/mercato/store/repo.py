"""Reads and writes over the models. Writes are transactional per batch and idempotent."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mercato.records import ArticleRecord, ClaimRecord
from mercato.store.db import RETRIES, Database, transient
from mercato.store.models import Article, Claim, Entity
from mercato.store.spells import store_affiliations


@dataclass
class BatchResult:
    stored: int = 0
    skipped: int = 0
    claims: int = 0
    replaced: int = 0  # a fuller text for a URL already stored (a feed's teaser, then its page)


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
    affiliations: dict[str, dict[str, str]] | None = None,
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
            return _store_batch_once(db, ordered, extractor_version, affiliations or {})
        except DBAPIError as exc:
            if attempt == RETRIES or not transient(exc):
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _store_batch_once(
    db: Database,
    items: Sequence[tuple[ArticleRecord, list[ClaimRecord] | None]],
    extractor_version: str | None,
    affiliations: dict[str, dict[str, str]],
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
            if art.at_url and art.url:  # one URL, one article: the fullest text wins
                old = s.scalars(select(Article).where(Article.url == art.url)
                                .order_by(func.length(Article.text).desc(), Article.id).limit(1)).first()
                if old is not None:
                    if len(art.text) <= len(old.text) or _hash_stored(s, h):
                        result.skipped += 1
                    else:
                        _replace_article(s, old, art, claims, extractor_version)
                        store_affiliations(s, old.id, art.date, affiliations.get(h) or {})  # the old text's go
                        result.replaced += 1
                        result.claims += len(claims or [])
                    continue
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
            if affiliations.get(h):
                store_affiliations(s, new_id, art.date, affiliations[h])
        _remember_entities(s, db.dialect, [c for _, cs in items for c in (cs or [])])
    return result


def _hash_stored(s: Session, h: str) -> bool:
    return s.scalar(select(Article.id).where(Article.content_hash == h).limit(1)) is not None


def _replace_article(s: Session, old: Article, art: ArticleRecord, claims: list[ClaimRecord] | None,
                     extractor_version: str | None) -> None:
    """The stored article at a URL gets the fuller text read there, in place (its id stays), and the claims
    read from that text instead of the old ones; a field the new record lacks keeps its old value."""
    s.execute(delete(Claim).where(Claim.article_id == old.id))
    old.content_hash, old.text, old.date = art.content_hash, art.text, art.date
    old.title = art.title or old.title
    old.author = _clip(art.author) or old.author
    old.outlet = _clip(art.outlet) or old.outlet
    old.origin = art.origin or old.origin
    old.lang = art.lang or old.lang
    old.extracted_with = extractor_version if claims is not None else None
    for c in claims or []:
        s.add(_claim_row(old.id, c, art.date))


def stored_text_lengths(session: Session, urls: Sequence[str]) -> dict[str, int]:
    """URL -> length of the longest text stored for it."""
    out: dict[str, int] = {}
    urls = sorted(set(urls))
    for i in range(0, len(urls), 500):
        chunk = urls[i : i + 500]
        q = select(Article.url, func.max(func.length(Article.text))).where(Article.url.in_(chunk)).group_by(Article.url)
        out.update({u: int(n) for u, n in session.execute(q) if u is not None})
    return out


NAME_MAX = 200  # width of the name columns (articles.outlet/author, claims.club/person/journalist/outlet)


def _clip(value: str | None) -> str | None:
    """PostgreSQL refuses a value over a column's width (SQLite would keep it): clip, never crash a batch."""
    return value[:NAME_MAX] if value is not None and len(value) > NAME_MAX else value


def _claim_row(article_id: int, c: ClaimRecord, date: dt.date) -> Claim:
    t = c.terms
    return Claim(
        article_id=article_id, club=_clip(c.club), person=_clip(c.person), role=c.role, stage=c.stage,
        journalist=_clip(c.source.journalist), outlet=_clip(c.source.outlet), certainty=c.certainty,
        evidence=c.evidence, start=c.start, end=c.end, claim_date=c.date or date,
        fee_amount=t.fee_amount if t else None, fee_currency=t.fee_currency if t else None,
        fee_text=(t.fee_text or "")[:120] or None if t else None, fee_addons=t.fee_addons if t else None,
        deal_type=t.deal_type if t else None, buy_clause=t.buy_clause if t else None,
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
        "evidence": c.evidence, "start": c.start, "end": c.end, "terms": terms_dict(c),
    }


def terms_dict(c: Claim) -> dict[str, Any] | None:
    """A stored claim's deal terms, or None where its evidence states none."""
    if c.fee_text is None and c.deal_type is None and c.buy_clause is None:
        return None
    return {"fee_amount": c.fee_amount, "fee_currency": c.fee_currency, "fee_text": c.fee_text,
            "fee_addons": bool(c.fee_addons), "deal_type": c.deal_type, "buy_clause": c.buy_clause}


def claims_query(
    club: str | Sequence[str] | None = None, person: str | None = None, source: str | None = None, stage: str | None = None,
    since: dt.date | None = None, until: dt.date | None = None, lang: str | None = None,
) -> Select[Any]:
    q = select(Claim)
    if lang:
        q = q.join(Article, Article.id == Claim.article_id).where(Article.lang == lang.lower())
    if club:  # a name, or the stored names a filter resolved to (mercato.store.clubs.resolve_club)
        q = q.where(func.lower(Claim.club).in_([club.lower()] if isinstance(club, str) else [c.lower() for c in club]))
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


def stale_articles(db: Database, version: str, versions: Sequence[str] | None = None) -> dict[str | None, int]:
    """How many stored articles have claims read by an extractor version other than `version` (only `versions`,
    when given), per version. Articles stored without extraction (--no-extract) are not counted."""
    with db.session() as s:
        q = (select(Article.extracted_with, func.count()).where(Article.extracted_with.is_not(None),
                                                               Article.extracted_with != version)
             .group_by(Article.extracted_with))
        if versions:
            q = q.where(Article.extracted_with.in_(list(versions)))
        return {v: int(n) for v, n in s.execute(q)}


def stale_article_batches(db: Database, version: str, versions: Sequence[str] | None = None,
                          batch_size: int = 200) -> Iterator[list[tuple[int, ArticleRecord]]]:
    """The articles `stale_articles` counts, as (id, record) batches in date order. Each batch is read after the
    one before it was re-extracted, by id, so what is done is never read again."""
    last: tuple[dt.date, int] | None = None
    while True:
        with db.session() as s:
            q = select(Article).where(Article.extracted_with.is_not(None), Article.extracted_with != version)
            if versions:
                q = q.where(Article.extracted_with.in_(list(versions)))
            if last is not None:
                q = q.where((Article.date > last[0]) | ((Article.date == last[0]) & (Article.id > last[1])))
            rows = s.scalars(q.order_by(Article.date, Article.id).limit(batch_size)).all()
            batch = [(a.id, ArticleRecord(date=a.date, text=a.text, outlet=a.outlet, author=a.author, url=a.url,
                                          title=a.title, origin=a.origin, lang=a.lang)) for a in rows]
        if not batch:
            return
        last = (batch[-1][1].date, batch[-1][0])
        yield batch


def replace_claims_batch(db: Database, items: Sequence[tuple[int, list[ClaimRecord], dict[str, str]]],
                         version: str) -> int:
    """Each article's claims (and the affiliations its text states) replaced by those read again, and its
    extractor version set, in one transaction for the batch: a failure leaves every article as it was.
    Returns the number of claims stored."""
    n = 0
    with db.session() as s:
        for article_id, claims, affiliations in items:
            art = s.get(Article, article_id)
            if art is None:
                continue
            s.execute(delete(Claim).where(Claim.article_id == article_id))
            for c in claims:
                s.add(_claim_row(article_id, c, art.date))
            n += len(claims)
            art.extracted_with = version
            store_affiliations(s, article_id, art.date, affiliations)
        _remember_entities(s, db.dialect, [c for _, cs, _ in items for c in cs])
    return n
