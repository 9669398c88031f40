"""The learned extractor with and without the statistical entity recogniser (`train --ner-max-chars`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import get_model, learned_claims
from mercato.extract.learned.candidates import NER_ENV, ner_max_chars, process

# a player the knowledge base does not know, named where no name-slot pattern finds him: only the recogniser does
TEXT = "Chelsea are in talks with Brighton and hope to agree a fee for Zorbek Malinovsky this week, Sky Sports reports."


def _doc() -> ArticleDoc:
    return ArticleDoc(text=TEXT, date=dt.date(2024, 6, 1), outlet="Example Gazette")


def _player(doc: ArticleDoc) -> list[tuple[bool, bool]]:
    return [(m.in_kb, m.weak) for s in doc.sentences for m in s.mentions if m.canonical == "Zorbek Malinovsky"]


def test_without_the_recogniser_the_rules_lose_the_unknown_player_and_the_candidates_keep_him_as_a_weak_name() -> None:
    with_ner, without = _doc(), _doc()
    process(with_ner, ner=True)
    cands = process(without, ner=False)
    assert _player(with_ner) == [(False, False)] and [c.person for c in with_ner.claims] == ["Zorbek Malinovsky"]
    assert _player(without) == [(False, True)] and without.claims == []  # a capitalised name the candidates add
    assert any(c.person == "Zorbek Malinovsky" and c.club == "Chelsea" for c in cands)


def test_the_model_says_which_texts_are_read_without_the_recogniser(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = get_model()
    for limit, weak in ((None, False), (len(TEXT) + 1, False), (len(TEXT), True)):
        doc = _doc()
        learned_claims(doc, dataclasses.replace(model, meta={**model.meta, "ner_max_chars": limit}))
        assert _player(doc) == [(False, weak)], limit
    monkeypatch.setenv(NER_ENV, "50")
    assert ner_max_chars() == 50
    doc = _doc()
    process(doc)  # as the environment says (training): this text is longer than 50 characters
    assert _player(doc) == [(False, True)]
