"""Commands of the first stages: ingest, extract, eval, and the store's listings (claims, articles)."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from mercato.serve.cli.options import (
    DbOpt,
    ExtractorOpt,
    Fmt,
    FmtOpt,
    check_choice,
    club_filter,
    open_db,
    parse_date,
    parse_lang,
    use_extractor,
)
from mercato.serve.output import LineProgress, console, emit_json, err_console, table


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command("extract")(extract_cmd)
    app.command("reextract")(reextract_cmd)
    app.command("eval")(eval_cmd)
    app.command()(claims)
    app.command()(articles)


def _progress(disable: bool) -> Progress:
    """Articles read: count of the total (counted first where knowable), rate, elapsed and time left."""
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
        _RateColumn(), TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"),
        console=err_console, transient=True, disable=disable,
    )


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")


def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs (text, one-line, JSONL, JSON, CSV, RSS/Atom, HTML)")],
    db: DbOpt = None,
    extract: Annotated[bool, typer.Option("--extract/--no-extract", help="Extract claims while ingesting")] = True,
    batch_size: Annotated[int, typer.Option(help="Articles per transaction")] = 200,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    extractor: ExtractorOpt = None,
) -> None:
    """Read articles, extract their claims and store both; re-ingesting the same article is a no-op."""
    from mercato.serve.pipeline import ingest_paths

    use_extractor(extractor)
    database = open_db(db, create=True)
    # a terminal gets a live bar; a pipe or a log a line every MERCATO_PROGRESS_EVERY seconds (10)
    shown: Any = LineProgress() if not sys.stderr.isatty() else _progress(False)
    with nullcontext() if quiet else shown as progress:
        report = ingest_paths(database, paths, extract=extract, batch_size=batch_size, progress=progress)
    for err in report.errors:
        err_console.print(f"[red]error:[/] {err}", highlight=False)
    replaced = f", {report.replaced} replaced by the fuller text at their URL" if report.replaced else ""
    console.print(
        f"stored {report.stored} article(s){replaced}, skipped {report.skipped} already stored, "
        f"{report.failed} failed; {report.claims} claim(s) extracted"
    )
    if report.failed:
        raise typer.Exit(1)


def reextract_cmd(
    db: DbOpt = None,
    versions: Annotated[list[str] | None, typer.Option(
        "--from", help="Only articles whose claims this extractor version made (repeatable; default: every other "
                       "version than the one chosen)")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per transaction")] = 200,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count the articles that would be read again")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    extractor: ExtractorOpt = None,
) -> None:
    """Read again the stored articles whose claims another extractor version made, and replace their claims.

    Each batch is one transaction (an article never loses its claims nor gets two sets); re-running goes on
    where a stopped run left off, and does nothing once every article is read by the chosen version."""
    from mercato.serve.pipeline import reextract

    use_extractor(extractor)
    if batch_size < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--batch-size")
    database = open_db(db)
    shown: Any = LineProgress() if not sys.stderr.isatty() else _progress(False)
    silent = quiet or dry_run
    with nullcontext() if silent else shown:
        task = None if silent else shown.add_task("reextract", total=None)
        report = reextract(database, versions or None, batch_size=batch_size, dry_run=dry_run,
                           on_item=(lambda n: shown.advance(task, n)) if task is not None else None)
    stale = ", ".join(f"{n} by {v}" for v, n in sorted(report.by_version.items(), key=lambda kv: str(kv[0]))) or "none"
    if dry_run:
        console.print(f"{sum(report.by_version.values())} article(s) to read again with {report.version} ({stale})")
        return
    console.print(f"read {report.articles} article(s) again with {report.version} ({stale}): "
                  f"{report.claims_before} claim(s) replaced by {report.claims_after}")


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
    use_extractor(extractor)
    from mercato.extract import extract_article
    from mercato.ingest import IngestError, iter_paths, read_path

    if engine != "local":
        from mercato.serve.cli.scale import run_distributed  # Dask: only for --engine dask

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


def eval_cmd(
    gold: Annotated[Path | None, typer.Option(help="Folder of gold claim files (<article>.json)")] = None,
    articles: Annotated[Path | None, typer.Option(help="Folder of the articles the gold describes")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every miss and false alarm")] = False,
    fmt: FmtOpt = Fmt.table,
    extractor: ExtractorOpt = None,
    labels: Annotated[Path | None, typer.Option(help="Packed labels (annotations/...): texts read from ../shared; "
                                                "scored per dataset")] = None,
    blind: Annotated[bool, typer.Option("--blind", help="With --labels annotations/blind: score the frozen blind set "
                                        "(figures only, never its errors; once per release, by the lead)")] = False,
    per_component: Annotated[bool, typer.Option("--per-component", help="Score each rules component (mentions and "
                                                "linking, pairing, stage, attribution, certainty) beside end to end; "
                                                "see mercato.evaluate.components")] = False,
    by_lang: Annotated[bool, typer.Option("--by-lang", help="With --labels: also one row per language within each "
                                          "dataset (articles:de, articles:es...)")] = False,
) -> None:
    """Score the extractor against gold claims (precision, recall, F1, pair F1, stage and certainty accuracy)."""
    use_extractor(extractor)
    from mercato.evaluate.run import evaluate_folder

    if per_component:
        _eval_components(gold, articles, labels, blind, fmt)
        return
    if labels is not None:
        _eval_labels(labels, blind, verbose, fmt, by_lang)
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


def _eval_components(gold: Path | None, articles: Path | None, labels: Path | None, blind: bool, fmt: Fmt) -> None:
    from mercato.evaluate import components as comp

    if blind:
        err_console.print("[red]error:[/] --per-component is refused with --blind: it reads where the errors lie")
        raise typer.Exit(2)
    if labels is None and (gold is None or articles is None):
        err_console.print("[red]error:[/] give --gold and --articles, or --labels")
        raise typer.Exit(2)
    try:
        docs = comp.load_docs([], gold, articles, labels)
    except (ValueError, OSError) as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None
    by = comp.evaluate(docs)
    if fmt != Fmt.table:
        emit_json({ds: s.as_dict() for ds, s in by.items()})
        return
    console.print(comp.render(by), highlight=False)


def _eval_labels(labels: Path, blind: bool, verbose: bool, fmt: Fmt, by_lang: bool = False) -> None:
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
    by = evaluate_labelled(docs, by_lang=by_lang)
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


def claims(
    db: DbOpt = None,
    club: str | None = None,
    person: str | None = None,
    source: Annotated[str | None, typer.Option(help="Journalist or outlet")] = None,
    stage: str | None = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the claim's article (en, de, es, it, fr, pt)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows")] = 200,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """List stored claims (--club takes a name, alias or nickname the knowledge base knows: "Bayern", "spurs")."""
    from mercato.records import ALL_STAGES
    from mercato.store.clubs import stored_clubs
    from mercato.store.repo import claim_to_dict, claims_query

    database = open_db(db)
    check_choice("--stage", stage, ALL_STAGES)
    with database.session() as s:
        clubs = club_filter(club, stored_clubs(s)) if club else None
        q = claims_query(clubs, person, source, stage, parse_date(since, "--since"), parse_date(until, "--until"),
                         parse_lang(lang)).limit(limit)
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


def articles(
    db: DbOpt = None,
    lang: Annotated[str | None, typer.Option(help="Only articles in this language (en, de, es, it, fr, pt)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows")] = 100,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """List stored articles."""
    from sqlalchemy import func, select

    from mercato.store.models import Article, Claim
    from mercato.store.repo import article_to_dict

    database = open_db(db)
    with database.session() as s:
        q = (
            select(Article, func.count(Claim.id))
            .outerjoin(Claim, Claim.article_id == Article.id)
            .where(*([Article.lang == code] if (code := parse_lang(lang)) else []))
            .group_by(Article.id)
            .order_by(Article.date.desc(), Article.id.desc())
            .limit(limit)
        )
        rows = [{**article_to_dict(a), "claims": n} for a, n in s.execute(q)]
    if fmt != Fmt.table:
        emit_json(rows)
        return
    table(f"articles ({len(rows)})", ["id", "date", "lang", "outlet", "author", "claims", "origin"],
          [[r["id"], r["date"], r["lang"], r["outlet"], r["author"], r["claims"], r["origin"]] for r in rows])
