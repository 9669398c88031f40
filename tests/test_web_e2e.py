"""The dashboard in a real headless Chromium (Playwright), against `mercato serve` on loopback.

Walks board -> story -> source -> article as a person would, checks what is on screen, proves that
article text containing markup is shown and never run, and saves a screenshot of every page to
artifacts/screenshots/ (desktop and phone widths).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_api import Server, build_corpus_db, start_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("MERCATO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("web-e2e")
    srv = start_server(build_corpus_db(folder), folder)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run must install it")
        pytest.skip(f"Chromium not found at {CHROMIUM} (set MERCATO_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watched:
    """A page plus every script error and console error it produced."""

    def __init__(self, browser: Any, base: str, **context: Any) -> None:
        self.context = browser.new_context(base_url=base, **context)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)

    def shot(self, name: str, full_page: bool = True) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def desktop(browser: Any, server: Server) -> Iterator[Watched]:
    w = Watched(browser, server.url, viewport={"width": 1280, "height": 900})
    yield w
    w.close()


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Watched]:
    w = Watched(browser, server.url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield w
    w.close()


def _wait_chart(page: Any, chart_id: str) -> None:
    page.wait_for_selector(f"#{chart_id}[data-rendered='1'] .main-svg", state="attached")


def test_board_to_story_to_source_to_article(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/")
    assert page.locator("h1").inner_text() == "Rumour board"
    # the board opens on what is live; every story, settled ones too, is one chip away
    assert page.locator(".chip[aria-current='true']", has_text="Live").count() == 1
    assert page.locator(".story-row .outcome-yes, .story-row .outcome-no").count() == 0
    page.get_by_role("link", name="All", exact=True).click()
    page.wait_for_url(re.compile(r"status=all"))
    rows = page.locator(".story-row")
    assert rows.count() >= 10
    first = rows.first
    assert re.fullmatch(r"\d{1,3}%", first.locator(".prob-num").inner_text())
    assert first.locator(".s-stage .badge").inner_text().lower() in {"interest", "contact", "talks", "bid", "advanced",
                                                                  "agreement", "done", "off"}
    probs = [int(t.rstrip("%")) for t in page.locator(".story-row .prob-num").all_inner_texts()]
    assert probs == sorted(probs, reverse=True), "the board is sorted by likelihood"
    desktop.shot("board")

    page.get_by_role("link", name="Most recent").click()
    page.wait_for_url(re.compile(r"sort=recent"))
    dates = page.locator(".story-row .s-date").all_inner_texts()
    dates = [d.replace("latest", "").strip() for d in dates]
    assert dates == sorted(dates, reverse=True)

    # filter the board the way a person would, then open the story
    page.get_by_placeholder("Filter by player or club").fill("Slot")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Slot"))
    page.get_by_role("link", name=re.compile(r"Arne Slot\s*→\s*Liverpool")).first.click()
    page.wait_for_url(re.compile(r"/stories/"))
    assert "Arne Slot" in page.locator("h1").inner_text() and "Liverpool" in page.locator("h1").inner_text()
    assert re.fullmatch(r"\d{1,3}%", page.get_by_test_id("probability").inner_text())
    assert "happened" in page.locator(".story-head").inner_text()  # the corpus outcome: Slot did join
    _wait_chart(page, "story-chart")
    points = page.locator("#story-chart .scatterlayer .point")
    n_claims = page.locator(".timeline .tl-item").count()
    assert n_claims >= 2 and points.count() == n_claims, "each claim is a point on the timeline"
    box = points.nth(points.count() - 1).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator("#story-chart .hoverlayer")
    page.wait_for_function("() => document.querySelector('#story-chart .hoverlayer').textContent.includes('stage')")
    assert "stage" in (hover.text_content() or "")
    versus = page.locator(".versus .vs-card")
    assert versus.count() >= 2, "competing candidates side by side"
    assert page.locator(".versus .vs-card.current").count() == 1
    desktop.shot("story")

    # a source of one of the claims
    source_link = page.locator(".timeline a[href^='/sources/']").first
    source_name = source_link.inner_text()
    source_link.click()
    page.wait_for_url(re.compile(r"/sources/"))
    assert source_name in page.locator("h1").inner_text()
    tiles = page.locator(".tile")
    assert tiles.count() == 6 and "credibility" in tiles.last.inner_text()
    assert re.fullmatch(r"\d{1,3}%", page.get_by_test_id("credibility").inner_text())
    desktop.shot("source")

    # and the article behind one of its claims, evidence highlighted
    page.locator(".claims-table a[href^='/articles/']").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+#claim-\d+"))
    claim_id = page.url.rsplit("#", 1)[1]
    card = page.locator(f"#{claim_id}")
    assert card.is_visible()
    marks = page.locator(".article-text mark")
    assert marks.count() >= 1
    assert page.locator(f".article-text a.ev[href='#{claim_id}']").count() + page.locator(".article-text a.ev").count() >= 1
    # clicking a highlight goes to its claim
    page.locator(".article-text a.ev").first.click()
    assert re.search(r"#claim-\d+$", page.url)
    desktop.shot("article")
    assert desktop.errors == []


def test_leaderboard_and_a_source_with_a_track_record(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/sources")
    assert page.locator("h1").inner_text() == "Source leaderboard"
    # by default the leaderboard ranks journalists and outlets with 5 settled claims or more
    default_rows = page.locator("table.leaderboard tbody tr")
    assert default_rows.count() >= 1
    for i in range(default_rows.count()):
        assert int(default_rows.nth(i).locator("td").nth(3).inner_text()) >= 5
        assert default_rows.nth(i).locator(".kind").inner_text() in ("journalist", "outlet")
    page.goto("/sources?min_resolved=0")
    rows = page.locator("table.leaderboard tbody tr")
    assert rows.count() >= 5
    _wait_chart(page, "stage-chart")
    assert page.locator("#stage-chart .bars .point").count() >= 1
    desktop.shot("leaderboard")
    page.get_by_role("link", name="Resolved", exact=True).click()  # sort by resolved claims
    page.wait_for_url(re.compile(r"sort=resolved"))
    top = page.locator("table.leaderboard tbody tr").first
    resolved = int(top.locator("td").nth(3).inner_text())
    assert resolved >= 1
    top.locator("a").first.click()
    page.wait_for_url(re.compile(r"/sources/"))
    _wait_chart(page, "calibration-chart")
    assert page.locator("#calibration-chart .scatterlayer .point").count() >= 1
    desktop.shot("source-track-record")
    # Holzner said Alonso was in advanced talks with Liverpool; Alonso stayed: it counts against him
    page.goto("/search?q=Holzner")
    page.locator("a[href^='/sources/']", has_text="Georg Holzner").first.click()
    page.wait_for_url(re.compile(r"/sources/"))
    row = page.locator(".claims-table tbody tr", has_text="Xabi Alonso → Liverpool").first
    assert "didn't happen" in row.inner_text() and "wrong" in row.inner_text()
    assert desktop.errors == []


def test_article_markup_is_shown_not_run(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/search?q=pwned")
    page.locator("a[href^='/articles/']").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+"))
    text = page.get_by_test_id("article-text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert "<script>" in page.locator("h1").inner_text()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator(".article-text script, .article-text img, h1 script").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    desktop.shot("article-hostile")
    # its claim's evidence also travels to the story page and into the chart's hover text
    story_link = page.locator(".claim-card a[href^='/stories/']").first
    if story_link.count():
        story_link.click()
        page.wait_for_url(re.compile(r"/stories/"))
        _wait_chart(page, "story-chart")
        assert "<script>window.__pwned = 1</script>" in page.locator(".timeline").inner_text()
        for i in range(page.locator("#story-chart .scatterlayer .point").count()):
            box = page.locator("#story-chart .scatterlayer .point").nth(i).bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.evaluate("() => window.__pwned") is None
    assert desktop.errors == []


def test_pages_fit_a_phone(phone: Watched) -> None:
    page = phone.page
    for path, name, chart in (("/", "board-phone", None), ("/sources", "leaderboard-phone", "stage-chart"),
                              ("/articles", "articles-phone", None)):
        page.goto(path)
        if chart:
            _wait_chart(page, chart)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a phone by {overflow}px"
        phone.shot(name, full_page=False)
    page.goto("/")
    page.locator(".story-link").first.click()
    page.wait_for_url(re.compile(r"/stories/"))
    _wait_chart(page, "story-chart")
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
    phone.shot("story-phone", full_page=False)
    page.locator(".timeline a[href^='/articles/']").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1
    phone.shot("article-phone", full_page=False)
    assert phone.errors == []


def test_search_and_not_found_pages(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/")
    page.get_by_role("searchbox", name="Search").fill("Kompany")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Kompany"))
    assert "Kompany" in page.locator(".grid-3").inner_text()
    desktop.shot("search")
    page.get_by_role("link", name="API reference").click()
    page.wait_for_url(re.compile(r"/api$"))
    assert page.locator(".endpoint").count() >= 7
    assert "since" in page.locator("#-api-claims").inner_text()
    desktop.shot("api-reference")
    resp = page.goto("/stories/move--nowhere--nobody--player")
    assert resp.status == 404 and "no story" in page.locator("main").inner_text().lower()


def test_every_claim_links_to_its_highlighted_evidence(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/articles")
    page.locator(".article-list a.a-title").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    cards = page.locator(".claim-card")
    assert cards.count() >= 1
    for i in range(cards.count()):
        href = cards.nth(i).get_by_role("link", name="show in the text ↑").get_attribute("href")
        target = page.locator(href)
        assert target.count() == 1, f"{href} points nowhere"
        assert target.locator("mark").inner_text().strip()
    highlighted = " ".join(page.locator(".article-text mark").all_inner_texts())
    for ev in page.locator(".claim-card .cc-ev").all_inner_texts()[:5]:
        assert ev.strip("“”").rstrip(".…").split()[0] in highlighted


def test_jobs_and_as_of(desktop: Watched) -> None:
    page = desktop.page
    page.goto("/")
    page.get_by_role("link", name="Jobs", exact=True).click()
    page.wait_for_url(re.compile(r"kind=vacancy"))
    assert page.locator(".story-link", has_text="Bayern Munich").count() == 0  # filled: no longer live
    page.get_by_role("link", name="Settled", exact=True).click()
    page.wait_for_url(re.compile(r"status=settled"))
    bayern = page.locator(".story-row", has_text="Bayern Munich")
    assert bayern.count() >= 1 and "job" in bayern.first.locator(".story-link").inner_text()
    assert "settled by: Vincent Kompany" in bayern.first.inner_text()  # the appointment that filled it
    bayern = bayern.first.locator(".story-link")
    bayern.first.click()
    page.wait_for_url(re.compile(r"/stories/vacancy--"))
    assert "Bayern Munich" in page.locator("h1").inner_text()
    candidates = page.locator(".versus .vs-card")
    assert candidates.count() >= 3, "the candidates for the job side by side"
    names = candidates.all_inner_texts()
    assert any("Kompany" in n for n in names)
    _wait_chart(page, "story-chart")
    desktop.shot("story-vacancy")
    # the same job as it looked before Kompany was mentioned: fewer claims, no Kompany
    page.get_by_label("As of date").fill("2024-03-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"as_of=2024-03-01"))
    dates = [d.strip() for d in page.locator(".timeline .tl-date").all_inner_texts()]
    assert dates and max(dates) <= "2024-03-01"
    assert not any("Kompany" in n for n in page.locator(".versus .vs-card").all_inner_texts())
    assert desktop.errors == []


PHONE_WIDTH = 390


def _page_types(base: str) -> list[str]:
    """One URL of every kind of page, chosen from the data the way it is most likely to overflow: the source with
    the most stages and the one with the longest name, the story with the most claims, the longest article."""
    import httpx

    def items(path: str, **params: Any) -> list[dict[str, Any]]:
        r = httpx.get(base + path, params={"limit": 200, **params}, timeout=120)
        r.raise_for_status()
        return list(r.json()["items"])

    sources = [s for kind in ("journalist", "outlet", "club", "party") for s in items("/api/sources", kind=kind)]
    most_stages = max(sources, key=lambda s: (len(s.get("by_stage") or {}), s["claims"]))
    longest_name = max(sources, key=lambda s: len(s["name"]))
    paths = ["/", "/?status=settled", "/?status=all", "/?kind=vacancy", "/?kind=person&status=all",
             "/sources", "/sources?min_resolved=0", f"/sources/{most_stages['id']}", f"/sources/{longest_name['id']}",
             f"/sources/{most_stages['id']}?claims=all", "/articles", "/search?q=Bayern", "/api",
             "/stories/move--nowhere--nobody--player"]
    for kind in ("move", "vacancy", "person"):
        story = max(items("/api/stories", kind=kind, sort="claims"), key=lambda s: s["n_claims"])
        paths.append(f"/stories/{story['id']}")
        if kind == "move":
            paths.append(f"/stories/{story['id']}?as_of={story['last_date']}")
    articles = items("/api/articles")
    longest = max(articles, key=lambda a: len(a.get("title") or "") + a["claims"])
    paths += [f"/articles/{longest['id']}", f"/articles/{articles[0]['id']}"]
    return paths


def _page_kind(href: str) -> str | None:
    """'/sources/x?y' -> '/sources/*': one page of each kind is enough (None: not a dashboard page)."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    parts = [p for p in path.split("/") if p]
    if parts and (parts[0] in ("static", "docs", "openapi.json", "redoc") or (parts[0] == "api" and len(parts) > 1)
                  or parts[-1].endswith((".atom", ".xml", ".json", ".csv", ".rss"))):
        return None  # not a page (a feed, a file, the API)
    return "/" + "/".join(parts[:1] + (["*"] if len(parts) > 1 else []))


def test_every_page_type_fits_a_390px_phone(browser: Any, server: Server) -> None:
    """document.scrollWidth within a 390 px phone's width on every kind of page (the fixed width, not innerWidth:
    a mobile viewport widens itself to content that overflows)."""
    w = Watched(browser, server.url, viewport={"width": PHONE_WIDTH, "height": 844}, device_scale_factor=2,
                is_mobile=True, has_touch=True)
    try:
        too_wide = []
        queue = _page_types(server.url)
        kinds = {_page_kind(p) for p in queue}
        for path in queue:
            w.page.goto(path)
            # any other kind of page linked from here (a person's or a club's page, ...) is checked too
            for href in w.page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))"):
                kind = _page_kind(href)
                if kind is not None and kind not in kinds and len(queue) < 60:
                    kinds.add(kind)
                    queue.append(href.split("#", 1)[0])
            for chart in w.page.locator(".chart").all():
                _wait_chart(w.page, str(chart.get_attribute("id")))
            width = w.page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
            if width > PHONE_WIDTH:
                too_wide.append(f"{path}: {width}px")
        assert too_wide == [], f"pages wider than a {PHONE_WIDTH} px phone: {too_wide}"
        assert [e for e in w.errors if "status of 404" not in e] == []  # the not-found page is one of them
    finally:
        w.close()


def _overlaps(boxes: list[tuple[str, dict[str, float]]]) -> list[str]:
    out = []
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1:]:
            if (p["x"] + p["width"] - 0.5 > q["x"] and q["x"] + q["width"] - 0.5 > p["x"]
                    and p["y"] + p["height"] - 0.5 > q["y"] and q["y"] + q["height"] - 0.5 > p["y"]):
                out.append(f"{a!r} overlaps {b!r}")
    return out


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": PHONE_WIDTH, "height": 844}],
                         ids=["desktop", "phone"])
def test_stage_chart_labels_do_not_overlap(browser: Any, server: Server, viewport: dict[str, int]) -> None:
    import httpx

    sources = httpx.get(server.url + "/api/sources", params={"limit": 200, "min_resolved": 0}, timeout=120).json()["items"]
    most = max(sources, key=lambda s: len(s.get("by_stage") or {}))
    w = Watched(browser, server.url, viewport=viewport)
    try:
        for path in ("/sources?min_resolved=0", f"/sources/{most['id']}"):
            w.page.goto(path)
            _wait_chart(w.page, "stage-chart")
            labels = w.page.locator("#stage-chart .xtick text, #stage-chart .ytick text, #stage-chart .bartext")
            boxes = [(labels.nth(i).text_content() or "", labels.nth(i).bounding_box()) for i in range(labels.count())]
            names = {t for t, _ in boxes}
            assert {"interest", "advanced", "agreement", "done"} <= names, names  # every stage is labelled
            assert _overlaps([(t, b) for t, b in boxes if b]) == [], path
        assert w.errors == []
    finally:
        w.close()
