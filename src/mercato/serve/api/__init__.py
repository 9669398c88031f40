"""The JSON API (`/api/...`) and the dashboard, in one FastAPI app: `create_app(db_url)`.

Lists are `{"items": [...], "total", "limit", "offset", "page"}`; `limit` (1-200) with `offset` or a
1-based `page`. Bad or unknown query parameters get a 422 whose `message` names the parameter and
the problem. Stories and sources come from the assess stage through a cache keyed by the database's
state (see `mercato.serve.web.catalog`), so listings stay fast under load.

Modules: `app` (the app and its error handlers), `routes` (the /api routes), `params` (paging and
parameter checks), `models` (the documentation models), `cache` (cached responses); listings,
filters and search are `mercato.serve.queries`, shared with the pages.
"""

from mercato.serve.api.app import create_app

__all__ = ["create_app"]
