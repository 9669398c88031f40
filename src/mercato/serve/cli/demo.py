"""`mercato demo`: the main job on the bundled sample, end to end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from mercato.config import ENV_DB, demo_db_path, resolve_db_url
from mercato.serve.cli import assess
from mercato.serve.cli.ingest import claims, ingest
from mercato.serve.cli.options import DbOpt, Fmt, shown_url
from mercato.serve.output import console, err_console


def register(app: typer.Typer) -> None:
    app.command()(demo)


def demo(
    db: DbOpt = None,
    sample: Annotated[Path, typer.Option(help="Folder of sample articles")] = Path("sample/articles"),
    outcomes: Annotated[Path, typer.Option(help="What really happened (outcomes JSON)")] = Path("sample/outcomes.json"),
) -> None:
    """The main job on the bundled sample: ingest -> extract -> store -> stories, outcomes, track records.

    The database is --db, else $MERCATO_DB, else demo.db in the user data dir (said in the output)."""
    if db is None and not os.environ.get(ENV_DB):
        db = str(demo_db_path())
    url = resolve_db_url(db)
    shown = shown_url(url)
    if not sample.exists() and not sample.is_absolute():  # run from elsewhere: the checkout's own sample
        repo = Path(__file__).resolve().parents[4]
        sample, outcomes = repo / sample, repo / outcomes
    if not sample.is_dir():
        err_console.print(f"[red]error:[/] {sample}: no sample folder (run from the repository root or pass --sample)")
        raise typer.Exit(2)
    console.print(f"demo database: {shown}  (look around: mercato claims --db {shown})", highlight=False)
    console.rule("1. ingest and extract the sample reports")
    ingest([str(sample)], db=db, extract=True, batch_size=200, quiet=True)
    claims(db=db, club=None, person=None, source=None, stage=None, since=None, until=None, lang=None, limit=500,
           fmt=Fmt.table)
    if outcomes.exists():
        console.rule("2. import what really happened")
        assess.outcomes_import(str(outcomes), db=db, fmt=Fmt.table)
    console.rule("3. stories: how likely each move is")
    assess.print_stories_table(db)
    console.rule("4. sources: track records")
    assess.sources(db=db, kind=None, min_resolved=0, limit=20, fmt=Fmt.table)
