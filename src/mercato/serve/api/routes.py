"""The `/api/...` routes. Listings, filters, sorting and search come from `mercato.serve.queries`, the
layer the dashboard's pages call too; this module only maps query parameters to it and wraps pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import JSONResponse

from mercato.serve import queries
from mercato.serve.api.cache import cached_json, dumps
from mercato.serve.api.models import (
    ArticleDetail,
    ArticlePage,
    ClaimOut,
    ClaimPage,
    ErrorOut,
    Role,
    SearchPage,
    SourceDetail,
    SourcePage,
    Stage,
    StoryDetail,
    StoryPage,
)
from mercato.serve.api.params import Paging, check_range, paging
from mercato.serve.web.catalog import Catalog
from mercato.store import Database
from mercato.store.models import Article, Claim
from mercato.store.repo import article_to_dict


def add_api_routes(api: APIRouter, db: Database, catalog: Catalog) -> None:
    err: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut, "description": "Invalid query parameter"}}
    missing: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Not found"}}
    unavailable: dict[int | str, dict[str, Any]] = {503: {"model": ErrorOut, "description": "Assessment not available"}}

    @api.get("/articles", response_model=ArticlePage, responses=err, tags=["articles"])
    def list_articles(
        paging: Annotated[Paging, Depends(paging)],
        outlet: Annotated[str | None, Query(description="Outlet name (exact, case-insensitive)")] = None,
        q: Annotated[str | None, Query(min_length=2, max_length=200, description="Words in the title or text")] = None,
        since: Annotated[dt.date | None, Query(description="Published on or after (YYYY-MM-DD)")] = None,
        until: Annotated[dt.date | None, Query(description="Published on or before (YYYY-MM-DD)")] = None,
        lang: Annotated[str | None, Query(pattern="^[a-z]{2}$", description="Language of the article (ISO 639-1)")] = None,
    ) -> Any:
        """Stored articles, newest first, with the number of claims in each."""
        check_range(since, until)
        total, items = queries.list_articles(db, limit=paging.limit, offset=paging.offset, outlet=outlet, q=q,
                                             since=since, until=until, lang=lang)
        return JSONResponse(paging.wrap(items, total))

    @api.get("/articles/{article_id}", response_model=ArticleDetail, responses={**err, **missing}, tags=["articles"])
    def get_article(article_id: Annotated[int, Path(ge=1)]) -> Any:
        """One article with its full text and its claims (evidence offsets index the text)."""
        stories = catalog.claim_stories()
        with db.session() as s:
            a = s.get(Article, article_id)
            if a is None:
                raise HTTPException(404, f"no article {article_id}")
            claims = [queries.claim_out(c, stories) for c in sorted(a.claims, key=lambda c: (c.start, c.id))]
            out = {**article_to_dict(a, with_text=True), "claims": len(claims), "claim_list": claims}
        return JSONResponse(out)

    @api.get("/claims", response_model=ClaimPage, responses=err, tags=["claims"])
    def list_claims(
        paging: Annotated[Paging, Depends(paging)],
        club: Annotated[str | None, Query(description="Club: a name, alias or nickname (case and accents folded)")] = None,
        person: Annotated[str | None, Query(description="Person (part of the name, case-insensitive)")] = None,
        source: Annotated[str | None, Query(description="Journalist or outlet (exact name, case-insensitive)")] = None,
        stage: Annotated[Stage | None, Query(description="Stage of the claim")] = None,
        role: Annotated[Role | None, Query()] = None,
        since: Annotated[dt.date | None, Query(description="Claims dated on or after (YYYY-MM-DD)")] = None,
        until: Annotated[dt.date | None, Query(description="Claims dated on or before (YYYY-MM-DD)")] = None,
        article_id: Annotated[int | None, Query(ge=1, description="Only this article's claims")] = None,
        lang: Annotated[str | None, Query(pattern="^[a-z]{2}$", description="Language of the claim's article (ISO 639-1)")] = None,
    ) -> Any:
        """Claims in date order, filtered by club, person, source, stage, role, date range and language."""
        check_range(since, until)
        total, items = queries.list_claims(db, catalog, limit=paging.limit, offset=paging.offset, club=club, person=person,
                                           source=source, stage=stage, role=role, since=since, until=until,
                                           article_id=article_id, lang=lang)
        return JSONResponse(paging.wrap(items, total))

    @api.get("/claims/{claim_id}", response_model=ClaimOut, responses={**err, **missing}, tags=["claims"])
    def get_claim(claim_id: Annotated[int, Path(ge=1)]) -> Any:
        stories = catalog.claim_stories()
        with db.session() as s:
            c = s.get(Claim, claim_id)
            if c is None:
                raise HTTPException(404, f"no claim {claim_id}")
            return JSONResponse(queries.claim_out(c, stories))

    @api.get("/stories", response_model=StoryPage, responses={**err, **unavailable}, tags=["stories"])
    async def list_stories(
        paging: Annotated[Paging, Depends(paging)],
        sort: Annotated[Literal["likelihood", "recent", "sources", "claims"], Query(
            description="likelihood (probability, highest first), recent (latest claim first), sources, claims")] = "likelihood",
        kind: Annotated[Literal["move", "vacancy", "person"], Query(description="Kind of story")] = "move",
        as_of: Annotated[dt.date | None, Query(description="Only what was known on this day")] = None,
        club: Annotated[str | None, Query(description="Club: a name, alias or nickname (case and accents folded)")] = None,
        person: Annotated[str | None, Query(description="Person (part of the name, case-insensitive)")] = None,
        stage: Annotated[Stage | None, Query(description="Furthest stage reached")] = None,
        role: Annotated[Role | None, Query()] = None,
        status: Annotated[Literal["all", "live", "resolved", "settled"], Query(
            description="live: outcome unknown, nothing in the evidence settles it, its window still open; "
                        "resolved: outcome known; settled: no longer live (outcome known, settled by the evidence "
                        "as an outcome to confirm, or window closed)")] = "all",
        min_probability: Annotated[float | None, Query(ge=0, le=1)] = None,
    ) -> Any:
        """Stories with their likelihood, stage, independent sources and most credible source."""
        key = ("api-stories", sort, kind, as_of, club, person, stage, role, status, min_probability, paging.limit, paging.offset)

        def build() -> bytes:
            rows = queries.sorted_stories(catalog, kind, as_of, sort)
            rows = queries.filter_stories(rows, club=club, person=person, stage=stage, role=role, status=status,
                                  min_probability=min_probability)
            return dumps(paging.wrap(paging.slice(rows), len(rows)))

        return await cached_json(catalog, key, build)

    @api.get("/stories/{story_id}", response_model=StoryDetail, responses={**err, **missing}, tags=["stories"])
    async def get_story(
        story_id: Annotated[str, Path(max_length=300)],
        as_of: Annotated[dt.date | None, Query(description="As of this day")] = None,
    ) -> Any:
        """One story: its likelihood history (one point per claim date), its claims and its competitors."""
        def build() -> bytes:
            story = catalog.story(story_id, as_of)
            return b"" if story is None else dumps(story)

        return await cached_json(catalog, ("api-story", story_id, as_of), build, missing=f"no story {story_id!r}")

    @api.get("/sources", response_model=SourcePage, responses={**err, **unavailable}, tags=["sources"])
    async def list_sources(
        paging: Annotated[Paging, Depends(paging)],
        sort: Annotated[Literal["credibility", "hit_rate", "brier", "claims", "resolved", "name"], Query(
            description="credibility (highest first), hit_rate, brier (lowest first), claims, resolved, name")] = "credibility",
        kind: Annotated[Literal["journalist", "outlet", "club", "party"] | None, Query(
            description="journalist or outlet (the leaderboard: both when omitted), club (clubs' own "
                        "announcements) or party (players, managers, officials, agents, pundits quoted)")] = None,
        min_resolved: Annotated[int, Query(ge=0, description="Only sources with at least this many resolved claims")] = 0,
        q: Annotated[str | None, Query(max_length=200, description="Part of the name")] = None,
    ) -> Any:
        """Journalists and outlets with their track record: claims, resolved, hits, hit rate, Brier, credibility."""
        key = ("api-sources", sort, kind, min_resolved, q, paging.limit, paging.offset)

        def build() -> bytes:
            rows = queries.filter_sources(queries.sorted_sources(catalog, sort), kind=kind, min_resolved=min_resolved, q=q)
            return dumps(paging.wrap(paging.slice(rows), len(rows)))

        return await cached_json(catalog, key, build)

    @api.get("/sources/{source_id}", response_model=SourceDetail, responses={**err, **missing}, tags=["sources"])
    async def get_source(source_id: Annotated[str, Path(max_length=300)]) -> Any:
        """One source: track record, calibration (10 bins) and hit rate by stage, with its claims."""
        def build() -> bytes:
            src = catalog.source(source_id)
            return b"" if src is None else dumps(src)

        return await cached_json(catalog, ("api-source", source_id), build, missing=f"no source {source_id!r}")

    @api.get("/search", response_model=SearchPage, responses=err, tags=["search"])
    def search_api(
        paging: Annotated[Paging, Depends(paging)],
        q: Annotated[str, Query(min_length=2, max_length=200, description="Words to look for")],
    ) -> Any:
        """The search box: stories (person or club), sources (name) and articles (title or text)."""
        hits = queries.search(db, catalog, q)
        return JSONResponse(paging.wrap(paging.slice(hits), len(hits), query=q))
