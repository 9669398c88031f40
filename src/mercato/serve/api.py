"""The JSON API (`/api/...`) and the dashboard, in one FastAPI app: `create_app(db_url)`.

Lists are `{"items": [...], "total", "limit", "offset", "page"}`; `limit` (1-200) with `offset` or a
1-based `page`. Bad or unknown query parameters get a 422 whose `message` names the parameter and
the problem. Stories and sources come from the assess stage through a cache keyed by the database's
state (see `mercato.serve.web.catalog`), so listings stay fast under load.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from mercato import __version__
from mercato.records import ALL_STAGES, ROLES
from mercato.serve.web import fastlist
from mercato.serve.web.catalog import Catalog, ServiceUnavailable
from mercato.store import Database
from mercato.store.clubs import canonical_club, club_matches, resolve_club
from mercato.store.models import Article, Claim
from mercato.store.repo import article_to_dict, claim_to_dict, claims_query

MAX_LIMIT = 200
Stage = Literal["interest", "contact", "talks", "bid", "advanced", "agreement", "done", "off"]
Role = Literal["manager", "player", "staff"]
assert set(Stage.__args__) == set(ALL_STAGES) and set(Role.__args__) == set(ROLES)  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------- models
# (for the OpenAPI document at /docs; responses are built as plain dicts)


class SourceRef(BaseModel):
    journalist: str | None = None
    outlet: str | None = None


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
    claims: list[dict[str, Any]] = Field(default_factory=list)
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


# ------------------------------------------------------------------------------------- parameters


async def reject_unknown_params(request: Request) -> None:
    """A misspelt filter (`?clubb=`) must not silently return everything: 422 naming it."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _query_names(dependant)
    unknown = [k for k in request.query_params.keys() if k not in allowed]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden", "loc": ("query", k), "input": request.query_params.get(k),
                    "msg": f"unknown query parameter (allowed: {', '.join(sorted(allowed)) or 'none'})",
                }
                for k in unknown
            ]
        )


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


class Paging:
    def __init__(self, limit: int, offset: int) -> None:
        self.limit = limit
        self.offset = offset

    def wrap(self, items: list[Any], total: int, **extra: Any) -> dict[str, Any]:
        return {**extra, "items": items, "total": total, "limit": self.limit, "offset": self.offset,
                "page": self.offset // self.limit + 1}

    def slice(self, rows: list[Any]) -> list[Any]:
        return rows[self.offset : self.offset + self.limit]


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})")] = 50,
    offset: Annotated[int | None, Query(ge=0, description="Items to skip")] = None,
    page: Annotated[int | None, Query(ge=1, description="1-based page number (instead of offset)")] = None,
) -> Paging:
    if offset is not None and page is not None:
        raise _invalid("page", page, "give either page or offset, not both")
    return Paging(limit, offset if offset is not None else ((page or 1) - 1) * limit)


def _invalid(name: str, value: Any, msg: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", name), "msg": msg, "input": value}])


def _check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise _invalid("until", until.isoformat(), f"until ({until}) is before since ({since})")


def _describe(err: dict[str, Any]) -> str:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
    where = f"{'path' if 'path' in err.get('loc', ()) else 'query'} parameter '{'.'.join(loc)}'" if loc else "request"
    got = err.get("input")
    shown = f" (got {got!r})" if got is not None and not isinstance(got, dict) else ""
    return f"invalid {where}: {err.get('msg')}{shown}"


# ------------------------------------------------------------------------------------------ app


class ListingCache:
    """ASGI middleware: a successful GET of a story or source listing is kept, by its exact query string,
    in the catalogue's current state and served again without routing or validation (the load target).
    Every listing says which state it is from and whether a newer one is being computed (`state`)."""

    PATHS = frozenset({"/api/stories", "/api/sources"})

    def __init__(self, app: Any, catalog: Catalog) -> None:
        self.app = app
        self.catalog = catalog

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in self.PATHS:
            await self.app(scope, receive, send)
            return
        key = ("raw", scope["path"], scope["query_string"])
        state = self.catalog.serving()
        body = self.catalog.peek(key)
        if body is not None:
            await _send_json(send, 200, [], stamp(body, self.catalog.describe()))
            return
        query = fastlist.parse(scope["path"], scope["query_string"])  # only paging, sort, kind and status
        if query is not None:
            index = fastlist.index_of(self.catalog)
            if index is None:  # the state's first listing: build its index (once; other requests wait for it)
                await run_in_threadpool(fastlist.warm, self.catalog)
                state, index = self.catalog.serving(), fastlist.index_of(self.catalog)
            body = fastlist.answer(index, query) if index is not None else None
            if body is not None:
                self.catalog.put(state, key, body)
                await _send_json(send, 200, [], stamp(body, self.catalog.describe()))
                return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    raw = b"".join(chunks)
                    if start.get("status") == 200:
                        self.catalog.put(state, key, raw)
                        raw = stamp(raw, self.catalog.describe())
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    await _send_json(send, int(start.get("status", 500)), headers, raw)

        await self.app(scope, receive, capture)


async def _send_json(send: Any, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    if not any(k.lower() == b"content-type" for k, _ in headers):
        headers = [(b"content-type", b"application/json"), *headers]
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def stamp(body: bytes, state: dict[str, Any]) -> bytes:
    """A listing's JSON object with `state` first: which database state it was computed from, and whether a newer
    one is being computed (`refreshing`)."""
    if not body.startswith(b"{"):
        return body
    return b'{"state":' + dumps(state) + (b"," + body[1:] if body[1:2] != b"}" else b"}")


def create_app(db_url: str | None = None, warm: bool = True) -> FastAPI:
    """The whole web app over one database (`db_url`, else $MERCATO_DB, else the default file)."""
    db = Database(db_url)
    catalog = Catalog(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm:  # compute stories and track records in the background, so the first visitor doesn't wait
            def warm_all() -> None:
                catalog.warm()
                fastlist.warm(catalog)

            threading.Thread(target=warm_all, name="mercato-warm", daemon=True).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Mercato",
        version=__version__,
        summary="Football rumour intelligence: articles, source-attributed claims, stories with likelihoods, "
        "and journalists' and outlets' track records.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.db = db
    app.state.catalog = catalog
    app.add_middleware(ListingCache, catalog=catalog)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = jsonable_encoder(exc.errors())
        message = "; ".join(_describe(e) for e in errors) or "invalid request"
        if not request.url.path.startswith("/api"):
            from mercato.serve.web.pages import error_page

            return error_page(request, 422, message)
        return JSONResponse({"message": message, "detail": errors}, status_code=422)

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable) -> JSONResponse:
        return JSONResponse({"message": str(exc), "detail": None}, status_code=503)

    api = APIRouter(prefix="/api", dependencies=[Depends(reject_unknown_params)])
    _add_api_routes(api, db, catalog)
    app.include_router(api)

    from mercato.serve.web.pages import add_pages

    add_pages(app, db, catalog)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse({"message": str(exc.detail), "detail": None}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        from mercato.serve.web.pages import error_page

        return error_page(request, exc.status_code, str(exc.detail))

    return app


def _add_api_routes(api: APIRouter, db: Database, catalog: Catalog) -> None:
    err: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut, "description": "Invalid query parameter"}}
    missing: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Not found"}}
    unavailable: dict[int | str, dict[str, Any]] = {503: {"model": ErrorOut, "description": "Assessment not available"}}

    def claim_out(c: Claim, stories: dict[int, str]) -> dict[str, Any]:
        d = claim_to_dict(c)
        d["story_id"] = stories.get(c.id)
        return d

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
        _check_range(since, until)
        conds = []
        if lang:
            conds.append(Article.lang == lang)
        if outlet:
            conds.append(func.lower(Article.outlet) == outlet.lower())
        if q:
            for word in q.split():
                like = f"%{word.lower()}%"
                conds.append(or_(func.lower(Article.text).like(like), func.lower(Article.title).like(like)))
        if since:
            conds.append(Article.date >= since)
        if until:
            conds.append(Article.date <= until)
        with db.session() as s:
            total = s.scalar(select(func.count(Article.id)).where(*conds)) or 0
            n_claims = select(func.count(Claim.id)).where(Claim.article_id == Article.id).scalar_subquery()
            rows = s.execute(
                select(Article, n_claims).where(*conds).order_by(Article.date.desc(), Article.id.desc())
                .limit(paging.limit).offset(paging.offset)
            ).all()
            items = [{**article_to_dict(a), "claims": n} for a, n in rows]
        return JSONResponse(paging.wrap(items, total))

    @api.get("/articles/{article_id}", response_model=ArticleDetail, responses={**err, **missing}, tags=["articles"])
    def get_article(article_id: Annotated[int, Path(ge=1)]) -> Any:
        """One article with its full text and its claims (evidence offsets index the text)."""
        stories = catalog.claim_stories()
        with db.session() as s:
            a = s.get(Article, article_id)
            if a is None:
                raise HTTPException(404, f"no article {article_id}")
            claims = [claim_out(c, stories) for c in sorted(a.claims, key=lambda c: (c.start, c.id))]
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
        _check_range(since, until)
        club_names: list[str] | str | None = None
        if club:  # a name, alias or nickname: the stored clubs it means (mercato.store.clubs)
            with db.session() as s:
                club_names = resolve_club(s, club) or club
        q = claims_query(club_names, person, source, stage, since, until, lang)
        if role:
            q = q.where(Claim.role == role)
        if article_id:
            q = q.where(Claim.article_id == article_id)
        stories = catalog.claim_stories()
        with db.session() as s:
            total = s.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
            items = [claim_out(c, stories) for c in s.scalars(q.limit(paging.limit).offset(paging.offset))]
        return JSONResponse(paging.wrap(items, total))

    @api.get("/claims/{claim_id}", response_model=ClaimOut, responses={**err, **missing}, tags=["claims"])
    def get_claim(claim_id: Annotated[int, Path(ge=1)]) -> Any:
        stories = catalog.claim_stories()
        with db.session() as s:
            c = s.get(Claim, claim_id)
            if c is None:
                raise HTTPException(404, f"no claim {claim_id}")
            return JSONResponse(claim_out(c, stories))

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
            description="live: outcome unknown and its window still open; resolved: outcome known; "
                        "settled: no longer live (outcome known or window closed)")] = "all",
        min_probability: Annotated[float | None, Query(ge=0, le=1)] = None,
    ) -> Any:
        """Stories with their likelihood, stage, independent sources and most credible source."""
        key = ("api-stories", sort, kind, as_of, club, person, stage, role, status, min_probability, paging.limit, paging.offset)

        def build() -> bytes:
            rows = sorted_stories(catalog, kind, as_of, sort)
            rows = filter_stories(rows, club=club, person=person, stage=stage, role=role, status=status,
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
            rows = filter_sources(sorted_sources(catalog, sort), kind=kind, min_resolved=min_resolved, q=q)
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
        hits = search(db, catalog, q)
        return JSONResponse(paging.wrap(paging.slice(hits), len(hits), query=q))


# ----------------------------------------------------------------------- shared by API and pages


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")


def _default(o: Any) -> Any:
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    if isinstance(o, set | tuple):
        return list(o)
    return str(o)


async def cached_json(catalog: Catalog, key: tuple[Any, ...], build: Callable[[], bytes], missing: str | None = None) -> Response:
    """The response body for `key` from the catalogue's cache (fast path on the event loop, no thread hop);
    on a miss it is built once in the thread pool. An empty body means "not found"."""
    body = catalog.peek(key)
    if body is None:
        body = await run_in_threadpool(catalog.respond, key, build)
    if not body:
        raise HTTPException(404, missing or "not found")
    return Response(body, media_type="application/json")


def sorted_stories(catalog: Catalog, kind: str, as_of: dt.date | None, sort: str) -> list[dict[str, Any]]:
    return catalog.get(("sorted-stories", kind, as_of, sort), lambda: sort_stories(catalog.stories(kind, as_of), sort))


def sorted_sources(catalog: Catalog, sort: str) -> list[dict[str, Any]]:
    return catalog.get(("sorted-sources", sort), lambda: sort_sources(catalog.sources(), sort))


def _num(v: Any, default: float = -1.0) -> float:
    return float(v) if isinstance(v, int | float) else default


def filter_stories(
    rows: list[dict[str, Any]], *, club: str | None = None, person: str | None = None, stage: str | None = None,
    role: str | None = None, status: str = "all", min_probability: float | None = None, q: str | None = None,
) -> list[dict[str, Any]]:
    out = rows
    if club:
        out = [s for s in out if club_matches(club, s.get("club"))]
    if person:
        out = [s for s in out if person.lower() in (s.get("person") or "").lower()]
    if stage:
        out = [s for s in out if s.get("stage") == stage]
    if role:
        out = [s for s in out if s.get("role") == role]
    if status == "live":  # outcome unknown and its window still open
        out = [s for s in out if s.get("outcome") is None and s.get("live", True)]
    elif status == "resolved":
        out = [s for s in out if s.get("outcome") is not None]
    elif status == "settled":  # no longer live: outcome known, or its window closed without one
        out = [s for s in out if s.get("outcome") is not None or s.get("live") is False]
    if min_probability is not None:
        out = [s for s in out if _num(s.get("probability")) >= min_probability]
    if q:
        words = q.lower().split()
        named = canonical_club(q)  # "spurs", "bayern munchen": a club the knowledge base knows by that name
        out = [s for s in out if all(w in f"{s.get('person') or ''} {s.get('club') or ''}".lower() for w in words)
               or (named is not None and club_matches(named, s.get("club")))]
    return out


def sort_stories(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    def last(s: dict[str, Any]) -> str:
        return str(s.get("last_date") or "")

    if sort == "recent":
        return sorted(rows, key=lambda s: (last(s), _num(s.get("probability"))), reverse=True)
    if sort == "sources":
        return sorted(rows, key=lambda s: (_num(s.get("sources")), _num(s.get("probability"))), reverse=True)
    if sort == "claims":
        return sorted(rows, key=lambda s: (_num(s.get("n_claims")), _num(s.get("probability"))), reverse=True)
    return sorted(rows, key=lambda s: (_num(s.get("probability")), last(s)), reverse=True)


def filter_sources(
    rows: list[dict[str, Any]], *, kind: str | None = None, min_resolved: int = 0, q: str | None = None,
) -> list[dict[str, Any]]:
    out = rows
    if kind:
        out = [s for s in out if s.get("kind") == kind]
    else:  # the leaderboard: journalists and outlets (clubs and parties have their own records)
        out = [s for s in out if s.get("kind") in ("journalist", "outlet")]
    if min_resolved:
        out = [s for s in out if _num(s.get("resolved"), 0) >= min_resolved]
    if q:
        out = [s for s in out if q.lower() in str(s.get("name") or "").lower()]
    return out


def sort_sources(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    if sort == "name":
        return sorted(rows, key=lambda s: str(s.get("name") or "").lower())
    if sort == "brier":  # lower is better; unscored sources last
        return sorted(rows, key=lambda s: (s.get("brier") is None, _num(s.get("brier"), 9.0), -_num(s.get("resolved"), 0)))
    key = sort if sort in ("hit_rate", "claims", "resolved") else "credibility"
    return sorted(rows, key=lambda s: (_num(s.get(key)), _num(s.get("resolved"), 0), _num(s.get("claims"), 0)), reverse=True)


def search(db: Database, catalog: Catalog, q: str, article_limit: int = 200) -> list[dict[str, Any]]:
    words = [w for w in q.lower().split() if w]
    hits: list[dict[str, Any]] = []
    try:
        stories = sort_stories(filter_stories(catalog.stories("move"), q=q), "likelihood")
        for s in stories:
            p = s.get("probability")
            hits.append({
                "type": "story", "id": str(s["id"]), "title": f"{s.get('person')} → {s.get('club')}",
                "subtitle": f"{s.get('role') or ''} · {s.get('stage') or ''}" + (f" · {p:.0%}" if isinstance(p, int | float) else ""),
                "url": f"/stories/{s['id']}", "api_url": f"/api/stories/{s['id']}",
            })
        for src in sort_sources(catalog.sources(), "credibility"):
            name = str(src.get("name") or "")
            if all(w in name.lower() for w in words):
                hits.append({
                    "type": "source", "id": str(src["id"]), "title": name,
                    "subtitle": f"{src.get('kind')} · {src.get('claims')} claims",
                    "url": f"/sources/{src['id']}", "api_url": f"/api/sources/{src['id']}",
                })
    except ServiceUnavailable:
        pass
    conds = [or_(func.lower(Article.text).like(f"%{w}%"), func.lower(Article.title).like(f"%{w}%")) for w in words]
    with db.session() as session:
        rows = session.execute(
            select(Article.id, Article.date, Article.outlet, Article.title, Article.text)
            .where(*conds).order_by(Article.date.desc(), Article.id.desc()).limit(article_limit)
        ).all()
    for aid, date, outlet, title, text in rows:
        hits.append({
            "type": "article", "id": str(aid), "title": title or _snippet(text, words[0] if words else ""),
            "subtitle": " · ".join(x for x in (date.isoformat(), outlet) if x),
            "url": f"/articles/{aid}", "api_url": f"/api/articles/{aid}",
        })
    return hits


def _snippet(text: str, word: str, width: int = 120) -> str:
    i = text.lower().find(word) if word else 0
    start = max(0, i - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start > 0 else "") + piece + ("…" if start + width < len(text) else "")
