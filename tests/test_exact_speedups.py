"""The speed-ups of the extractors change no output: what they skip provably cannot matter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

try:  # Python 3.11+
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

from mercato.config import shared_dir
from mercato.extract.components import _read_cues
from mercato.extract.doc import ArticleDoc
from mercato.extract.learned.candidates import _source_features, process
from mercato.extract.lexicon import cue_entries, get_lexicon


def _has_backreference(tree: Any) -> bool:
    for op, av in tree:
        if op in (sre_parse.GROUPREF, sre_parse.GROUPREF_EXISTS):
            return True
        for sub in (av if isinstance(av, (list, tuple)) else [av]):
            if isinstance(sub, sre_parse.SubPattern) and _has_backreference(sub):
                return True
            if isinstance(sub, (list, tuple)):
                for x in sub:
                    if isinstance(x, sre_parse.SubPattern) and _has_backreference(x):
                        return True
    return False


def _texts() -> list[str]:
    out = [rec["example"] for rec in cue_entries() if "example" in rec]
    folder = shared_dir() / "corpus/unlabelled"
    for path in sorted(folder.glob("*.txt"))[:25]:  # real sentences too (read from ../shared, never copied)
        out += [s for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")) if s]
    return out


def test_no_stage_cue_matches_before_the_first_any_cue_match() -> None:
    """`_read_cues` scans the stage patterns from any_cue's first match: any_cue holds every stage pattern's
    alternatives between the same word boundaries, so no stage match starts earlier. That holds only while no cue
    refers to a group by number (its number differs in the joined pattern): checked here, and the property itself
    on the cues' examples and real sentences."""
    lex = get_lexicon()
    for rec in cue_entries():
        if "regex" in rec:
            assert not _has_backreference(sre_parse.parse(rec["regex"])), rec["id"]
    checked = 0
    for text in _texts():
        hit = lex.any_cue.search(text)
        for pat in lex.stage_patterns.values():
            starts = [m.start() for m in pat.finditer(text)]
            if starts:
                assert hit is not None and hit.start() <= starts[0], text
                assert [m.start() for m in pat.finditer(text, hit.start())] == starts
                checked += 1
    assert checked > 100  # the property was exercised, not vacuous
    # and the cues read from the first match are those read from the start
    text = "He rejected a bid, but Chelsea are interested and talks are under way; a deal is agreed."
    assert [s for s, _ in _read_cues(lex, text)] and _read_cues(lex, text) == _read_cues(lex, text)


def test_source_features_remembered_per_document_equal_those_computed_alone() -> None:
    """`generate` remembers per document what depends on the sentence and the source alone; each candidate's
    features computed afresh, with nothing remembered, are the same names in the same order (the order in which the
    model adds the source option's weights)."""
    text = ("Chelsea have opened talks with Brighton over Roberto De Zerbi, according to Sky Sports. "
            "Brighton have confirmed that Chelsea made an approach for Roberto De Zerbi, “he is our man”, a source said. "
            "Bayern Munich are also interested in the Italian, Fabrizio Romano reports.")
    for t in (text, text + " The weather was mild on the day and the training ground was quiet." * 8):
        doc = ArticleDoc(text=t, date=dt.date(2024, 6, 1), outlet="Example Gazette", author=None)
        cands = process(doc)
        assert len(cands) > 10
        memo: dict = {}
        for c in cands:
            shared: dict[str, float] = {}
            _source_features(doc, c, shared, doc.own_source, memo)  # remembered across the document's candidates
            alone: dict[str, float] = {}
            _source_features(doc, c, alone, doc.own_source)  # nothing remembered
            assert list(shared.items()) == list(alone.items())
            assert all(c.features.get(k) == 1.0 for k in alone)  # what generate gave the candidate
        assert len(memo) > 5


def test_word_features_of_a_sentence_layout_equal_those_of_the_masked_sentence() -> None:
    """`_unit_base` takes each unit's `w:`/`b:` names from its sentence's layout (the texts between mentions
    tokenised once per sentence, the placeholders put between): the same names in the same order as tokenising the
    unit's masked sentence whole, on real articles."""
    from mercato.extract.learned.candidates import _tokens, _word_features

    checked = 0
    for _, _, c, lay, masked in _masked_units(12):
        toks = _tokens(masked)
        wl, bl = _word_features(lay, c.club, c.person)
        assert wl == ["w:" + t for t in toks]
        assert bl == [f"b:{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
        checked += 1
    assert checked > 200


def _masked_units(articles: int) -> Iterator[tuple[ArticleDoc, Any, Any, Any, str]]:
    """Each candidate of the first `articles` real articles of the shared corpus: (document, sentence, candidate,
    the sentence's layout, the candidate's masked sentence)."""
    from mercato.extract.learned.candidates import _layout, _masked_sentence

    for path in sorted((shared_dir() / "corpus/unlabelled").glob("*.txt"))[:articles]:
        doc = ArticleDoc(text=path.read_text(encoding="utf-8"), date=dt.date(2024, 6, 1), outlet="Example Gazette")
        for c in process(doc):
            s = doc.sentences[c.sentence]
            lay = _layout(doc, s)
            yield doc, s, c, lay, _masked_sentence(doc, s, c.club, c.person, lay)[0]


def test_first_chars_of_a_cue() -> None:
    from mercato.extract.lexicon import first_chars

    assert first_chars("interest(?:ed)?") == {"i"}
    assert first_chars("(?:opened|Open) talks") == {"o"}
    assert first_chars("(?:the )?deal") == {"t", "d"}
    assert first_chars("a?b+c") == {"a", "b"}
    assert first_chars("[A-C]x|y") == {"a", "b", "c", "y"}
    assert first_chars(r"(?<![\w-])\bsign") == {"s"}  # zero-width items read through
    for unknown in (r"\w+ bid", "[^a]x", "x*", "(?:a|)", "émigré", "(?-i:Deal)", ".", r"\d+m"):
        assert first_chars(unknown) is None, unknown


def test_alternation_by_first_character_keeps_case_and_order() -> None:
    """Cues written capitalised, read case-sensitively; a cue whose first character is not known among the others;
    alternatives that overlap (the first in the list wins): the same matches as the plain alternation."""
    from mercato.extract.lexicon import by_first

    pats = ["Sky Sports", "sky", "Sky", "talks", "talk", r"\w+ bid", "bid", "bids", "Deal", "deal done", "deal", "[A-C]lub",
            "[0-9]+m", "£\\d+m", "open(?:ed)? talks", "(?:the )?fee"]
    texts = ["Sky Sports said talks on a £40m bid were held; the deal done, BLub Club club the fee, fee 30m",
             "sky SKY Sky deal Deal DEAL bids talks talk opened talks", "ſky Kelvin ſtalks"]
    for flags in (0, re.IGNORECASE):
        body = by_first(pats, flags)
        assert body is not None
        fast, plain = re.compile(body, flags), re.compile("|".join(pats), flags)
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (flags, text)


def _cue_lists() -> list[tuple[list[str], bool]]:
    """Every list of cues the lexicon joins into one pattern (and any_cue's, read for its spans only)."""
    from mercato.extract.lexicon import load_cues

    raw = load_cues()
    out: list[tuple[list[str], bool]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list) and all(isinstance(p, str) for p in node):
            out.append((node, False))

    walk(raw)
    off = raw["off"]
    out.append(([p for pats in raw["stages"].values() for p in pats] + off["person"] + off["club"] +
                [raw["staff_move"], raw["no_return"], raw["staff_list"]], True))
    return out


def test_cue_alternations_sorted_by_first_character_match_as_the_plain_ones() -> None:
    """`_alt` sorts a long alternation's cues into groups by first character (`by_first`): the same matches (every
    span of `finditer`, and `match` at every word start) as the plain alternation, on the cues' examples and real
    sentences, as written, upper-cased, and with letters that fold to ASCII ones (long s, Kelvin sign, dotless i) in
    place; and inside a case-sensitive pattern (how `reporting` is reused), the same matches too."""
    from mercato.extract.lexicon import BY_FIRST_MIN, _alt, by_first

    texts = _texts()
    texts += [t.upper() for t in texts[:400]] + [t.replace("s", "ſ").replace("k", "K").replace("i", "ı") for t in texts[:400]]
    grouped = 0
    for pats, spans_only in _cue_lists():
        pats = [p for p in pats if p]
        if len(pats) < BY_FIRST_MIN:
            continue
        fast = _alt(pats, spans_only=spans_only)
        body = by_first(pats, re.IGNORECASE, spans_only)
        if body is None:
            continue
        grouped += 1
        plain_body = "|".join(re.sub(r"\(\?P<\w+>", "(?:", p) if spans_only else p for p in pats)
        plain = re.compile(r"(?<![\w-])(?:" + plain_body + r")(?![\w])", re.IGNORECASE)
        assert fast.pattern != plain.pattern
        sensitive = (re.compile(r"\s(?:" + fast.pattern + r")"), re.compile(r"\s(?:" + plain.pattern + r")"))
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (pats[:3], text)
            for w in re.finditer(r"\b\w", text):
                a, b = fast.match(text, w.start()), plain.match(text, w.start())
                assert (a and a.span()) == (b and b.span())
            assert [m.span() for m in sensitive[0].finditer(text)] == [m.span() for m in sensitive[1].finditer(text)]
    assert grouped >= 10  # the long alternations were sorted (any_cue, bid masks, stages, reporting...)


def test_a_sentence_s_source_phrase_read_once_equals_each_unit_s() -> None:
    """`_unit_base` reads the source phrase once per sentence, on the sentence with every club and person masked as
    another's: the same `sp:` names as on each unit's own masked sentence, on real articles (and the phrase
    patterns did fire, so the property is not vacuous)."""
    from mercato.extract.learned import srcfeats
    from mercato.extract.learned.candidates import _sentence_phrase

    checked = fired = 0
    for doc, s, _, lay, masked in _masked_units(40):
        own = tuple(dict.fromkeys([f"sp:{k}" for k, pat in srcfeats._frames() if pat.search(masked)]))
        own = tuple(dict.fromkeys(own + (("sp:any",) if own else ())))
        assert _sentence_phrase(doc, s, lay) == own == srcfeats.source_phrase(masked), masked
        checked += 1
        fired += bool(own)
    assert checked > 500 and fired > 20
    # the placeholders of the pair and of others read alike, wherever they stand
    for masked in (" _club_ are keen on _person_ , says the _src_ .", "The _src_ reports that _oclub_ want _oper_ .",
                   " _oper_ ( _src_ ) could join _club_ .", "As _src_ reported , _person_ is close to _club_ ."):
        other = masked.replace(" _club_ ", " _oclub_ ").replace(" _person_ ", " _oper_ ")
        assert srcfeats.source_phrase(masked) == srcfeats.source_phrase(other)


def test_a_person_s_role_in_a_sentence_is_the_same_with_every_club() -> None:
    """`_generate` reads each person's role once per sentence (`rules._role`) for all his pairs: asked again, after
    the roles of the sentence's other people, it answers the same and changes nothing more, on real articles."""
    from mercato.extract import components as rules
    from mercato.extract.learned.candidates import _persons

    folder = shared_dir() / "corpus/unlabelled"
    checked = 0
    for path in sorted(folder.glob("*.txt"))[:25]:
        doc = ArticleDoc(text=path.read_text(encoding="utf-8"), date=dt.date(2024, 6, 1), outlet="Example Gazette")
        process(doc)
        doc.titled_role.clear()
        for s in doc.sentences:
            firsts: dict[str, Any] = {}
            for p in _persons(s):  # each person's first mention, as _generate takes it
                firsts.setdefault(p.canonical or "", p)
            people = list(firsts.items())
            first = [rules._role(name, s, m, doc) for name, m in people]
            before = dict(doc.titled_role)
            assert [rules._role(name, s, m, doc) for name, m in reversed(people)] == first[::-1]
            assert doc.titled_role == before
            checked += len(people)
    assert checked > 200


def test_years_skips_only_texts_without_19_or_20() -> None:
    """`pairfeats.years` returns early where a text holds neither "19" nor "20" (every year it reads starts with
    one): the same years as reading the pattern, on every unit's masked sentence of real articles and edge cases."""
    from mercato.extract.learned import pairfeats
    from mercato.extract.learned.candidates import _layout, _masked_sentence

    texts = ["the 2019/20 season, 1999-2000 and £2000", "in 20 years", "19", "1920", "2", "", "x 2O19 y"]
    folder = shared_dir() / "corpus/unlabelled"
    for path in sorted(folder.glob("*.txt"))[:30]:
        doc = ArticleDoc(text=path.read_text(encoding="utf-8"), date=dt.date(2024, 6, 1), outlet="Example Gazette")
        for c in process(doc):
            s = doc.sentences[c.sentence]
            texts.append(_masked_sentence(doc, s, c.club, c.person, _layout(doc, s))[0])
    found = skipped = 0
    for text in dict.fromkeys(texts):
        plain = [(m.start(), m.end()) for m in pairfeats._YEAR.finditer(text)]
        assert [(a, b) for a, b, _ in pairfeats.years(text, dt.date(2024, 6, 1))] == plain, text
        found += bool(plain)
        skipped += "19" not in text and "20" not in text
    assert found > 20 and skipped > 100
