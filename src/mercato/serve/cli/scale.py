"""`mercato extract --engine dask`: the extract stage on a Dask cluster (see mercato.scale)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from mercato.serve.cli.options import open_db
from mercato.serve.output import console, err_console


def run_distributed(paths: Sequence[str], engine: str = "dask", workers: int = 2, scheduler: str | None = None,
                    out: Path | None = None, db: str | None = None, chunk_size: int | None = None) -> None:
    """Read articles here, extract on the cluster, write claims to --out (Parquet) and/or --db;
    with neither, one JSON object per claim on stdout (as the local engine)."""
    from mercato.records import ArticleRecord, ClaimRecord
    from mercato.scale import ENGINES, ScaleReport, extract_on_cluster, read_articles
    from mercato.scale.engine import ParquetSink, StoreSink, dask_client

    if engine not in ENGINES:
        hint = " (Ray is not supported: Mercato uses Dask; see the README)" if engine == "ray" else ""
        err_console.print(f"[red]error:[/] unknown --engine {engine!r}; choose local or dask{hint}")
        raise typer.Exit(2)
    if workers < 1:
        err_console.print("[red]error:[/] --workers must be at least 1")
        raise typer.Exit(2)
    if out is not None and out.suffix.lower() != ".parquet":
        err_console.print(f"[red]error:[/] --out {out}: expected a .parquet file")
        raise typer.Exit(2)
    store_sink: StoreSink | None = None
    if db is not None:

        store_sink = StoreSink(open_db(db, create=True))
    articles, errors = read_articles(paths)
    for err in errors:
        err_console.print(f"[red]error:[/] {err}", highlight=False)
    parquet = ParquetSink(out) if out is not None else None

    def sink(arts: list[ArticleRecord], claims: list[list[ClaimRecord]]) -> None:
        if parquet is not None:
            parquet(arts, claims)
        if store_sink is not None:
            store_sink(arts, claims)
        if parquet is None and store_sink is None:
            for art, cs in zip(arts, claims, strict=True):
                for c in cs:
                    sys.stdout.write(json.dumps(c.to_json(article=art.origin), ensure_ascii=False) + "\n")

    report = ScaleReport(errors=errors)
    finished = False
    try:
        with dask_client(workers, scheduler) as client:
            extract_on_cluster(client, articles, sink, chunk_size=chunk_size, report=report)
        finished = True
    except OSError as exc:  # the scheduler is unreachable or the cluster would not start
        err_console.print(f"[red]error:[/] cannot reach the Dask cluster {scheduler or '(local)'}: {exc}")
        raise typer.Exit(2) from None
    finally:
        if parquet is not None:
            parquet.close(commit=finished)
    _summary(report, out, store_sink)
    if errors:
        raise typer.Exit(1)


def _summary(report: Any, out: Path | None, store_sink: Any) -> None:
    where = []
    if out is not None:
        where.append(f"wrote {out}")
    if store_sink is not None:
        where.append(f"stored {store_sink.stored} new article(s), added claims to {store_sink.updated} stored one(s)")
    target = console if (out is not None or store_sink is not None) else err_console
    target.print(
        f"extracted {report.claims} claim(s) from {report.articles} article(s) in {report.chunks} chunk(s) on "
        f"{report.workers} worker(s) in {report.seconds:.1f} s ({report.rate:.0f} articles/s)"
        + ("; " + "; ".join(where) if where else ""),
        highlight=False,
    )
