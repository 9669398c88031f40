"""`mercato serve`: the JSON API and the dashboard over one database."""

from __future__ import annotations

from typing import Annotated

import typer

from mercato.config import resolve_db_url
from mercato.serve.cli.options import DbOpt, check_sqlite_path
from mercato.serve.output import console, err_console


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port")] = 8000,
    db: DbOpt = None,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development)")] = False,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve the JSON API (/api, docs at /docs) and the dashboard (/)."""
    import uvicorn

    from mercato.serve.api import create_app

    url = resolve_db_url(db)
    check_sqlite_path(url, create=False)  # a mistyped --db must not serve an empty new database
    try:
        application = create_app(url)
    except Exception as exc:  # a wrong URL or an unreachable server: one clear line
        err_console.print(f"[red]error:[/] cannot open database {url}: {exc}")
        raise typer.Exit(2) from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    console.print(f"Mercato on http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs; database: {url})")
    if reload:
        err_console.print("[yellow]--reload is not supported with an app object; serving without it[/]")
    uvicorn.run(application, host=host, port=port, log_level=log_level, access_log=log_level == "debug")
