"""The outlet lookup: the one place that maps what a source is called in the data — an outlet's name or
alias ("Sky Deutschland", "the Mirror"), a domain or URL ("www.dailymail.co.uk",
"https://m.marca.com/..."), a platform account ("https://twitter.com/FabrizioRomano") — to the
knowledge base's canonical outlet (or journalist or club, for an account).

ingest names an article's outlet with `outlet_from_domain_or_name`; assess decides who a claim comes from
with `known_outlet`, `is_platform`, `platform_handle` and `account`; a domain the knowledge base does not
know yet gets a readable name from `readable_outlet_name`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

from mercato.kb.base import DATA, KBDataError, get_kb, normalise
from mercato.kb.datafile import jsonl_rows

PLATFORM_DOMAINS = ("twitter.com", "x.com", "instagram.com", "youtube.com", "youtu.be", "facebook.com", "tiktok.com",
                    "t.co", "mobile.twitter.com")
PLATFORM_NAMES = frozenset({"twitter", "x", "instagram", "youtube", "facebook", "tiktok"})
_NOT_HANDLES = frozenset({"watch", "status", "i", "p", "reel", "channel", "c", "user", "hashtag", "search", "intent"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "gob", "edu"})


def canonical_host(url_or_domain: str) -> str:
    """The bare host of a URL or domain: no scheme, port, path, "www."/"m."; a Google-translate proxy
    ("www-expressen-se.translate.goog") gives the site it proxies ("expressen.se")."""
    v = url_or_domain.strip().lower()
    host = urlparse(v).netloc if "//" in v else v.split("/")[0]
    host = host.split(":")[0]
    if host.endswith(".translate.goog"):
        host = host[: -len(".translate.goog")].replace("--", "\0").replace("-", ".").replace("\0", "-")
    for prefix in ("www.", "m.", "amp.", "mobile."):
        host = host.removeprefix(prefix)
    return host


def outlet_for_domain(url_or_domain: str) -> str | None:
    """The outlet whose domain this is (a subdomain counts: "sport.sky.de" is Sky's if "sky.de" is)."""
    return _by_domain(get_kb().outlet_domain, url_or_domain)


def site_outlet_for_domain(url_or_domain: str) -> str | None:
    """The outlet whose domain this is, the outlets known by their sites (outlets_sites.jsonl) included; the most
    specific domain wins ("tvi24.iol.pt" is TVI24's though "iol.pt" is IOL's)."""
    kb = get_kb()
    host = canonical_host(url_or_domain)
    while host:
        if host in kb.outlet_domain:
            return kb.outlet_domain[host]
        if host in kb.site_domain:
            return kb.site_domain[host]
        if "." not in host:
            break
        host = host.split(".", 1)[1]
    return None


def _by_domain(domains: dict[str, str], url_or_domain: str) -> str | None:
    host = canonical_host(url_or_domain)
    while host:
        if host in domains:
            return domains[host]
        if "." not in host:
            break
        host = host.split(".", 1)[1]
    return None


def known_outlet(value: str) -> str | None:
    """The knowledge base's outlet for a name, alias, domain or URL; None when it does not know it. Besides the
    outlets the extractor knows, the outlets known by their sites (outlets_sites.jsonl): by domain, or by name
    or alias however spaced ("Lancashiretelegraph", the label the site's domain gives, is the Lancashire Telegraph)."""
    kb = get_kb()
    return kb.outlet(value) or outlet_for_domain(value) or _by_domain(kb.site_domain, value) or kb.site_outlet(value)


def readable_outlet_name(url_or_domain: str) -> str:
    """An outlet's name for a domain the knowledge base does not know yet: the site's own label,
    readable ("chroniclelive.co.uk" -> "Chroniclelive", "hitc.com" -> "HITC", "leeds-live.co.uk" ->
    "Leeds Live"). A domain the knowledge base knows gives the outlet's real name, the sites it knows
    (outlets_sites.jsonl) included: "onzemondial.com" -> "Onze Mondial", never the label without its spaces."""
    host = canonical_host(url_or_domain)
    known = site_outlet_for_domain(host)
    if known:
        return known
    labels = [x for x in host.split(".") if x]
    if len(labels) >= 2:
        labels = labels[:-1]  # the top-level domain
        if len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
    label = labels[-1] if labels else host
    words = [w for w in re.split(r"[-_]", label) if w]
    if not words:
        return host
    if len(words) == 1 and len(words[0]) <= 4:
        return words[0].upper()
    return " ".join(w[:1].upper() + w[1:] for w in words)


def outlet_from_domain_or_name(value: str | None, url: str | None = None) -> str | None:
    """Canonical outlet for a name ("Sky Deutschland") or a domain ("www.dailymail.co.uk"), else the
    article's URL's outlet; a name the knowledge base does not know stays as given (a domain lower-cased).
    Safe on malformed URLs (urlparse raises ValueError on 'http://[x')."""
    try:
        return _outlet_from_domain_or_name(value, url)
    except ValueError:
        return _outlet_from_domain_or_name(value, None) if value else None


def _outlet_from_domain_or_name(value: str | None, url: str | None) -> str | None:
    if value:
        named = get_kb().outlet(value)
        if named:
            return named
        if "." in value and " " not in value:  # looks like a domain
            return site_outlet_for_domain(value) or value.lower().removeprefix("www.")
        return value
    if url:  # the outlets known by their sites too, the most specific domain first
        return site_outlet_for_domain(url)
    return None


def is_platform(value: str | None) -> bool:
    """A social platform (X/Twitter, Instagram, YouTube, Facebook, TikTok), by name, domain or URL."""
    if not value:
        return False
    v = value.lower().strip()
    host = urlparse(v).netloc if "//" in v else v
    host = host.removeprefix("www.").removeprefix("mobile.")
    return (host in PLATFORM_DOMAINS or host.endswith(tuple("." + d for d in PLATFORM_DOMAINS))
            or normalise(v) in PLATFORM_NAMES)


def platform_handle(url: str | None) -> str | None:
    """The account a platform URL points to ("https://twitter.com/FabrizioRomano/status/1" -> "FabrizioRomano")."""
    if not url or "//" not in url:
        return None
    parts = [p for p in urlparse(url).path.split("/") if p]
    if not parts:
        return None
    first = parts[0].lstrip("@")
    return None if first.lower() in _NOT_HANDLES else first


def account(handle: str) -> tuple[str, str] | None:
    """Whose account a handle is: ("journalist" | "outlet" | "club", canonical name), or None if unknown."""
    kb = get_kb()
    h = handle.lstrip("@").lower()
    if h in kb.journalist_handle:
        return "journalist", kb.journalist_handle[h]
    if h in kb.outlet_handle:
        return "outlet", kb.outlet_handle[h]
    if h in kb.club_handle:
        return "club", kb.club_handle[h]
    return None


@lru_cache(maxsize=1)
def byline_words() -> frozenset[str]:
    """The words that make a byline not a person ("Staff", "Sports Desk", "and agencies": kb/data/bylines.jsonl)."""
    out = set()
    for where, row in jsonl_rows(DATA / "bylines.jsonl", KBDataError):
        if "about" in row and "word" not in row:
            continue
        if not row.get("id") or not row.get("word") or not row.get("example"):
            raise KBDataError(f"{where}: a byline word needs an id, the word and an example")
        out.add(str(row["word"]).lower())
    return frozenset(out)


_BYLINE_TAIL = re.compile(r"\s+(sport|sports|media|news|wire)$", re.IGNORECASE)
_AGENCY_TAIL = re.compile(r"\s+(?:and|&|with)\s+(?:the\s+)?agenc(?:y|ies)\.?$", re.IGNORECASE)  # "X and agencies"
_TITLE_SPLIT = re.compile(r"\s*(?:,|\s[-–—|]\s)\s*")  # "Matt Law, Chief Football Correspondent"
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")  # a word, hyphenated or with an apostrophe, any script
_DESK_WORDS = frozenset({"sport", "sports", "media", "news", "wire", "football", "the"})


def _is_agency(text: str) -> bool:
    """An outlet the knowledge base knows, in English or in another language's press ("EFE", "Lusa", "SID"), alone
    or with a desk's word after it ("PA Sport"), or several of them ("dpa/sid", "AFP/Reuters")."""
    kb = get_kb()
    parts = [p for p in re.split(r"\s*/\s*", text.strip()) if p]
    if not parts:
        return False
    for part in parts:
        key = normalise(part)
        if not (kb.outlet(part) or kb.site_outlet(part) or kb.outlet(_BYLINE_TAIL.sub("", part))
                or any(key in aliases for aliases in kb.outlet_alias_lang.values())):
            return False
    return True


def _not_a_person(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    return (not words or _is_agency(text) or bool(set(words) & byline_words())
            or all(w in _DESK_WORDS for w in words))


def byline_person(author: str | None) -> str | None:
    """The journalist a byline names, None when the byline is not a person (the spec: an agency or "Staff" gives no
    journalist): an outlet the knowledge base knows, in any language's press ("Press Association", "PA", "Reuters",
    "EFE"; with a desk's word after it, "PA Sport"; several, "dpa/sid"), or a byline with a word of bylines.jsonl
    ("Sport Staff", "Redacción"). A journalist the knowledge base knows is one even where an outlet bears his name
    ("Fabrizio Romano"); a name with his title or "and agencies" after it is the name ("Matt Law, Chief Football
    Correspondent" -> "Matt Law", "Sam Wallace and agencies" -> "Sam Wallace")."""
    if not author or not author.strip():
        return None
    name = author.strip()
    bare = re.sub(r"^by\s+", "", name, flags=re.IGNORECASE).strip()
    if get_kb().journalist(bare):
        return name
    person = _AGENCY_TAIL.sub("", bare).strip()
    head = _TITLE_SPLIT.split(person, maxsplit=1)[0].strip()
    if head != person:  # a title after the name: the name, where the name is a person's
        return None if _not_a_person(head) else head
    if _not_a_person(person):
        return None
    return name if person == bare else person
