"""The one place that canonicalises names: how two spellings are compared, what a club's canonical
name is, and when a fuzzy match counts.

Every stage that compares names goes through here: the extractor linking a misspelt full name to the
knowledge base, the store's club filters, assess merging the spellings of one person into one story
and matching transfer-register rows to claims.

Folding: `fold` ignores case, accents, punctuation and the letters NFKD leaves alone ("Ødegaard" ->
"odegaard", "Caleta-Car" -> "caleta car", "Bodø/Glimt" -> "bodo glimt").

Clubs: `club_name` is the knowledge base's name for a club name, alias or nickname, tried as written,
folded, and without "FC"-like affixes ("Liverpool FC", "FC Bayern München", "spurs"); `club_key` is
that name, or the name as written when the knowledge base does not know it.

Fuzzy matching, one policy (rapidfuzz `fuzz.ratio` over folded names, 0-100):
- `same_name(a, b)`: two folded names are one name when they are equal, or when their first words
  and their last words begin with the same letters and their ratio is SAME_NAME = 90 or more. Used
  to link a misspelt full name in an article to the knowledge base ("Arne Slott" -> "Arne Slot",
  "Bayern Leverkusen" -> "Bayer Leverkusen"), to merge the spellings of one person across claims
  ("Adama Troare" / "Adama Traore"), and to match a transfer register's name to a claim's.
  90 keeps one-letter typos and transpositions in names of 10 letters or more ("adama troare" /
  "adama traore": 91.7); the initials keep apart different people whose names differ by a few
  letters at the front ("Soumaila Coulibaly" / "Ismaila Coulibaly": 91.4, two players of 2021).
  Before, the three uses had 85 (extract), 92 (assess, people) and 90 (outcomes) and no initials
  rule; the figures before and after are in the README (`bench/assess_quality.py`, `mercato eval`).
- SUGGEST = 60 (`fuzz.WRatio`): "did you mean" suggestions for a filter that matched nothing. A person
  picks among them, so the bar is low; nothing is merged on it.
Single words (a lone surname) are never merged on a fuzzy ratio here: the extractor's surname
heuristics need the article's context and stay with its rules (extract/components.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import fuzz, process

from mercato.kb.base import get_kb, normalise

SAME_NAME = 90
SUGGEST = 60

# letters without a combining accent, which NFKD leaves alone
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})
# "FC"-like affixes, also as "F.C." writes them once folded ("f c")
_CLUB_AFFIX = re.compile(r"\b(fc|afc|cf|sc|ssc|ac|f c|a f c|c f|s c)\b")


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key ("Bodø/Glimt" -> "bodo glimt")."""
    return normalise(normalise(name).translate(_FOLD))


def initials_agree(a: str, b: str) -> bool:
    """Do two folded names begin their first words and their last words with the same letters?"""
    ta, tb = a.split(), b.split()
    return bool(ta and tb) and ta[0][:1] == tb[0][:1] and ta[-1][:1] == tb[-1][:1]


def same_name(a: str, b: str) -> bool:
    """Are two folded names one name by the fuzzy policy (equal, or same initials and ratio >= SAME_NAME)?"""
    return a == b or (initials_agree(a, b) and fuzz.ratio(a, b) >= SAME_NAME)


@lru_cache(maxsize=50_000)
def club_name(value: str) -> str | None:
    """The knowledge base's name for a club name, alias or nickname ("Liverpool FC" -> "Liverpool"), else None."""
    kb = get_kb()
    hit = kb.club(value) or kb.club(fold(value))
    if hit:
        return hit
    bare = re.sub(r"\s+", " ", _CLUB_AFFIX.sub(" ", fold(value))).strip()
    return kb.club(bare) if bare else None


def club_key(name: str) -> str:
    """Canonical club name: the knowledge base's, else the name as written (stripped)."""
    return club_name(name) or name.strip()


def club_keys(value: str) -> set[str]:
    """Folded names a stored club may carry for this filter value: the value itself and its KB name."""
    keys = {fold(value)}
    canon = club_name(value)
    if canon:
        keys.add(fold(canon))
    return keys


def club_matches(value: str, stored: str | None) -> bool:
    return bool(stored) and fold(stored or "") in club_keys(value)


def is_known_club(value: str, stored: Iterable[str] = ()) -> bool:
    """A club the knowledge base knows, or one among `stored`."""
    keys = club_keys(value)
    return club_name(value) is not None or any(fold(c) in keys for c in stored)


def suggest(value: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Closest names to a value that matched nothing (WRatio >= SUGGEST), best first."""
    by_key: dict[str, str] = {}
    for c in choices:
        if c:
            by_key.setdefault(fold(c), c)
    found = process.extract(fold(value), list(by_key), scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST)
    return [by_key[k] for k, _score, _i in found]


def suggest_clubs(value: str, stored: Iterable[str], limit: int = 3) -> list[str]:
    """Stored clubs first (what a filter can find), then the knowledge base's."""
    stored = list(stored)
    out = suggest(value, stored, limit)
    if len(out) < limit:
        out += [c for c in suggest(value, get_kb().clubs, limit) if c not in out][: limit - len(out)]
    return out
