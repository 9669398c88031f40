"""Reading the project's JSON Lines data files (knowledge base, cue and term patterns, spells): one JSON object per
line, blank lines skipped, and a bad line an error that names the file and the line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class DataFileError(ValueError):
    """A data file line that is not a JSON object (the message names the file and line)."""


def jsonl_rows(path: Path, error: type[Exception] = DataFileError) -> Iterator[tuple[str, dict[str, Any]]]:
    """(`path:line`, object) for each non-blank line; `error` (a subclass of the caller's choosing) is raised with
    the file and line for a line that is not JSON or not an object."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{i}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise error(f"{where}: each line must be a JSON object")
        yield where, row


def regex_groups(path: Path, kinds: tuple[str, ...]) -> dict[str, list[str]]:
    """The regexes of a word-list file, by kind: each line {"id", "kind" (one of `kinds`), "regex", "example"}; a line
    without them, or with a regex that does not compile, is an error naming the file and line."""
    groups: dict[str, list[str]] = {k: [] for k in kinds}
    for where, row in jsonl_rows(path):
        kind, regex = row.get("kind"), row.get("regex")
        if not isinstance(row.get("id"), str) or kind not in groups or not isinstance(regex, str) \
                or not isinstance(row.get("example"), str):
            raise DataFileError(f"{where}: needs an id, a kind ({', '.join(kinds)}), a regex and an example")
        try:
            re.compile(regex)
        except re.error as exc:
            raise DataFileError(f"{where}: bad regex ({exc})") from None
        groups[kind].append(regex)
    return groups
