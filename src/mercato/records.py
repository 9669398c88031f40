"""Plain data records passed between stages (no database, no parsing here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

STAGES = ("interest", "contact", "talks", "bid", "advanced", "agreement", "done")
LADDER = {s: i for i, s in enumerate(STAGES)}
OFF = "off"
ALL_STAGES = (*STAGES, OFF)
ROLES = ("manager", "player", "staff")
CERTAINTIES = ("firm", "hedged", "doubtful")

_ws = re.compile(r"\s+")


def content_hash(text: str, date: dt.date | None = None) -> str:
    """Hash of the article's whitespace-normalised text and date: re-ingesting it is a no-op."""
    norm = _ws.sub(" ", text).strip()
    h = hashlib.sha256()
    h.update((date.isoformat() if date else "").encode())
    h.update(b"\x00")
    h.update(norm.encode("utf-8"))
    return h.hexdigest()


@dataclass
class ArticleRecord:
    """One article as ingest hands it on."""

    date: dt.date
    text: str
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    title: str | None = None
    origin: str | None = None  # "path" or "path:row" or a feed URL
    # the record IS the article at `url` (a feed item, a fetched page), not a row citing it as its source:
    # the store keeps one article per such URL, the fullest text winning
    at_url: bool = False
    lang: str | None = None  # ISO 639-1 code; ingest sets it (header, column, else detected)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text, self.date)


@dataclass
class Source:
    journalist: str | None = None
    outlet: str | None = None

    def key(self) -> tuple[str | None, str | None]:
        return (self.journalist, self.outlet)


@dataclass
class DealTerms:
    """The deal a claim speaks of, as its evidence states it (extract/terms.py): all optional."""

    fee_amount: float | None = None  # in units of fee_currency (0 for a free transfer)
    fee_currency: str | None = None  # ISO 4217: GBP, EUR, USD
    fee_text: str | None = None  # the words it was read from ("£100m", "$20m plus add-ons")
    fee_addons: bool = False  # "plus add-ons", "plus bonuses"
    deal_type: str | None = None  # "loan" | "permanent"
    buy_clause: str | None = None  # "option" | "obligation" (to buy after a loan)
    rules: tuple[str, ...] = ()  # ids of the patterns that fired (extract/data/deal_terms.jsonl)

    def __bool__(self) -> bool:
        return self.fee_text is not None or self.deal_type is not None or self.buy_clause is not None

    def as_dict(self) -> dict[str, Any]:
        return {"fee_amount": self.fee_amount, "fee_currency": self.fee_currency, "fee_text": self.fee_text,
                "fee_addons": self.fee_addons, "deal_type": self.deal_type, "buy_clause": self.buy_clause}


DEAL_TYPES = ("loan", "permanent")
BUY_CLAUSES = ("option", "obligation")


@dataclass
class ClaimRecord:
    """One claim, as defined in ../shared/spec/claims.md."""

    club: str
    person: str
    role: str
    stage: str
    source: Source
    certainty: str
    evidence: str
    start: int
    end: int
    date: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    terms: DealTerms | None = None  # the deal's fee, loan or permanent, option or obligation (extract/terms.py)

    def to_json(self, article: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if article is not None:
            out["article"] = article
        out.update(
            club=self.club,
            person=self.person,
            role=self.role,
            stage=self.stage,
            source=asdict(self.source),
            certainty=self.certainty,
            evidence=self.evidence,
            start=self.start,
            end=self.end,
        )
        if self.date is not None:
            out["date"] = self.date.isoformat()
        if self.terms:
            out["terms"] = self.terms.as_dict()
        return out


def stage_rank(stage: str) -> int:
    """Strength for de-duplication: off outranks every rung (a source's last word)."""
    return len(STAGES) if stage == OFF else LADDER.get(stage, -1)


CERTAINTY_RANK = {"firm": 2, "hedged": 1, "doubtful": 0}
