"""Listings answered from the per-state index (mercato.serve.api.index) are the API route's answers, byte for
JSON; anything the index does not cover (filters, dates, bad parameters) goes to the route, which validates it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from test_api import build_corpus_db


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus_db(tmp_path_factory.mktemp("fastlist"))


def _without_state(body: bytes) -> dict[str, Any]:
    data = json.loads(body)
    data.pop("state", None)
    return dict(data)


URLS = (
    [f"/api/stories?sort={s}&status={st}&kind={k}&limit={n}&page={p}"
     for s, st, k, n, p in itertools.product(("likelihood", "recent", "sources", "claims"),
                                              ("all", "live", "resolved", "settled"), ("move", "vacancy", "person"),
                                              (1, 7, 200), (1, 2, 40))]
    + ["/api/stories", "/api/stories?limit=3&offset=4", "/api/stories?offset=0", "/api/stories?page=2"]
    + [f"/api/sources?sort={s}&kind={k}&min_resolved={m}&limit={n}&page={p}"
       for s, k, m, n, p in itertools.product(("credibility", "hit_rate", "brier", "claims", "resolved", "name"),
                                              ("journalist", "outlet", "club", "party"), (0, 1, 5), (3, 50), (1, 2))]
    + ["/api/sources", "/api/sources?sort=name", "/api/sources?min_resolved=2&offset=1&limit=2"]
)


def test_index_answers_equal_the_routes(corpus: Path) -> None:
    from mercato.serve.api import create_app
    from mercato.serve.api import index as fastlist

    app = create_app(str(corpus), warm=False)
    catalog = app.state.catalog
    assert fastlist.listing(catalog, "/api/stories", b"") is None  # no index yet: the route answers
    fastlist.warm(catalog)
    fast: dict[str, bytes] = {}
    for url in URLS:
        path, _, query = url.partition("?")
        body = fastlist.listing(catalog, path, query.encode())
        if body is None:
            assert "kind=vacancy" in url or "kind=person" in url, url  # only move stories are indexed
            continue
        fast[url] = body
    # the same URLs through routing and validation, with the index switched off
    fastlist.enabled = False
    try:
        with TestClient(create_app(str(corpus), warm=False)) as routed:
            for url in fast:
                r = routed.get(url)
                assert r.status_code == 200, url
                assert json.loads(fast[url]) == _without_state(r.content), url
    finally:
        fastlist.enabled = True
    assert len(fast) > 300
    # served through the app, the index's answer carries the state like any listing
    with TestClient(app) as client:
        body = client.get("/api/stories?status=settled&limit=5").json()
        assert body["state"]["refreshing"] is False and len(body["items"]) == 5


@pytest.mark.parametrize("query", [
    "club=liverpool", "as_of=2024-03-01", "limit=0", "limit=201", "limit=05", "limit=-1", "offset=1&page=2",
    "sort=random", "clubb=x", "limit=5&limit=6", "status=", "min_probability=0.5", "q=slot", "page=0",
])
def test_what_the_index_does_not_cover_goes_to_the_route(corpus: Path, query: str) -> None:
    from mercato.serve.api import create_app
    from mercato.serve.api import index as fastlist

    app = create_app(str(corpus), warm=False)
    fastlist.warm(app.state.catalog)
    assert fastlist.listing(app.state.catalog, "/api/stories", query.encode()) is None
    with TestClient(app) as client:
        r = client.get(f"/api/stories?{query}")
        bad = {"limit=0", "limit=201", "limit=-1", "offset=1&page=2", "sort=random", "clubb=x", "status=", "page=0", "q=slot"}
        assert r.status_code == (422 if query in bad else 200), r.text
        if r.status_code == 422:
            assert r.json()["message"]
