"""The pair-decision structure features of the learned extractor (learned.pairfeats): coordinated lists, anaphors,
the person's own club; their word lists as data; and the affiliation rule they rely on."""

from __future__ import annotations

import datetime as dt

import pytest

from mercato.extract import components as rules
from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import pairfeats, process

DAY = dt.date(2024, 6, 1)


def _doc(text: str) -> ArticleDoc:
    return ArticleDoc(text=text, date=DAY, outlet="Example Gazette", author=None)


def test_coordination_finds_the_list_its_size_and_the_position() -> None:
    masked = " _oclub_ ,  _club_  and  _oclub_  are keen on  _person_ ."
    start, end, n, at = pairfeats.coordination(masked, masked.index(" _club_ "), "club")  # type: ignore[misc]
    assert (n, at) == (3, 1)
    assert masked[start:end].strip().startswith("_oclub_") and masked[end:].lstrip().startswith("are")
    alone = " _club_  are keen on  _person_  and  _oper_ ."
    assert pairfeats.coordination(alone, alone.index(" _club_ "), "club") is None
    assert pairfeats.coordination(alone, alone.index(" _person_ "), "per")[2:] == (2, 0)  # type: ignore[index]


def test_anaphor_is_a_pronoun_or_a_descriptor() -> None:
    assert pairfeats.anaphor(" _club_  want to sign the 24-year-old .")[2] == "descriptor"  # type: ignore[index]
    assert pairfeats.anaphor(" _club_  have made him their top target .")[2] == "pronoun"  # type: ignore[index]
    assert pairfeats.anaphor(" _club_  won the league .") is None
    assert pairfeats.anaphor("the history of the club") is None  # "his" only as a whole word


def test_a_club_in_a_list_reads_the_context_of_the_whole_list() -> None:
    cands = process(_doc("Arsenal, Chelsea and Tottenham are keen on Declan Rice."))
    f = next(c.features for c in cands if c.club == "Chelsea" and c.person == "Declan Rice")
    assert f.get("clist") == 1.0 and f.get("clist_at=mid") == 1.0 and f.get("clist_n=3") == 1.0
    assert f.get("cr:are") == 1.0 and f.get("cr:keen") == 1.0  # the words after the list, not ", _oclub_"
    assert "cr:_oclub_" not in f
    alone = process(_doc("Chelsea are keen on Declan Rice."))
    g = next(c.features for c in alone if c.club == "Chelsea")
    assert "clist" not in g and g.get("cr:are") == 1.0


def test_a_person_not_named_in_the_sentence_takes_the_anaphor_position() -> None:
    cands = process(_doc("Declan Rice has been in fine form. Chelsea are ready to offer the 24-year-old a new deal."))
    f = next(c.features for c in cands if c.club == "Chelsea" and c.person == "Declan Rice" and c.sentence == 1)
    assert f.get("p_anaphor=descriptor") == 1.0 and f.get("order=club_first") == 1.0
    assert f.get("pl:offer") == 1.0


def test_the_person_own_club_elsewhere_is_a_feature() -> None:
    cands = process(_doc("Brighton's Kaoru Mitoma is wanted by Chelsea."))
    chelsea = next(c.features for c in cands if c.club == "Chelsea" and c.person == "Kaoru Mitoma")
    assert chelsea.get("current_other") == 1.0 and chelsea.get("current_other_here") == 1.0
    brighton = next(c.features for c in cands if c.club == "Brighton & Hove Albion" and c.person == "Kaoru Mitoma")
    assert brighton.get("club_is_current") == 1.0 and "current_other" not in brighton


def test_a_club_bidding_for_a_titled_person_is_not_his_club() -> None:
    doc = _doc("Doncaster Rovers have rejected a bid from Sunderland for striker John Marquis.")
    for component in (rules.segment, rules.mentions, rules.resolve):
        component(doc)
    roles = {m.canonical: m.role for s in doc.sentences for m in s.mentions if m.kind == "club"}
    assert roles.get("Sunderland") != "affiliation"
    assert doc.current_club.get("John Marquis") != "Sunderland"
    owned = _doc("Sunderland striker John Marquis is wanted by Doncaster Rovers.")
    for component in (rules.segment, rules.mentions, rules.resolve):
        component(owned)
    assert owned.current_club.get("John Marquis") == "Sunderland"  # "<Club> <title> <Person>" still is his club


def test_the_pair_across_the_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS | {"doc"})  # measured and left off by default
    cands = process(_doc("Chelsea want Declan Rice. Chelsea are close to signing Declan Rice. Arsenal also like Declan Rice."))
    chelsea = next(c.features for c in cands if c.club == "Chelsea" and c.person == "Declan Rice" and c.sentence == 1)
    assert chelsea.get("pair_sents=2") == 1.0 and chelsea.get("pair_in_headline") == 1.0
    arsenal = next(c.features for c in cands if c.club == "Arsenal" and c.person == "Declan Rice")
    assert arsenal.get("pair_sents=1") == 1.0 and "pair_in_headline" not in arsenal


def test_club_anaphors_and_vacancy_words() -> None:
    start, end, kind = pairfeats.club_anaphor(" _oper_  is also under consideration by the club .")  # type: ignore[misc]
    assert kind == "club" and " _oper_  is also under consideration by the club ."[start:end] == "the club"
    assert pairfeats.club_anaphor("contenders for the head coach role")[2] == "job"  # type: ignore[index]
    assert pairfeats.club_anaphor(" _club_  want  _person_ .") is None
    assert pairfeats.vacancy("Liverpool are searching for a new head coach.")
    assert pairfeats.vacancy("three names are on the shortlist")
    assert not pairfeats.vacancy("Chelsea beat Arsenal on Sunday.")


_SHORTLIST = ("Liverpool are searching for a new head coach after Jurgen Klopp announced that he would step down at the "
              "end of the season, and the club's owners have spent several weeks working through the candidates. "
              "Sporting Lisbon won again on Saturday, their tenth league win in a row in a remarkable season for them. "
              "Xabi Alonso, Ruben Amorim and Roberto De Zerbi are all on the shortlist drawn up in recent weeks. "
              "Brentford boss Thomas Frank is also under consideration by the club according to several reports.")


def test_a_club_not_named_in_the_sentence_says_where_it_was_named() -> None:
    cands = process(_doc(_SHORTLIST))
    f = next(c.features for c in cands if c.club == "Liverpool" and c.person == "Ruben Amorim" and c.sentence == 2)
    assert f.get("c_vacancy") == 1.0 and f.get("cfocus_gap=2") == 1.0 and f.get("cfocus_head") == 1.0
    assert f.get("cfocus_vac_named") == 1.0 and f.get("cfocus_in") == 1.0 and f.get("cfocus_in&vacancy") == 1.0
    assert "cfocus_latest" not in f  # Sporting Lisbon was named since
    assert "c_other_suitor_here" not in f
    g = next(c.features for c in cands if c.club == "Liverpool" and c.person == "Thomas Frank" and c.sentence == 3)
    assert g.get("c_anaphor=club") == 1.0 and g.get("cl:by") == 1.0 and g.get("cl:consideration") == 1.0
    named = next(c.features for c in cands if c.club == "Brentford" and c.person == "Thomas Frank")
    assert not any(k.startswith(("cfocus", "c_anaphor", "c_vacancy")) for k in named)  # named here: none of these


def test_a_list_of_candidates_is_paired_with_the_club_in_focus(monkeypatch: pytest.MonkeyPatch) -> None:
    from mercato.extract.learned import candidates

    monkeypatch.setattr(candidates, "GENERATORS", candidates.GENERATORS - {"main"})
    doc = _doc(_SHORTLIST + " The decision is expected before the end of the month, with the board keen to move quickly"
               " and to have the new man in place for the start of pre-season training in early July this year.")
    assert len(doc.text) > candidates.SHORT  # an article, not a gossip item
    for component in (rules.segment, rules.mentions, rules.resolve, rules.attribution):
        component(doc)
    got = {(c.club, c.person, c.origin) for c in candidates.generate(doc, []) if c.sentence == 2}
    # the shortlist names no club: Liverpool, whose job the first sentence discusses, is the club in focus (the
    # carried club would be Sporting Lisbon, the latest named)
    assert ("Liverpool", "Ruben Amorim", "focus") in got and ("Liverpool", "Xabi Alonso", "focus") in got
    monkeypatch.setattr(candidates, "GENERATORS", candidates.GENERATORS - {"focus"})
    got = {(c.club, c.person, c.origin) for c in candidates.generate(doc, []) if c.sentence == 2}
    assert not any(cl == "Liverpool" for cl, _, _ in got)


def test_keeping_ones_own_man_whose_exit_was_announced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS | {"keep"})  # measured and left off by default
    text = ("Thomas Tuchel will leave Bayern Munich at the end of the season, the club announced in February. "
            "Bayern Munich are now trying to persuade Thomas Tuchel to stay on as coach.")
    f = next(c.features for c in process(_doc(text)) if c.club == "Bayern Munich" and c.person == "Thomas Tuchel"
             and c.sentence == 1)
    assert f.get("club_is_current") == 1.0
    assert f.get("cur&keep") == 1.0 and f.get("cur&leaving") == 1.0 and f.get("cur&keep&leaving") == 1.0
    g = next(c.features for c in process(_doc("Bayern Munich are trying to persuade Thomas Tuchel to stay on as coach."))
             if c.club == "Bayern Munich" and c.person == "Thomas Tuchel")
    if g.get("club_is_current"):  # his club from the dated spells: kept, but no exit announced
        assert g.get("cur&keep") == 1.0 and "cur&leaving" not in g
    assert "cur&keep&leaving" not in g


def test_another_suitor_named_in_the_sentence_of_an_absent_club() -> None:
    cands = process(_doc("Liverpool are searching for a new head coach. "
                         "Bayern Munich are also looking for a coach and are watching Zinedine Zidane."))
    f = next(c.features for c in cands if c.club == "Liverpool" and c.person == "Zinedine Zidane" and c.sentence == 1)
    assert f.get("c_other_suitor_here") == 1.0 and f.get("cfocus_gap=1") == 1.0
    g = next(c.features for c in cands if c.club == "Bayern Munich" and c.person == "Zinedine Zidane")
    assert "c_other_suitor_here" not in g  # Bayern is named here: no focus features at all


def test_years_and_seasons_read_against_the_article_date() -> None:
    text = "He joined in 2017, played the 2022/23 season, signed until 2027 for 2024-25, won 2-1 and cost £2000."
    got = [(text[a:b], when) for a, b, when in pairfeats.years(text, DAY)]
    assert got == [("2017", "past"), ("2022/23", "past"), ("2027", "future"), ("2024-25", "now")]
    assert [w for _, _, w in pairfeats.years("the 2023/24 season", dt.date(2024, 3, 1))] == ["now"]
    assert [w for _, _, w in pairfeats.years("the 2023/24 season", dt.date(2025, 3, 1))] == ["past"]
    # a span of years is read whole: a deal running on is not past because it began before the article's year
    assert [w for _, _, w in pairfeats.years("his 2024-2027 contract", dt.date(2025, 3, 1))] == ["now"]
    assert [w for _, _, w in pairfeats.years("his 2024–27 contract", dt.date(2028, 3, 1))] == ["past"]
    # up to MAX_SPAN years is one span; a longer "range" is read as its first year alone
    assert [w for _, _, w in pairfeats.years("between 2015-2025", dt.date(2020, 3, 1))] == ["now"]
    assert [w for _, _, w in pairfeats.years("between 2014-2025", dt.date(2020, 3, 1))] == ["past"]


def test_a_move_of_long_ago_is_dated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS | {"dated"})
    cands = process(_doc("Chelsea want Declan Rice. Declan Rice joined West Ham in 2014, and last summer he signed a new "
                         "long-term contract there which runs until 2027."))
    old = next(c.features for c in cands if c.club == "West Ham United" and c.person == "Declan Rice" and c.sentence == 1)
    assert old.get("yr=past") == 1.0 and old.get("yr_club=past") == 1.0 and old.get("yr=future") == 1.0
    assert "yr_club=future" not in old  # the contract's year is far from the club
    new = next(c.features for c in cands if c.club == "Chelsea" and c.person == "Declan Rice" and c.sentence == 0)
    assert not any(k.startswith("yr") for k in new)
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS - {"dated"})
    assert not any(k.startswith("yr") for c in process(_doc("Declan Rice joined West Ham in 2014.")) for k in c.features)


def test_which_way_a_move_goes_by_the_words_before_the_club() -> None:
    assert pairfeats.direction("The winger signed from ") == "from"
    assert pairfeats.direction("he is set to leave the ") == "from"
    assert pairfeats.direction("He is close to a move to ") == "to"
    assert pairfeats.direction("He is expected to join ") == "to"
    assert pairfeats.direction("Arsenal beat ") is None
    assert pairfeats.direction("a transfer fee ") is None


def test_the_seller_and_the_buyer_named_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS | {"direction"})
    cands = process(_doc("Real Madrid and Juventus are close to a deal for Cristiano Ronaldo. "
                         "Cristiano Ronaldo is expected to join Juventus from Real Madrid for a fee of 100 million euros."))
    first = {c.club: c.features for c in cands if c.person == "Cristiano Ronaldo" and c.sentence == 0}
    assert first["Real Madrid"].get("dir_from_else") == 1.0 and first["Real Madrid"].get("dir_to_other") == 1.0
    assert first["Juventus"].get("dir_to_else") == 1.0 and first["Juventus"].get("dir_from_other") == 1.0
    assert "dir_from_else" not in first["Juventus"]
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS - {"direction"})
    assert not any(k.startswith("dir_") for c in process(_doc("Cristiano Ronaldo will join Juventus.")) for k in c.features)


def test_the_direction_features_have_a_copy_by_the_kind_of_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pairfeats, "GROUPS", pairfeats.GROUPS | {"direction", "direction_split"})
    short = "Juventus want Cristiano Ronaldo. Cristiano Ronaldo could leave Real Madrid."
    f = next(c.features for c in process(_doc(short)) if c.club == "Juventus" and c.sentence == 0)
    assert f.get("dir_from_other") == 1.0 and f.get("dir_from_other@short") == 1.0 and "dir_from_other@long" not in f
    long = short + " The Portugal forward has scored in every one of his last six matches in all competitions." * 6
    f = next(c.features for c in process(_doc(long)) if c.club == "Juventus" and c.sentence == 0)
    assert f.get("dir_from_other@long") == 1.0 and "dir_from_other@short" not in f
