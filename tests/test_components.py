"""The rules engine as registered spaCy components: declared order, state on the Doc, one test per component."""

from __future__ import annotations

import datetime as dt

import pytest

from mercato.extract.doc import ArticleDoc
from mercato.extract.spacy_pipeline import COMPONENTS, build_pipeline, get_pipeline, make_doc, run

DAY = dt.date(2024, 6, 1)
TEXT = ("Spurs are monitoring Bologna coach Thiago Motta ahead of the summer, the Example Gazette reports. "
        "Arsenal have opened talks with Brentford over Thomas Frank.")


def article(text: str = TEXT, outlet: str | None = "Example Gazette") -> ArticleDoc:
    return ArticleDoc(text=text, date=DAY, outlet=outlet)


def test_analyze_pipes_finds_every_requirement_assigned_earlier() -> None:
    nlp = get_pipeline()
    assert nlp.pipe_names == list(COMPONENTS)
    analysis = nlp.analyze_pipes(pretty=True)  # prints the table of assigns/requires under pytest -s
    assert all(not problems for problems in analysis["problems"].values()), analysis["problems"]
    attrs = analysis["attrs"]
    assert attrs["span._.role"]["assigns"] == ["mercato_linking"]
    assert "mercato_pairing" in attrs["span._.source"]["requires"]
    assert attrs["span._.source"]["assigns"] == ["mercato_attribution"]


def test_pairing_without_attribution_is_reported_by_analyze_pipes() -> None:
    nlp = build_pipeline(("mercato_sentences", "mercato_mentions", "mercato_linking", "mercato_pairing"))
    problems = nlp.analyze_pipes()["problems"]
    assert problems["mercato_pairing"] == ["span._.source"]


def test_sentences_and_mentions_are_spans_on_the_doc() -> None:
    doc = run(article())
    assert [s.text[:4] for s in doc.spans["sentences"]] == ["Spur", "Arse"]
    linked = {(sp.label_, sp._.canonical) for sp in doc.spans["mentions"]}
    assert {("club", "Tottenham Hotspur"), ("club", "Arsenal"), ("person", "Thiago Motta"),
            ("person", "Thomas Frank")} <= linked


def test_linking_gives_roles_to_mentions() -> None:
    doc = run(article())
    roles = {sp._.canonical: sp._.role for sp in doc.spans["mentions"]}
    assert roles["Bologna"] == "affiliation"  # the club Motta is at, not a suitor
    assert roles["Tottenham Hotspur"] == ""


def test_attribution_puts_a_source_on_each_frame() -> None:
    doc = run(article())
    frames = list(doc.spans["frames"])
    assert frames and all(sp._.source is not None for sp in frames)
    assert any(sp._.source.outlet == "Example Gazette" for sp in frames)


def test_pairing_and_stage_write_claim_spans() -> None:
    doc = run(article())
    claims = {(sp._.claim.club, sp._.claim.person): sp.label_ for sp in doc.spans["claims"]}
    assert claims[("Tottenham Hotspur", "Thiago Motta")] == "interest"
    assert claims[("Arsenal", "Thomas Frank")] == "talks"
    assert all(sp.text in doc.text for sp in doc.spans["claims"])


def test_stays_adds_off_claims_for_a_person_staying_put() -> None:
    doc = run(article("Chelsea are keen on Thiago Motta. Thiago Motta will stay at Bologna next season, he said."))
    assert any(c.club == "Chelsea" and c.stage == "off" for c in doc._.article.claims)


def test_certainty_step_spreads_a_source_doubt() -> None:
    text = "Chelsea want Thiago Motta. It is unlikely Thiago Motta will join Chelsea this summer."
    before = run(article(text), build_pipeline(COMPONENTS[:-1]))._.article.claims
    after = run(article(text))._.article.claims
    assert ("interest", "firm") in {(c.stage, c.certainty) for c in before}
    # the same source doubts the move in the next sentence: its interest claim becomes doubtful too
    assert {(c.stage, c.certainty) for c in after} == {("interest", "doubtful"), ("agreement", "doubtful")}


def test_state_lives_on_each_doc_not_shared() -> None:
    nlp = get_pipeline()
    one, two = run(article(), nlp), run(article("Chelsea have agreed a fee with Napoli for Victor Osimhen."), nlp)
    assert one._.article is not two._.article
    assert {c.person for c in one._.article.claims} == {"Thiago Motta", "Thomas Frank"}
    assert {c.person for c in two._.article.claims} == {"Victor Osimhen"}
    again = run(article(), nlp)
    assert [c.to_json() for c in again._.article.claims] == [c.to_json() for c in one._.article.claims]


def test_a_doc_without_its_article_is_refused() -> None:
    nlp = get_pipeline()
    doc = nlp.make_doc("Chelsea want Osimhen.")
    with pytest.raises(ValueError, match="doc._.article"):
        nlp.get_pipe("mercato_sentences")(doc)
    made = make_doc(nlp, article("Chelsea want Osimhen."))
    assert made._.article.text == made.text
