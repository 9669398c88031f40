"""CLI commands of the desk (issue 13): heating, club, clubs, person, and `follow add|list|remove|feed`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from mercato.serve.cli.options import AsOfOpt, DbOpt, Fmt, open_db, parse_date
from mercato.serve.output import console, emit_json, err_console, table

follow_app = typer.Typer(help="Follow a club, a person or a journalist: an Atom feed each, and alerts in `mercato watch`.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command()(heating)
    app.command()(club)
    app.command()(clubs)
    app.command()(person)
    app.add_typer(follow_app, name="follow")


def _pct(p: Any) -> str:
    return f"{p:.0%}" if isinstance(p, int | float) else "-"


def _fee(terms: dict[str, Any] | None) -> str:
    from mercato.extract.terms import format_fee

    if not terms:
        return ""
    bits = [format_fee(terms.get("fee_amount"), terms.get("fee_currency")), terms.get("deal_type"),
            f"{terms['buy_clause']} to buy" if terms.get("buy_clause") else None]
    return ", ".join(b for b in bits if b)


def heating(
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    days: Annotated[int, typer.Option(min=1, max=365, help="The last N days before the date")] = 7,
    direction: Annotated[str, typer.Option(help="up, down or any (largest change either way)")] = "any",
    limit: Annotated[int, typer.Option(min=1)] = 20,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Stories heating up: whose likelihood moved most in the last N days (as of a date; nothing from after it)."""
    from mercato.assess.desk import heating_up

    if direction not in ("up", "down", "any"):
        err_console.print(f"[red]error:[/] --direction {direction!r}: use up, down or any")
        raise typer.Exit(2)
    out = heating_up(open_db(db), parse_date(as_of, "--as-of"), days=days, limit=limit, direction=direction)
    if fmt != Fmt.table:
        emit_json(out)
        return
    table(f"heating up: {out['since']} to {out['as_of']} ({out['total']} stories moved)",
          ["story", "then", "now", "change", "stage", "days claimed"],
          [[f"{s['person']} → {s['club']}", _pct(s["probability_then"]), _pct(s["probability"]),
            f"{s['change']:+.0%}" + (" (new)" if s["new"] else ""), s["stage"], ", ".join(s["days_claimed"])]
           for s in out["stories"]])


def club(
    name: Annotated[str, typer.Argument(help="A club: name, alias or nickname ('spurs')")],
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    window: Annotated[str | None, typer.Option(help="One transfer window: 2021-summer, 2022-winter")] = None,
    league: Annotated[str | None, typer.Option(help="Only links with clubs of this league ('Serie A') or country ('it')")] = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """A club's page: who is linked in and out, by transfer window."""
    from mercato.assess.desk import club_page

    database = open_db(db)
    day = parse_date(as_of, "--as-of")
    _check_window(database, window, day)
    page = club_page(database, name, day, window=window, league=league)
    if page is None:
        err_console.print(f"[red]error:[/] no story names the club {name!r}" + (f" as of {day}" if day else ""))
        raise typer.Exit(1)
    if fmt != Fmt.table:
        emit_json(page)
        return
    console.print(f"[bold]{page['club']}[/] ({page['league'] or 'league unknown'}): {page['n_in']} linked in, "
                  f"{page['n_out']} linked out" + (f", as of {day}" if day else ""))
    for w in page["windows"]:
        rows = [["in", s["person"], s["from"] or "?", _pct(s["probability"]), s["stage"], s["id"]] for s in w["in"]]
        rows += [["out", s["person"], s["to"], _pct(s["probability"]), s["stage"], s["id"]] for s in w["out"]]
        table(w["label"], ["", "person", "from / to", "likelihood", "stage", "story"], rows)


def _check_window(database: Any, window: str | None, day: Any) -> None:
    from mercato.assess.desk import windows_known

    if window is None:
        return
    known = [w["window"] for w in windows_known(database, day)]
    if window not in known:
        err_console.print(f"[red]error:[/] --window {window!r}: windows with stories are {', '.join(known) or 'none'}")
        raise typer.Exit(2)


def clubs(
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    league: Annotated[str | None, typer.Option(help="Only clubs of this league ('Premier League') or country ('eng')")] = None,
    window: Annotated[str | None, typer.Option(help="One transfer window: 2021-summer, 2022-winter")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Clubs with how many moves are linked in and out, busiest first."""
    from mercato.assess.desk import clubs_index, leagues_known

    database = open_db(db)
    day = parse_date(as_of, "--as-of")
    _check_window(database, window, day)
    rows = clubs_index(database, day, league=league, window=window)
    if league and not rows:
        err_console.print(f"[red]error:[/] --league {league!r}: no club of it is linked; leagues: "
                          f"{', '.join(leagues_known(database, day))}")
        raise typer.Exit(2)
    if fmt != Fmt.table:
        emit_json(rows[:limit])
        return
    table(f"clubs ({len(rows)})", ["club", "league", "in", "out", "live"],
          [[r["club"], r["league"] or "", r["in"], r["out"], r["live"]] for r in rows[:limit]])


def person(
    name: Annotated[str, typer.Argument(help="A person: full name or a name the knowledge base knows")],
    db: DbOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """A person's card: age, position, club on the date viewed, spells, and the moves he is linked with."""
    from mercato.assess.desk import person_card

    day = parse_date(as_of, "--as-of")
    card = person_card(open_db(db), name, day)
    if card is None:
        err_console.print(f"[red]error:[/] no claim names {name!r} and the knowledge base does not know him")
        raise typer.Exit(1)
    if fmt != Fmt.table:
        emit_json(card)
        return
    age = f"{card['age']}" + (f" ({card['age_from']})" if card["age_from"] else "") if card["age"] is not None else "unknown"
    console.print(f"[bold]{card['person']}[/] on {card['as_of']}: age {age}; "
                  f"{card['position'] or card['role'] or 'position unknown'}; "
                  f"club {card['club'] or 'unknown'}" + (f" ({card['club_league']})" if card["club_league"] else ""))
    if card["spells"]:
        table("spells", ["club", "from", "until", "source"],
              [[s["club"], s["from"] or "?", s["until"] or "", s["source"]] for s in card["spells"]])
    table(f"linked with ({len(card['stories'])})", ["club", "likelihood", "stage", "latest", "story"],
          [[s["club"], _pct(s["probability"]), s["stage"], s["last_date"], s["id"]] for s in card["stories"]])


# -- follows -------------------------------------------------------------------------------------------------------

KindArg = Annotated[str, typer.Argument(help="club, person or journalist")]


@follow_app.command("add")
def follow_add(kind: KindArg, name: Annotated[str, typer.Argument()], db: DbOpt = None,
               fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table) -> None:
    """Follow a club, a person or a journalist (its name as the knowledge base knows it)."""
    from mercato.store.follows import FollowError, add_follow

    try:
        f, new = add_follow(open_db(db, create=True), kind, name)
    except FollowError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if fmt != Fmt.table:
        emit_json({**f, "new": new})
        return
    console.print(("following" if new else "already following") + f" {f['kind']} {f['name']} (id {f['id']}); "
                  f"feed: /api/follows/{f['id']}/atom", highlight=False)


@follow_app.command("list")
def follow_list(db: DbOpt = None, fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table) -> None:
    """What you follow, with each follow's Atom feed."""
    from mercato.store.follows import list_follows

    rows = list_follows(open_db(db))
    if fmt != Fmt.table:
        emit_json(rows)
        return
    table(f"follows ({len(rows)})", ["id", "kind", "name", "since", "feed"],
          [[f["id"], f["kind"], f["name"], (f["created_at"] or "")[:10], f"/api/follows/{f['id']}/atom"] for f in rows])


def _followed(database: Any, ref: str, kind: str | None) -> dict[str, Any]:
    """The follow `ref` names (an id or a name), or exit: 2 for an ambiguous or bad reference, 1 for none."""
    from mercato.store.follows import FollowError, find_follow

    try:
        f = find_follow(database, ref, kind)
    except FollowError as exc:
        err_console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if f is None:
        err_console.print(f"[red]error:[/] you do not follow {ref!r} (`mercato follow list`)")
        raise typer.Exit(1)
    return f


@follow_app.command("remove")
def follow_remove(ref: Annotated[str, typer.Argument(help="The follow's id or name")],
                  kind: Annotated[str | None, typer.Option(help="club, person or journalist (a name followed as two)")] = None,
                  db: DbOpt = None) -> None:
    """Stop following."""
    from mercato.store.follows import remove_follow

    database = open_db(db)
    f = _followed(database, ref, kind)
    remove_follow(database, f["id"])
    console.print(f"stopped following {f['kind']} {f['name']}", highlight=False)


@follow_app.command("feed")
def follow_feed(ref: Annotated[str, typer.Argument(help="The follow's id or name")], db: DbOpt = None,
                as_of: AsOfOpt = None,
                site: Annotated[str, typer.Option(help="Base URL the feed's links point to")] = "http://127.0.0.1:8000",
                kind: Annotated[str | None, typer.Option(help="club, person or journalist")] = None) -> None:
    """Print a follow's Atom feed (what `/api/follows/ID/atom` serves)."""
    import sys

    from mercato.assess.follows import atom_feed, entries

    database = open_db(db)
    f = _followed(database, ref, kind)
    site = site.rstrip("/")
    sys.stdout.write(atom_feed(f, entries(database, f, parse_date(as_of, "--as-of")), f"{site}/api/follows/{f['id']}/atom",
                               site) + "\n")
