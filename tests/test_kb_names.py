"""The knowledge base's two lookups every stage shares: names (kb/names.py) and outlets (kb/outlets.py)."""

from __future__ import annotations

import pytest

from mercato.assess.names import PersonResolver
from mercato.kb.names import SAME_NAME, club_key, club_name, fold, initials_agree, is_known_club, same_name, suggest_clubs
from mercato.kb.outlets import (
    account,
    canonical_host,
    is_platform,
    known_outlet,
    outlet_from_domain_or_name,
    platform_handle,
    readable_outlet_name,
)


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Bodø/Glimt") == "bodo glimt"
    assert fold("Ødegaard") == fold("odegaard")
    assert fold("Duje Caleta-Car") == fold("duje caleta car")


@pytest.mark.parametrize("written", ["Liverpool FC", "liverpool", "LIVERPOOL F.C."])
def test_a_club_has_one_canonical_name(written: str) -> None:
    assert club_name(written) == club_key("Liverpool") == "Liverpool"


def test_an_unknown_club_keeps_its_name_and_gets_suggestions() -> None:
    assert club_name("Nowhere Rovers Athletic") is None
    assert club_key("  Nowhere Rovers Athletic ") == "Nowhere Rovers Athletic"
    assert not is_known_club("Liverpol")
    assert "Liverpool" in suggest_clubs("Liverpol", [])


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Adama Troare", "Adama Traore", True),  # a transposition in a long name
    ("Arne Slott", "Arne Slot", True),
    ("Duje Caleta-Car", "Duje Caleta Car", True),
    ("Soumaila Coulibaly", "Ismaila Coulibaly", False),  # two players: close ratio, other initial
    ("Joao Felix", "Joao Pedro", False),
    ("Bayern Leverkusen", "Bayer Leverkusen", True),
])
def test_one_fuzzy_policy_for_names(a: str, b: str, same: bool) -> None:
    assert same_name(fold(a), fold(b)) is same


def test_the_policy_is_the_threshold_and_the_initials() -> None:
    from rapidfuzz import fuzz

    a, b = fold("Soumaila Coulibaly"), fold("Ismaila Coulibaly")
    assert fuzz.ratio(a, b) >= SAME_NAME and not initials_agree(a, b)  # only the initials keep them apart


def test_the_person_resolver_merges_spellings_by_the_policy() -> None:
    r = PersonResolver(["Adama Traore", "Adama Traore", "Adama Troare", "Ismaila Coulibaly", "Soumaila Coulibaly"])
    assert r.key("Adama Troare") == r.key("Adama Traore")
    assert r.name("Adama Troare") == "Adama Traore"  # the spelling used more often
    assert r.key("Soumaila Coulibaly") != r.key("Ismaila Coulibaly")


@pytest.mark.parametrize(("value", "url", "outlet"), [
    ("Sky Deutschland", None, "Sky Germany"),
    ("www.dailymail.co.uk", None, "Daily Mail"),
    (None, "https://www.bbc.co.uk/sport/football/123", "BBC"),
    (None, "https://sport.sky.de/fussball/artikel", "Sky Germany"),
    ("some-unknown-site.com", None, "some-unknown-site.com"),
    ("A Local Paper", None, "A Local Paper"),
    ("Daily Mail", "http://[broken", "Daily Mail"),  # a malformed URL is not an error
])
def test_outlet_names_and_domains_map_to_one_outlet(value: str | None, url: str | None, outlet: str) -> None:
    assert outlet_from_domain_or_name(value, url) == outlet


def test_known_outlets_hosts_and_readable_names() -> None:
    assert known_outlet("Mail Online") == known_outlet("https://m.dailymail.co.uk/x") == "Daily Mail"
    assert known_outlet("chroniclelive.co.uk") == "Chronicle Live"  # the knowledge base knows it
    assert known_outlet("some-unknown-site.com") is None
    assert canonical_host("https://www-expressen-se.translate.goog/sport/") == "expressen.se"
    assert readable_outlet_name("leeds-live.co.uk") == "Leeds Live"
    assert readable_outlet_name("hitc.com") == "HITC"


def test_platform_accounts_are_their_owners() -> None:
    assert is_platform("https://twitter.com/FabrizioRomano/status/1") and is_platform("Instagram")
    assert not is_platform("Daily Mail")
    assert platform_handle("https://twitter.com/FabrizioRomano/status/1") == "FabrizioRomano"
    assert platform_handle("https://www.youtube.com/watch?v=x") is None
    assert account("@fabrizioromano") == ("journalist", "Fabrizio Romano")
    assert account("SkySportDE") == ("outlet", "Sky Germany")
    assert account("nobody_at_all_123") is None
