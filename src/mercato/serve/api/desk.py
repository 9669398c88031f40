"""The desk's `/api/...` routes (issue 13): heating up, clubs and their links by window, person cards,
follows with an Atom feed each. Computations come from `mercato.serve.queries` (the pages call it too)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from mercato.serve import queries
from mercato.serve.api.models import ErrorOut
from mercato.serve.api.params import invalid
from mercato.serve.web.catalog import Catalog
from mercato.store import Database
from mercato.store.follows import FOLLOW_KINDS, FollowError, add_follow, find_follow, list_follows, remove_follow

ATOM_TYPE = "application/atom+xml; charset=utf-8"
AsOf = Annotated[dt.date | None, Query(description="Only what was known on this day (YYYY-MM-DD)")]
Window = Annotated[str | None, Query(pattern=r"^\d{4}-(summer|winter)$",
                                     description="One transfer window: 2021-summer, 2022-winter (January)")]


class FollowIn(BaseModel):
    kind: Literal["club", "person", "journalist"] = Field(description="What to follow")
    name: str = Field(min_length=1, max_length=200, description="Its name (an alias or nickname the knowledge base knows works)")


class FollowOut(BaseModel):
    id: int
    kind: str
    name: str
    seen_claim_id: int
    created_at: str | None = None
    atom: str = Field(description="The follow's Atom feed")
    new: bool | None = None


def _check_window(catalog: Catalog, window: str | None, as_of: dt.date | None) -> None:
    if window is None:
        return
    known = [w["window"] for w in queries.desk_filters(catalog, as_of)["windows"]]
    if window not in known:
        raise invalid("window", window, f"no stories speak of that window (windows: {', '.join(known) or 'none'})")


def add_desk_routes(api: APIRouter, db: Database, catalog: Catalog) -> None:
    err: dict[int | str, dict[str, Any]] = {422: {"model": ErrorOut, "description": "Invalid query parameter"}}
    missing: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "Not found"}}

    @api.get("/heating", responses=err, tags=["desk"])
    def heating(
        as_of: AsOf = None,
        days: Annotated[int, Query(ge=1, le=365, description="The last N days before the date")] = 7,
        direction: Annotated[Literal["up", "down", "any"], Query(description="up, down or any")] = "any",
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> Any:
        """Stories heating up: whose likelihood moved most in the last N days before the date (nothing from after
        it): each with probability_then, probability, change, and the days it was claimed in the window."""
        return JSONResponse(queries.heating(catalog, as_of, days=days, direction=direction, limit=limit))

    @api.get("/clubs", responses=err, tags=["desk"])
    def clubs(
        as_of: AsOf = None,
        league: Annotated[str | None, Query(max_length=100, description="The club's league ('Premier League') or country ('eng')")] = None,
        window: Window = None,
        limit: Annotated[int, Query(ge=1, le=2000)] = 100,
    ) -> Any:
        """Clubs with how many moves are linked in and out, busiest first; the windows and leagues there are."""
        _check_window(catalog, window, as_of)
        rows = queries.clubs_index(catalog, as_of, league=league, window=window)
        return JSONResponse({"items": rows[:limit], "total": len(rows), **queries.desk_filters(catalog, as_of)})

    @api.get("/clubs/{club}", responses={**err, **missing}, tags=["desk"])
    def club(
        club: Annotated[str, Path(max_length=200, description="A club's name, alias or nickname")],
        as_of: AsOf = None,
        window: Window = None,
        league: Annotated[str | None, Query(max_length=100, description="Only links with clubs of this league or country")] = None,
    ) -> Any:
        """A club's links in (moves to it) and out (its people linked elsewhere, by their club as known on the
        story's first day), grouped by transfer window, newest first."""
        _check_window(catalog, window, as_of)
        page = queries.club_page(catalog, club, as_of, window=window, league=league)
        if page is None:
            raise HTTPException(404, f"no story names the club {club!r}")
        return JSONResponse(page)

    @api.get("/people/{person}", responses={**err, **missing}, tags=["desk"])
    def person(person: Annotated[str, Path(max_length=200)], as_of: AsOf = None) -> Any:
        """A person's card on the date viewed: age, position, role, club on that date, spells, move stories."""
        card = queries.person_card(catalog, person, as_of)
        if card is None:
            raise HTTPException(404, f"no claim names {person!r} and the knowledge base does not know him")
        return JSONResponse(card)

    def _out(request: Request, f: dict[str, Any], new: bool | None = None) -> dict[str, Any]:
        return {**f, "atom": str(request.url_for("follow_atom", follow_id=f["id"])), "new": new}

    @api.get("/follows", response_model=list[FollowOut], tags=["follows"])
    def follows(request: Request) -> Any:
        """What is followed, with each follow's Atom feed."""
        return JSONResponse([_out(request, f) for f in list_follows(db)])

    @api.post("/follows", response_model=FollowOut, responses=err, status_code=201, tags=["follows"])
    def follow(request: Request, body: FollowIn) -> Any:
        """Follow a club, a person or a journalist (idempotent: 200 with new=false when already followed)."""
        try:
            f, new = add_follow(db, body.kind, body.name)
        except FollowError as exc:
            raise HTTPException(422, str(exc)) from None
        return JSONResponse(_out(request, f, new), status_code=201 if new else 200)

    @api.delete("/follows/{follow_id}", status_code=204, responses=missing, tags=["follows"])
    def unfollow(follow_id: Annotated[int, Path(ge=1)]) -> Response:
        """Stop following."""
        if not remove_follow(db, follow_id):
            raise HTTPException(404, f"no follow {follow_id}")
        return Response(status_code=204)

    @api.get("/follows/{follow_id}", responses={**err, **missing}, tags=["follows"])
    def follow_items(request: Request, follow_id: Annotated[int, Path(ge=1)], as_of: AsOf = None,
                     limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Any:
        """A follow's claims, newest first, each with its story, deal terms, headline and link."""
        f = find_follow(db, follow_id)
        if f is None:
            raise HTTPException(404, f"no follow {follow_id}")
        return JSONResponse({**_out(request, f), "items": queries.follow_entries(db, f, as_of, limit)})

    @api.get("/follows/{follow_id}/atom", name="follow_atom", responses={**err, **missing}, tags=["follows"],
             response_class=Response)
    def follow_atom(request: Request, follow_id: Annotated[int, Path(ge=1)], as_of: AsOf = None) -> Response:
        """The follow's Atom feed (RFC 4287): one entry per claim, linking to its story and its article."""
        f = find_follow(db, follow_id)
        if f is None:
            raise HTTPException(404, f"no follow {follow_id}")
        site = str(request.base_url).rstrip("/")
        return Response(queries.follow_atom(db, f, site, as_of), media_type=ATOM_TYPE)


__all__ = ["add_desk_routes", "FOLLOW_KINDS"]
