"""The desk's pages (issue 13) in a real headless Chromium: heating up, clubs, a club, a person card, follows
and the story page's deal terms, outlet records and headlines; on a desktop and on a phone (no sideways
scroll). Screenshots go to artifacts/screenshots/ like the other browser tests'."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest

from mercato.serve.cli import app
from test_api import Server, start_server
from test_desk_serve import OURS, runner
from test_web_e2e import PHONE, Watched, browser  # noqa: F401 - the module's browser fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from test_api import build_corpus_db

    folder = tmp_path_factory.mktemp("desk-web")
    db = build_corpus_db(folder)
    (folder / "ours").mkdir()
    (folder / "ours" / "ours.txt").write_text(OURS, encoding="utf-8")
    r = runner.invoke(app, ["ingest", str(folder / "ours"), "--db", str(db), "-q"])
    assert r.exit_code == 0, r.output
    srv = start_server(db, folder)
    yield srv
    srv.stop()


@pytest.fixture
def desktop(browser: Any, server: Server) -> Iterator[Watched]:  # noqa: F811
    w = Watched(browser, server.url, viewport={"width": 1280, "height": 800})
    yield w
    w.close()


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Watched]:  # noqa: F811
    w = Watched(browser, server.url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield w
    w.close()


def _no_sideways(page: Any, path: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"


def test_desk_pages_on_a_desktop(desktop: Watched, server: Server) -> None:
    page = desktop.page
    page.goto("/heating?as_of=2024-05-25&days=7")
    rows = page.locator("[data-testid=heating] tbody tr")
    assert rows.count() >= 1 and "Kompany" in page.locator("[data-testid=heating]").inner_text()
    desktop.shot("desk-heating")
    page.goto("/clubs?league=Premier+League")
    assert "Liverpool" in page.locator("[data-testid=clubs]").inner_text()
    desktop.shot("desk-clubs")
    page.locator("[data-testid=clubs] a", has_text="Liverpool").first.click()
    page.wait_for_url(re.compile(r"/clubs/Liverpool"))
    text = page.locator("main").inner_text()
    assert "Linked in" in text and "Arne Slot" in text and "Victor Osimhen" in text
    desktop.shot("desk-club")
    page.get_by_role("button", name=re.compile("Follow Liverpool")).click()
    page.wait_for_url(re.compile(r"/clubs/Liverpool"))
    atom = page.get_by_role("link", name="Atom feed").first.get_attribute("href")
    feed = feedparser.parse(httpx.get(server.url + atom, timeout=30).text)
    assert not feed.bozo and feed.entries
    page.goto("/people/Arne%20Slot?as_of=2024-04-01")
    card = page.locator("[data-testid=person-card]").inner_text()
    assert "45" in card and "Feyenoord" in card
    desktop.shot("desk-person")
    page.goto("/follows")
    assert "Liverpool" in page.locator("[data-testid=follows]").inner_text()
    desktop.shot("desk-follows")
    page.locator("[data-testid=follows] a", has_text="Liverpool").first.click()
    page.wait_for_selector("[data-testid=atom-link]")
    desktop.shot("desk-follow")
    # the story page: the deal and, beside each claim, the outlet's record and the headline with its link
    page.goto("/clubs/Liverpool")
    page.locator("a", has_text="Victor Osimhen").first.click()
    page.wait_for_url(re.compile(r"/stories/"))
    assert "£100m" in page.locator("[data-testid=deal]").inner_text()
    assert page.locator(".timeline .rec").count() >= 1
    assert page.locator(".timeline a.headline[href='https://desk.example/osimhen']").count() == 1
    desktop.shot("desk-story-deal")
    assert desktop.errors == []


def test_desk_pages_fit_a_phone(phone: Watched) -> None:
    page = phone.page
    for path, name in (("/heating?as_of=2024-05-25&days=30", "desk-heating-phone"), ("/clubs", "desk-clubs-phone"),
                       ("/clubs/Liverpool", "desk-club-phone"), ("/people/Xabi%20Alonso?as_of=2024-03-01", "desk-person-phone"),
                       ("/follows", "desk-follows-phone")):
        page.goto(path)
        _no_sideways(page, path)
        phone.shot(name, full_page=False)
    page.goto("/clubs/Liverpool")
    page.locator("a", has_text="Victor Osimhen").first.click()
    page.wait_for_url(re.compile(r"/stories/"))
    _no_sideways(page, "story")
    phone.shot("desk-story-phone", full_page=False)
    assert phone.errors == []


SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
