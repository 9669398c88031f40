"""The API's documentation models: the shapes /openapi.json and /api describe. Responses are built as
plain dicts (faster than validating each item); these models only document them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mercato.records import ALL_STAGES, ROLES

Stage = Literal["interest", "contact", "talks", "bid", "advanced", "agreement", "done", "off"]
Role = Literal["manager", "player", "staff"]
assert set(Stage.__args__) == set(ALL_STAGES) and set(Role.__args__) == set(ROLES)  # type: ignore[attr-defined]


class SourceRef(BaseModel):
    journalist: str | None = None
    outlet: str | None = None


class DealTermsOut(BaseModel):
    fee_amount: float | None = Field(None, description="The fee in units of fee_currency (0: a free transfer)")
    fee_currency: str | None = Field(None, description="ISO 4217: GBP, EUR, USD")
    fee_text: str | None = Field(None, description="The words the fee was read from ('£100m', '$20m plus add-ons')")
    fee_addons: bool = False
    deal_type: str | None = Field(None, description="loan or permanent")
    buy_clause: str | None = Field(None, description="option or obligation (to buy after a loan)")


class ClaimOut(BaseModel):
    id: int
    article_id: int
    date: dt.date
    club: str
    person: str
    role: str
    stage: str
    source: SourceRef
    certainty: str
    evidence: str = Field(description="The sentence(s) of the article that make the claim")
    start: int = Field(description="Character offset of the evidence in the article text")
    end: int
    story_id: str | None = Field(None, description="The move story this claim belongs to, where assessed")
    terms: DealTermsOut | None = Field(None, description="The deal as the evidence states it (extract/terms.py), if it does")


class ArticleOut(BaseModel):
    id: int
    date: dt.date
    outlet: str | None
    author: str | None
    url: str | None
    title: str | None
    origin: str | None
    content_hash: str
    lang: str | None = Field(None, description="Language (ISO 639-1): from the file, else detected at ingest")
    claims: int = Field(description="Number of claims extracted from the article")


class ArticleDetail(ArticleOut):
    text: str
    claim_items: list[ClaimOut] = Field(alias="claim_list")


class StoryOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    club: str | None = None
    person: str | None = None
    role: str | None = None
    probability: float | None = Field(None, description="Likelihood the move happens, 0-1")
    stage: str | None = Field(None, description="Furthest stage reached by the claims")
    sources: int | None = Field(None, description="Number of independent sources (relays of one origin count once)")
    outcome: bool | None = None
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    n_claims: int | None = None
    top_source: Any = Field(None, description="The most credible source reporting it")


class StoryDetail(StoryOut):
    history: list[dict[str, Any]] = Field(default_factory=list, description="[{date, probability}] as of each claim date")
    claims: list[dict[str, Any]] = Field(
        default_factory=list, description="Each with its deal `terms`, the credited outlet's track record as of the "
        "story's date (`badge`: hits, resolved, credibility, label) and the article's `headline` and `url`")
    deal: dict[str, Any] | None = Field(None, description="The deal as the latest claims state it: fee, deal_type, buy_clause")
    competitors: list[StoryOut] = Field(default_factory=list, description="Competing moves: same person or same vacancy")


class SourceOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    name: str
    kind: str = Field(description="journalist or outlet")
    claims: int
    resolved: int
    hits: int
    hit_rate: float | None
    brier: float | None
    credibility: float | None
    by_stage: Any = None


class SourceDetail(SourceOut):
    calibration: list[dict[str, Any]] = Field(default_factory=list, description="[{bin, forecast, observed, n}]")
    claims_list: Any = Field(None, alias="claims_items")


class SearchHit(BaseModel):
    type: Literal["story", "source", "article"]
    id: str
    title: str
    subtitle: str | None = None
    url: str = Field(description="Dashboard page")
    api_url: str


class PageBase(BaseModel):
    total: int
    limit: int
    offset: int
    page: int


class ArticlePage(PageBase):
    items: list[ArticleOut]


class ClaimPage(PageBase):
    items: list[ClaimOut]


class StateOut(BaseModel):
    state: int = Field(description="Number of the database state the listing was computed from (grows by one per change)")
    articles: int
    claims: int
    outcomes: int
    computed_at: str | None = Field(None, description="When that state was computed (UTC)")
    refreshing: bool = Field(description="The database has changed and a newer state is being computed: this "
                                         "listing is from the previous one until it is ready")


class StoryPage(PageBase):
    state: StateOut | None = None
    items: list[StoryOut]


class SourcePage(PageBase):
    state: StateOut | None = None
    items: list[SourceOut]


class SearchPage(PageBase):
    query: str
    items: list[SearchHit]


class ErrorOut(BaseModel):
    message: str
    detail: Any = None
