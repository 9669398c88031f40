"""Deal terms (issue 13): each pattern's example sentence is a test; real gossip items read; stored and shown."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mercato.extract.terms import DATA, TermsFileError, format_fee, get_rules, load_rules, read_terms

MERCATO = str(Path(sys.executable).parent / "mercato")
RULES = get_rules().rules


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_each_pattern_reads_its_example(rule):
    terms = read_terms(rule.example).as_dict()
    assert rule.expect or rule.kind == "not_fee", f"{rule.id}: an example needs what it must give"
    for key, value in rule.expect.items():
        assert terms[key] == value, (rule.id, key, terms)
    if rule.kind == "not_fee":  # its example's amount is no fee
        assert terms["fee_text"] is None, (rule.id, terms)
    if rule.kind in ("fee", "addons", "loan", "permanent", "option", "obligation", "free"):
        assert rule.id in read_terms(rule.example).rules


@pytest.mark.parametrize("sentence", [
    "The forward earns £400,000 a week at the club.",
    "Chelsea have offered him £150,000-per-week wages.",
    "Tuchel will have £200m to spend this summer.",
    "He scored 12 goals in 2021 and is 26.",
])
def test_wages_budgets_and_numbers_are_no_fee(sentence):
    assert read_terms(sentence).fee_text is None


def test_first_amount_wins_and_a_conversion_is_not_read_twice():
    t = read_terms("Spurs offered 15m euros (£12.9m) for the defender, rising to 20m euros.")
    assert (t.fee_amount, t.fee_currency, t.fee_text) == (15_000_000, "EUR", "15m euros")


def test_add_ons_after_a_conversion_in_brackets():
    t = read_terms("Spurs have offered 15m euros (£12.9m) plus add-ons for the defender.")
    assert t.fee_addons and t.fee_text == "15m euros (£12.9m) plus add-ons" and t.fee_amount == 15_000_000


def test_decimal_comma_and_thousands():
    assert read_terms("Der Klub bietet 45,5 Millionen Euro.").fee_amount == 45_500_000
    assert read_terms("Celtic paid £750,000 for the teenager.").fee_amount == 750_000


def test_an_option_is_a_loan_and_permanent_beats_a_past_loan():
    t = read_terms("Roma will take him on loan with an option to buy.")
    assert (t.deal_type, t.buy_clause) == ("loan", "option")
    assert read_terms("They want to make his loan move permanent.").deal_type == "permanent"
    assert not read_terms("Arsenal are interested in the midfielder.")


def test_format_fee():
    assert format_fee(100_000_000, "GBP") == "£100m"
    assert format_fee(45_500_000, "EUR") == "€45.5m"
    assert format_fee(0, None) == "free"
    assert format_fee(None, None) is None


def test_a_bad_rules_file_names_the_file_and_line(tmp_path):
    bad = tmp_path / "terms.jsonl"
    bad.write_text(DATA.read_text(encoding="utf-8") + '{"id": "x", "kind": "loan", "example": "e", "pattern": "("}\n')
    with pytest.raises(TermsFileError, match=r"terms\.jsonl:\d+: pattern does not compile"):
        load_rules(bad)
    bad.write_text('{"id": "x", "kind": "fees", "example": "e"}\n')
    with pytest.raises(TermsFileError, match=r"terms\.jsonl:1: kind 'fees'"):
        load_rules(bad)


def test_real_gossip_items_read_fees_loans_and_options(shared):
    """On the real gossip items: a tenth or more state a fee, loans outnumber options; no item crashes."""
    with (shared / "datasets" / "bbc-gossip-2021" / "rumours.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    read = [read_terms(r["raw_text"]) for r in rows]
    fees = [t for t in read if t.fee_amount]
    assert len(fees) / len(rows) > 0.08
    assert {t.fee_currency for t in fees} >= {"GBP", "EUR"}
    assert all(1e4 <= (t.fee_amount or 0) <= 1e10 for t in fees)
    loans = sum(1 for t in read if t.deal_type == "loan")
    options = sum(1 for t in read if t.buy_clause)
    assert loans > options > 0
    # the hand-checked sample (bench/deal_terms.py) still reads the amounts it was checked on
    checked = json.loads((Path(__file__).parents[1] / "bench" / "data" / "deal_terms_checked.json").read_text())
    by_id = {r["id"]: r for r in rows}
    still = sum(1 for i in checked["verdicts"] if read_terms(by_id[i]["raw_text"]).fee_amount)
    assert still == len(checked["verdicts"])


def test_terms_are_stored_and_listed_through_the_cli(tmp_path):
    art = tmp_path / "deal.txt"
    art.write_text("date: 2024-07-01\noutlet: BBC Sport\n\n"
                   "Liverpool have agreed a £100m deal with Bayer Leverkusen for Florian Wirtz.\n\n"
                   "Roma want to sign Chelsea striker Tammy Abraham on loan with an option to buy.\n", encoding="utf-8")
    db = tmp_path / "t.db"
    env = {**os.environ, "COLUMNS": "200"}
    r = subprocess.run([MERCATO, "ingest", str(art), "--db", str(db)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([MERCATO, "claims", "--db", str(db), "--format", "json"], capture_output=True, text=True,
                       env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    wirtz = [c for c in rows if c["person"] == "Florian Wirtz"]
    assert wirtz and wirtz[0]["terms"]["fee_amount"] == 100_000_000 and wirtz[0]["terms"]["fee_currency"] == "GBP"
    sarr = [c for c in rows if c["person"] == "Tammy Abraham"]
    assert sarr and sarr[0]["terms"]["deal_type"] == "loan" and sarr[0]["terms"]["buy_clause"] == "option"
