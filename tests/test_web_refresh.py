"""Stale while recomputing: after a database change, listings and pages are served from the previous state
(saying so, and which state) while the new one is computed in the background.

Deterministic: the catalogue's refresh waits on a gate the test holds, so the old state is observed for
certain while the new one is blocked, and the new one after the gate opens (no timing assumptions).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from test_api import build_corpus_db


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus_db(tmp_path_factory.mktemp("refresh"))


@pytest.fixture
def app_client(corpus: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Any, Path]]:
    import shutil

    from mercato.serve.api import create_app

    db = tmp_path / "copy.db"
    shutil.copy(corpus, db)  # each test changes its own copy
    app = create_app(str(db), warm=False)
    catalog = app.state.catalog
    catalog.ttl = 0.0  # re-read the database version on every request: the change is seen at once
    with TestClient(app) as client:
        yield client, catalog, db
    if catalog.refresh_gate is not None:
        catalog.refresh_gate.set()
    catalog.wait_refreshed(timeout=120)


def _add_outcome(db: Path, story: dict[str, Any], happened: bool) -> None:
    from mercato.store import Database
    from mercato.store.models import Outcome

    database = Database(str(db))
    with database.session() as s:
        s.add(Outcome(club=story["club"], person=story["person"], role=story["role"], happened=happened,
                      resolved_on=dt.date(2024, 6, 30), status="confirmed", origin="test", note="settled in a test"))
    database.engine.dispose()


def test_listing_after_a_change_is_served_from_the_previous_state_while_the_new_one_computes(app_client: Any) -> None:
    client, catalog, db = app_client
    url = "/api/stories?limit=200&status=all"
    before = client.get(url).json()
    assert before["state"]["refreshing"] is False
    number = before["state"]["state"]
    open_story = next(s for s in before["items"] if s["outcome"] is None and s["kind"] == "move")
    board = client.get("/?status=all")  # the board's listing is computed in this state too
    assert board.status_code == 200 and "Refreshing" not in board.text

    gate = threading.Event()
    catalog.refresh_gate = gate  # the background refresh blocks here until the test lets it go
    _add_outcome(db, open_story, happened=True)

    during = client.get(url).json()
    assert during["state"]["refreshing"] is True
    assert during["state"]["state"] == number, "served from the previous state"
    assert during["total"] == before["total"]
    same = next(s for s in during["items"] if s["id"] == open_story["id"])
    assert same["outcome"] is None, "the previous state's answer, not yet the new outcome"
    assert catalog.refreshing()
    # the board says so too, with the state it shows
    page = client.get("/?status=all")
    assert page.status_code == 200
    assert "Refreshing" in page.text and f'data-state="{number}"' in page.text
    assert open_story["person"] in page.text

    gate.set()
    assert catalog.wait_refreshed(timeout=300)
    after = client.get(url).json()
    assert after["state"]["refreshing"] is False
    assert after["state"]["state"] > number
    assert after["state"]["outcomes"] == before["state"]["outcomes"] + 1
    settled = next(s for s in after["items"] if s["id"] == open_story["id"])
    assert settled["outcome"] is True and settled["probability"] == 1.0
    assert "Refreshing" not in client.get("/?status=all").text


def test_a_story_page_the_previous_state_computed_is_served_from_it_too(app_client: Any) -> None:
    client, catalog, db = app_client
    before = client.get("/api/stories?limit=200").json()
    open_story = next(s for s in before["items"] if s["outcome"] is None)
    api_url, page_url = f"/api/stories/{open_story['id']}", f"/stories/{open_story['id']}"
    assert client.get(api_url).json()["outcome"] is None
    first = client.get(page_url).text
    assert "Refreshing" not in first
    # the page also shows rival moves for the same job, which may have outcomes of their own: count, not presence
    settled = first.count("didn't happen")

    gate = threading.Event()
    catalog.refresh_gate = gate
    _add_outcome(db, open_story, happened=False)
    assert client.get(api_url).json()["outcome"] is None, "the previous state's story while the new one computes"
    page = client.get(page_url)
    assert "Refreshing" in page.text and page.text.count("didn't happen") == settled

    gate.set()
    assert catalog.wait_refreshed(timeout=300)
    story = client.get(api_url).json()
    assert story["outcome"] is False and story["probability"] == 0.0
    assert client.get(page_url).text.count("didn't happen") > settled


def test_a_first_state_with_nothing_computed_is_simply_replaced(app_client: Any) -> None:
    client, catalog, db = app_client
    first = catalog.serving()
    _add_outcome(db, {"club": "Nowhere FC", "person": "Nobody At All", "role": "player"}, happened=True)
    second = catalog.serving()
    assert second is not first and second.number == first.number + 1
    assert not catalog.refreshing()  # nothing to serve stale: no background refresh, computed on demand
    assert client.get("/api/stories?limit=1").json()["state"]["refreshing"] is False


def test_changes_during_a_refresh_wait_for_the_next_one_refresh_at_a_time(app_client: Any) -> None:
    client, catalog, db = app_client
    before = client.get("/api/stories?limit=200").json()
    open_stories = [s for s in before["items"] if s["outcome"] is None][:2]
    gate = threading.Event()
    catalog.refresh_gate = gate
    _add_outcome(db, open_stories[0], happened=True)
    client.get("/api/stories?limit=200")
    pending = catalog._next
    assert pending is not None
    _add_outcome(db, open_stories[1], happened=True)  # a second change while the first refresh is blocked
    during = client.get("/api/stories?limit=200").json()
    assert catalog._next is pending, "no second refresh starts while one runs"
    assert during["state"]["state"] == before["state"]["state"] and during["state"]["refreshing"] is True
    gate.set()
    assert catalog.wait_refreshed(timeout=300)
    client.get("/api/stories?limit=200")  # the first request after it is live sees the second change
    assert catalog.wait_refreshed(timeout=300)
    after = client.get("/api/stories?limit=200").json()
    assert after["state"]["refreshing"] is False
    assert after["state"]["outcomes"] == before["state"]["outcomes"] + 2
    done = {s["id"]: s["outcome"] for s in after["items"]}
    assert all(done[s["id"]] is True for s in open_stories)
