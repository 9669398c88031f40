"""The source head's view of the sentence (learned.srcfeats `crossed`, candidates `sk:` features): the sentence's source
phrase, unnamed frame, reporting words and an announcement ("..., the German giants announced") crossed with each
candidate's kind of source, so which source such a sentence gives is learnt; the announcement and unnamed-report word
lists are data (extract/data/source_phrases.jsonl, kinds announce, club_noun, unnamed)."""

from __future__ import annotations

import datetime as dt

import pytest

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import process, srcfeats

DAY = dt.date(2024, 6, 1)
# long enough to be read as an article (the clubs of a sentence are offered as sources there)
FILLER = " ".join(["The squad returned to training on Monday after a short break in the sun."] * 8)


def _cands(text: str) -> list:
    return process(ArticleDoc(text=text, date=DAY, outlet="Example Gazette", author=None))


@pytest.mark.parametrize(("text", "want"), [
    ("Chelsea have signed the striker from Ajax, the Premier League club announced on Friday.", "an:club"),
    ("The winger joins Toronto FC on a four-year deal, the Major League Soccer (MLS) side said on Saturday.", "an:club"),
    ("The coach turned the job down, the national football federation (XFB) said on Thursday.", "an:club"),
    ("Bayern officials said recently that they were in talks with the coach.", "an:club"),
    ("The winger has completed his move to Lyon, it was announced on Friday.", "an:passive"),
    ("Ajax announced on Thursday that the midfielder had signed.", "an:any"),
])
def test_an_announcement_is_read_whoever_makes_it(text: str, want: str) -> None:
    assert want in srcfeats.announcement(text)


@pytest.mark.parametrize("text", [
    "Chelsea want to sign the striker, says the Sun.",
    "He said the team will win on Saturday.",
    "The club are keen on the winger.",
])
def test_no_announcement_where_nobody_announces(text: str) -> None:
    assert not srcfeats.announcement(text)


def test_each_kind_of_source_reads_the_sentence_s_announcement() -> None:
    text = ("Chelsea have signed striker Romelu Lukaku from Inter Milan, the Premier League club announced on Friday. "
            + FILLER)
    cands = [c for c in _cands(text) if c.club == "Chelsea" and c.person == "Romelu Lukaku" and c.sentence == 0]
    by_source = {(c.source.journalist, c.source.outlet): c.features for c in cands}
    club = by_source.get((None, "Chelsea"))
    assert club is not None, list(by_source)
    assert "sk:club&an:club" in club and "sk:club&an:any" in club
    assert "sk:none&an:club" in by_source[(None, None)]
    assert "sk:own&an:club" in by_source[(None, "Example Gazette")]
    assert "sk:person&an:club" in by_source[("Romelu Lukaku", None)]
    # the same indicators for each option: only the kind differs
    kinds = {k.split("&", 1)[1] for f in by_source.values() for k in f if k.startswith("sk:")}
    assert kinds == {"an:club", "an:any", "lex:reporting"} | kinds & {"lex:unnamedframe"}


def test_the_sentence_s_source_phrase_is_crossed_too() -> None:
    cands = _cands("Arsenal want to sign England striker Jonny Brackwater, 29, says the Sun.")
    assert any("sk:none&sp:trail" in c.features for c in cands)


def test_the_cross_group_switches_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(srcfeats, "GROUPS", srcfeats.GROUPS - {"cross"})
    cands = _cands("Chelsea have signed striker Romelu Lukaku, the Premier League club announced on Friday.")
    assert cands and not any(k.startswith("sk:") for c in cands for k in c.features)


@pytest.mark.parametrize(("text", "want"), [
    ("Reports on Monday claimed that Chelsea had made an offer.", True),
    ("Chelsea are said to be keen on the winger.", True),
    ("It was revealed on Sunday that Chelsea could trigger the clause.", True),
    ("Chelsea have made an offer for the winger.", False),
])
def test_an_unnamed_report_with_its_group(monkeypatch: pytest.MonkeyPatch, text: str, want: bool) -> None:
    monkeypatch.setattr(srcfeats, "GROUPS", srcfeats.GROUPS | {"unnamed"})
    assert ("un:report" in srcfeats.crossed({}, text)) is want
    monkeypatch.setattr(srcfeats, "GROUPS", srcfeats.GROUPS - {"unnamed"})
    assert "un:report" not in srcfeats.crossed({}, text)


def test_a_party_speaking_in_a_gossip_item_is_offered_with_party_short(monkeypatch: pytest.MonkeyPatch) -> None:
    from mercato.extract.learned import candidates

    text = "Salzburg striker Patson Daka, 22, says he has decided to join Leicester City. (Example Gazette)"
    pair = ("Leicester City", "Patson Daka")
    monkeypatch.setattr(candidates, "GENERATORS", candidates.GENERATORS - {"party_short"})
    without = {(c.source.journalist, c.source.outlet) for c in _cands(text) if (c.club, c.person) == pair}
    monkeypatch.setattr(candidates, "GENERATORS", candidates.GENERATORS | {"party", "party_short"})
    got = [c for c in _cands(text) if (c.club, c.person) == pair]
    sources = {(c.source.journalist, c.source.outlet) for c in got}
    assert ("Patson Daka", None) in sources and ("Patson Daka", None) not in without
    assert any("party" in c.options and c.source.journalist == "Patson Daka" and "sx:person&short" in c.features for c in got)


def test_the_crossed_features_are_the_source_option_s_not_the_unit_s() -> None:
    from mercato.extract.learned.candidates import unit_features

    text = ("Chelsea have signed striker Romelu Lukaku from Inter Milan, the Premier League club announced on Friday. "
            + FILLER)
    cands = _cands(text)
    assert any(k.startswith("sk:") for c in cands for k in c.features)
    for c in cands:
        # training reads a unit's row as unit_features(features), extraction as unit_feats: the same
        assert unit_features(c.features) == c.unit_feats


def test_a_long_document_s_second_source_threshold_is_its_own() -> None:
    from mercato.extract.learned import ClaimModel, predict_dist
    from mercato.extract.learned.model import get_model

    shipped = get_model()
    text = ("Chelsea have signed striker Romelu Lukaku from Inter Milan, the Premier League club announced on Friday. "
            + FILLER)
    cands = _cands(text)
    units = {c.unit for c in cands}
    assert len(cands) > len(units)  # some unit has more than one source option
    every = ClaimModel(shipped.vocab, shipped.heads, {**shipped.meta, "source_threshold_long": 0.0}, shipped.trees)
    long_p = predict_dist(every, cands, len(text))[0]
    short_p = predict_dist(every, cands, 100)[0]
    # in a long document every source of a unit gets the unit's P(claim); in a short one only the likeliest (and those
    # over the model's own threshold)
    for u in units:
        rows = [i for i, c in enumerate(cands) if c.unit == u]
        assert len({round(float(long_p[i]), 9) for i in rows}) == 1
    assert (long_p > 0).sum() > (short_p > 0).sum()


def test_the_announce_group_switches_off(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Chelsea have signed the striker, the Premier League club announced on Friday."
    monkeypatch.setattr(srcfeats, "GROUPS", srcfeats.GROUPS | {"announce"})
    assert "an:club" in srcfeats.crossed({}, text)
    monkeypatch.setattr(srcfeats, "GROUPS", srcfeats.GROUPS - {"announce"})
    assert not any(k.startswith("an:") for k in srcfeats.crossed({}, text))


def test_every_source_phrase_kind_is_crossed() -> None:
    kinds = {f"sp:{kind}" for kind, _ in srcfeats._frames()} | {"sp:any"}
    assert kinds <= set(srcfeats._UNIT_INDICATORS)
