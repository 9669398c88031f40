"""The shared reader of word-list data files (kb/datafile.regex_groups): stage words and pair words read through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mercato.extract.learned.candidates import STAGE_WORDS, stage_words
from mercato.extract.learned.pairfeats import PAIR_WORDS, pair_words
from mercato.kb.datafile import DataFileError, regex_groups


def test_the_project_word_lists_read_by_kind() -> None:
    assert set(stage_words(STAGE_WORDS)) == {"modality", "negation", "perfect", "done"}
    groups = pair_words(PAIR_WORDS)
    assert groups and all(isinstance(r, str) for rs in groups.values() for r in rs)


def test_a_bad_line_names_the_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "words.jsonl"
    f.write_text('{"id": "a", "kind": "x", "regex": "ab+", "example": "abb"}\n\n'
                 '{"id": "b", "kind": "x", "regex": "(", "example": "("}\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"words\.jsonl:3: bad regex"):
        regex_groups(f, ("x",))
    f.write_text('{"id": "a", "kind": "y", "regex": "ab+", "example": "abb"}\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"words\.jsonl:1: needs an id, a kind \(x\)"):
        regex_groups(f, ("x",))
    f.write_text('{"id": "a", "kind": "x", "regex": "ab+", "example": "abb"}\n', encoding="utf-8")
    assert regex_groups(f, ("x", "z")) == {"x": ["ab+"], "z": []}
