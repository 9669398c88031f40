"""The English word sets of the rules (components.py, learned/candidates.py), kept as data.

extract/data/word_sets.jsonl holds one set a line: `id` (the set's name in kebab case: `_BAD_BARE_CLUB` is
`bad-bare-club`), `words` (the set's members, exactly as the code compares them: most lower case, because the code
lowers the word it looks up), `example` (a sentence of our own where the set matters; tests/test_word_sets.py runs
each through the code that reads the set) and `note` (what the set is for, and where it is read).

Loaded once; a bad line (not JSON, a missing or empty field, a duplicate id, a word that is not a non-empty string,
a word listed twice) raises WordSetFileError naming the file and line. The sets keep their module-level names in the
code that reads them (`_BAD_BARE_CLUB = word_set("bad-bare-club")`), so callers do not change.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from mercato.kb.datafile import DataFileError, jsonl_rows

WORD_SETS_FILE = Path(__file__).parent / "data" / "word_sets.jsonl"


class WordSetFileError(DataFileError):
    """A line of the word-set file that is not a valid entry (the message names the file and line)."""


def word_set_entries(path: Path = WORD_SETS_FILE) -> list[dict[str, Any]]:
    """The checked entries of a word-set file, in file order."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, rec in jsonl_rows(path, WordSetFileError):
        for key in ("id", "example", "note"):
            if not isinstance(rec.get(key), str) or not rec[key].strip():
                raise WordSetFileError(f"{where}: an entry needs a non-empty string {key!r}")
        if rec["id"] in seen:
            raise WordSetFileError(f"{where}: duplicate id {rec['id']!r}")
        seen.add(rec["id"])
        words = rec.get("words")
        if not isinstance(words, list) or not words or any(not isinstance(w, str) or not w.strip() for w in words):
            raise WordSetFileError(f"{where}: {rec['id']!r}: words must be a non-empty list of non-empty strings")
        twice = sorted({w for w in words if words.count(w) > 1})
        if twice:
            raise WordSetFileError(f"{where}: {rec['id']!r}: words listed twice: {twice}")
        out.append(rec)
    return out


@lru_cache(maxsize=4)
def load_word_sets(path: Path = WORD_SETS_FILE) -> dict[str, frozenset[str]]:
    """id -> the set's words, read once per file."""
    return {e["id"]: frozenset(e["words"]) for e in word_set_entries(path)}


def word_set(sid: str, path: Path = WORD_SETS_FILE) -> frozenset[str]:
    """The words of set `sid`; an unknown id is an error naming the file."""
    try:
        return load_word_sets(path)[sid]
    except KeyError:
        raise WordSetFileError(f"{path}: no word set with id {sid!r}") from None
