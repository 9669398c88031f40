"""Follows: a club, a person or a journalist a user follows (table `follows`, migration 0004).

A follow's name is the knowledge base's where it knows the value ("spurs" -> "Tottenham Hotspur"), else
the value as typed. Its claims are the stored claims about that club or person, or from that journalist.
`seen_claim_id` is the newest claim `mercato watch` has alerted on; a new follow starts at the newest claim
stored, so it alerts on what comes after it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mercato.kb.base import get_kb
from mercato.kb.names import club_name, fold
from mercato.store.db import Database
from mercato.store.models import Article, Claim, Follow

FOLLOW_KINDS = ("club", "person", "journalist")
NAME_MAX = 200


class FollowError(ValueError):
    """A follow that cannot be made or found: the message says why."""


def canonical(kind: str, name: str) -> str:
    if kind not in FOLLOW_KINDS:
        raise FollowError(f"unknown kind {kind!r}: follow a {', a '.join(FOLLOW_KINDS[:-1])} or a {FOLLOW_KINDS[-1]}")
    value = " ".join(name.split())
    if not value:
        raise FollowError(f"a {kind} to follow needs a name")
    kb = get_kb()
    if kind == "club":
        found = club_name(value)
    elif kind == "person":
        found = kb.person(value)
    else:
        found = kb.journalist(value)
    return (found or value)[:NAME_MAX]


def follow_to_dict(f: Follow) -> dict[str, Any]:
    return {"id": f.id, "kind": f.kind, "name": f.name, "seen_claim_id": f.seen_claim_id,
            "created_at": f.created_at.isoformat() if f.created_at else None}


def add_follow(db: Database, kind: str, name: str) -> tuple[dict[str, Any], bool]:
    """Follow `name` (idempotent): the follow, and whether it is new."""
    value = canonical(kind, name)
    with db.session() as s:
        old = s.scalars(select(Follow).where(Follow.kind == kind, Follow.name == value)).first()
        if old is not None:
            return follow_to_dict(old), False
        newest = s.scalar(select(func.max(Claim.id))) or 0
        f = Follow(kind=kind, name=value, seen_claim_id=newest)
        s.add(f)
        s.flush()
        s.refresh(f)
        return follow_to_dict(f), True


def list_follows(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [follow_to_dict(f) for f in s.scalars(select(Follow).order_by(Follow.kind, Follow.name))]


def find_follow(db: Database, ref: str | int, kind: str | None = None) -> dict[str, Any] | None:
    """A follow by id, or by name (with its kind, or the only follow of that name)."""
    with db.session() as s:
        if isinstance(ref, int) or str(ref).isdigit():
            f = s.get(Follow, int(ref))
            return follow_to_dict(f) if f is not None else None
        rows = list(s.scalars(select(Follow)))
    wanted = [f for f in rows if (kind is None or f.kind == kind)
              and (fold(f.name) == fold(str(ref)) or (kind is not None and f.name == canonical(kind, str(ref))))]
    if len(wanted) > 1:
        raise FollowError(f"{ref!r} is followed as {' and '.join(f.kind for f in wanted)}: say which (--kind)")
    return follow_to_dict(wanted[0]) if wanted else None


def remove_follow(db: Database, follow_id: int) -> bool:
    with db.session() as s:
        f = s.get(Follow, follow_id)
        if f is None:
            return False
        s.delete(f)
        return True


def _claims_q(kind: str, name: str, session: Session):  # type: ignore[no-untyped-def]
    q = select(Claim, Article.title, Article.url, Article.outlet).join(Article, Article.id == Claim.article_id)
    if kind == "club":
        # stored club names this follow means (an extractor may keep a name the knowledge base folds)
        names = sorted({c for c in session.scalars(select(Claim.club).distinct()) if c and fold(c) == fold(name)} | {name})
        return q.where(Claim.club.in_(names))
    if kind == "person":
        return q.where(func.lower(Claim.person) == name.lower())
    return q.where(func.lower(Claim.journalist) == name.lower())


def follow_claims(db: Database, follow: dict[str, Any], after_id: int = 0, limit: int = 50,
                  until: Any = None) -> list[dict[str, Any]]:
    """The follow's claims (newest first), each with its article's headline, link and outlet; only those
    stored after claim `after_id`, and dated on or before `until` where given."""
    from mercato.store.repo import claim_to_dict

    with db.session() as s:
        q = _claims_q(follow["kind"], follow["name"], s).where(Claim.id > after_id)
        if until is not None:
            q = q.where(Claim.claim_date <= until)
        rows = s.execute(q.order_by(Claim.claim_date.desc(), Claim.id.desc()).limit(limit)).all()
        out = []
        for c, title, url, outlet in rows:
            d = claim_to_dict(c)
            d.update(headline=title, url=url, publisher=outlet)
            out.append(d)
        return out


def mark_seen(db: Database, follow_id: int, claim_id: int) -> None:
    with db.session() as s:
        f = s.get(Follow, follow_id)
        if f is not None and claim_id > f.seen_claim_id:
            f.seen_claim_id = claim_id
