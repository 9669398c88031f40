"""The desk's dashboard pages (issue 13): heating up, clubs and a club's links by window, a person's card,
follows with their Atom feeds. They call `mercato.serve.queries`, as the API does."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from mercato.serve import queries
from mercato.serve.web.catalog import Catalog, ServiceUnavailable
from mercato.serve.web.pages import as_of_param, choice_param, int_param, query_string, render
from mercato.store import Database
from mercato.store.follows import FOLLOW_KINDS, FollowError, add_follow, find_follow, list_follows, remove_follow


def _followed(db: Database, kind: str, name: str) -> dict[str, Any] | None:
    return next((f for f in list_follows(db) if f["kind"] == kind and f["name"].lower() == name.lower()), None)


def _window(request: Request, catalog: Catalog, as_of: dt.date | None) -> str | None:
    raw = (request.query_params.get("window") or "").strip() or None
    if raw is None:
        return None
    known = [w["window"] for w in queries.desk_filters(catalog, as_of)["windows"]]
    if raw not in known:
        raise HTTPException(422, f"window must be one of {', '.join(known) or '(none)'} (got {raw!r})")
    return raw


def add_desk_pages(app: FastAPI, db: Database, catalog: Catalog) -> None:
    @app.get("/heating", include_in_schema=False)
    def heating_page(request: Request) -> HTMLResponse:
        as_of = as_of_param(request)
        days = int_param(request, "days", 7, 1, 365)
        direction = choice_param(request, "direction", ("any", "up", "down"), "any")
        try:
            out = queries.heating(catalog, as_of, days=days, direction=direction, limit=50)
        except ServiceUnavailable as exc:
            raise HTTPException(503, str(exc)) from None
        return render(request, "heating.html", title="Heating up", out=out, days=days, direction=direction,
                      as_of=as_of, qs=query_string)

    @app.get("/clubs", include_in_schema=False)
    def clubs_page(request: Request) -> HTMLResponse:
        as_of = as_of_param(request)
        window = _window(request, catalog, as_of)
        league = (request.query_params.get("league") or "").strip()[:100] or None
        page = int_param(request, "page", 1)
        rows = queries.clubs_index(catalog, as_of, league=league, window=window)
        per_page = 50
        from mercato.serve.web.pages import page_info

        return render(request, "clubs.html", title="Clubs", clubs=rows[(page - 1) * per_page: page * per_page],
                      pg=page_info(len(rows), page, per_page), filters=queries.desk_filters(catalog, as_of),
                      league=league, window=window, as_of=as_of, qs=query_string)

    @app.get("/clubs/{club}", include_in_schema=False)
    def club_page(request: Request, club: str) -> HTMLResponse:
        as_of = as_of_param(request)
        window = _window(request, catalog, as_of)
        league = (request.query_params.get("league") or "").strip()[:100] or None
        page = queries.club_page(catalog, club, as_of, window=window, league=league)
        if page is None:
            raise HTTPException(404, f"No story names the club “{club}”.")
        return render(request, "club.html", title=page["club"], page=page, window=window, league=league, as_of=as_of,
                      qs=query_string, followed=_followed(db, "club", page["club"]))

    @app.get("/people/{person}", include_in_schema=False)
    def person_page(request: Request, person: str) -> HTMLResponse:
        as_of = as_of_param(request)
        card = queries.person_card(catalog, person, as_of)
        if card is None:
            raise HTTPException(404, f"No claim names “{person}”, and the knowledge base does not know him.")
        return render(request, "person.html", title=card["person"], card=card, as_of=as_of,
                      followed=_followed(db, "person", card["person"]))

    @app.get("/follows", include_in_schema=False)
    def follows_page(request: Request) -> HTMLResponse:
        return render(request, "follows.html", title="Follows", follows=list_follows(db), kinds=FOLLOW_KINDS,
                      error=request.query_params.get("error"))

    @app.post("/follows", include_in_schema=False)
    async def follow_form(request: Request) -> Response:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        try:
            f, _ = add_follow(db, form.get("kind", ""), form.get("name", ""))
        except FollowError as exc:
            return RedirectResponse("/follows?error=" + quote(str(exc)), status_code=303)
        back = form.get("back") or ""
        return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else f"/follows/{f['id']}",
                                status_code=303)

    @app.post("/follows/{follow_id}/remove", include_in_schema=False)
    def unfollow_form(follow_id: int) -> Response:
        remove_follow(db, follow_id)
        return RedirectResponse("/follows", status_code=303)

    @app.get("/follows/{follow_id}", include_in_schema=False)
    def follow_page(request: Request, follow_id: int) -> HTMLResponse:
        f = find_follow(db, follow_id)
        if f is None:
            raise HTTPException(404, f"There is no follow {follow_id}.")
        as_of = as_of_param(request)
        return render(request, "follow.html", title=f"Following {f['name']}", follow=f,
                      items=queries.follow_entries(db, f, as_of), as_of=as_of)
