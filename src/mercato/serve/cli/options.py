"""Options and argument parsing every command group shares (like sqlite-utils' shared options): the
database (--db), the output format (--format), the extractor (--extractor), dates (--as-of, --since,
--until), languages, and filters that must name something that exists (a club, a stage, a kind).

A reading command opens the database with `open_db(url)`, which refuses a SQLite file that does not
exist; a writing command with `open_db(url, create=True)`. Every problem is one line and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from mercato.config import ENV_DB, ENV_EXTRACTOR, resolve_db_url
from mercato.serve.output import err_console

DbOpt = Annotated[
    str | None, typer.Option("--db", help="Database URL or SQLite path (default: $MERCATO_DB, else a file in the user data dir)")
]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD: only what was known then")]


class Engine(str, Enum):
    auto = "auto"
    learned = "learned"
    rules = "rules"


ExtractorOpt = Annotated[
    Engine | None, typer.Option("--extractor", help="learned (default: the trained model decides), rules (the "
                                "rules engine alone; faster), or auto (an alias of learned); also $MERCATO_EXTRACTOR"),
]


class Fmt(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


FmtOpt = Annotated[Fmt, typer.Option("--format")]


def use_extractor(engine: Engine | None) -> None:
    """Select the extractor for this process (and worker processes it starts)."""
    if engine is not None:
        os.environ[ENV_EXTRACTOR] = engine.value


def open_db(url: str | None, create: bool = False) -> Any:
    """Open the database. A reading command (create=False) refuses a SQLite file that does not exist (a
    mistyped --db must not answer with an empty table); a writing command may create the file, not its folder."""
    from mercato.store import Database  # SQLAlchemy and the models: only when a command opens a database

    resolved = resolve_db_url(url)
    check_sqlite_path(resolved, create)
    try:
        return Database(resolved)
    except Exception as exc:  # a wrong URL or an unreachable server: one clear line
        err_console.print(f"[red]error:[/] cannot open database {url or resolved}: {exc}")
        raise typer.Exit(2) from None


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other databases, in-memory and URI forms)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:
        return None
    name = parsed.database
    if not parsed.drivername.startswith("sqlite") or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def shown_url(url: str) -> str:
    """A database as the user should see it: a SQLite file's path, any other URL without its password."""
    from sqlalchemy.engine import make_url

    path = sqlite_file(url)
    return str(path) if path is not None else make_url(url).render_as_string(hide_password=True)


def check_sqlite_path(url: str, create: bool) -> None:
    path = sqlite_file(url)
    if path is None:
        return
    if create:
        if not path.parent.is_dir():
            err_console.print(f"[red]error:[/] cannot create database {path}: folder {path.parent} does not exist",
                              highlight=False)
            raise typer.Exit(2)
    elif not path.is_file():
        err_console.print(f"[red]error:[/] no database at {path} (check --db or ${ENV_DB}; "
                          "`mercato ingest` creates one)", highlight=False)
        raise typer.Exit(2)


def parse_date(value: str | None, flag: str) -> dt.date | None:
    """A YYYY-MM-DD option (--as-of, --since, --until, --on), or a one-line error naming the flag."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err_console.print(f"[red]error:[/] {flag} {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None


def parse_lang(value: str | None) -> str | None:
    """A --lang option: a code or a language's name -> its ISO 639-1 code."""
    if value is None:
        return None
    from mercato.ingest.language import normalise_lang

    try:
        return normalise_lang(value)
    except ValueError as exc:
        err_console.print(f"[red]error:[/] --lang: {exc}")
        raise typer.Exit(2) from None


def club_filter(value: str, stored: list[str]) -> list[str]:
    """A --club value -> the stored club names it means (through the knowledge base's names, aliases and
    nicknames, case and accents folded). A value that names no known club and no stored one is an error
    with suggestions, not an empty table."""
    from mercato.kb.names import club_keys, fold, is_known_club, suggest_clubs  # rapidfuzz: not at start-up

    keys = club_keys(value)
    names = sorted(c for c in stored if fold(c) in keys)
    if names:
        return names
    if not is_known_club(value, stored):
        close = suggest_clubs(value, stored)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        err_console.print(f"[red]error:[/] no club {value!r}{hint}", highlight=False)
        raise typer.Exit(1)
    return [value]  # a club the knowledge base knows, with nothing stored about it: an empty answer


def check_choice(flag: str, value: str | None, choices: Sequence[str]) -> None:
    """A filter that can only take a few values (stage, kind): an unknown one is an error with a hint."""
    if value is None or value in choices:
        return
    from mercato.kb.names import suggest  # rapidfuzz: not at start-up

    close = suggest(value, choices, limit=2)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    err_console.print(f"[red]error:[/] {flag} {value!r}: {hint}(one of {', '.join(choices)})", highlight=False)
    raise typer.Exit(2)
