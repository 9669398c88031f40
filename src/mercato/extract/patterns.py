"""The language-bearing regular expressions of the rules components (components.py), kept as data.

extract/data/patterns.jsonl holds one pattern a line: `id` (`<function>.<name>`, the components.py function that
uses it), `pattern` (the regular expression, exactly as it was in code), `flags` (letters of `re` flags: I, S, M),
`use` (how the component applies it: search, match or fullmatch; a pattern used with sub/split/finditer says
search), `example` (text we wrote that it must fire on, applied as `use` says), optionally `counter` (text it must
not fire on) and `note` (what it is for). Examples of patterns applied to the text before or after a mention are
that fragment ("he was speaking to the "), not a whole sentence. A few entries are fragments that components.py
joins with another pattern where it uses them (the lexicon's reporting verbs, the rejecting verb as written): the
code reads their `.pattern`, their note says so, and `use` says how their example is checked on its own.

Loaded and compiled once; a bad line (not JSON, a missing field, a duplicate id, an unknown flag, a pattern that
does not compile, an example it does not fire on or a counter-example it fires on) raises PatternFileError naming
the file and line. Purely structural patterns (whitespace, punctuation, capitalisation shapes, possessive 's) stay
in components.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from mercato.kb.datafile import DataFileError, jsonl_rows

PATTERNS_FILE = Path(__file__).parent / "data" / "patterns.jsonl"
FLAGS = {"I": re.IGNORECASE, "S": re.DOTALL, "M": re.MULTILINE}
USES = ("search", "match", "fullmatch")


class PatternFileError(DataFileError):
    """A line of the patterns file that is not a valid pattern entry (the message names the file and line)."""


def compile_entry(entry: dict[str, Any]) -> re.Pattern[str]:
    flags = 0
    for f in entry.get("flags", []):
        flags |= FLAGS[f]
    return re.compile(entry["pattern"], flags)


def fires(entry: dict[str, Any], rx: re.Pattern[str], text: str) -> bool:
    """Whether `rx` fires on `text` applied the way its entry says (search, match or fullmatch)."""
    return getattr(rx, entry.get("use", "search"))(text) is not None


def pattern_entries(path: Path = PATTERNS_FILE) -> list[dict[str, Any]]:
    """The checked entries of a patterns file, in file order."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, rec in jsonl_rows(path, PatternFileError):
        for key in ("id", "pattern", "example", "note"):
            if not isinstance(rec.get(key), str) or (key != "pattern" and not rec[key]):
                raise PatternFileError(f"{where}: an entry needs a non-empty string {key!r}")
        if rec["id"] in seen:
            raise PatternFileError(f"{where}: duplicate id {rec['id']!r}")
        seen.add(rec["id"])
        flags = rec.get("flags", [])
        if not isinstance(flags, list) or any(f not in FLAGS for f in flags):
            raise PatternFileError(f"{where}: {rec['id']!r}: flags must be a list of {sorted(FLAGS)}, not {flags!r}")
        if rec.get("use", "search") not in USES:
            raise PatternFileError(f"{where}: {rec['id']!r}: use must be one of {USES}, not {rec.get('use')!r}")
        if "counter" in rec and not isinstance(rec["counter"], str):
            raise PatternFileError(f"{where}: {rec['id']!r}: counter must be a string")
        try:
            rx = compile_entry(rec)
        except re.error as exc:
            raise PatternFileError(f"{where}: pattern {rec['id']!r} does not compile: {exc}") from None
        if not fires(rec, rx, rec["example"]):
            raise PatternFileError(f"{where}: pattern {rec['id']!r} does not fire on its example {rec['example']!r}")
        if "counter" in rec and fires(rec, rx, rec["counter"]):
            raise PatternFileError(f"{where}: pattern {rec['id']!r} fires on its counter-example {rec['counter']!r}")
        out.append(rec)
    return out


@lru_cache(maxsize=4)
def load_patterns(path: Path = PATTERNS_FILE) -> dict[str, re.Pattern[str]]:
    """id -> compiled pattern, read once per file."""
    return {e["id"]: compile_entry(e) for e in pattern_entries(path)}


def rx(pid: str, path: Path = PATTERNS_FILE) -> re.Pattern[str]:
    """The compiled pattern `pid` of the patterns file; an unknown id is an error naming the file."""
    try:
        return load_patterns(path)[pid]
    except KeyError:
        raise PatternFileError(f"{path}: no pattern with id {pid!r}") from None
