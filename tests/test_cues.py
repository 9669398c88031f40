"""Every cue pattern (extract/data/cues.jsonl) fires on its own example sentence, and bad cue files fail clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mercato.extract.lexicon import CueFileError, Lexicon, cue_entries, load_cues

PATTERNS = [e for e in cue_entries() if "regex" in e]


@pytest.mark.parametrize("entry", PATTERNS, ids=[e["id"] for e in PATTERNS])
def test_pattern_fires_on_its_example(entry: dict) -> None:
    # bounded as the lexicon bounds a cue: not inside a word
    rx = re.compile(r"(?<![\w-])(?:" + entry["regex"] + r")", re.IGNORECASE)
    assert rx.search(entry["example"]), f"{entry['id']} does not fire on {entry['example']!r}"


def test_ids_are_unique_and_name_their_group() -> None:
    ids = [e["id"] for e in PATTERNS]
    assert len(ids) == len(set(ids))
    assert all(i.rsplit(".", 1)[0] == e["group"] for i, e in zip(ids, PATTERNS, strict=True))


def test_stage_cue_examples_read_as_their_stage() -> None:
    lex = Lexicon()
    for e in PATTERNS:
        if e["group"].startswith("stages."):
            stage = e["group"].split(".", 1)[1]
            assert lex.stage_patterns[stage].search(e["example"]), e["id"]


def test_bad_cue_files_name_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "cues.jsonl"
    f.write_text('{"group": "hedges", "type": "list"}\n{"id": "hedges.001", "group": "hedges", "regex": "may"}\n')
    with pytest.raises(CueFileError, match=r"cues.jsonl:2: .*'example'"):
        load_cues(f)
    f.write_text('{"group": "hedges", "type": "list"}\n{"id": "h.1", "group": "hedges", "regex": "(may", "example": "x"}\n')
    with pytest.raises(CueFileError, match=r"cues.jsonl:2: .*does not compile"):
        load_cues(f)
    f.write_text('{"id": "h.1", "group": "hedges", "regex": "may", "example": "it may"}\n')
    with pytest.raises(CueFileError, match=r"cues.jsonl:1: .*undeclared group"):
        load_cues(f)
    f.write_text('{"group": "hedges", "type": "list"}\nnot json\n')
    with pytest.raises(CueFileError, match=r"cues.jsonl:2: not JSON"):
        load_cues(f)
