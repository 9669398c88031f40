"""The `mercato` command line.

Each module holds one group of commands and adds them in its `register(app)`; this module adds every
group explicitly, in the order `mercato --help` lists them. Options every group shares (--db,
--format, --as-of, dates, languages, club and choice filters) live in `options`. Modules import
what they need at the top, except what only one command needs and that is slow to load (spaCy and
the extractor, SQLAlchemy, the assess stage, FastAPI, Dask): those are imported inside that command,
so `mercato --help` and a mistyped option answer at once.
"""

from __future__ import annotations

import typer

from mercato.serve.cli import assess, demo, desk, ingest, watch, web

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mercato: football rumour intelligence — articles in, attributed claims, stories and track records out.",
)

ingest.register(app)  # ingest, extract, eval, claims, articles
demo.register(app)  # demo
assess.register(app)  # stories, story, sources, backtest, outcomes import|pending|confirm, spells
desk.register(app)  # heating, club, clubs, person, follow add|list|remove|feed
web.register(app)  # serve
watch.register(app)  # watch


def main() -> None:
    app()


__all__ = ["app", "main"]
