"""Features of the learned claim decision that do not depend on the knowledge base knowing the person
(learned.srcfeats): the sentence's source phrase, the person mention's own evidence; their word lists as data; and the
shipped model reading a claim about a player it does not know from the source phrase alone."""

from __future__ import annotations

import datetime as dt

import pytest

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import learned_claims, process, srcfeats
from mercato.kb import get_kb

DAY = dt.date(2024, 6, 1)
# a player the knowledge base does not know (checked below), and one it knows
UNKNOWN = "Jonny Brackwater"
KNOWN = "Harry Kane"


def _doc(text: str, outlet: str | None = None) -> ArticleDoc:
    return ArticleDoc(text=text, date=DAY, outlet=outlet, author=None)


def _unit(text: str, club: str, person: str) -> dict[str, float]:
    cands = [c for c in process(_doc(text)) if c.club == club and c.person == person]
    assert cands, (club, person, text)
    assert cands[0].unit_feats is not None
    return cands[0].unit_feats


@pytest.mark.parametrize(("masked", "kind"), [
    (" _club_  want  _person_ , says the  _src_ .", "trail"),
    (" _club_  want  _person_ , the Example Gazette reports.", "trail"),  # an outlet no recogniser knows
    (" _club_  want  _person_ , according to the  _src_ .", "prep"),
    (" _club_  want  _person_ , 29 ( _src_ )", "bracket"),
    (" _src_  reports that  _club_  want  _person_ .", "lead"),
    (" _src_ ’s  _src_  says  _club_  want  _person_ .", "outlet_journalist"),
    (" _src_  reporter  _src_  says  _club_  want  _person_ .", "outlet_journalist"),
])
def test_the_source_phrase_is_read_whatever_its_form(masked: str, kind: str) -> None:
    got = srcfeats.source_phrase(masked)
    assert f"sp:{kind}" in got and "sp:any" in got


@pytest.mark.parametrize("masked", [
    " _club_  want  _person_ , says the club's chief executive  _oper_ .",  # a person speaking: no outlet's phrase
    "Former  _club_  boss  _oper_  says  _club_  should sign  _person_ .",
    " _club_  want  _person_ .",
    # found in review: a pronoun or a photo credit had read as an outlet (kind not_source)
    "He says that  _club_  want  _person_ .",
    "They believe  _club_  want  _person_ .",
    " _club_  want  _person_ , I believe.",
    " _club_  want  _person_  (Getty Images).",
])
def test_a_person_speaking_or_no_source_is_no_source_phrase(masked: str) -> None:
    assert srcfeats.source_phrase(masked) == ()


def test_the_source_phrase_reads_as_one_placeholder_whatever_its_form() -> None:
    forms = [" _club_  want  _person_ , says the  _src_ .", " _club_  want  _person_ , according to the  _src_ .",
             " _club_  want  _person_ , the Example Gazette reports."]
    # the same words but a comma ("according to" keeps the comma before it)
    assert {" ".join((srcfeats.normalise(m) or "").replace(",", "").split()) for m in forms} == {"_club_ want _person_ _srcframe_ ."}
    assert srcfeats.normalise(" _src_  reports that  _club_  want  _person_ .") == " _srcframe_   _club_  want  _person_ ."
    assert srcfeats.normalise(" _club_  want  _person_ , says the club's chief executive  _oper_ .") is None


def test_the_kb_twin_is_the_unit_as_an_unknown_person_would_give_it() -> None:
    text = "Arsenal want to sign England striker {}, 29, says the Sun."
    known = _unit(text.format(KNOWN), "Arsenal", KNOWN)
    unknown = _unit(text.format(UNKNOWN), "Arsenal", UNKNOWN)
    # his club from the dated spells: the known-ness on its own, current_other only for a club the text gives
    assert "current_kb" in known and "current_other" not in known
    twin = srcfeats.kb_twin(known)
    assert twin is not None and srcfeats.kb_twin(unknown) is None
    assert not set(twin) & set(srcfeats.KB_FEATURES) and twin["current_unknown"] == 1.0
    assert set(twin) == set(unknown)  # the same names but the person's: what an unknown player's unit has


def test_the_unit_features_of_a_player_the_knowledge_base_does_not_know() -> None:
    assert get_kb().person(UNKNOWN) is None and get_kb().person(KNOWN) is not None
    text = "Arsenal want to sign England striker {}, 29, says the Sun."
    unknown = _unit(text.format(UNKNOWN), "Arsenal", UNKNOWN)
    known = _unit(text.format(KNOWN), "Arsenal", KNOWN)
    for f in (unknown, known):
        assert {"sp:trail", "sp:any", "pe:descriptor", "pe:age", "pe:two_words"} <= set(f)
    assert "pe:kb" in known and "pe:kb" not in unknown
    bare = _unit(f"Chelsea want {UNKNOWN}.", "Chelsea", UNKNOWN)
    assert not any(k.startswith("sp:") for k in bare) and "pe:descriptor" not in bare and "pe:age" not in bare


def test_the_groups_switch_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(srcfeats, "GROUPS", frozenset())
    f = _unit(f"Chelsea want {UNKNOWN}, says the Sun.", "Chelsea", UNKNOWN)
    assert not any(k.startswith(("sp:", "pe:")) for k in f)


@pytest.mark.parametrize("text", [
    f"Chelsea want {UNKNOWN}, says the Sun.",
    f"Arsenal want to sign England striker {UNKNOWN}, 29, says the Sun.",
    f"Arsenal want to sign England striker {UNKNOWN}, 29, according to the Sun.",
])
def test_the_shipped_model_reads_the_claim_of_a_player_it_does_not_know_from_the_source_phrase(text: str) -> None:
    claims = learned_claims(_doc(text))
    got = {(c.club, c.person, c.source.outlet) for c in claims}
    assert any(club in ("Chelsea", "Arsenal") and person == UNKNOWN and outlet == "The Sun" for club, person, outlet in got), got


def test_training_adds_the_unknown_twin_of_a_known_person_s_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from mercato.extract.learned import train

    cands = process(_doc(f"Chelsea want {KNOWN}. Arsenal want {UNKNOWN}."))
    prep = SimpleNamespace(cands=cands, y=[1 if c.option == "clause" else 0 for c in cands])
    monkeypatch.setattr(train, "KB_TWINS", False)
    plain, plain_y, _, _ = train._unit_rows([prep])  # type: ignore[list-item]
    monkeypatch.setattr(train, "KB_TWINS", True)
    twins, twins_y, _, _ = train._unit_rows([prep])  # type: ignore[list-item]
    def is_known(f: dict[str, float]) -> bool:  # his mention found by the knowledge base, or his club from its spells
        return "pe:kb" in f or "current_kb" in f

    known = [f for f in plain if is_known(f)]
    assert known and len(known) < len(plain) and len(twins) == len(plain) + len(known)
    added = twins[len(plain):]
    assert not any(is_known(f) for f in added)
    assert twins_y[len(plain):] == [y for f, y in zip(plain, plain_y, strict=True) if is_known(f)]


def test_a_model_refuses_other_feature_switches_than_it_was_trained_under(monkeypatch: pytest.MonkeyPatch) -> None:
    from mercato.extract.learned import FeatureSettingsError, check_settings
    from mercato.extract.learned.candidates import feature_settings
    from mercato.extract.learned.model import ClaimModel

    settings = feature_settings()
    model = ClaimModel({}, {}, {"feature_settings": settings})
    check_settings(model)  # the same switches: nothing to say
    check_settings(ClaimModel({}, {}, {}))  # weights saved before the switches were kept are not checked
    trained = ",".join(settings["srcfeats"])
    assert trained != "phrase"  # the default has more groups than the one the test leaves
    monkeypatch.setattr(srcfeats, "GROUPS", frozenset({"phrase"}))
    with pytest.raises(FeatureSettingsError, match=f"srcfeats: trained with {trained}, now phrase"):
        check_settings(model)
