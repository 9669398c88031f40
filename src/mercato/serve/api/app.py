"""The whole web app over one database: the JSON API under /api and the dashboard's pages, with the
error handlers both share (JSON under /api, an HTML error page elsewhere)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from mercato import __version__
from mercato.serve.api import index
from mercato.serve.api.cache import ListingCache
from mercato.serve.api.desk import add_desk_routes
from mercato.serve.api.params import describe, reject_unknown_params
from mercato.serve.api.routes import add_api_routes
from mercato.serve.web.catalog import Catalog, ServiceUnavailable
from mercato.serve.web.desk_pages import add_desk_pages
from mercato.serve.web.pages import add_pages, error_page
from mercato.store import Database


def create_app(db_url: str | None = None, warm: bool = True) -> FastAPI:
    """The whole web app over one database (`db_url`, else $MERCATO_DB, else the default file)."""
    db = Database(db_url)
    catalog = Catalog(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm:  # compute stories and track records in the background, so the first visitor doesn't wait
            def warm_all() -> None:
                catalog.warm()
                index.warm(catalog)

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
        message = "; ".join(describe(e) for e in errors) or "invalid request"
        if not request.url.path.startswith("/api"):
            return error_page(request, 422, message)
        return JSONResponse({"message": message, "detail": errors}, status_code=422)

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable) -> JSONResponse:
        return JSONResponse({"message": str(exc), "detail": None}, status_code=503)

    api = APIRouter(prefix="/api", dependencies=[Depends(reject_unknown_params)])
    add_api_routes(api, db, catalog)
    add_desk_routes(api, db, catalog)
    app.include_router(api)

    add_pages(app, db, catalog)
    add_desk_pages(app, db, catalog)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse({"message": str(exc.detail), "detail": None}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return error_page(request, exc.status_code, str(exc.detail))

    return app
