"""The learned extractor's stage and certainty decision: the features made for those heads, and how decode picks a
claim's stage among its mentions (measured by cross-validation in mercato.extract.learned.train)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import (
    decode,
    ladder_stage,
    long_offset,
    pick_options,
    predict_dist,
    predict_full,
    process,
    rules_stages,
    stage_pick,
)
from mercato.extract.learned.candidates import STAGE_ONLY, stage_words, unit_features
from mercato.extract.learned.model import ClaimModel, Head
from mercato.kb.datafile import DataFileError

DAY = dt.date(2024, 6, 1)


def _doc(text: str) -> ArticleDoc:
    return ArticleDoc(text=text, date=DAY, outlet="Example Gazette", author=None)


def test_stage_heads_read_the_rules_reading_and_the_cue_nearest_the_pair() -> None:
    doc = _doc("Chelsea have agreed a fee with Brighton for Roberto De Zerbi. Bayern Munich could make an offer for De Zerbi.")
    cands = process(doc)
    chelsea = next(c for c in cands if c.club == "Chelsea" and c.sentence == 0).features
    assert chelsea.get("st:cst=agreement") == 1.0
    assert {"st:cst>=interest", "st:cst>=talks", "st:cst>=agreement"} <= set(chelsea) and "st:cst>=done" not in chelsea
    # the cue nearest the person is the fee, the nearest the club the agreement
    assert {"st:nearp=bid", "st:nearplem=fee", "st:nearc=agreement", "st:nearclem=agreed"} <= set(chelsea)
    assert any(k.startswith("st:rcert=") for k in chelsea)
    bayern = next(c for c in cands if c.club == "Bayern Munich" and c.sentence == 1).features
    # "could make an offer": the rules read a planned bid (interest), with a modal before its cue
    assert {"st:cst=interest", "st:modality_before=interest", "st:rcert=hedged"} <= set(bayern)
    assert any(k.startswith("st:clem=") and "offer" in k for k in bayern)
    # the rules' stage for the pair from the candidate's source, anywhere in the article: a feature of that source only
    own = next(c for c in process(doc) if c.club == "Chelsea" and "r:src" in c.features).features
    assert own.get("r:srcdoc=agreement") == 1.0 and not any(k.startswith("r:srcdoc=") for k in unit_features(own))
    assert all(k.startswith(STAGE_ONLY) for k in own if k.startswith(("st:", "r:srcdoc=")))


def test_each_word_list_entry_reads_its_own_example() -> None:
    import json
    import re

    from mercato.extract.learned.candidates import STAGE_WORDS

    rows = [json.loads(line) for line in STAGE_WORDS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        own = re.compile(r"(?<![\w’'])(?:" + r["regex"] + r")(?![\w’'])", re.I)
        assert own.search(r["example"]), r["id"]
        assert stage_words()[r["kind"]].search(r["example"]), r["id"]


def test_the_word_lists_are_data_and_a_bad_line_names_the_file(tmp_path: Path) -> None:
    words = stage_words()
    assert {"modality", "negation", "perfect", "done"} <= set(words)
    assert words["negation"].search("they have not agreed") and words["modality"].search("he is set to join")
    assert not words["modality"].search("the willow tree")  # whole words only
    bad = tmp_path / "w.jsonl"
    bad.write_text('{"id": "x", "kind": "mood", "regex": "a", "example": "a"}\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"w\.jsonl:1"):
        stage_words.__wrapped__(bad)


def _one_key_doc() -> tuple[ArticleDoc, list]:
    doc = _doc("Chelsea are interested in Roberto De Zerbi. Chelsea have ended their pursuit of Roberto De Zerbi.")
    cands = [c for c in process(doc) if c.club == "Chelsea" and c.source.outlet == "Example Gazette"
             and c.source.journalist is None]
    return doc, cands


def test_decode_takes_the_surest_mention_where_asked_and_else_the_strongest() -> None:
    doc, cands = _one_key_doc()
    assert len({c.sentence for c in cands}) == 2
    n = len(cands)
    stages = ["interest" if c.sentence == 0 else "off" for c in cands]
    p = np.full(n, 0.9)
    sure = np.array([0.8 if c.sentence == 0 else 0.3 for c in cands])
    (strongest,) = decode(doc, cands, p, stages, ["firm"] * n)
    assert strongest.stage == "off"  # off outranks every rung
    (picked,) = decode(doc, cands, p, stages, ["firm"] * n, pick=sure)
    assert picked.stage == "interest"
    key = (cands[0].club, cands[0].person, cands[0].role, cands[0].source_key)
    (backed,) = decode(doc, cands, p, stages, ["firm"] * n, pick=sure, rules={key: "talks"})
    assert backed.stage == "talks"  # a claim the rules made too takes their stage


def test_pick_options_follow_the_models_settings() -> None:
    doc, cands = _one_key_doc()
    vocab = {"w:interested": 0}
    heads = {"claim": Head(["no", "yes"], np.array([[0.0]]), np.array([2.0])),
             "stage": Head(["interest", "off"], np.array([[2.0, 0.0]]), np.array([0.0, 0.0])),
             "certainty": Head(["firm", "hedged", "doubtful"], np.zeros((1, 3)), np.array([1.0, 0.0, 0.0]))}
    model = ClaimModel(vocab, heads, {"threshold": 0.5, "stage_pick": "confident", "rules_stage": "all"})
    p, stages, _, _, pick = predict_full(model, cands)
    assert pick.shape == p.shape and np.all((pick > 0) & (pick <= p + 1e-9))
    opts = pick_options(model, doc, cands, pick)
    assert opts["pick"] is pick and opts["rules"] == rules_stages(cands)
    model.meta.update(stage_pick="confident-long", rules_stage="long")  # a two-sentence text is short: neither applies
    assert pick_options(model, doc, cands, pick) == {"pick": None, "rules": None}
    model.meta.clear()  # weights trained before these settings: the strongest mention, no rules
    assert pick_options(model, doc, cands, pick) == {"pick": None, "rules": None}


def test_a_short_item_gives_each_candidate_its_strongest_cue_anywhere() -> None:
    # a post: the completion is in a sentence that names neither side
    doc = ArticleDoc(text="Leeds sign Jonas Weber, here we go! The transfer has been completed.", date=DAY,
                     outlet=None, author="A Writer")
    f = next(c for c in process(doc) if c.person == "Jonas Weber").features
    assert f.get("st:short=done") == 1.0 and f.get("st:sst=agreement") == 1.0
    long_doc = _doc("Leeds sign Jonas Weber, here we go! " + "The club met on Monday to plan the season ahead. " * 14
                    + "The transfer has been completed.")
    assert all(not any(k.startswith("st:short") for k in c.features) for c in process(long_doc))


def test_done_may_come_from_a_completion_anywhere_in_a_short_item() -> None:
    model = ClaimModel({"w:sign": 0}, {
        "claim": Head(["no", "yes"], np.zeros((1, 1)), np.array([5.0])),
        "stage": Head(["agreement", "done"], np.zeros((1, 2)), np.array([0.0, 9.0])),  # the head prefers done
        "certainty": Head(["firm"], np.zeros((1, 1)), np.array([0.0]))}, {})
    post = ArticleDoc(text="Leeds sign Jonas Weber, here we go! The transfer has been completed.", date=DAY, outlet=None,
                      author="A Writer")
    _, stages, _, _, _ = predict_full(model, process(post))
    assert stages and set(stages) == {"done"}
    _, stages, _, _, _ = predict_full(model, process(_doc("Leeds sign Jonas Weber, here we go!")))
    assert stages and "done" not in stages
    # the spec's words of a completed move (stage_features.jsonl, kind done), where the rules' lexicon reads none
    for text in ("Leeds sign Jonas Weber, here we go! The documents have been signed.",
                 "Leeds sign Jonas Weber, here we go! Done deal."):
        cands = process(ArticleDoc(text=text, date=DAY, outlet=None, author="A Writer"))
        assert all("st:short_done_word" in c.features and "cue:done" not in c.features for c in cands)
        _, stages, _, _, _ = predict_full(model, cands)
        assert stages and set(stages) == {"done"}


def test_the_ladder_reads_a_claims_stage_from_all_its_mentions() -> None:
    classes = ["interest", "talks", "agreement", "off"]
    # one mention, unsure between talks and agreement: P(>= agreement) 0.45 misses 0.5, P(>= talks) 0.9 reaches it
    one = np.array([[0.1, 0.45, 0.45, 0.0]])
    assert ladder_stage(one, classes, 0.5) == "talks"
    assert ladder_stage(one, classes, 0.4) == "agreement"
    # two such mentions: P(some mention >= agreement) = 1 - 0.55 * 0.55 = 0.70
    assert ladder_stage(np.vstack([one, one]), classes, 0.5) == "agreement"
    # off outranks every rung, as in the spec's deduplication
    assert ladder_stage(np.array([[0.2, 0.1, 0.0, 0.7]]), classes, 0.5) == "off"
    assert ladder_stage(np.zeros((1, 4)), classes, 0.5) == "interest"  # no mass anywhere: the weakest rung


def test_decode_with_the_ladder_and_the_pick_for_long_and_short_documents() -> None:
    doc, cands = _one_key_doc()
    n = len(cands)
    classes = ["interest", "talks", "off"]
    dist = np.array([[0.2, 0.8, 0.0] if c.sentence == 0 else [0.4, 0.0, 0.6] for c in cands])
    stages = ["talks" if c.sentence == 0 else "interest" for c in cands]
    (rec,) = decode(doc, cands, np.full(n, 0.9), stages, ["firm"] * n, ladder=(dist, classes, 0.5))
    assert len({c.sentence for c in cands}) == 2 == n
    assert rec.stage == "off"  # the second mention's P(off) 0.6 reaches 0.5
    (rec,) = decode(doc, cands, np.full(n, 0.9), stages, ["firm"] * n, ladder=(dist, classes, 0.9))
    assert rec.stage == "talks"  # P(some mention >= talks) = 1 - 0.2 * 0.4 = 0.92; off only 0.6
    assert stage_pick("confident/ladder", True) == "confident" and stage_pick("confident/ladder", False) == "ladder"
    assert stage_pick("confident-long", False) == "strongest" and stage_pick("ladder", True) == "ladder"


def test_the_ladder_and_the_long_threshold_follow_the_models_settings() -> None:
    doc, cands = _one_key_doc()
    vocab = {"w:interested": 0}
    heads = {"claim": Head(["no", "yes"], np.array([[0.0]]), np.array([2.0])),
             "stage": Head(["interest", "off"], np.array([[2.0, 0.0]]), np.array([0.0, 0.0])),
             "certainty": Head(["firm", "hedged", "doubtful"], np.zeros((1, 3)), np.array([1.0, 0.0, 0.0]))}
    model = ClaimModel(vocab, heads, {"threshold": 0.5, "stage_pick": "confident/ladder", "ladder_at": 0.6,
                                      "long_offset": 0.2})
    p, _, _, _, pick, dist = predict_dist(model, cands)
    assert dist.shape == (len(cands), 2) and np.allclose(dist.sum(axis=1), 1.0)
    opts = pick_options(model, doc, cands, pick, dist)  # a short text: the ladder
    assert opts["pick"] is None and opts["ladder"][0] is dist and opts["ladder"][2] == 0.6
    assert long_offset(model, doc) == 0.0
    long_doc = _doc("Chelsea are interested in Roberto De Zerbi. " + "The club met on Monday to plan the season. " * 16)
    assert long_offset(model, long_doc) == 0.2
    assert "ladder" not in pick_options(model, long_doc, cands, pick, dist)
