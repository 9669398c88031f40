"""The English word sets of the rules (extract/data/word_sets.jsonl): every row loads, each example behaves as its
note says through the code that reads the set (and would not without the set), and bad files fail clearly."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mercato.extract import components, get_extractor
from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import candidates
from mercato.extract.word_sets import WordSetFileError, load_word_sets, word_set, word_set_entries
from mercato.records import ArticleRecord

DAY = dt.date(2024, 6, 1)
ENTRIES = {e["id"]: e for e in word_set_entries()}
# where each set lives: module and name (the names callers use did not change)
OWNER = {"lower-ok-outlets": (components, "_LOWER_OK_OUTLETS"), "bad-bare-club": (components, "_BAD_BARE_CLUB"),
         "person-stop": (components, "_PERSON_STOP"), "capital-ok": (components, "_CAPITAL_OK"),
         "verbish": (components, "_VERBISH"), "name-particles": (components, "_NAME_PARTICLES"),
         "common-word-outlets": (components, "_COMMON_WORD_OUTLETS"),
         "not-speaker-verbs": (components, "_NOT_SPEAKER_VERBS"), "host-pronouns": (components, "_HOST_PRONOUNS"),
         "not-name-start": (candidates, "_NOT_NAME_START")}


def _doc(text: str) -> ArticleDoc:
    doc = ArticleDoc(text=text, date=DAY)
    components.segment(doc)
    components.mentions(doc)
    return doc


def _mentions(text: str) -> list[tuple[str, str, str | None]]:
    return [(m.kind, m.text, m.canonical) for s in _doc(text).sentences for m in s.mentions]


def _weak_mentions(text: str) -> list[tuple[str, str, bool]]:
    return [(m.kind, m.text, m.weak) for s in _doc(text).sentences for m in s.mentions]


def _claims(text: str) -> list[tuple[str, str, str, str | None]]:
    got = get_extractor("rules")(ArticleRecord(date=DAY, text=text))
    return [(c.club, c.person, c.stage, c.source.journalist) for c in got]


def _needs_parse(text: str) -> list[bool]:
    return [components._needs_parse(s) for s in _doc(text).sentences]


def _fallback(text: str) -> list[str]:
    doc = _doc(text)
    return [m.text for s in doc.sentences for m in candidates._fallback_persons(doc, s)]


# what the code does on each row's example with the set, and the check that says it is what the note says
CHECKS: dict[str, tuple[Callable[[str], Any], Callable[[Any], bool]]] = {
    "lower-ok-outlets": (_mentions, lambda got: ("outlet", "kicker", "kicker") in got),
    "bad-bare-club": (_mentions, lambda got: got[-1] == ("club", "United", "Leeds United")),
    "person-stop": (_mentions, lambda got: not any(k == "person" and t == "Anfield" for k, t, _ in got)),
    "capital-ok": (_needs_parse, lambda got: got == [False]),
    "verbish": (_claims, lambda got: ("Sunderland", "Jan Kowalski", "bid", None) in got),
    "common-word-outlets": (_weak_mentions, lambda got: ("outlet", "Sky", True) in got),
    "not-speaker-verbs": (_claims, lambda got: bool(got) and all(c[3] != "Jan Kowalski" for c in got)),
    "host-pronouns": (_claims, lambda got: bool(got) and all(c[2] != "contact" for c in got)),
    "name-particles": (components._name_at_end, lambda got: got == "Frenkie de Jong"),
    "not-name-start": (_fallback, lambda got: got == []),
}


def test_every_row_loads_and_is_read_by_the_code() -> None:
    sets = load_word_sets()
    assert set(sets) == set(OWNER) == set(CHECKS)
    for sid, (module, name) in OWNER.items():
        assert getattr(module, name) == sets[sid] == set(ENTRIES[sid]["words"]), sid


@pytest.mark.parametrize("sid", sorted(CHECKS))
def test_each_example_behaves_as_its_note_says(sid: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run, ok = CHECKS[sid]
    example = ENTRIES[sid]["example"]
    with_set = run(example)
    assert ok(with_set), f"{sid}: {example!r} -> {with_set!r}"
    module, name = OWNER[sid]
    monkeypatch.setattr(module, name, frozenset())  # the example is one where the set matters
    without = run(example)
    assert without != with_set and not ok(without), f"{sid}: the set changes nothing on {example!r}"


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "word_sets.jsonl"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "b", "words": ["x"], "example": "x"}', "'note'"),
    ('{"id": "", "words": ["x"], "example": "x", "note": "n"}', "'id'"),
    ('{"id": "b", "words": [], "example": "x", "note": "n"}', "words must be"),
    ('{"id": "b", "words": "x", "example": "x", "note": "n"}', "words must be"),
    ('{"id": "b", "words": ["x", 3], "example": "x", "note": "n"}', "words must be"),
    ('{"id": "b", "words": ["x", "y", "x"], "example": "x", "note": "n"}', "words listed twice: ['x']"),
    ('{"id": "a", "words": ["x"], "example": "x", "note": "n"}', "duplicate id 'a'"),
    ('{"id": "b", "words": ["x"], "example": "x", "note": "n"', "not JSON"),
    ('["a"]', "must be a JSON object"),
])
def test_a_bad_line_names_the_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    f = _write(tmp_path, '{"id": "a", "words": ["w"], "example": "w", "note": "n"}\n\n' + line + "\n")
    with pytest.raises(WordSetFileError, match=r"word_sets\.jsonl:3: .*" + re.escape(problem)):
        word_set_entries(f)


def test_an_unknown_id_names_the_file(tmp_path: Path) -> None:
    f = _write(tmp_path, '{"id": "a", "words": ["w", "v"], "example": "w", "note": "n"}\n')
    assert word_set("a", f) == frozenset({"w", "v"})
    with pytest.raises(WordSetFileError, match=r"word_sets\.jsonl: no word set with id 'b'"):
        word_set("b", f)
