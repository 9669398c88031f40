"""Club filters as a user types them ("Bayern", "FC Bayern München", "liverpool fc", "spurs") -> the
club names the store holds, through the knowledge base (names, aliases, nicknames; case and accents
folded). A value that names no club gets suggestions instead of a silent empty answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from mercato.kb.base import get_kb, normalise
from mercato.store.models import Claim

# letters without a combining accent that NFKD leaves alone (the same table as assess.names.fold)
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})
_AFFIX = re.compile(r"\b(fc|afc|cf|sc|ssc|ac)\b")


@lru_cache(maxsize=20_000)
def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Bodø/Glimt" -> "bodo glimt")."""
    return normalise(normalise(name).translate(_FOLD))


@lru_cache(maxsize=4096)
def canonical_club(value: str) -> str | None:
    """The knowledge base's name for a club name, alias or nickname ("Liverpool FC" -> "Liverpool"), else None."""
    kb = get_kb()
    hit = kb.club(value) or kb.club(fold(value))
    if hit:
        return hit
    bare = re.sub(r"\s+", " ", _AFFIX.sub(" ", fold(value))).strip()
    return kb.club(bare) if bare else None


def club_keys(value: str) -> set[str]:
    """Folded names a stored club may carry for this filter value: the value itself and its KB name."""
    keys = {fold(value)}
    canon = canonical_club(value)
    if canon:
        keys.add(fold(canon))
    return keys


def club_matches(value: str, stored: str | None) -> bool:
    return bool(stored) and fold(stored or "") in club_keys(value)


def stored_clubs(session: Session) -> list[str]:
    return [c for c in session.scalars(select(Claim.club).distinct()) if c]


def resolve_club(session: Session, value: str) -> list[str]:
    """The stored club names this filter value means (empty when none is stored)."""
    keys = club_keys(value)
    return sorted(c for c in stored_clubs(session) if fold(c) in keys)


def is_known_club(value: str, stored: Iterable[str] = ()) -> bool:
    """A club the knowledge base knows, or one the store holds."""
    keys = club_keys(value)
    return canonical_club(value) is not None or any(fold(c) in keys for c in stored)


def suggest(value: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Closest names (rapidfuzz) to a value that matched nothing."""
    from rapidfuzz import fuzz, process

    by_key: dict[str, str] = {}
    for c in choices:
        if c:
            by_key.setdefault(fold(c), c)
    found = process.extract(fold(value), list(by_key), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [by_key[k] for k, _score, _i in found]


def suggest_clubs(value: str, stored: Iterable[str], limit: int = 3) -> list[str]:
    """Stored clubs first (what a filter can find), then the knowledge base's."""
    stored = list(stored)
    out = suggest(value, stored, limit)
    if len(out) < limit:
        out += [c for c in suggest(value, get_kb().clubs, limit) if c not in out][: limit - len(out)]
    return out
