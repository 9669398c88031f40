"""Every language-bearing pattern of the rules components (extract/data/patterns.jsonl) fires on its own example,
applied as the component applies it, and not on its counter-example; bad pattern files fail clearly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from mercato.extract import components, get_extractor
from mercato.extract.doc import ArticleDoc
from mercato.extract.patterns import PatternFileError, compile_entry, fires, load_patterns, pattern_entries, rx
from mercato.records import ArticleRecord

ENTRIES = pattern_entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_pattern_fires_on_its_example(entry: dict) -> None:
    p = compile_entry(entry)
    assert fires(entry, p, entry["example"]), f"{entry['id']} does not fire on {entry['example']!r}"
    if "counter" in entry:
        assert not fires(entry, p, entry["counter"]), f"{entry['id']} fires on {entry['counter']!r}"


def test_every_pattern_is_used_by_the_components_once() -> None:
    # each data pattern is bound to exactly one module-level constant of components.py (compared by pattern and
    # flags, not identity: other tests may clear the loader's cache)
    loaded = load_patterns()
    bound = [(v.pattern, v.flags) for v in vars(components).values() if isinstance(v, re.Pattern)]
    strings = [v for v in vars(components).values() if isinstance(v, str)]  # a pattern composed or flagged where used
    assert all(bound.count((p.pattern, p.flags)) + strings.count(p.pattern) == 1 for p in loaded.values())


def test_ids_name_the_function_that_uses_them() -> None:
    for e in ENTRIES:
        fn = e["id"].split(".", 1)[0]
        assert hasattr(components, fn) or hasattr(components, "_" + fn), e["id"]


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "patterns.jsonl"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize(("line", "problem"), [
    ('{"id": "a.b", "pattern": "x", "example": "y", "note": "n"}', "does not fire on its example"),
    ('{"id": "a.b", "pattern": "x", "example": "x", "counter": "xx", "note": "n"}', "fires on its counter-example"),
    ('{"id": "a.b", "pattern": "(", "example": "x", "note": "n"}', "does not compile"),
    ('{"id": "a.b", "pattern": "x", "example": "x"}', "'note'"),
    ('{"id": "a.b", "pattern": "x", "flags": ["Q"], "example": "x", "note": "n"}', "flags must be"),
    ('{"id": "a.b", "pattern": "x", "use": "sub", "example": "x", "note": "n"}', "use must be"),
    ('["a"]', "must be a JSON object"),
])
def test_bad_pattern_files_name_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    f = _write(tmp_path, '{"id": "ok.one", "pattern": "a", "example": "a", "note": "n"}\n' + line + "\n")
    with pytest.raises(PatternFileError, match=r"patterns.jsonl:2: .*" + re.escape(problem)):
        pattern_entries(f)


def test_duplicate_ids_and_unknown_ids_are_errors(tmp_path: Path) -> None:
    row = '{"id": "a.b", "pattern": "a", "flags": ["I"], "use": "match", "example": "A", "note": "n"}\n'
    assert rx("a.b", _write(tmp_path, row)).match("a")
    with pytest.raises(PatternFileError, match="no pattern with id 'a.c'"):
        rx("a.c", tmp_path / "patterns.jsonl")
    dup = tmp_path / "dup" / "patterns.jsonl"
    dup.parent.mkdir()
    dup.write_text(row + row, encoding="utf-8")
    with pytest.raises(PatternFileError, match=r"patterns.jsonl:2: duplicate id 'a.b'"):
        pattern_entries(dup)


def _claims(text: str) -> set[tuple[str, str, str, str | None]]:
    got = get_extractor("rules")(ArticleRecord(date=dt.date(2024, 6, 1), text=text))
    return {(c.club, c.person, c.stage, c.source.journalist) for c in got}


def test_fragments_work_joined_as_the_components_join_them() -> None:
    # rejected_bid.had_bid / by_agent / aux / he_she, joined with the rejecting verb
    assert components._rejected_bid("Leeds have had a second bid for the striker rejected.") == "bid"
    assert components._rejected_bid("The offer was rejected by Leeds.") == "bid"
    assert components._rejected_bid("He has flatly rejected the offer from Leeds.") == "off"
    # frames.verb_lead and frames.expert_lead, joined with the lexicon's reporting verbs
    assert ("Chelsea", "Jan Kowalski", "agreement", "Fabrizio Romano") in _claims(
        "Fabrizio Romano, who has also publicly said it, claims Chelsea have agreed a fee with Brighton for Jan Kowalski.")
    assert ("Chelsea", "Jan Kowalski", "bid", "Fabrizio Romano") in _claims(
        "Fabrizio Romano reports that Chelsea have agreed a fee with Brighton for Jan Kowalski. "
        "The transfer expert added that Chelsea have made an offer for Jan Kowalski.")
    # stadiums.the_before: "the <ground> club" names the club
    doc = ArticleDoc(text="The Old Trafford club have made contact with Jan Kowalski.", date=dt.date(2024, 6, 1))
    components.segment(doc)
    components.mentions(doc)
    assert ("Old Trafford", "Manchester United") in {(m.text, m.canonical) for s in doc.sentences for m in s.mentions}
