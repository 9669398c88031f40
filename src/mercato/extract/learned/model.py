"""Stage 2 of the learned extractor: the decision, as linear heads over the candidate's sparse features.

Three heads, trained by `mercato.extract.learned.train` (logistic regression, scikit-learn):
- `claim`: is this (club, person, sentence, source) candidate a claim (binary);
  optionally with a tree ensemble beside it (`Trees`: gradient boosting exported as flat arrays), whose
  P(claim) replaces or is blended with the linear head's (`ClaimModel.claim_proba`);
- `stage`: its stage (interest ... done, off), trained on the claims;
- `certainty`: firm, hedged or doubtful, trained on the claims.

Weights ship inside the package as a plain `.npz` (numpy arrays and a JSON string; loaded with
`allow_pickle=False`), so extraction needs neither training nor scikit-learn at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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


TREE_FIELDS = ("feature", "threshold", "left", "right", "value", "roots", "columns")


@dataclass
class Trees:
    """A binary tree ensemble (gradient boosting: the sum of its trees' leaf values, plus `baseline`, is the
    log-odds) as flat arrays over all its trees' nodes, and a vectorised traversal: every row (candidate) walks
    every tree at once, at most `depth` steps, a leaf pointing to itself. Node `i` sends a row left where the row's value
    of column `columns[feature[i]]` is <= `threshold[i]`; a leaf has threshold +inf and `value` its leaf value.
    Each step moves only the walks not yet at a leaf (a few branches are deep, most paths short)."""

    feature: np.ndarray  # (n_nodes,) int, index into `columns`
    threshold: np.ndarray  # (n_nodes,) float
    left: np.ndarray  # (n_nodes,) int, global node index
    right: np.ndarray  # (n_nodes,) int
    value: np.ndarray  # (n_nodes,) float, the leaf values (0 at a split)
    roots: np.ndarray  # (n_trees,) int
    columns: np.ndarray  # (n_used,) int, the vocabulary indices of the features the trees test
    baseline: float
    depth: int

    _colpos: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)

    def _flat(self, x: Any) -> np.ndarray:
        """The rows' values of the trees' columns, row after row, as one flat array."""
        m = len(self.columns)
        if not hasattr(x, "tocsr"):
            return np.ascontiguousarray(np.asarray(x, dtype=np.float64)[:, self.columns]).ravel()
        x = x.tocsr()
        n, width = x.shape
        if self._colpos is None or len(self._colpos) != width:
            self._colpos = np.full(width, -1, dtype=np.int64)
            self._colpos[self.columns] = np.arange(m)
        pos = self._colpos[x.indices]
        keep = pos >= 0
        at = np.repeat(np.arange(n, dtype=np.int64) * m, np.diff(x.indptr))[keep] + pos[keep]
        return np.bincount(at, weights=np.asarray(x.data, dtype=np.float64)[keep], minlength=n * m)

    def raw(self, x: Any) -> np.ndarray:
        """Log-odds of the rows of a feature matrix over the whole vocabulary (sparse or dense)."""
        n = x.shape[0]
        trees = len(self.roots)
        if n == 0 or trees == 0:
            return np.full(n, self.baseline)
        flat = self._flat(x)
        node = np.tile(self.roots.astype(np.int64), n)
        base = np.repeat(np.arange(n, dtype=np.int64) * len(self.columns), trees)
        leaf = np.isinf(self.threshold)
        active = np.flatnonzero(~leaf[node])  # the (row, tree) walks not yet at a leaf
        while active.size:
            at = node[active]
            nxt = np.where(flat[base[active] + self.feature[at]] <= self.threshold[at], self.left[at], self.right[at])
            node[active] = nxt
            active = active[~leaf[nxt]]
        return self.value[node].reshape(n, trees).sum(axis=1) + self.baseline

    def proba(self, x: Any) -> np.ndarray:
        """P(positive class) of each row."""
        return 1.0 / (1.0 + np.exp(-self.raw(x)))

    @classmethod
    def from_sklearn(cls, model: Any, columns: np.ndarray | list[int]) -> Trees:
        """Export a fitted binary scikit-learn `HistGradientBoostingClassifier` (numerical features, no missing
        values at prediction time) whose column j is vocabulary index `columns[j]`."""
        if getattr(model, "n_trees_per_iteration_", 1) != 1:
            raise ValueError("Trees.from_sklearn: only a binary classifier (one tree per iteration)")
        feats, thr, left, right, value, roots = [], [], [], [], [], []
        depth = 0
        offset = 0
        for (pred,) in model._predictors:
            nodes = pred.nodes
            if np.any(nodes["is_categorical"]):
                raise ValueError("Trees.from_sklearn: categorical splits are not supported")
            k = len(nodes)
            idx = np.arange(k)
            leaf = nodes["is_leaf"].astype(bool)
            roots.append(offset)
            feats.append(np.where(leaf, 0, nodes["feature_idx"]))
            thr.append(np.where(leaf, np.inf, nodes["num_threshold"]))
            left.append(np.where(leaf, idx, nodes["left"]) + offset)
            right.append(np.where(leaf, idx, nodes["right"]) + offset)
            value.append(np.where(leaf, nodes["value"], 0.0))
            depth = max(depth, int(nodes["depth"].max()))
            offset += k

        def cat(a: list[np.ndarray], t: type) -> np.ndarray:
            return np.concatenate(a).astype(t) if a else np.zeros(0, dtype=t)

        base = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
        # columns the trees never test are dropped, the features renumbered to the kept ones
        f = cat(feats, np.int64)
        internal = np.isfinite(cat(thr, np.float64))
        used = np.unique(f[internal])
        remap = np.zeros(max(int(used.max()) + 1 if len(used) else 1, 1), dtype=np.int64)
        remap[used] = np.arange(len(used))
        f = np.where(internal, remap[f], 0)
        cols = np.asarray(columns, dtype=np.int64)[used] if len(used) else np.zeros(0, dtype=np.int64)
        return cls(f.astype(np.int32), cat(thr, np.float64), cat(left, np.int32), cat(right, np.int32),
                   cat(value, np.float64), np.array(roots, dtype=np.int32), cols.astype(np.int32), float(base[0]), depth)

    def remap_columns(self, mapping: dict[int, int]) -> None:
        """Renumber the vocabulary indices (after the vocabulary was pruned)."""
        self.columns = np.array([mapping[int(c)] for c in self.columns], dtype=np.int32)


class SummedRows:
    """Rows of a sparse binary matrix already multiplied by each linear head's weights: each row's weights added one
    by one in the row's order, from zero, as the sparse product adds them (the same sums, bit for bit)."""

    def __init__(self, sums: np.ndarray, columns: dict[int, tuple[int, int]], matrix: Any = None) -> None:
        self.sums = sums
        self.columns = columns  # id(head.weights) -> its columns in `sums`
        self.shape = (sums.shape[0], 0)
        self.matrix = matrix  # the sparse rows themselves, where a non-linear model (the trees) reads them

    def product(self, head: Head) -> np.ndarray:
        a, b = self.columns[id(head.weights)]
        return np.ascontiguousarray(self.sums[:, a:b])


@dataclass
class ClaimModel:
    vocab: dict[str, int]
    heads: dict[str, Head]
    meta: dict
    trees: dict[str, Trees] = field(default_factory=dict)  # e.g. "claim": gradient boosting beside the claim head

    def claim_proba(self, unit_rows: Any, chars: int | None = None) -> np.ndarray:
        """P(claim) of each row: the claim head's, or, with trees for the claim, theirs blended in with weight
        `meta["gb_weight"]` (1: the trees alone), for documents of at least `meta["gb_min_chars"]` characters
        (shorter ones, gossip items and posts, keep the linear head's) when `chars` is given."""
        p = self.heads["claim"].proba(unit_rows)[:, 1]
        t = self.trees.get("claim")
        w = float(self.meta.get("gb_weight", 1.0))
        if t is None or w <= 0.0 or (chars is not None and chars < int(self.meta.get("gb_min_chars", 0))):
            return p
        rows = unit_rows.matrix if isinstance(unit_rows, SummedRows) else unit_rows
        if rows is None:
            raise ValueError("claim_proba: the trees need the rows' features, not only their sums")
        q = t.proba(rows)
        return q if w >= 1.0 else w * q + (1.0 - w) * p

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

    def rows(self, indices: list[list[int]]) -> Any:
        """A sparse binary matrix over the vocabulary whose rows hold these indices (`matrix` of features already
        looked up with `indices`)."""
        from scipy.sparse import csr_matrix

        flat: list[int] = []
        ptr = [0]
        for row in indices:
            flat.extend(row)
            ptr.append(len(flat))
        return csr_matrix((np.ones(len(flat)), np.array(flat, dtype=np.int64), np.array(ptr, dtype=np.int64)),
                          shape=(len(indices), len(self.vocab)))

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

    def unit_sums(self, cands: list[Any], unit_indices: dict[tuple[str, str, int], list[int]] | None = None
                  ) -> tuple[SummedRows, SummedRows, dict[tuple[str, str, int], int]] | None:
        """What `unit_matrices` gives, already multiplied by the heads' weights (None unless every head is linear):
        each unit's features summed once, by the sparse product, and each candidate's source-option features added
        to its unit's sums one by one, in the same order as in its row of `unit_matrices` (so the same sums).
        `unit_indices`: units' features already looked up (`indices`), by unit."""
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
                got = unit_indices.get(c.unit) if unit_indices is not None else None
                uind.extend(got if got is not None else [i for i in map(get, c.unit_feats) if i is not None])
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
        return SummedRows(sums, cols), SummedRows(usums, cols, units), unit_at

    @property
    def threshold(self) -> float:
        return float(self.meta.get("threshold", 0.5))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        arrays: dict[str, np.ndarray] = {"vocab": np.array(names, dtype=str)}
        meta = dict(self.meta, heads={name: h.classes for name, h in self.heads.items()},
                    trees={name: {"baseline": t.baseline, "depth": t.depth} for name, t in self.trees.items()})
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
        for name, h in self.heads.items():
            arrays[f"{name}_w"] = h.weights.astype(np.float32)
            arrays[f"{name}_b"] = h.bias.astype(np.float32)
        for name, t in self.trees.items():  # the trees exactly (float64 thresholds and values)
            for f in TREE_FIELDS:
                arrays[f"trees_{name}_{f}"] = getattr(t, f)
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
            trees = {name: Trees(**{f: z[f"trees_{name}_{f}"] for f in TREE_FIELDS}, baseline=float(t["baseline"]),
                                 depth=int(t["depth"]))
                     for name, t in meta.get("trees", {}).items()}
        return cls(vocab, heads, meta, trees)


@lru_cache(maxsize=1)
def get_model() -> ClaimModel:
    return ClaimModel.load()
