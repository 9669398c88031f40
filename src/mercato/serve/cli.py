"""The `mercato` command line. Command groups of later stages register themselves at the bottom."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mercato.serve.output import console, emit_json, err_console, table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mercato: football rumour intelligence — articles in, attributed claims, stories and track records out.",
)

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database URL or SQLite path (default: $MERCATO_DB, else a file in the user data dir)")
]


class Engine(str, Enum):
    learned = "learned"
    rules = "rules"


ExtractorOpt = Annotated[
    Engine | None, typer.Option("--extractor", help="learned (default: the trained model decides) or rules (the rules engine); "
                                "$MERCATO_EXTRACTOR")
]


def _use_extractor(engine: Engine | None) -> None:
    """Select the extractor for this process (and worker processes it starts)."""
    import os

    from mercato.extract.pipeline import ENV_EXTRACTOR

    if engine is not None:
        os.environ[ENV_EXTRACTOR] = engine.value


class Fmt(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _db(url: str | None):  # type: ignore[no-untyped-def]
    from mercato.store import Database

    try:
        return Database(url)
    except Exception as exc:  # a wrong URL or an unreachable server: one clear line
        err_console.print(f"[red]error:[/] cannot open database {url or '(default)'}: {exc}")
        raise typer.Exit(2) from None


def _progress(disable: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=True, disable=disable,
    )


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs (text, one-line, JSONL, JSON, CSV, RSS/Atom, HTML)")],
    db: DbOpt = None,
    extract: Annotated[bool, typer.Option("--extract/--no-extract", help="Extract claims while ingesting")] = True,
    batch_size: Annotated[int, typer.Option(help="Articles per transaction")] = 200,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    extractor: ExtractorOpt = None,
) -> None:
    """Read articles, extract their claims and store both; re-ingesting the same article is a no-op."""
    from mercato.ingest.run import ingest_paths

    _use_extractor(extractor)
    database = _db(db)
    with _progress(quiet or not sys.stderr.isatty()) as progress:
        report = ingest_paths(database, paths, extract=extract, batch_size=batch_size, progress=progress)
    for err in report.errors:
        err_console.print(f"[red]error:[/] {err}", highlight=False)
    console.print(
        f"stored {report.stored} article(s), skipped {report.skipped} already stored, "
        f"{report.failed} failed; {report.claims} claim(s) extracted"
    )
    if report.failed:
        raise typer.Exit(1)


@app.command("extract")
def extract_cmd(
    paths: Annotated[list[str], typer.Argument(help="Article files or folders")],
    fmt: Annotated[Fmt, typer.Option("--format", help="jsonl (one claim per line) or table")] = Fmt.jsonl,
    engine: Annotated[str, typer.Option(help="local (in this process), or dask for a cluster")] = "local",
    workers: Annotated[int, typer.Option(help="Workers for --engine dask")] = 2,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a local cluster)")] = None,
    out: Annotated[Path | None, typer.Option(help="Write claims to this Parquet file (--engine dask)")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Store articles and claims in this database (--engine dask)")] = None,
    extractor: ExtractorOpt = None,
) -> None:
    """Extract claims without a database: one JSON object per claim."""
    _use_extractor(extractor)
    from mercato.extract import extract_article
    from mercato.ingest import IngestError, iter_paths, read_path

    if engine != "local":
        from mercato.serve.cli_scale import run_distributed

        run_distributed(paths, engine=engine, workers=workers, scheduler=scheduler, out=out, db=db)
        return
    failed = 0
    rows = []
    for path in iter_paths(paths):
        for item in read_path(path):
            if isinstance(item, IngestError):
                err_console.print(f"[red]error:[/] {item}", highlight=False)
                failed += 1
                continue
            label = str(path) if item.origin == str(path) else item.origin
            for c in extract_article(item):
                if fmt == Fmt.table:
                    rows.append([label, c.club, c.person, c.role, c.stage, c.source.journalist, c.source.outlet,
                                 c.certainty, c.evidence[:80]])
                else:
                    sys.stdout.write(json.dumps(c.to_json(article=label), ensure_ascii=False) + "\n")
    if fmt == Fmt.table:
        table("claims", ["article", "club", "person", "role", "stage", "journalist", "outlet", "certainty",
                         "evidence"], rows)
    if failed:
        raise typer.Exit(1)


@app.command("eval")
def eval_cmd(
    gold: Annotated[Path | None, typer.Option(help="Folder of gold claim files (<article>.json)")] = None,
    articles: Annotated[Path | None, typer.Option(help="Folder of the articles the gold describes")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss and false alarm")] = False,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    extractor: ExtractorOpt = None,
    labels: Annotated[Path | None, typer.Option(help="Packed labels (annotations/...): texts read from ../shared; "
                                                "scored per dataset")] = None,
    blind: Annotated[bool, typer.Option("--blind", help="With --labels annotations/blind: score the frozen blind set "
                                        "(figures only, never its errors; once per release, by the lead)")] = False,
) -> None:
    """Score the extractor against gold claims (precision, recall, F1, pair F1, stage and certainty accuracy)."""
    _use_extractor(extractor)
    from mercato.evaluate.run import evaluate_folder

    if labels is not None:
        _eval_labels(labels, blind, verbose, fmt)
        return
    if gold is None or articles is None:
        err_console.print("[red]error:[/] give --gold and --articles, or --labels")
        raise typer.Exit(2)
    if not gold.is_dir() or not articles.is_dir():
        err_console.print(f"[red]error:[/] {gold if not gold.is_dir() else articles}: not a folder")
        raise typer.Exit(2)
    from mercato.evaluate.run import EvalInputError

    try:
        result = evaluate_folder(gold, articles)
    except (EvalInputError, ValueError) as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if fmt != Fmt.table:
        emit_json(result.as_dict())
        return
    if verbose:
        for art in result.articles:
            for g in art.misses:
                console.print(f"[yellow]miss[/]  {art.article}: {_fmt_claim(g)}", highlight=False)
            for p in art.false_alarms:
                console.print(f"[red]false[/] {art.article}: {_fmt_claim(p)}", highlight=False)
            for p, g in art.matched:
                if p["stage"] != g["stage"] or p["certainty"] != g["certainty"]:
                    console.print(
                        f"[cyan]diff[/]  {art.article}: {_fmt_claim(g)} -> predicted {p['stage']}/{p['certainty']}",
                        highlight=False,
                    )
    d = result.as_dict()
    console.print(f"claims: gold {d['tp'] + d['fn']}, predicted {d['tp'] + d['fp']}, matched {d['tp']}")
    for key in ("precision", "recall", "f1", "pair_f1", "stage_accuracy", "certainty_accuracy"):
        console.print(f"{key:<20} {d[key]:.3f}")


def _eval_labels(labels: Path, blind: bool, verbose: bool, fmt: Fmt) -> None:
    from mercato.evaluate.annotations import AnnotationError, load_packed
    from mercato.evaluate.run import evaluate_labelled

    if blind and verbose:
        err_console.print("[red]error:[/] --verbose is refused with --blind: nobody reads the blind set's errors")
        raise typer.Exit(2)
    if not labels.exists():
        err_console.print(f"[red]error:[/] {labels}: no such file or folder")
        raise typer.Exit(2)
    try:
        docs = load_packed(labels, include_blind=blind)
    except (AnnotationError, ValueError) as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if not docs:
        err_console.print(f"[red]error:[/] {labels}: no labelled document (blind articles need --blind)")
        raise typer.Exit(2)
    by = evaluate_labelled(docs)
    if fmt != Fmt.table:
        emit_json({ds: s.as_dict() for ds, s in by.items()})
        return
    if verbose:
        for s in by.values():
            for art in s.articles:
                for g in art.misses:
                    console.print(f"[yellow]miss[/]  {art.article}: {_fmt_claim(g)}", highlight=False)
                for p in art.false_alarms:
                    console.print(f"[red]false[/] {art.article}: {_fmt_claim(p)}", highlight=False)
    keys = ("precision", "recall", "f1", "pair_f1", "stage_accuracy", "certainty_accuracy")
    table("scores", ["dataset", "documents", *keys],
          [[ds, len(s.articles), *(f"{s.as_dict()[k]:.3f}" for k in keys)] for ds, s in sorted(by.items())])


def _fmt_claim(c: dict) -> str:
    s = c.get("source") or {}
    return (f"{c['club']} | {c['person']} | {c['role']} | {c['stage']} | "
            f"{s.get('journalist')}/{s.get('outlet')} | {c['certainty']}")


@app.command()
def claims(
    db: DbOpt = None,
    club: str | None = None,
    person: str | None = None,
    source: Annotated[str | None, typer.Option(help="Journalist or outlet")] = None,
    stage: str | None = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows")] = 200,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List stored claims."""
    from mercato.store.repo import claim_to_dict, claims_query

    database = _db(db)
    q = claims_query(club, person, source, stage, _date(since, "--since"), _date(until, "--until")).limit(limit)
    with database.session() as s:
        rows = [claim_to_dict(c) for c in s.scalars(q)]
    if fmt != Fmt.table:
        emit_json(rows)
        return
    table(
        f"claims ({len(rows)})",
        ["date", "club", "person", "role", "stage", "source", "certainty"],
        [[r["date"], r["club"], r["person"], r["role"], r["stage"],
          " / ".join(x for x in (r["source"]["journalist"], r["source"]["outlet"]) if x) or "(unnamed)",
          r["certainty"]] for r in rows],
    )


@app.command()
def articles(
    db: DbOpt = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows")] = 100,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List stored articles."""
    from sqlalchemy import func, select

    from mercato.store.models import Article, Claim
    from mercato.store.repo import article_to_dict

    database = _db(db)
    with database.session() as s:
        q = (
            select(Article, func.count(Claim.id))
            .outerjoin(Claim, Claim.article_id == Article.id)
            .group_by(Article.id)
            .order_by(Article.date.desc(), Article.id.desc())
            .limit(limit)
        )
        rows = [{**article_to_dict(a), "claims": n} for a, n in s.execute(q)]
    if fmt != Fmt.table:
        emit_json(rows)
        return
    table(f"articles ({len(rows)})", ["id", "date", "outlet", "author", "claims", "origin"],
          [[r["id"], r["date"], r["outlet"], r["author"], r["claims"], r["origin"]] for r in rows])


@app.command()
def demo(
    db: DbOpt = None,
    sample: Annotated[Path, typer.Option(help="Folder of sample articles")] = Path("sample/articles"),
    outcomes: Annotated[Path, typer.Option(help="What really happened (outcomes JSON)")] = Path("sample/outcomes.json"),
) -> None:
    """The main job on the bundled sample: ingest -> extract -> store -> stories, outcomes, track records."""
    if db is None:
        db = "sample.db"
    if not sample.exists() and not sample.is_absolute():  # run from elsewhere: the checkout's own sample
        repo = Path(__file__).resolve().parents[3]
        sample, outcomes = repo / sample, repo / outcomes
    if not sample.is_dir():
        err_console.print(f"[red]error:[/] {sample}: no sample folder (run from the repository root or pass --sample)")
        raise typer.Exit(2)
    console.rule("1. ingest and extract the sample reports")
    ingest([str(sample)], db=db, extract=True, batch_size=200, quiet=True)
    claims(db=db, club=None, person=None, source=None, stage=None, since=None, until=None, limit=500,
           fmt=Fmt.table)
    try:
        from mercato.serve import cli_assess
    except ImportError:
        return
    if outcomes.exists():
        console.rule("2. import what really happened")
        cli_assess.outcomes_import(str(outcomes), db=db, fmt=Fmt.table)
    console.rule("3. stories: how likely each move is")
    cli_assess.print_stories_table(db)
    console.rule("4. sources: track records")
    cli_assess.sources(db=db, kind=None, min_resolved=0, limit=20, fmt=Fmt.table)


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err_console.print(f"[red]error:[/] {flag} {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None


def main() -> None:
    app()


# command groups of later stages (each module adds its commands to `app`)
for _module in ("cli_assess", "cli_web", "cli_ops"):
    try:
        __import__(f"mercato.serve.{_module}")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"mercato.serve.{_module}":
            raise
