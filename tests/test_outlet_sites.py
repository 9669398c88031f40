"""Outlets known by their sites (kb/data/outlets_sites.jsonl) and a claim citing its own publisher's masthead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mercato.assess.data import credit_for, masthead
from mercato.kb import base
from mercato.kb.base import KBDataError, get_kb
from mercato.kb.outlets import known_outlet, outlet_for_domain


def test_every_site_outlet_has_an_id_a_domain_and_is_new() -> None:
    rows = [json.loads(x) for x in (base.DATA / "outlets_sites.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    entries = [r for r in rows if "name" in r]
    assert entries and all(r["id"].startswith("outlet-") and r["domains"] and r["example"] for r in entries)
    assert len({r["id"] for r in entries}) == len(entries)
    kb = get_kb()
    assert not set(kb.site_outlets) & set(kb.outlets)  # never a second entry for an outlet the extractor knows


def test_a_site_outlet_is_known_by_domain_and_by_its_label_run_together() -> None:
    assert known_outlet("https://www.lancashiretelegraph.co.uk/sport/123") == "Lancashire Telegraph"
    assert known_outlet("Lancashiretelegraph") == "Lancashire Telegraph"  # the label its domain gives
    assert known_outlet("https://ge.globo.com/futebol/x") == "Globo Esporte"  # a subdomain counts
    # the extractor's own indexes are unchanged: only assessment names sources by these
    assert outlet_for_domain("lancashiretelegraph.co.uk") is None and get_kb().outlet("Lancashire Telegraph") is None


def test_a_claim_citing_its_publishers_masthead_is_the_publishers() -> None:
    assert masthead("The Star (Sheffield)") == masthead("The Star") == "star"
    credit, origin = credit_for(None, "The Star", "The Star (Sheffield)", "https://www.thestar.co.uk/sport/x")
    assert credit == ("outlet--the-star-sheffield",) and origin == "o:the star sheffield"
    credit, _ = credit_for(None, "The Times", "The Star (Sheffield)", "https://www.thestar.co.uk/sport/x")
    assert credit == ("outlet--the-times",)  # another outlet cited stays that outlet


def test_a_bad_site_outlet_line_names_the_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("outlets_sites.jsonl",):
        (tmp_path / name).write_text('{"id": "outlet-x", "name": "X"}\n', encoding="utf-8")
    monkeypatch.setattr(base, "DATA", tmp_path)
    with pytest.raises(KBDataError, match=r"outlets_sites\.jsonl:1: an outlet needs an id, a name and its domains"):
        base.KnowledgeBase()


@pytest.mark.parametrize(("domain", "name"), [
    ("www.onzemondial.com", "Onze Mondial"),  # a site's outlet, never its label without its spaces ("Onzemondial")
    ("https://www.cnnturk.com/spor/x", "CNN Turk"),
    ("lancashiretelegraph.co.uk", "Lancashire Telegraph"),
    ("tvi24.iol.pt", "TVI24"),  # the most specific domain wins over iol.pt's outlet
    ("mol.im", "Daily Mail"),  # the Mail's short domain is the Mail's
])
def test_a_domain_gives_its_outlets_real_name(domain: str, name: str) -> None:
    from mercato.extract.learned.candidates import kb_outlet
    from mercato.kb.outlets import readable_outlet_name

    assert readable_outlet_name(domain) == name
    assert kb_outlet(domain) == name  # the name the extractor gives an item's own outlet
    assert readable_outlet_name("iol.pt") == "IOL"
    assert readable_outlet_name("some-unknown-site.com") == "Some Unknown Site"  # still the site's own label


def test_an_agency_or_staff_byline_gives_no_journalist() -> None:
    from mercato.ingest.formats import parse_text_article
    from mercato.kb.outlets import byline_person

    for byline in ("Press Association", "PA", "PA Sport", "Reuters", "AFP", "By Reuters", "dpa"):
        assert byline_person(byline) is None, byline
    assert byline_person("Callum Boyle") == "Callum Boyle" and byline_person(None) is None
    art = parse_text_article("date: 2021-02-01\nauthor: Press Association\noutlet: The42\n\nBayern want Kane.\n", "t")
    assert art.author is None and art.outlet == "The42"
    art = parse_text_article("date: 2021-02-01\nauthor: Luke Brown\n\nBayern want Kane.\n", "t")
    assert art.author == "Luke Brown"


def test_a_byline_naming_a_person_keeps_the_person() -> None:
    """Review of learned-0.6: the agency check ran before the journalist check, and a title after a name dropped the
    name; every one of these was None."""
    from mercato.extract import get_extractor
    from mercato.ingest.formats import record_from_mapping
    from mercato.kb.outlets import byline_person
    from mercato.records import ArticleRecord

    # a journalist the knowledge base knows, though an outlet bears his name
    assert byline_person("Fabrizio Romano") == "Fabrizio Romano"
    assert byline_person("Gianluca Di Marzio") == "Gianluca Di Marzio"
    # a name with his title or the agencies after it is the name
    assert byline_person("Matt Law, Chief Football Correspondent") == "Matt Law"
    assert byline_person("Jamie Jackson - Manchester United correspondent") == "Jamie Jackson"
    assert byline_person("Sam Wallace and agencies") == "Sam Wallace"
    assert byline_person("Ben Team-Smith") == "Ben Team-Smith"  # a hyphenated surname is no byline word
    # still no person: staff, agencies (with a title, several, or another language's press), a desk alone
    for byline in ("Sport Staff, London", "Reuters, Madrid", "Sport and agencies", "dpa/sid", "AFP/Reuters", "EFE",
                   "Lusa", "Redacción", "La rédaction", "Redazione sportiva", "Sportredaktion", "Sports"):
        assert byline_person(byline) is None, byline
    row = {"date": "2025-06-02", "author": "Fabrizio Romano",
           "text": "Southampton submit formal bid to sign Abakar Sylla on loan from Strasbourg. Talks ongoing."}
    art = record_from_mapping(row, "posts.csv", 2)
    assert isinstance(art, ArticleRecord) and art.author == "Fabrizio Romano"
    claims = get_extractor("learned").read(art).claims
    assert claims and all(c.source.journalist == "Fabrizio Romano" for c in claims)


def test_every_byline_word_example_gives_no_journalist() -> None:
    from mercato.kb.outlets import byline_person, byline_words

    rows = [json.loads(x) for x in (base.DATA / "bylines.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()]
    entries = [r for r in rows if "word" in r]
    assert entries and len({r["id"] for r in entries}) == len(entries)
    assert {r["word"] for r in entries} == byline_words()
    for r in entries:
        assert r["word"] in r["example"].lower().split() and byline_person(r["example"]) is None, r["id"]


def test_an_outlet_known_by_its_site_is_named_from_a_url_or_a_domain_column() -> None:
    """Review of learned-0.6: only the fallback name read the sites knowledge; a record with just a URL of a site the
    knowledge base knows got no outlet, and a domain column kept the raw domain for the rules engine's claims."""
    from mercato.assess.sources import publisher
    from mercato.ingest.formats import record_from_mapping
    from mercato.kb.outlets import outlet_from_domain_or_name

    assert outlet_from_domain_or_name(None, "https://www.si.com/soccer/story") == "Sports Illustrated"
    assert outlet_from_domain_or_name("lancashiretelegraph.co.uk") == "Lancashire Telegraph"
    assert outlet_from_domain_or_name(None, "https://www.tvi24.iol.pt/x") == "TVI24"  # the most specific domain
    assert outlet_from_domain_or_name("unknown-site.org") == "unknown-site.org"  # unknown: as given
    src = publisher(None, "https://www.si.com/soccer/story")
    assert src is not None and (src.name, src.known) == ("Sports Illustrated", True)
    art = record_from_mapping({"date": "2021-02-01", "url": "https://www.si.com/soccer/story",
                               "text": "Chelsea want Kane."}, "rows.csv", 2)
    assert art.outlet == "Sports Illustrated"
