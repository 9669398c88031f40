"""`mercato watch`: poll feeds, ingest only new items, extract, and log what changed.

A feed that times out, answers non-200, redirects, sends malformed XML, or a poll that hits a
database error gets one log line; the loop always goes on to the next feed and the next poll.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer

from mercato.serve.cli.options import DbOpt, open_db

log = logging.getLogger("mercato.watch")


def register(app: typer.Typer) -> None:
    app.command()(watch)

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.I)
_UNIT = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_interval(value: str) -> float:
    """'90' or '90s', '10m', '1.5h', '1d' -> seconds."""
    m = _INTERVAL.match(value or "")
    if not m:
        raise ValueError(f"interval {value!r} is not a number with an optional unit s, m, h or d (e.g. 10m)")
    unit = m.group(2).lower() if m.group(2) else None
    return float(m.group(1)) * _UNIT[unit]


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    polls: int = 0
    failures: int = 0
    followed: set[str] = field(default_factory=set)  # item links already fetched (--follow-links)


@dataclass
class PollResult:
    new: int = 0
    replaced: int = 0  # stored teasers given the full text of their page
    seen: int = 0
    failed: int = 0
    claims: int = 0
    changes: list[str] = field(default_factory=list)


def poll_feed(db: Any, feed: str, state: FeedState, *, extract: bool = True, follow_links: bool = False) -> PollResult:
    """One poll of one feed (URL or local file): fetch, parse, store new items, report changes."""
    from mercato.ingest import IngestError, read_path
    from mercato.ingest.feeds import parse_feed
    from mercato.ingest.fetch import fetch
    from mercato.ingest.readers import is_url
    from mercato.serve.pipeline import ingest_records

    state.polls += 1
    result = PollResult()
    if is_url(feed):
        got = fetch(feed, etag=state.etag, last_modified=state.last_modified)
        if got.not_modified:
            log.info("%s: not modified since the last poll", feed)
            return result
        state.etag, state.last_modified = got.etag, got.last_modified
        items = list(parse_feed(got.content, feed, base_url=got.url))
    else:
        items = list(read_path(feed))
    for item in items:
        if isinstance(item, IngestError):
            log.error("%s", item)
    if follow_links:
        items = [x for x in (follow_link(db, it, state) if not isinstance(it, IngestError) else it for it in items)
                 if x is not None]
    before = _max_claim_id(db)
    report = ingest_records(db, items, extract=extract)
    result.new, result.seen, result.failed, result.claims = report.stored, report.skipped, report.failed, report.claims
    result.replaced = report.replaced
    if (report.stored or report.replaced) and extract:
        result.changes = describe_changes(db, before)
    return result


def follow_link(db: Any, item: Any, state: FeedState) -> Any:
    """A feed item -> the full article on the page it links to (feeds often carry only a teaser).

    Each link is fetched once per watch, and not when an article with that URL is stored with more than the
    item's text (its page was read before); a page read after the item's teaser was stored (`ingest` of the
    feed) replaces it. When the page cannot be read the item's own text is kept, with a warning naming it.
    """
    from sqlalchemy import func, select

    from mercato.ingest import IngestError
    from mercato.ingest.pages import read_page_url
    from mercato.ingest.readers import is_url
    from mercato.records import ArticleRecord
    from mercato.store.models import Article

    link = item.url
    if not link or not is_url(link):
        return item
    if link in state.followed:
        return None  # fetched on an earlier poll: stored then
    with db.session() as s:  # stored already with more than the item's own text: the page was read before
        stored = s.scalar(select(func.max(func.length(Article.text))).where(Article.url == link))
    if stored is not None and stored > len(item.text):
        state.followed.add(link)
        return None
    state.followed.add(link)
    page = next(iter(read_page_url(link)), None)
    if not isinstance(page, ArticleRecord):
        why = page.problem if isinstance(page, IngestError) else "nothing read"
        log.warning("%s: could not read the linked page (%s); storing the feed item's own text", link, why)
        return item
    return ArticleRecord(
        date=page.date, text=page.text, outlet=page.outlet or item.outlet, author=page.author or item.author,
        url=link, title=page.title or item.title, origin=item.origin, at_url=True,
    )


def _max_claim_id(db: Any) -> int:
    from sqlalchemy import func, select

    from mercato.store.models import Claim

    with db.session() as s:
        return int(s.scalar(select(func.max(Claim.id))) or 0)


def describe_changes(db: Any, since_claim_id: int) -> list[str]:
    """Log lines for the moves that claims newer than `since_claim_id` touched: a new story (no
    earlier claim about that club, person and role), or a stage change (its latest stage moved)."""
    from sqlalchemy import and_, select

    from mercato.store.models import Claim

    lines: list[str] = []
    with db.session() as s:
        fresh = list(s.scalars(select(Claim).where(Claim.id > since_claim_id).order_by(Claim.id)))
        moves: dict[tuple[str, str, str], list[Claim]] = {}
        for c in fresh:
            moves.setdefault((c.club, c.person, c.role), []).append(c)
        for (club, person, role), new_claims in moves.items():
            same = and_(Claim.club == club, Claim.person == person, Claim.role == role)
            order = (Claim.claim_date.desc(), Claim.id.desc())
            before = s.scalars(select(Claim).where(same, Claim.id <= since_claim_id).order_by(*order).limit(1)).first()
            latest = s.scalars(select(Claim).where(same).order_by(*order).limit(1)).first()
            assert latest is not None
            who = f"{person} -> {club}" + ("" if role == "player" else f" ({role})")
            src = _source(latest)
            if before is None:
                n = len(new_claims)
                lines.append(f"new story: {who}, stage {latest.stage} ({n} claim{'s' if n != 1 else ''}; {src})")
            elif before.stage != latest.stage:
                lines.append(f"stage change: {who}: {before.stage} -> {latest.stage} ({src}, {latest.claim_date})")
    return lines


def _source(c: Any) -> str:
    return " / ".join(x for x in (c.journalist, c.outlet) if x) or "unnamed source"


def _setup_logging(quiet: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", "%Y-%m-%d %H:%M:%S"))
    root = logging.getLogger("mercato")
    root.addHandler(handler)
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    root.propagate = False
    return handler


def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs (or local feed files)")],
    db: DbOpt = None,
    every: Annotated[str, typer.Option(help="Time between polls: 90s, 10m, 1h")] = "10m",
    once: Annotated[bool, typer.Option("--once", help="Poll each feed once, then stop")] = False,
    max_polls: Annotated[int | None, typer.Option(help="Stop after this many polls (default: run until stopped)")] = None,
    extract: Annotated[bool, typer.Option("--extract/--no-extract", help="Extract claims from new items")] = True,
    follow_links: Annotated[bool, typer.Option("--follow-links", help="Store the full article each new item links to")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Log only problems")] = False,
) -> None:
    """Poll feeds, ingest only new items, extract their claims, and log new stories and stage changes; print an
    alert for each followed club, person or journalist's story that got new claims (`mercato follow add`)."""
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        typer.echo(f"error: --every: {exc}", err=True)
        raise typer.Exit(2) from None
    limit = 1 if once else max_polls
    if interval < 1 and limit is None:  # an endless loop without pause would hammer the feeds
        typer.echo(f"error: --every {every!r} is under a second; give --max-polls or a longer interval", err=True)
        raise typer.Exit(2)
    database = open_db(db, create=True)
    handler = _setup_logging(quiet)
    feeds = list(dict.fromkeys(feeds))  # the same feed named twice is polled once
    states = {feed: FeedState() for feed in feeds}
    poll = 0
    try:
        while True:
            poll += 1
            log.info("poll %d: %d feed(s)", poll, len(feeds))
            for feed in feeds:
                _poll_one(database, feed, states[feed], extract, follow_links)
            _alerts(database)
            if limit is not None and poll >= limit:
                break
            log.info("next poll in %s", every)
            time.sleep(interval)
    except KeyboardInterrupt:
        log.info("stopped after %d poll(s)", poll)
    finally:
        logging.getLogger("mercato").removeHandler(handler)


def _alerts(database: Any) -> None:
    """One line on stdout per followed story (`mercato follow add`) that got new claims since the last alert."""
    from mercato.assess.follows import alerts

    try:
        for a in alerts(database):
            typer.echo("alert: " + a["line"])
    except Exception as exc:  # an alert that cannot be computed must not stop the loop
        log.error("alerts for follows failed (%s: %s); will retry next poll", type(exc).__name__, exc)


def _poll_one(database: Any, feed: str, state: FeedState, extract: bool, follow_links: bool = False) -> None:
    from mercato.ingest import IngestError

    try:
        res = poll_feed(database, feed, state, extract=extract, follow_links=follow_links)
    except IngestError as err:  # fetch gave up: timeout, non-200, too many redirects
        state.failures += 1
        log.error("%s (poll goes on; %d failure(s) so far)", err, state.failures)
        return
    except Exception as exc:  # a database error or a bug: one line, and the loop goes on
        state.failures += 1
        log.error("%s: poll failed (%s: %s); will retry next poll", feed, type(exc).__name__, exc)
        return
    log.info("%s: %d new item(s), %d already stored, %d bad; %d claim(s)", feed, res.new, res.seen, res.failed,
             res.claims)
    if res.replaced:
        log.info("%s: %d stored item(s) replaced by the full text of their page", feed, res.replaced)
    for line in res.changes:
        log.info("%s", line)
