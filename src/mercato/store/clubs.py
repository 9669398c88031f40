"""Club filters as a user types them ("Bayern", "FC Bayern München", "liverpool fc", "spurs") -> the
club names the store holds. How names compare is `mercato.kb.names`; this module only asks the
database which club names it holds.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mercato.kb.names import club_keys, fold
from mercato.store.models import Claim


def stored_clubs(session: Session) -> list[str]:
    return [c for c in session.scalars(select(Claim.club).distinct()) if c]


def resolve_club(session: Session, value: str) -> list[str]:
    """The stored club names this filter value means (empty when none is stored)."""
    keys = club_keys(value)
    return sorted(c for c in stored_clubs(session) if fold(c) in keys)
