"""What a follow sees: its claims as feed entries (each with its story), an Atom feed of them (a pure
function of the entries), and the alerts `mercato watch` prints when followed entities get new claims."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

from mercato.assess.service import snapshot
from mercato.assess.stories import move_story
from mercato.extract.terms import format_fee
from mercato.store.db import Database
from mercato.store.follows import follow_claims, list_follows, mark_seen

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50


def _story_of(db: Database, claim_ids: list[int], as_of: dt.date | None) -> dict[int, dict[str, Any]]:
    snap, claims = snapshot(db, as_of)
    wanted = set(claim_ids)
    out = {}
    for c in claims:
        if c.id in wanted and c.move in snap.moves:
            out[c.id] = move_story(snap, snap.moves[c.move])
    return out


def entries(db: Database, follow: dict[str, Any], as_of: dt.date | None = None, after_id: int = 0,
            limit: int = FEED_LIMIT) -> list[dict[str, Any]]:
    """The follow's claims, newest first (dated on or before `as_of` where given), each with the story it
    belongs to as of that date."""
    rows = follow_claims(db, follow, after_id=after_id, limit=limit, until=as_of)
    stories = _story_of(db, [r["id"] for r in rows], as_of) if rows else {}
    for r in rows:
        r["story"] = stories.get(r["id"])
    return rows


def entry_title(e: dict[str, Any]) -> str:
    src = e["source"]["journalist"] or e["source"]["outlet"] or e.get("publisher") or "unnamed source"
    t = e.get("terms") or {}
    fee = format_fee(t.get("fee_amount"), t.get("fee_currency"))
    deal = ", ".join(x for x in (fee, t.get("deal_type"), t.get("buy_clause") and f"{t['buy_clause']} to buy") if x)
    return f"{e['person']} to {e['club']}: {e['stage']} ({src})" + (f" [{deal}]" if deal else "")


def atom_feed(follow: dict[str, Any], items: list[dict[str, Any]], self_url: str, site_url: str,
              generated: dt.datetime | None = None) -> str:
    """An Atom 1.0 document (RFC 4287) for one follow: one entry per claim, linking to its story page and to
    the article it came in. Pure: the same follow, entries and URLs give the same text."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    site = site_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"{site}/follows/{follow['id']}")
    sub(feed, "title", f"Mercato: {follow['kind']} {follow['name']}")
    dates = [e["date"] for e in items]
    updated = (max(dates) + "T00:00:00Z") if dates else (
        (generated or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    sub(feed, "updated", updated)
    sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href=f"{site}/follows/{follow['id']}", type="text/html")
    author = sub(feed, "author")
    sub(author, "name", "Mercato")
    sub(feed, "generator", "Mercato")
    for e in items:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{site}/claims/{e['id']}")
        sub(entry, "title", entry_title(e))
        sub(entry, "updated", e["date"] + "T00:00:00Z")
        sub(entry, "published", e["date"] + "T00:00:00Z")
        story = e.get("story")
        if story:
            sub(entry, "link", rel="alternate", href=f"{site}/stories/{quote(story['id'])}", type="text/html")
        if str(e.get("url") or "").lower().startswith(("http://", "https://")):  # never javascript: or data:
            sub(entry, "link", rel="related", href=e["url"], title=e.get("headline") or e["url"])
        who = e["source"]["journalist"] or e["source"]["outlet"] or e.get("publisher")
        if who:
            sub(sub(entry, "author"), "name", who)
        lines = [e["evidence"]]
        if story:
            lines.append(f"Story: {story['person']} to {story['club']}, {round(100 * story['probability'])}% likely, "
                         f"stage {story['stage']}.")
        if e.get("headline"):
            lines.append(f"From: {e['headline']}")
        sub(entry, "summary", "\n".join(lines), type="text")
        sub(entry, "category", term=e["stage"])
    return ET.tostring(feed, encoding="unicode", xml_declaration=True)


def alerts(db: Database, mark: bool = True) -> list[dict[str, Any]]:
    """For each follow, the stories that got claims stored since the last call (one alert per follow and
    story, with how many new claims and the latest); with `mark`, those claims are not alerted again."""
    out = []
    for f in list_follows(db):
        new = entries(db, f, after_id=f["seen_claim_id"], limit=500)
        if not new:
            continue
        by_story: dict[str, list[dict[str, Any]]] = {}
        for e in new:
            sid = e["story"]["id"] if e.get("story") else f"claim--{e['id']}"
            by_story.setdefault(sid, []).append(e)
        for sid, es in by_story.items():
            latest = es[0]
            story = latest.get("story")
            out.append({"follow": f, "story": story, "story_id": sid, "new_claims": len(es), "latest": latest,
                        "line": alert_line(f, story, es)})
        if mark:
            mark_seen(db, f["id"], max(e["id"] for e in new))
    return out


def alert_line(follow: dict[str, Any], story: dict[str, Any] | None, es: list[dict[str, Any]]) -> str:
    latest = es[0]
    head = f"[{follow['kind']}: {follow['name']}] "
    n = f"{len(es)} new claim{'s' if len(es) > 1 else ''}"
    if story is None:
        return head + f"{latest['person']} to {latest['club']}: {n} ({entry_title(latest)})"
    return (head + f"{story['person']} to {story['club']} ({story['role']}): {n}, now {round(100 * story['probability'])}% "
            f"at {story['stage']}; latest: {entry_title(latest)}")
