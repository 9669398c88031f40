"""serve: the ways people reach Mercato — the `mercato` CLI, the JSON API, the web dashboard.

May touch: the store (read and write through mercato.store), and call every other stage.

- `cli/`: the command line, one module per command group, added explicitly in `cli/__init__.py`;
  shared options (--db, --format, --as-of, dates, club filters) in `cli/options.py`.
- `pipeline.py`: batch ingest (read -> extract -> store) for `ingest` and `watch`.
- `queries.py`: listings, filters, sorting and search, called by the API, the pages and the CLI.
- `api/`: the FastAPI app (`create_app`), its /api routes, parameters, documentation models, cache.
- `web/`: the dashboard's pages and templates; `web/catalog.py` caches what assess computes.
"""
