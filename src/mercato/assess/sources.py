"""Who a claim comes from: four kinds of source, each shown as what it is.

- journalist: a reporter (the knowledge base's journalists, an article's byline, an account on a
  platform that is neither an outlet's nor a club's);
- outlet: a publication (newspaper, site, broadcaster) - named through the outlet knowledge base,
  a domain becoming the outlet's name; never a platform (X/Twitter, Instagram, YouTube, Facebook,
  TikTok): a post there is its account's (a journalist's, an outlet's or a club's);
- club: a club's own announcement (its site, its account, the club named as the source);
- party: someone the move is about or who has a stake in it, quoted (the player, a manager, a club
  official, an agent, a pundit). Parties get their own record, but are not on the leaderboard.

The extractor writes a quoted speaker into the claim's `journalist` field; here a speaker is a
journalist only when the knowledge base knows him as one or he is the article's byline, and a party
otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

from mercato.kb.base import get_kb, normalise
from mercato.kb.outlets import (
    account,
    is_platform,
    known_outlet,
    platform_handle,
    readable_outlet_name,
    site_outlet_for_domain,
)

KINDS = ("journalist", "outlet", "club", "party")
LEADERBOARD_KINDS = ("journalist", "outlet")
# words before a quoted name that say what kind of party he is ("agent Mino Raiola", "Roma president ...")
_PARTY_CUES = (
    ("agent", re.compile(r"\b(?:agent|representative|intermediary)\b[^.]{0,25}$", re.I)),
    ("official", re.compile(r"\b(?:president|chairman|chairwoman|owner|chief executive|ceo|director|"
                            r"vice-president|board member|spokesman|spokesperson|general manager|sporting director)"
                            r"\b[^.]{0,25}$", re.I)),
    ("pundit", re.compile(r"\b(?:former|ex-|legend|pundit|great)\b[^.]{0,25}$", re.I)),
    ("manager", re.compile(r"\b(?:manager|boss|coach|head coach)\b[^.]{0,25}$", re.I)),
)


@dataclass(frozen=True)
class Source:
    kind: str  # journalist | outlet | club | party
    name: str
    known: bool = True  # in the knowledge base (an outlet named from an unknown domain is not)
    role: str | None = None  # for a party: player, manager, official, agent, pundit


@lru_cache(maxsize=50_000)
def publisher(outlet: str | None, url: str | None) -> Source | None:
    """Who published the article: an outlet, or the account behind a platform post."""
    kb = get_kb()
    if is_platform(outlet) or (not outlet and url and is_platform(url)):
        handle = platform_handle(url)
        if not handle:
            return None
        owner = account(handle)
        if owner:
            return Source(*owner)
        return Source("journalist", "@" + handle, known=False)
    if outlet:
        named = known_outlet(outlet)
        if named:
            return Source("outlet", named)
        if "." in outlet and " " not in outlet.strip():
            return Source("outlet", readable_outlet_name(outlet), known=False)
        if kb.club(outlet) and not kb.outlet(outlet):
            return Source("club", kb.club(outlet) or outlet)
        return Source("outlet", outlet, known=False)
    if url:
        named = site_outlet_for_domain(url)  # the outlets known by their sites too: a known outlet
        if named:
            return Source("outlet", named)
        host = urlparse(url).netloc if "//" in url else ""
        if host:
            return Source("outlet", readable_outlet_name(host), known=False)
    return None


def named_outlet(outlet: str) -> Source:
    """An outlet a claim cites ("The Times", "Arsenal" announcing its own signing)."""
    kb = get_kb()
    named = known_outlet(outlet)
    if named:
        return Source("outlet", named)
    if is_platform(outlet):
        return Source("outlet", outlet, known=False)  # unreachable in practice: the extractor names the account
    club = kb.club(outlet)
    if club:
        return Source("club", club)
    if "." in outlet and " " not in outlet.strip():
        return Source("outlet", readable_outlet_name(outlet), known=False)
    return Source("outlet", outlet, known=False)


def speaker(name: str, person: str, evidence: str, author: str | None, person_roles: dict[str, str]) -> Source:
    """A named speaker (the claim's `journalist` field): a journalist, a club, or a party."""
    kb = get_kb()
    j = kb.journalist(name) or kb.journalist_handle.get(name.lstrip("@").lower())
    if j:
        return Source("journalist", j)
    if author and normalise(author) == normalise(name):
        return Source("journalist", name)
    if name.startswith("@"):
        return Source("journalist", name, known=False)
    club = kb.club(name)
    if club and ((not kb.person(name) and " " not in name.strip()) or normalise(club) == normalise(name)):
        return Source("club", club)
    return Source("party", name, known=bool(kb.person(name)), role=party_role(name, person, evidence, person_roles))


def party_role(name: str, person: str, evidence: str, person_roles: dict[str, str]) -> str:
    kb = get_kb()
    key = normalise(name)
    p = kb.people.get(kb.person(name) or "")
    if p is not None and p.roles:
        return "manager" if "manager" in p.roles else p.roles[0]
    i = evidence.find(name)
    before = evidence[max(0, i - 60):i] if i >= 0 else ""
    for role, pat in _PARTY_CUES:
        if before and pat.search(before):
            return role
    if key in person_roles:
        return person_roles[key]
    if key == normalise(person):
        return "player"
    return "official"
