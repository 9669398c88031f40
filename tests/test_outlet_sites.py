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
