"""Beside each claim of a story: its deal terms, the track record of the outlet it is credited to (as of the
story's date), and the headline and link of the article it came in (issue 13)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from mercato.assess.data import SOURCES, AClaim
from mercato.assess.engine import Snapshot
from mercato.store.db import Database
from mercato.store.models import Article, Claim
from mercato.store.repo import terms_dict


def badge(snap: Snapshot, credit: tuple[str, ...]) -> dict[str, Any] | None:
    """The track record (as of the snapshot) of who a claim is credited to: its outlet where it has one,
    else its first credited source."""
    if not credit:
        return None
    src = next((c for c in credit if c.startswith("outlet--")), credit[0])
    r = snap.book.records.get(src)
    info = SOURCES.get(src)
    resolved = r.resolved if r else 0
    hits = r.hits if r else 0
    return {"source": src, "name": info.name if info else src.split("--", 1)[-1], "kind": src.split("--", 1)[0],
            "resolved": resolved, "hits": hits, "hit_rate": round(hits / resolved, 4) if resolved else None,
            "credibility": round(snap.book.credibility(src), 4),
            "label": f"{hits}/{resolved} came true" if resolved else "no record yet"}


def claim_extras(db: Database, snap: Snapshot, claims: list[AClaim]) -> dict[int, dict[str, Any]]:
    """claim id -> its deal terms, its outlet's badge, and the headline and link of the article it came in."""
    ids = [c.id for c in claims]
    rows: dict[int, tuple[Claim, str | None, str | None]] = {}
    with db.session() as s:
        for i in range(0, len(ids), 500):
            q = (select(Claim, Article.title, Article.url).join(Article, Article.id == Claim.article_id)
                 .where(Claim.id.in_(ids[i:i + 500])))
            for claim, title, url in s.execute(q).all():
                rows[claim.id] = (claim, title, url)
    out = {}
    for c in claims:
        row = rows.get(c.id)
        title = url = None
        terms = None
        if row is not None:
            terms, title, url = terms_dict(row[0]), row[1], row[2]
        out[c.id] = {"terms": terms, "badge": badge(snap, c.credit),
                     "headline": title, "url": url}
    return out


def deal_summary(claims: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A story's deal as its latest claims state it: the latest fee, the latest loan or permanent, the latest
    option or obligation (each with the date it was said)."""
    out: dict[str, Any] = {}
    for c in sorted(claims, key=lambda c: (c["date"], c["id"])):
        t = c.get("terms")
        if not t:
            continue
        if t.get("fee_text"):
            out["fee"] = {k: t[k] for k in ("fee_amount", "fee_currency", "fee_text", "fee_addons")} | {"date": c["date"]}
        if t.get("deal_type"):
            out["deal_type"] = t["deal_type"]
        if t.get("buy_clause"):
            out["buy_clause"] = t["buy_clause"]
    return out or None
