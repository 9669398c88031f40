"""Stage 2 of the learned extractor: the decision, as linear heads over the candidate's sparse features.

Three heads, trained by `mercato.extract.learned.train` (logistic regression, scikit-learn):
- `claim`: is this (club, person, sentence, source) candidate a claim (binary);
- `stage`: its stage (interest ... done, off), trained on the claims;
- `certainty`: firm, hedged or doubtful, trained on the claims.

Weights ship inside the package as a plain `.npz` (numpy arrays and a JSON string; loaded with
`allow_pickle=False`), so extraction needs neither training nor scikit-learn at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS = Path(__file__).with_name("weights") / "claims.npz"


@dataclass
class Head:
    classes: list[str]
    weights: np.ndarray  # (n_features, n_classes) or (n_features, 1) for a binary head
    bias: np.ndarray

    def scores(self, x: Any) -> np.ndarray:
        """Scores of the rows of a sparse binary matrix (ClaimModel.matrix), or of `SummedRows`."""
        z = x.product(self) if isinstance(x, SummedRows) else np.asarray(x @ self.weights)
        return z + self.bias

    def proba(self, x: Any) -> np.ndarray:
        z = self.scores(x)
        if z.shape[1] == 1:
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1.0 - p1, p1], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


class SummedRows:
    """Rows of a sparse binary matrix already multiplied by each linear head's weights: each row's weights added one
    by one in the row's order, from zero, as the sparse product adds them (the same sums, bit for bit)."""

    def __init__(self, sums: np.ndarray, columns: dict[int, tuple[int, int]]) -> None:
        self.sums = sums
        self.columns = columns  # id(head.weights) -> its columns in `sums`
        self.shape = (sums.shape[0], 0)

    def product(self, head: Head) -> np.ndarray:
        a, b = self.columns[id(head.weights)]
        return np.ascontiguousarray(self.sums[:, a:b])


@dataclass
class ClaimModel:
    vocab: dict[str, int]
    heads: dict[str, Head]
    meta: dict

    def matrix(self, feats: list[dict[str, float]]) -> Any:
        """The candidates' features as a sparse binary matrix over the vocabulary (unknown features dropped)."""
        from scipy.sparse import csr_matrix

        get = self.vocab.get
        indices: list[int] = []
        indptr = [0]
        for f in feats:
            indices.extend([i for i in map(get, f) if i is not None])
            indptr.append(len(indices))
        return csr_matrix((np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
                          shape=(len(feats), len(self.vocab)))

    def indices(self, feats: dict[str, float]) -> list[int]:
        """The vocabulary indices of a feature dict's known features, in the dict's order."""
        get = self.vocab.get
        return [i for i in map(get, feats) if i is not None]

    def unit_matrices(self, cands: list[Any]) -> tuple[Any, Any, dict[tuple[str, str, int], int]]:
        """`matrix` of the candidates' features and of their units' features (`unit_features` of each unit's first
        candidate), looking each unit's features up once: a candidate's features are its unit's, then its source
        option's (learned.candidates.features). Also the row of each unit in the second matrix."""
        from itertools import islice

        from scipy.sparse import csr_matrix

        get = self.vocab.get
        unit_idx: dict[tuple[str, str, int], list[int]] = {}
        indices: list[int] = []
        indptr = [0]
        for c in cands:
            u = unit_idx.get(c.unit)
            if u is None:
                u = unit_idx[c.unit] = self.indices(c.unit_feats)
            indices.extend(u)
            indices.extend([i for i in map(get, islice(c.features, len(c.unit_feats), None)) if i is not None])
            indptr.append(len(indices))
        uind: list[int] = []
        uptr = [0]
        for u in unit_idx.values():
            uind.extend(u)
            uptr.append(len(uind))

        def csr(ind: list[int], ptr: list[int]) -> Any:
            return csr_matrix((np.ones(len(ind)), np.array(ind, dtype=np.int64), np.array(ptr, dtype=np.int64)),
                              shape=(len(ptr) - 1, len(self.vocab)))

        return csr(indices, indptr), csr(uind, uptr), {k: i for i, k in enumerate(unit_idx)}

    def _stacked(self) -> tuple[np.ndarray, dict[int, tuple[int, int]]] | None:
        """Every head's weights side by side (one extra row of zeros), where all heads are linear; made once."""
        key = tuple(id(h.weights) for h in self.heads.values())
        got = self.__dict__.get("_stack")
        if got is not None and got[0] == key:
            return got[1]  # type: ignore[no-any-return]
        stack = None
        if all(type(h) is Head and h.weights.ndim == 2 and h.weights.shape[0] == len(self.vocab) for h in self.heads.values()):
            cols: dict[int, tuple[int, int]] = {}
            n = 0
            for h in self.heads.values():
                cols[id(h.weights)] = (n, n + h.weights.shape[1])
                n += h.weights.shape[1]
            w = np.zeros((len(self.vocab) + 1, n))
            for h in self.heads.values():
                a, b = cols[id(h.weights)]
                w[:-1, a:b] = h.weights
            stack = (w, cols)
        self.__dict__["_stack"] = (key, stack)
        return stack

    def unit_sums(self, cands: list[Any]) -> tuple[SummedRows, SummedRows, dict[tuple[str, str, int], int]] | None:
        """What `unit_matrices` gives, already multiplied by the heads' weights (None unless every head is linear):
        each unit's features summed once, by the sparse product, and each candidate's source-option features added
        to its unit's sums one by one, in the same order as in its row of `unit_matrices` (so the same sums)."""
        from itertools import islice

        from scipy.sparse import csr_matrix

        stacked = self._stacked()
        if stacked is None:
            return None
        w, cols = stacked
        pad = len(self.vocab)  # the row of zeros
        get = self.vocab.get
        unit_at: dict[tuple[str, str, int], int] = {}
        uind: list[int] = []
        uptr = [0]
        rows: list[int] = []
        extra: list[list[int]] = []
        memo = self.__dict__.setdefault("_option_rows", {})
        if len(memo) > 20000:
            memo.clear()
        for c in cands:
            u = unit_at.get(c.unit)
            if u is None:
                u = unit_at[c.unit] = len(unit_at)
                uind.extend([i for i in map(get, c.unit_feats) if i is not None])
                uptr.append(len(uind))
            rows.append(u)
            # the source option's features end the dict (read backwards); few combinations recur: looked up once each
            names = tuple(islice(reversed(c.features), len(c.features) - len(c.unit_feats)))
            tail = memo.get(names)
            if tail is None:
                tail = memo[names] = [i for i in map(get, reversed(names)) if i is not None]
            extra.append(tail)
        units = csr_matrix((np.ones(len(uind)), np.array(uind, dtype=np.int64), np.array(uptr, dtype=np.int64)),
                           shape=(len(uptr) - 1, len(self.vocab)))
        usums = np.asarray(units @ w[:-1])
        sums = usums[np.array(rows, dtype=np.int64)]
        width = max((len(e) for e in extra), default=0)
        if width:
            opt = np.full((len(extra), width), pad, dtype=np.int64)
            for r, e in enumerate(extra):
                opt[r, :len(e)] = e
            for t in range(width):  # one feature of every row at a time: each row's additions stay in its order
                sums += w[opt[:, t]]
        return SummedRows(sums, cols), SummedRows(usums, cols), unit_at

    @property
    def threshold(self) -> float:
        return float(self.meta.get("threshold", 0.5))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        arrays: dict[str, np.ndarray] = {"vocab": np.array(names, dtype=str)}
        meta = dict(self.meta, heads={name: h.classes for name, h in self.heads.items()})
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
        for name, h in self.heads.items():
            arrays[f"{name}_w"] = h.weights.astype(np.float32)
            arrays[f"{name}_b"] = h.bias.astype(np.float32)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> ClaimModel:
        if not path.exists():
            raise FileNotFoundError(f"{path}: no trained claim model (train one: python -m mercato.extract.learned.train)")
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            vocab = {str(n): i for i, n in enumerate(z["vocab"].tolist())}
            heads = {name: Head(list(classes), z[f"{name}_w"].astype(np.float64), z[f"{name}_b"].astype(np.float64))
                     for name, classes in meta["heads"].items()}
        return cls(vocab, heads, meta)


@lru_cache(maxsize=1)
def get_model() -> ClaimModel:
    return ClaimModel.load()
