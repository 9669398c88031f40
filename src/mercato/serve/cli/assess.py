"""CLI commands of the assess stage: stories, story, sources, backtest, outcomes import/pending/confirm."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from mercato.serve.cli.options import AsOfOpt, DbOpt, Fmt, FmtOpt, check_choice, club_filter, open_db, parse_date
from mercato.serve.output import console, emit_json, err_console, table

MIN_RESOLVED = 5  # the leaderboard ranks sources with at least this many settled claims
outcomes_app = typer.Typer(help="Known outcomes of moves: import them, review proposed ones.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(stories)
    app.command()(story)
    app.command()(sources)
    app.command()(backtest)
    app.add_typer(outcomes_app, name="outcomes")
    app.command()(spells)


def stories(
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    kind: Annotated[str, typer.Option(help="move, vacancy or person")] = "move",
    club: Annotated[str | None, typer.Option(help="Only this club")] = None,
    person: Annotated[str | None, typer.Option(help="Only people whose name contains this")] = None,
    live: Annotated[bool, typer.Option(
        "--live", help="Only live stories: no outcome yet, nothing in the evidence settles it, window still open")] = False,
    limit: int = 50,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Stories with the probability that each move happens (as of a date)."""
    from mercato.assess.service import list_stories
    from mercato.serve.queries import filter_stories

    if kind not in ("move", "vacancy", "person"):
        err_console.print(f"[red]error:[/] --kind {kind!r}: use move, vacancy or person")
        raise typer.Exit(2)
    day = parse_date(as_of, "--as-of")
    rows = list_stories(open_db(db), day, kind)
    if club:  # an unknown club is an error with suggestions, not an empty table
        club_filter(club, sorted({r["club"] for r in rows if r["club"]}))
    # the same filters as the API's and the dashboard's (mercato.serve.queries)
    rows = filter_stories(rows, club=club, person=person, status="live" if live else "all")
    if fmt != Fmt.table:
        emit_json(rows)
        return
    _stories_table(rows[:limit], f"{kind} stories" + (f" as of {day}" if day else ""))


def _stories_table(rows: list[dict], title: str) -> None:
    def out(v: bool | None) -> str:
        return "-" if v is None else ("yes" if v else "no")

    def settled(r: dict) -> str:  # what settled the story, or that its window closed / a proposal awaits
        if r.get("settled_by"):
            return str(r["settled_by"])[:60]
        if r.get("pending"):
            return f"pending: {str(r['pending']['reason'] or '')[:50]}"
        if r.get("live") is False and r["outcome"] is None:
            return f"window closed {r.get('window_closes')}"
        return ""

    def likeliest(r: dict) -> str:  # the leader with its own probability, never the total of all candidates
        p = r.get("leader_probability")
        own = f", {p:.0%}" if isinstance(p, int | float) else ""
        n = r.get("candidates")
        of = f" of {n} {'candidates' if r['kind'] == 'vacancy' else 'clubs'}" if isinstance(n, int) else ""
        return f"{r.get('leader')} (likeliest{own}){of}"

    def who(r: dict) -> str | None:  # a vacancy shows its most likely candidate, a person story its likeliest club
        return likeliest(r) if r["kind"] == "vacancy" else r["person"]

    def where(r: dict) -> str | None:
        return likeliest(r) if r["kind"] == "person" else r["club"]

    grouped = any(r["kind"] != "move" for r in rows)
    # a job's or a person's row: the probability that any candidate happens, claims and sources of them all
    head = ["probability (any)", "club", "person", "role", "stage", "sources (all)", "claims (all)"] if grouped else \
        ["probability", "club", "person", "role", "stage", "sources", "claims"]
    table(title, [*head, "last", "outcome", "settled by"],
          [[f"{r['probability']:.0%}", where(r), who(r), r["role"], r["stage"], r["sources"], r["n_claims"],
            r["last_date"], out(r["outcome"]), settled(r)] for r in rows])


def print_stories_table(db_url: str | None, limit: int = 20) -> None:
    """Move stories with their probability (used by `mercato demo`)."""
    from mercato.assess.service import list_stories

    rows = list_stories(open_db(db_url), None, "move")
    _stories_table(rows[:limit], "move stories")


def story(
    story_id: Annotated[str, typer.Argument(help="Story id, e.g. move--liverpool--arne-slot--manager")],
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """One story: its claims, probability history and competing moves."""
    from mercato.assess.service import get_story

    s = get_story(open_db(db), story_id, parse_date(as_of, "--as-of"))
    if s is None:
        err_console.print(f"[red]error:[/] no story {story_id!r} (see `mercato stories`)")
        raise typer.Exit(1)
    if fmt != Fmt.table:
        emit_json(s)
        return
    console.print(f"[bold]{s['id']}[/]: {s['probability']:.0%} (stage {s['stage']}, {s['sources']} independent "
                  f"source(s), outcome {s['outcome']})", highlight=False)
    table("claims", ["date", "stage", "certainty", "journalist", "outlet", "evidence"],
          [[c["date"], c["stage"], c["certainty"], c["journalist"], c["outlet"], c["evidence"][:100]] for c in s["claims"]])
    if s["competitors"]:
        _stories_table(s["competitors"], "competing moves")


def sources(
    db: DbOpt = None,
    kind: Annotated[str | None, typer.Option(
        help="journalist, outlet (the leaderboard, the default), club (clubs' own announcements) or party "
             "(players, managers, officials, agents, pundits quoted)")] = None,
    min_resolved: Annotated[int, typer.Option(
        help="Only sources with at least this many settled claims (the leaderboard's default)")] = MIN_RESOLVED,
    limit: int = 50,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Track records: the leaderboard of journalists and outlets, or clubs' and parties' own records."""
    from mercato.assess.service import LEADERBOARD_KINDS, list_sources

    check_choice("--kind", kind, ("journalist", "outlet", "club", "party"))
    kinds = (kind,) if kind else LEADERBOARD_KINDS
    rows = [r for r in list_sources(open_db(db), kinds) if r["resolved"] >= min_resolved]
    if fmt != Fmt.table:
        emit_json(rows)
        return
    rows = sorted(rows, key=lambda r: (-r["credibility"], -r["resolved"], r["name"]))[:limit]
    table(f"sources ({', '.join(kinds)}; at least {min_resolved} settled claim(s))",
          ["name", "kind", "claims", "resolved", "hits", "hit rate", "brier", "credibility"],
          [[r["name"] + ("" if r.get("known", True) else " (new)"),
            r["kind"] + (f" ({r['party_role']})" if r.get("party_role") else ""), r["claims"], r["resolved"],
            r["hits"], "-" if r["hit_rate"] is None else f"{r['hit_rate']:.0%}",
            "-" if r["brier"] is None else f"{r['brier']:.3f}", f"{r['credibility']:.0%}"] for r in rows])


def backtest(
    db: DbOpt = None,
    variants: Annotated[bool, typer.Option("--variants/--no-variants", help="Also score model variants")] = True,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Replay stored claims in date order and score the forecasts against known outcomes."""
    from mercato.assess.backtest import fmt as f4
    from mercato.assess.backtest import run_backtest
    from mercato.assess.data import load

    claims, outcomes, _ = load(open_db(db))
    res = run_backtest(claims, outcomes, variants=variants)
    if fmt != Fmt.table:
        emit_json(res)
        return
    if not res["n"]:
        console.print("no forecasts to score: import outcomes first (`mercato outcomes import FILE`)")
        return
    console.print(f"forecasts scored: {res['n']} over {res['moves']} resolved moves; {res['positives']} of the "
                  f"forecasts were on moves that came true (base rate {res['base_rate']['rate']:.3f})")
    rows = [[name, f4(res[name]["brier"]), f4(res[name]["log_loss"]), f4(res[name]["skill"])]
            for name in ("model", "base_rate", "stage_only", "stage_only_forward", "model_crossfit", "stage_only_crossfit")
            if name in res]
    for name, v in res.get("variants", {}).items():
        rows.append([f"model: {name}", f4(v["brier"]), f4(v["log_loss"]), f4(v["skill"])])
    table("back-test (skill = 1 - Brier / Brier of the base rate)", ["forecaster", "brier", "log loss", "skill"], rows)
    table("reliability (model)", ["bin", "n", "forecast", "observed"],
          [[b["bin"], b["n"], b["forecast"], b["observed"]] for b in res["model"]["reliability"]])
    if res.get("outlets"):
        table("hit rate per outlet (resolvable rumours)", ["outlet", "rumours", "hits", "hit rate"],
              [[r["outlet"], r["rumours"], r["hits"], f"{r['hit_rate']:.1%}"] for r in res["outlets"][:25]])


@outcomes_app.command("import")
def outcomes_import(
    path: Annotated[str, typer.Argument(help="outcomes JSON ({'outcomes': [...]}) or a transfer register CSV")],
    db: DbOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Import known outcomes (a register is matched against the stored claims: ingest first)."""
    from mercato.assess.outcomes import OutcomeFileError, import_file

    try:
        rep = import_file(open_db(db, create=True), path)
    except OutcomeFileError as exc:
        err_console.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    if fmt != Fmt.table:
        emit_json(rep.as_dict())
        return
    console.print(f"{rep.form}: {rep.rows} row(s) read; outcomes stored {rep.stored}, updated {rep.updated} "
                  f"(happened {rep.true}, did not {rep.false}); undecidable moves {rep.unknown}")


@outcomes_app.command("pending")
def outcomes_pending(
    db: DbOpt = None,
    propose: Annotated[bool, typer.Option("--propose/--no-propose",
                                          help="First propose outcomes from done/off claims of parties")] = True,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Outcomes proposed from `done`/`off` claims by parties and official announcements, awaiting a user."""
    from mercato.assess.outcomes import pending, propose_from_claims

    database = open_db(db)
    if propose:
        propose_from_claims(database)
    rows = pending(database)
    if fmt != Fmt.table:
        emit_json(rows)
        return
    table(f"pending outcomes ({len(rows)}) - confirm with `mercato outcomes confirm ID`",
          ["id", "club", "person", "role", "happened", "date", "evidence"],
          [[r["id"], r["club"], r["person"], r["role"], r["happened"], r["resolved_on"], (r["note"] or "")[:90]]
           for r in rows])


@outcomes_app.command("confirm")
def outcomes_confirm(
    ids: Annotated[list[int], typer.Argument(help="Pending outcome id(s)")],
    db: DbOpt = None,
    happened: Annotated[bool | None, typer.Option("--happened/--did-not-happen", help="Override the proposal")] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Discard the proposal instead")] = False,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Confirm (or --reject) proposed outcomes; confirmed outcomes resolve stories and score sources."""
    from mercato.assess.outcomes import confirm

    database = open_db(db)
    done = []
    for i in ids:
        try:
            done.append(confirm(database, i, happened=happened, reject=reject))
        except LookupError as exc:
            err_console.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
    if fmt != Fmt.table:
        emit_json(done)
        return
    for d in done:
        console.print(f"{d['status']}: {d['club']} / {d['person']} / {d['role']} happened={d['happened']}")


def _today() -> dt.date:
    return dt.date.today()


def spells(
    person: Annotated[str, typer.Argument(help="A person's name (a surname the knowledge base knows will do)")],
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    on: Annotated[str | None, typer.Option("--on", help="YYYY-MM-DD: also say his club on that date")] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """A person's clubs over time (spells), and where each came from: the knowledge base's dated spells,
    transfer-register rows, confirmed outcomes, clubs' own announcements."""
    from mercato.kb.base import get_kb
    from mercato.store.spells import person_spells, spellbook

    day = parse_date(as_of, "--as-of")
    when = parse_date(on, "--on")
    database = open_db(db)
    name = get_kb().person(person) or person
    rows = person_spells(database, name, day)
    club_on = spellbook(database, day).club_on(name, when) if when else None
    if fmt != Fmt.table:
        out: dict = {"person": name, "as_of": day.isoformat() if day else None, "spells": rows}
        if when:
            out["on"] = when.isoformat()
            out["club_on"] = club_on
        emit_json(out)
        return
    if not rows:
        console.print(f"no spells known for {name}" + (f" as of {day}" if day else ""))
    else:
        table(f"spells of {name}" + (f" as of {day}" if day else ""), ["club", "role", "from", "until", "source"],
              [[r["club"], r["role"], r["from"] or "?", r["until"] or "-", r["source"]] for r in rows])
    if when:
        console.print(f"club on {when}: {club_on or 'unknown'}")
