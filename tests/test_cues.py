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


def test_any_cue_finds_what_every_stage_pattern_finds() -> None:
    # components._read_cues skips the stage patterns where any_cue finds nothing: any_cue must hold them all
    lex = Lexicon()
    texts = [e["example"] for e in PATTERNS] + ["Chelsea are not in talks.", "He plays for Ajax, and has no plans to move."]
    for text in texts:
        if any(p.search(text) for p in lex.stage_patterns.values()):
            assert lex.any_cue.search(text), text


def test_remembered_searches_answer_as_the_pattern() -> None:
    lex = Lexicon()
    raw = re.compile(lex.reporting.pattern, lex.reporting.flags)
    for text in ("Sky Sports reported on Tuesday.", "Nothing here.", "Sky Sports reported on Tuesday."):
        got, want = lex.reporting.search(text), raw.search(text)
        assert (got and got.span()) == (want and want.span())
    assert lex.reporting.search("it was reported", 7).span() == raw.search("it was reported", 7).span()
    assert [m.span() for m in lex.reporting.finditer("reports and reported")] == \
        [m.span() for m in raw.finditer("reports and reported")]
