"""The query layer: listings, filters, sorting and search over articles, claims, stories and sources.

The JSON API (`mercato.serve.api`) and the dashboard's pages (`mercato.serve.web.pages`) both call
these functions, so a filter means the same in both. Stories and sources come from the assess stage
through the catalogue's cache (`mercato.serve.web.catalog`); articles and claims from the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from mercato.kb.names import club_matches, club_name
from mercato.serve.web.catalog import Catalog, ServiceUnavailable
from mercato.store import Database
from mercato.store.clubs import resolve_club
from mercato.store.models import Article, Claim
from mercato.store.repo import article_to_dict, claim_to_dict, claims_query


def sorted_stories(catalog: Catalog, kind: str, as_of: dt.date | None, sort: str) -> list[dict[str, Any]]:
    return catalog.get(("sorted-stories", kind, as_of, sort), lambda: sort_stories(catalog.stories(kind, as_of), sort))


def sorted_sources(catalog: Catalog, sort: str) -> list[dict[str, Any]]:
    return catalog.get(("sorted-sources", sort), lambda: sort_sources(catalog.sources(), sort))


def _num(v: Any, default: float = -1.0) -> float:
    return float(v) if isinstance(v, int | float) else default


def filter_stories(
    rows: list[dict[str, Any]], *, club: str | None = None, person: str | None = None, stage: str | None = None,
    role: str | None = None, status: str = "all", min_probability: float | None = None, q: str | None = None,
) -> list[dict[str, Any]]:
    out = rows
    if club:
        out = [s for s in out if club_matches(club, s.get("club"))]
    if person:
        out = [s for s in out if person.lower() in (s.get("person") or "").lower()]
    if stage:
        out = [s for s in out if s.get("stage") == stage]
    if role:
        out = [s for s in out if s.get("role") == role]
    if status == "live":  # outcome unknown, nothing in the evidence settles it, its window still open
        out = [s for s in out if s.get("outcome") is None and s.get("live", True)]
    elif status == "resolved":
        out = [s for s in out if s.get("outcome") is not None]
    elif status == "settled":  # no longer live: outcome known, settled by the evidence (to confirm), window closed
        out = [s for s in out if s.get("outcome") is not None or s.get("live") is False]
    if min_probability is not None:
        out = [s for s in out if _num(s.get("probability")) >= min_probability]
    if q:
        words = q.lower().split()
        named = club_name(q)  # "spurs", "bayern munchen": a club the knowledge base knows by that name
        out = [s for s in out if all(w in f"{s.get('person') or ''} {s.get('club') or ''}".lower() for w in words)
               or (named is not None and club_matches(named, s.get("club")))]
    return out


def sort_stories(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    def last(s: dict[str, Any]) -> str:
        return str(s.get("last_date") or "")

    if sort == "recent":
        return sorted(rows, key=lambda s: (last(s), _num(s.get("probability"))), reverse=True)
    if sort == "sources":
        return sorted(rows, key=lambda s: (_num(s.get("sources")), _num(s.get("probability"))), reverse=True)
    if sort == "claims":
        return sorted(rows, key=lambda s: (_num(s.get("n_claims")), _num(s.get("probability"))), reverse=True)
    return sorted(rows, key=lambda s: (_num(s.get("probability")), last(s)), reverse=True)


def filter_sources(
    rows: list[dict[str, Any]], *, kind: str | None = None, min_resolved: int = 0, q: str | None = None,
) -> list[dict[str, Any]]:
    out = rows
    if kind:
        out = [s for s in out if s.get("kind") == kind]
    else:  # the leaderboard: journalists and outlets (clubs and parties have their own records)
        out = [s for s in out if s.get("kind") in ("journalist", "outlet")]
    if min_resolved:
        out = [s for s in out if _num(s.get("resolved"), 0) >= min_resolved]
    if q:
        out = [s for s in out if q.lower() in str(s.get("name") or "").lower()]
    return out


def sort_sources(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    if sort == "name":
        return sorted(rows, key=lambda s: str(s.get("name") or "").lower())
    if sort == "brier":  # lower is better; unscored sources last
        return sorted(rows, key=lambda s: (s.get("brier") is None, _num(s.get("brier"), 9.0), -_num(s.get("resolved"), 0)))
    key = sort if sort in ("hit_rate", "claims", "resolved") else "credibility"
    return sorted(rows, key=lambda s: (_num(s.get(key)), _num(s.get("resolved"), 0), _num(s.get("claims"), 0)), reverse=True)


def search(db: Database, catalog: Catalog, q: str, article_limit: int = 200) -> list[dict[str, Any]]:
    words = [w for w in q.lower().split() if w]
    hits: list[dict[str, Any]] = []
    try:
        stories = sort_stories(filter_stories(catalog.stories("move"), q=q), "likelihood")
        for s in stories:
            p = s.get("probability")
            hits.append({
                "type": "story", "id": str(s["id"]), "title": f"{s.get('person')} → {s.get('club')}",
                "subtitle": f"{s.get('role') or ''} · {s.get('stage') or ''}" + (f" · {p:.0%}" if isinstance(p, int | float) else ""),
                "url": f"/stories/{s['id']}", "api_url": f"/api/stories/{s['id']}",
            })
        for src in sort_sources(catalog.sources(), "credibility"):
            name = str(src.get("name") or "")
            if all(w in name.lower() for w in words):
                hits.append({
                    "type": "source", "id": str(src["id"]), "title": name,
                    "subtitle": f"{src.get('kind')} · {src.get('claims')} claims",
                    "url": f"/sources/{src['id']}", "api_url": f"/api/sources/{src['id']}",
                })
    except ServiceUnavailable:
        pass
    conds = [or_(func.lower(Article.text).like(f"%{w}%"), func.lower(Article.title).like(f"%{w}%")) for w in words]
    with db.session() as session:
        rows = session.execute(
            select(Article.id, Article.date, Article.outlet, Article.title, Article.text)
            .where(*conds).order_by(Article.date.desc(), Article.id.desc()).limit(article_limit)
        ).all()
    for aid, date, outlet, title, text in rows:
        hits.append({
            "type": "article", "id": str(aid), "title": title or _snippet(text, words[0] if words else ""),
            "subtitle": " · ".join(x for x in (date.isoformat(), outlet) if x),
            "url": f"/articles/{aid}", "api_url": f"/api/articles/{aid}",
        })
    return hits


def _snippet(text: str, word: str, width: int = 120) -> str:
    i = text.lower().find(word) if word else 0
    start = max(0, i - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")


# ------------------------------------------------------------------------------- articles and claims


def article_conditions(*, outlet: str | None = None, q: str | None = None, since: dt.date | None = None,
                       until: dt.date | None = None, lang: str | None = None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if lang:
        conds.append(Article.lang == lang)
    if outlet:
        conds.append(func.lower(Article.outlet) == outlet.lower())
    if q:
        for word in q.split():
            like = f"%{word.lower()}%"
            conds.append(or_(func.lower(Article.text).like(like), func.lower(Article.title).like(like)))
    if since:
        conds.append(Article.date >= since)
    if until:
        conds.append(Article.date <= until)
    return conds


def list_articles(db: Database, *, limit: int, offset: int = 0, lead: bool = False, outlet: str | None = None,
                  q: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                  lang: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page of articles newest first), each with its number of claims (and, with `lead`, its
    title or the opening of its text, for a listing)."""
    conds = article_conditions(outlet=outlet, q=q, since=since, until=until, lang=lang)
    with db.session() as s:
        total = s.scalar(select(func.count(Article.id)).where(*conds)) or 0
        n_claims = select(func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
        rows = s.execute(
            select(Article, n_claims).where(*conds).order_by(Article.date.desc(), Article.id.desc())
            .limit(limit).offset(offset)
        ).all()
        items = [{**article_to_dict(a), "claims": n, **({"lead": a.title or lead_of(a.text)} if lead else {})}
                 for a, n in rows]
    return total, items


def lead_of(text: str, width: int = 110) -> str:
    t = " ".join(text.split())
    return t if len(t) <= width else t[: width - 1].rstrip() + "…"


def claim_out(c: Claim, stories: dict[int, str]) -> dict[str, Any]:
    d = claim_to_dict(c)
    d["story_id"] = stories.get(c.id)
    return d


def list_claims(db: Database, catalog: Catalog, *, limit: int, offset: int = 0, club: str | None = None,
                person: str | None = None, source: str | None = None, stage: str | None = None,
                role: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                article_id: int | None = None, lang: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page of claims in date order); `club` is a name, alias or nickname (mercato.kb.names)."""
    club_names: list[str] | str | None = None
    if club:
        with db.session() as s:
            club_names = resolve_club(s, club) or club
    q = claims_query(club_names, person, source, stage, since, until, lang)
    if role:
        q = q.where(Claim.role == role)
    if article_id:
        q = q.where(Claim.article_id == article_id)
    stories = catalog.claim_stories()
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
        items = [claim_out(c, stories) for c in s.scalars(q.limit(limit).offset(offset))]
    return total, items


def recent_claims(db: Database, limit: int = 30) -> list[dict[str, Any]]:
    """The latest claims, newest first (the board's side column while stories compute)."""
    q = claims_query().order_by(None).order_by(Claim.claim_date.desc(), Claim.id.desc()).limit(limit)
    with db.session() as s:
        return [{"id": c.id, "article_id": c.article_id, "date": c.claim_date, "club": c.club, "person": c.person,
                 "role": c.role, "stage": c.stage, "journalist": c.journalist, "outlet": c.outlet} for c in s.scalars(q)]


# ------------------------------------------------------------------------------- the desk (issue 13)
# Heating up, clubs' links, person cards and follows: computed by mercato.assess.desk / assess.follows as
# of a date, kept in the catalogue until the database changes (the API and the pages share them).


def heating(catalog: Catalog, as_of: dt.date | None, days: int = 7, direction: str = "any",
            limit: int = 20) -> dict[str, Any]:
    from mercato.assess.desk import heating_up

    return catalog.get(("heating", as_of, days, direction, limit),
                       lambda: heating_up(catalog.db, as_of, days=days, limit=limit, direction=direction))


def club_page(catalog: Catalog, club: str, as_of: dt.date | None, window: str | None = None,
              league: str | None = None) -> dict[str, Any] | None:
    from mercato.assess import desk

    key = desk.resolve_club(club)
    return catalog.get(("club", key, as_of, window, league),
                       lambda: desk.club_page(catalog.db, key, as_of, window=window, league=league) or False) or None


def clubs_index(catalog: Catalog, as_of: dt.date | None, league: str | None = None,
                window: str | None = None) -> list[dict[str, Any]]:
    from mercato.assess import desk

    return catalog.get(("clubs", as_of, league, window),
                       lambda: desk.clubs_index(catalog.db, as_of, league=league, window=window))


def desk_filters(catalog: Catalog, as_of: dt.date | None) -> dict[str, Any]:
    """The windows and leagues that have links (the choices of the club filters)."""
    from mercato.assess import desk

    return catalog.get(("desk-filters", as_of), lambda: {"windows": desk.windows_known(catalog.db, as_of),
                                                         "leagues": desk.leagues_known(catalog.db, as_of)})


def person_card(catalog: Catalog, person: str, as_of: dt.date | None) -> dict[str, Any] | None:
    from mercato.assess.desk import person_card as card

    return catalog.get(("person", person.lower(), as_of), lambda: card(catalog.db, person, as_of) or False) or None


def follow_entries(db: Database, follow: dict[str, Any], as_of: dt.date | None = None,
                   limit: int = 50) -> list[dict[str, Any]]:
    from mercato.assess.follows import entries

    return entries(db, follow, as_of=as_of, limit=limit)


def follow_atom(db: Database, follow: dict[str, Any], site: str, as_of: dt.date | None = None) -> str:
    from mercato.assess.follows import atom_feed

    site = site.rstrip("/")
    return atom_feed(follow, follow_entries(db, follow, as_of), f"{site}/api/follows/{follow['id']}/atom", site)
