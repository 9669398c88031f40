"""Query parameters shared by the API's routes: paging, date ranges, unknown-parameter rejection, and
the one-line description of a validation error (`invalid query parameter 'limit': ...`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError

MAX_LIMIT = 200


async def reject_unknown_params(request: Request) -> None:
    """A misspelt filter (`?clubb=`) must not silently return everything: 422 naming it."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    allowed = _query_names(dependant)
    unknown = [k for k in request.query_params.keys() if k not in allowed]
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden", "loc": ("query", k), "input": request.query_params.get(k),
                    "msg": f"unknown query parameter (allowed: {', '.join(sorted(allowed)) or 'none'})",
                }
                for k in unknown
            ]
        )


def _query_names(dependant: Any) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


class Paging:
    def __init__(self, limit: int, offset: int) -> None:
        self.limit = limit
        self.offset = offset

    def wrap(self, items: list[Any], total: int, **extra: Any) -> dict[str, Any]:
        return {**extra, "items": items, "total": total, "limit": self.limit, "offset": self.offset,
                "page": self.offset // self.limit + 1}

    def slice(self, rows: list[Any]) -> list[Any]:
        return rows[self.offset : self.offset + self.limit]


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})")] = 50,
    offset: Annotated[int | None, Query(ge=0, description="Items to skip")] = None,
    page: Annotated[int | None, Query(ge=1, description="1-based page number (instead of offset)")] = None,
) -> Paging:
    if offset is not None and page is not None:
        raise invalid("page", page, "give either page or offset, not both")
    return Paging(limit, offset if offset is not None else ((page or 1) - 1) * limit)


def invalid(name: str, value: Any, msg: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", name), "msg": msg, "input": value}])


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise invalid("until", until.isoformat(), f"until ({until}) is before since ({since})")


def describe(err: dict[str, Any]) -> str:
    loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
    where = f"{'path' if 'path' in err.get('loc', ()) else 'query'} parameter '{'.'.join(loc)}'" if loc else "request"
    got = err.get("input")
    shown = f" (got {got!r})" if got is not None and not isinstance(got, dict) else ""
    return f"invalid {where}: {err.get('msg')}{shown}"
