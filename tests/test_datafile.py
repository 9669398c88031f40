"""The shared reader of word-list data files (kb/datafile.regex_groups): stage, pair and source words read through
it, each entry with an id and an example its regex fires on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from mercato.extract.learned import pairfeats, srcfeats
from mercato.extract.learned.candidates import STAGE_WORDS, stage_words
from mercato.extract.learned.pairfeats import PAIR_WORDS, pair_words
from mercato.kb.datafile import DataFileError, regex_groups

WORD_LISTS = {  # the file, its reader, the kinds the reader asks for
    "pair": (PAIR_WORDS, pairfeats.pair_words, tuple(pairfeats.KINDS)),
    "source": (srcfeats.SOURCE_WORDS, srcfeats.source_words, tuple(srcfeats.KINDS)),
}


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_every_word_list_entry_has_an_id_and_fires_on_its_example(name: str) -> None:
    path, read, kinds = WORD_LISTS[name]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert re.search(r["regex"], r["example"], re.I), r["id"]
    assert set(read()) == set(kinds)


@pytest.mark.parametrize("name", sorted(WORD_LISTS))
def test_a_bad_word_list_line_names_the_file(name: str, tmp_path: Path) -> None:
    _, read, _ = WORD_LISTS[name]
    bad = tmp_path / f"{name}.jsonl"
    bad.write_text('{"id": "x", "kind": "no-such-kind", "regex": "a", "example": "a"}\n', encoding="utf-8")
    reader: Callable[[Path], object] = read.__wrapped__  # type: ignore[attr-defined]
    with pytest.raises(DataFileError, match=rf"{name}\.jsonl:1"):
        reader(bad)


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
