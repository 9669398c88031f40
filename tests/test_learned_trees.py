"""Gradient boosting for the learned extractor's claim decision, exported as plain arrays (model.Trees)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix

from mercato.config import shared_dir
from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import learned_claims
from mercato.extract.learned.model import ClaimModel, Head, Trees


def _binary_data(n: int = 600, d: int = 30, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Sparse binary features with an interaction the trees must find (x0 AND NOT x1, or x2 AND x3), plus noise."""
    rng = np.random.default_rng(seed)
    X = (rng.random((n, d)) < 0.25).astype(np.float64)
    logit = 2.5 * X[:, 0] * (1 - X[:, 1]) + 2.0 * X[:, 2] * X[:, 3] - 0.8 * X[:, 4] - 1.0
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def _fit(X: np.ndarray, y: np.ndarray, rounds: int = 40) -> object:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=rounds, learning_rate=0.2, random_state=1, early_stopping=False).fit(X, y)


def test_exported_trees_equal_sklearns_predict_proba() -> None:
    X, y = _binary_data()
    clf = _fit(X, y)
    # the trained columns are vocabulary indices 7, 9, 11, ... of a wider vocabulary: the rest must be ignored
    columns = [7 + 2 * j for j in range(X.shape[1])]
    wide = np.zeros((X.shape[0], 7 + 2 * X.shape[1]))
    wide[:, columns] = X
    wide[:, 0] = 1.0  # a feature the trees never saw
    trees = Trees.from_sklearn(clf, columns)
    expected = clf.predict_proba(X)[:, 1]  # type: ignore[attr-defined]
    assert np.max(np.abs(trees.proba(csr_matrix(wide)) - expected)) < 1e-9
    assert np.max(np.abs(trees.proba(wide) - expected)) < 1e-9  # dense input too
    # the trees learnt the interaction, so the check is not about constant outputs
    assert expected.std() > 0.1
    assert set(trees.columns.tolist()) <= set(columns) and 0 not in trees.columns
    assert trees.depth >= 2 and len(trees.roots) == 40
    # unseen rows: all zeros, all ones
    edge = np.zeros((2, wide.shape[1]))
    edge[1, :] = 1.0
    assert np.max(np.abs(trees.proba(edge) - clf.predict_proba(edge[:, columns])[:, 1])) < 1e-9  # type: ignore[attr-defined]


def _model_with_trees(trees: Trees, d: int, meta: dict) -> ClaimModel:
    vocab = {f"f{i}": i for i in range(d)}
    rng = np.random.default_rng(2)
    heads = {"claim": Head(["no", "yes"], rng.normal(size=(d, 1)), np.array([-0.5])),
             "stage": Head(["interest", "talks"], np.zeros((d, 2)), np.array([1.0, 0.0])),
             "certainty": Head(["firm", "hedged", "doubtful"], np.zeros((d, 3)), np.array([1.0, 0.0, 0.0]))}
    return ClaimModel(vocab, heads, meta, {"claim": trees})


def test_trees_round_trip_through_plain_npz_and_blend_with_the_claim_head(tmp_path: Path) -> None:
    X, y = _binary_data(seed=8)
    clf = _fit(X, y, rounds=25)
    trees = Trees.from_sklearn(clf, list(range(X.shape[1])))
    m = _model_with_trees(trees, X.shape[1], {"threshold": 0.5, "gb_weight": 1.0, "gb_min_chars": 450})
    m.save(tmp_path / "m.npz")
    with zipfile.ZipFile(tmp_path / "m.npz") as z:
        assert all(n.endswith(".npy") for n in z.namelist())
    back = ClaimModel.load(tmp_path / "m.npz")  # allow_pickle=False inside
    rows = csr_matrix(X)
    expected = clf.predict_proba(X)[:, 1]  # type: ignore[attr-defined]
    linear = back.heads["claim"].proba(rows)[:, 1]
    assert np.max(np.abs(back.claim_proba(rows, chars=2000) - expected)) < 1e-9
    assert np.max(np.abs(back.claim_proba(rows) - expected)) < 1e-9  # no length given: the trees
    assert np.array_equal(back.claim_proba(rows, chars=300), linear)  # a short text keeps the claim head
    back.meta["gb_weight"] = 0.5
    assert np.allclose(back.claim_proba(rows, chars=2000), (expected + linear) / 2, atol=1e-9)
    back.meta["gb_weight"] = 0.0
    assert np.array_equal(back.claim_proba(rows, chars=2000), linear)


def test_only_binary_classifiers_are_exported() -> None:
    X, y = _binary_data()
    y3 = y + (X[:, 5] > 0).astype(int)
    with pytest.raises(ValueError, match="binary"):
        Trees.from_sklearn(_fit(X, y3, rounds=3), list(range(X.shape[1])))


@pytest.mark.skipif(not (shared_dir() / "corpus" / "silver").is_dir(), reason="needs ../shared")
def test_training_command_ships_the_trees(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mercato.extract.learned.train import main

    out = tmp_path / "w.npz"
    assert main(["--limit", "12", "--no-cv", "--out", str(out), "--seed", "3", "--gb-features", "80",
                 "--gb-rounds", "20", "--gb-min-chars", "450"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"]["gb"] == {"features": 80, "rounds": 20, "learning_rate": 0.15}
    model = ClaimModel.load(out)
    t = model.trees["claim"]
    assert len(t.roots) == 20 and 0 < len(t.columns) <= 80 and int(t.columns.max()) < len(model.vocab)
    doc = ArticleDoc(text="Arsenal have made a bid for Declan Rice, West Ham confirmed. " * 10, date=dt.date(2023, 6, 1))
    claims = learned_claims(doc, model)
    assert all(c.club and c.person for c in claims)
