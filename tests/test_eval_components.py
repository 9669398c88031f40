"""The per-component scorer (mercato.evaluate.components) and `mercato eval --per-component`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from mercato.evaluate.components import ComponentScore, score_document
from mercato.serve.cli import app

runner = CliRunner()


def claim(club, person, stage, j=None, o=None, cert="firm", role="player"):
    return {"club": club, "person": person, "role": role, "stage": stage,
            "source": {"journalist": j, "outlet": o}, "certainty": cert, "evidence": "x"}


def test_each_component_is_scored_on_what_reaches_it() -> None:
    gold = [claim("Chelsea", "Victor Osimhen", "talks", o="Gazette"),
            claim("Chelsea", "Victor Osimhen", "interest", j="A Writer"),
            claim("Arsenal", "Victor Osimhen", "bid", o="Gazette", cert="hedged"),
            claim("Napoli", "Kim Min-jae", "interest", o="Gazette")]
    pred = [claim("Chelsea", "Victor Osimhen", "talks", o="Gazette", cert="hedged"),  # right but for certainty
            claim("Arsenal", "Victor Osimhen", "interest", o="Other"),  # pair found, stage and source wrong
            claim("Juventus", "Victor Osimhen", "interest", o="Gazette")]  # a false pair
    mentions = [("club", "Chelsea"), ("club", "Arsenal"), ("club", "Juventus"), ("person", "Victor Osimhen"),
                ("club", "Napoli")]
    total = ComponentScore()
    score_document("d", pred, gold, mentions, total)
    d = total.as_dict()
    assert d["mentions_club_recall"] == 1.0  # Chelsea, Arsenal, Napoli all linked
    assert d["mentions_person_recall"] == 0.5  # Kim Min-jae never found
    assert (d["pairing_precision"], d["pairing_recall"]) == (round(2 / 3, 4), round(2 / 3, 4))
    assert d["stage_accuracy_on_found_pairs"] == 0.5  # Chelsea talks right, Arsenal interest for bid wrong
    assert d["attribution_accuracy_on_found_pairs"] == round(1 / 3, 4)  # only the Gazette's Chelsea claim
    assert d["certainty_accuracy_on_matched_claims"] == 0.0 and total.end_to_end.tp == 1


def test_cli_per_component_on_the_shared_gold(shared: Path) -> None:
    res = runner.invoke(app, ["eval", "--gold", str(shared / "corpus/gold"), "--articles",
                              str(shared / "corpus/articles"), "--per-component", "--format", "json"])
    assert res.exit_code == 0, res.output
    gold = json.loads(res.output)["gold"]
    assert gold["documents"] == 18
    assert 0.0 < gold["pairing_f1"] <= 1.0 and 0.0 < gold["mentions_club_recall"] <= 1.0
    # the end-to-end figure is the one `mercato eval` prints for the rules engine, whose components these are
    # (the default extractor is the learned one since learned-0.3)
    plain = json.loads(runner.invoke(app, ["eval", "--gold", str(shared / "corpus/gold"), "--articles",
                                           str(shared / "corpus/articles"), "--format", "json",
                                           "--extractor", "rules"]).output)
    assert gold["claim_f1"] == plain["f1"]


def test_cli_per_component_refuses_the_blind_set() -> None:
    res = runner.invoke(app, ["eval", "--labels", "annotations/blind/en", "--blind", "--per-component"])
    assert res.exit_code == 2 and "refused" in res.output
