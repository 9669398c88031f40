"""Caching of API responses: the ASGI middleware that replays a listing by its exact query string until
the database changes, and `cached_json`, the catalogue-backed body of any other cached response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from mercato.serve.api import index
from mercato.serve.api.encode import dumps
from mercato.serve.web.catalog import Catalog

__all__ = ["ListingCache", "cached_json", "dumps", "stamp"]


class ListingCache:
    """ASGI middleware for the story and source listings. A listing with only paging, sort, kind and status is
    answered from the state's listing index (`index`), on the event loop; any other successful listing is kept
    by its exact query string in the catalogue's current state and served again without routing or validation
    (the load target). Every listing says which state it is from and whether a newer one is being computed."""

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
        query = index.parse(scope["path"], scope["query_string"])
        if query is not None:
            found = index.index_of(self.catalog)
            if found is None:  # the state's first such listing builds its index (once; others wait for it)
                await run_in_threadpool(index.warm, self.catalog)
                state, found = self.catalog.serving(), index.index_of(self.catalog)
            body = index.answer(found, query) if found is not None else None
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


async def cached_json(catalog: Catalog, key: tuple[Any, ...], build: Callable[[], bytes], missing: str | None = None) -> Response:
    """The response body for `key` from the catalogue's cache (fast path on the event loop, no thread hop);
    on a miss it is built once in the thread pool. An empty body means "not found"."""
    body = catalog.peek(key)
    if body is None:
        body = await run_in_threadpool(catalog.respond, key, build)
    if not body:
        raise HTTPException(404, missing or "not found")
    return Response(body, media_type="application/json")
