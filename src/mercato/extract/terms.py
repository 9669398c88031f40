"""Deal terms read from a claim's evidence sentence: the fee (amount and currency), loan or permanent,
an option or an obligation to buy.

The patterns are data (`extract/data/deal_terms.jsonl`), each with an id, a kind and an example sentence
with what it must give (the tests read every example). Kinds:

- `currency` and `multiplier`: the symbols and words that make an amount ("£", "euros"; "m", "Millionen");
- `fee`: an amount in a currency, with the placeholders {SYMBOL}, {WORD} and {MULT} filled from those;
- `addons`: what right after a fee says it rises with add-ons ("plus add-ons");
- `not_fee`: words just before or after an amount that make it no transfer fee (wages "a week", a
  budget, a contract's worth, compensation);
- `free`: a free transfer (fee 0, permanent);
- `loan`, `permanent`, `option`, `obligation`: the kind of deal (an option or obligation to buy is a loan's).

Where a sentence names several amounts the first that is a fee wins (a conversion in brackets follows
its original: "€50m (£43m)"). The sentence may speak of several people: the terms go to every claim read
from it, as the evidence does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from mercato.kb.datafile import jsonl_rows
from mercato.records import ClaimRecord, DealTerms

DATA = Path(__file__).parent / "data" / "deal_terms.jsonl"
KINDS = ("currency", "multiplier", "fee", "addons", "not_fee", "free", "loan", "permanent", "option", "obligation")
MIN_BARE_AMOUNT = 10_000  # an amount with no "m"/"million" under this is no fee ("£5", "26 euros")
WINDOW = 48  # characters either side of an amount that `not_fee` and `addons` look at


class TermsFileError(ValueError):
    """A deal-terms file that cannot be used: the message names the file, the line and the problem."""


@dataclass
class Rule:
    id: str
    kind: str
    example: str
    expect: dict[str, Any]
    regex: re.Pattern[str] | None = None
    where: str | None = None  # not_fee: "before" or "after" the amount
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class TermRules:
    rules: list[Rule]
    currency: dict[str, str]  # symbol or word (lower-cased for words) -> ISO code
    multiplier: dict[str, int]  # word (lower-cased) -> factor

    def of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def load_rules(path: Path = DATA) -> TermRules:
    rows: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for where, row in jsonl_rows(path, TermsFileError):
        for key in ("id", "kind", "example"):
            if not isinstance(row.get(key), str) or not row[key]:
                raise TermsFileError(f"{where}: missing '{key}'")
        if row["kind"] not in KINDS:
            raise TermsFileError(f"{where}: kind {row['kind']!r} (one of {', '.join(KINDS)})")
        if row["id"] in seen:
            raise TermsFileError(f"{where}: id {row['id']!r} used twice")
        seen.add(row["id"])
        rows.append((where, row))
    currency: dict[str, str] = {}
    symbols: list[str] = []
    words: list[str] = []
    multiplier: dict[str, int] = {}
    for _, row in rows:
        if row["kind"] == "currency":
            for s in row.get("symbols", []):
                currency[s] = row["code"]
                symbols.append(s)
            for w in row.get("words", []):
                currency[w.lower()] = row["code"]
                words.append(w)
        elif row["kind"] == "multiplier":
            for w in row.get("words", []):
                multiplier[w.lower()] = int(row["value"])
    fill = {"{SYMBOL}": _alternation(symbols), "{WORD}": _alternation(words), "{MULT}": _alternation(list(multiplier))}
    rules: list[Rule] = []
    for where, row in rows:
        regex = None
        if "pattern" in row:
            pattern = row["pattern"]
            for k, v in fill.items():
                pattern = pattern.replace(k, v)
            try:
                regex = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise TermsFileError(f"{where}: pattern does not compile ({exc})") from None
        elif row["kind"] not in ("currency", "multiplier"):
            raise TermsFileError(f"{where}: a {row['kind']} rule needs a 'pattern'")
        if row["kind"] == "not_fee" and row.get("where") not in ("before", "after"):
            raise TermsFileError(f"{where}: a not_fee rule needs 'where': 'before' or 'after'")
        rules.append(Rule(id=row["id"], kind=row["kind"], example=row["example"], expect=dict(row.get("expect", {})),
                          regex=regex, where=row.get("where"), raw=row))
    return TermRules(rules, currency, multiplier)


@lru_cache(maxsize=1)
def get_rules() -> TermRules:
    return load_rules()


def _number(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))  # "45,5 Millionen": a decimal comma


@dataclass
class _Fee:
    start: int
    end: int
    amount: float
    currency: str
    rule: str


def _fees(text: str, rules: TermRules) -> list[_Fee]:
    found: list[_Fee] = []
    for rule in rules.of("fee"):
        assert rule.regex is not None
        for m in rule.regex.finditer(text):
            cur = m.group("cur")
            code = rules.currency.get(cur) or rules.currency.get(cur.lower())
            if code is None:
                continue
            mult = m.group("mult")
            amount = _number(m.group("num")) * (rules.multiplier.get(mult.lower(), 1) if mult else 1)
            if not mult and amount < MIN_BARE_AMOUNT:
                continue
            found.append(_Fee(m.start(), m.end(), amount, code, rule.id))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[_Fee] = []
    for f in found:  # overlapping readings of one amount: the first, longest
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out


def _not_fee(text: str, f: _Fee, rules: TermRules) -> str | None:
    after = text[f.end:f.end + WINDOW]
    before = text[max(0, f.start - WINDOW):f.start]
    for rule in rules.of("not_fee"):
        assert rule.regex is not None
        if rule.regex.search(after if rule.where == "after" else before):
            return rule.id
    return None


def read_terms(sentence: str, rules: TermRules | None = None) -> DealTerms:
    """The deal terms one sentence states (empty terms where it states none)."""
    rules = rules or get_rules()
    fired: list[str] = []
    terms = DealTerms()
    for f in _fees(sentence, rules):
        if _not_fee(sentence, f, rules):
            continue
        end = f.end
        for rule in rules.of("addons"):
            assert rule.regex is not None
            m = rule.regex.search(sentence[f.end:f.end + WINDOW])
            if m:
                end = f.end + m.end()
                terms.fee_addons = True
                fired.append(rule.id)
                break
        terms.fee_amount, terms.fee_currency = f.amount, f.currency
        terms.fee_text = sentence[f.start:end].strip()
        fired.append(f.rule)
        break
    kinds: dict[str, str] = {}
    for kind in ("free", "loan", "permanent", "option", "obligation"):
        for rule in rules.of(kind):
            assert rule.regex is not None
            m = rule.regex.search(sentence)
            if m:
                kinds[kind] = m.group(0)
                fired.append(rule.id)
                break
    if "obligation" in kinds:
        terms.deal_type, terms.buy_clause = "loan", "obligation"
    elif "option" in kinds:
        terms.deal_type, terms.buy_clause = "loan", "option"
    elif "permanent" in kinds:
        terms.deal_type = "permanent"
    elif "loan" in kinds:
        terms.deal_type = "loan"
    if "free" in kinds and terms.fee_text is None and terms.deal_type != "loan":
        terms.fee_amount, terms.fee_currency, terms.fee_text = 0.0, None, kinds["free"]
        terms.deal_type = terms.deal_type or "permanent"
    terms.rules = tuple(fired)
    return terms


def with_terms(claims: list[ClaimRecord]) -> list[ClaimRecord]:
    """Each claim with the deal terms of its evidence sentence (claims that share a sentence share the reading)."""
    cache: dict[str, DealTerms] = {}
    out = []
    for c in claims:
        if c.evidence not in cache:
            cache[c.evidence] = read_terms(c.evidence)
        t = cache[c.evidence]
        out.append(replace(c, terms=t) if t else c)
    return out


def format_fee(amount: float | None, currency: str | None) -> str | None:
    """"£100m", "€45.5m", "free" for display."""
    if amount is None:
        return None
    if amount == 0:
        return "free"
    sign = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency or "", (currency or "") + " ")
    if amount >= 1_000_000_000:
        return f"{sign}{amount / 1e9:g}bn"
    if amount >= 1_000_000:
        return f"{sign}{amount / 1e6:g}m"
    if amount >= 1_000:
        return f"{sign}{amount / 1e3:g}k"
    return f"{sign}{amount:g}"
