"""Caching of API responses: the ASGI middleware that replays a listing by its exact query string until
the database changes, and `cached_json`, the catalogue-backed body of any other cached response."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from mercato.serve.web.catalog import Catalog


class ListingCache:
    """ASGI middleware: a successful GET of a story or source listing is kept, by its exact query string,
    until the database changes, and served again without routing or validation (the load target)."""

    PATHS = frozenset({"/api/stories", "/api/sources"})

    def __init__(self, app: Any, catalog: Catalog) -> None:
        self.app = app
        self.catalog = catalog

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] not in self.PATHS:
            await self.app(scope, receive, send)
            return
        key = ("raw", scope["path"], scope["query_string"])
        version = self.catalog.version()
        body = self.catalog.peek(key)
        if body is not None:
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        status = 0
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and status == 200:
                    self.catalog.put(version, key, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)


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
