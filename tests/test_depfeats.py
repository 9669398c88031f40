"""The learned extractor's optional dependency-parse features (learned.depfeats): off by default, what they say when
on, and a model trained with them asks for them at extraction time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import depfeats, learned_claims, process
from mercato.extract.learned.candidates import unit_features
from mercato.extract.learned.model import ClaimModel
from mercato.extract.learned.train import main
from mercato.kb import normalise

DAY = dt.date(2024, 6, 1)
TEXT = ("Fabrizio Romano reports that Arsenal have agreed a fee with Brighton for Moises Caicedo. "
        "Chelsea did not sign Declan Rice, according to The Athletic.")


def _doc() -> ArticleDoc:
    return ArticleDoc(text=TEXT, date=DAY, outlet="Example Gazette", author=None)


def test_parse_features_are_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(depfeats.ENV, raising=False)
    assert not any("dep|" in k for c in process(_doc()) for k in c.features)
    monkeypatch.setenv(depfeats.ENV, "1")
    assert any(k.startswith("dep|") for c in process(_doc()) for k in c.features)


def test_subject_object_negation_and_according_to() -> None:
    cands = [c for c in process(_doc(), parse=True) if c.club == "Chelsea" and c.person == "Declan Rice" and c.sentence == 1]
    assert cands
    f = cands[0].features
    assert f.get("dep|club_subj_person_obj=sign") == 1.0 and f.get("dep|neg") == 1.0
    assert f.get("dep|path=nsubj^dobj") == 1.0
    by_outlet = {c.source.outlet: c.features for c in cands if not c.source.journalist}
    assert by_outlet["The Athletic"].get("srcdep|according_to") == 1.0
    assert by_outlet["Example Gazette"].get("srcdep|absent") == 1.0
    # the source option's parse features are no unit features: the claim head never sees them
    assert not any(k.startswith("srcdep|") for k in unit_features(f))


def test_reporting_verb_and_its_subject_as_the_source() -> None:
    cands = [c for c in process(_doc(), parse=True)  # "Moisés Caicedo", as the knowledge base's spells name him
             if c.club == "Arsenal" and normalise(c.person or "") == "moises caicedo" and c.sentence == 0]
    romano = next(c for c in cands if c.source.journalist == "Fabrizio Romano")
    assert romano.features.get("dep|in_ccomp") == 1.0 and romano.features.get("dep|ccomp_of=report") == 1.0
    assert romano.features.get("srcdep|subj_of=report") == 1.0
    own = next(c for c in cands if c.source.outlet == "Example Gazette")
    assert "srcdep|subj_of_gov" not in own.features


def test_a_model_trained_with_parse_features_uses_them(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(depfeats.ENV, "0")  # main(--parse) switches it on; restored afterwards
    out = tmp_path / "w.npz"
    assert main(["--limit", "8", "--no-cv", "--parse", "--out", str(out)]) == 0
    json.loads(capsys.readouterr().out)
    model = ClaimModel.load(out)
    assert model.meta["parse"] is True and any(k.startswith("dep|") for k in model.vocab)
    monkeypatch.setenv(depfeats.ENV, "0")
    calls = []
    real = depfeats.document_features
    monkeypatch.setattr(depfeats, "document_features", lambda doc, cands, ko: calls.append(len(cands)) or real(doc, cands, ko))
    learned_claims(_doc(), model)
    assert calls and calls[0] > 0  # the model's meta asks for the parse, whatever the environment says
    calls.clear()
    model.meta["parse"] = False
    learned_claims(_doc(), model)
    assert not calls
