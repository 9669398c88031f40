"""A small Dawid–Skene (1979) truth-discovery model, to compare against the credibility book.

Dawid–Skene learns each source's confusion matrix - how it labels moves that do and do not
happen - without any outcome, by EM over all sources' labels at once. Here an item is a move, a
worker is an independent source (relays of one origin are one worker), and a label is that
source's last word, binned: off, weak (interest, contact), middle (talks, bid), strong (advanced,
agreement, done). Per-source matrices are shrunk towards the pooled one with a Dirichlet prior,
since most sources label a handful of moves.

It is used two ways in the back-test, both forward in time (fitted at the start of each month
on the claims made before it; it needs no outcomes):
- `dawid_skene`: its posterior P(move happens | labels) as the forecast;
- `model_ds_credibility`: the likelihood model with source credibility taken from the learnt
  matrices instead of from resolved outcomes.
(crowd-kit's DawidSkene does the same EM; it is not a dependency because it needs a categorical
label per item and worker - the same binning - and brings scikit-learn and pandas pins with it.)
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import numpy as np

from mercato.assess.data import AClaim, AOutcome, outcome_index
from mercato.assess.engine import Forecast
from mercato.assess.likelihood import MoveState
from mercato.records import OFF

LABELS = {OFF: 0, "interest": 1, "contact": 1, "talks": 2, "bid": 2, "advanced": 3, "agreement": 3, "done": 3}
INIT = np.array([0.05, 0.1, 0.25, 0.5])  # starting P(true) for a move labelled only with each bin
PRIOR_STRENGTH = 5.0


class DawidSkene:
    def __init__(self, iters: int = 15) -> None:
        self.iters = iters
        self.pi = 0.2
        self.pooled = np.full((2, 4), 0.25)
        self.conf: dict[str, np.ndarray] = {}

    def fit(self, items: dict[str, dict[str, int]]) -> DawidSkene:
        """items: move -> {source: label}."""
        keys = [k for k, v in items.items() if v]
        if not keys:
            return self
        q = np.array([float(np.mean([INIT[lab] for lab in items[k].values()])) for k in keys])
        for _ in range(self.iters):
            # M-step
            self.pi = float(np.clip(q.mean(), 0.01, 0.99))
            counts: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((2, 4)))
            pooled = np.ones((2, 4))
            for qi, k in zip(q, keys, strict=True):
                for src, lab in items[k].items():
                    counts[src][1, lab] += qi
                    counts[src][0, lab] += 1 - qi
                    pooled[1, lab] += qi
                    pooled[0, lab] += 1 - qi
            self.pooled = pooled / pooled.sum(axis=1, keepdims=True)
            self.conf = {}
            for src, c in counts.items():
                m = c + PRIOR_STRENGTH * self.pooled
                self.conf[src] = m / m.sum(axis=1, keepdims=True)
            # E-step
            q = np.array([self.posterior(items[k]) for k in keys])
        return self

    def posterior(self, labels: dict[str, int]) -> float:
        lo = math.log(self.pi / (1 - self.pi))
        for src, lab in labels.items():
            c = self.conf.get(src, self.pooled)
            lo += math.log(c[1, lab] / c[0, lab])
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, lo))))

    def skills(self) -> dict[str, float]:
        """Per source: how much more its supporting labels say than the average source's (log odds)."""
        base = np.log(self.pooled[1] / self.pooled[0])
        out: dict[str, float] = {}
        for src, c in self.conf.items():
            llr = np.log(c[1] / c[0]) - base
            use = c[1, 1:] + c[0, 1:]
            out[src] = float((llr[1:] * use).sum() / use.sum())
        return out


def _labels(m: MoveState) -> dict[str, int]:
    return {origin: LABELS.get(w.stage, 1) for origin, w in m.words.items()}


def monthly_models(claims: list[AClaim]) -> list[tuple[dt.date, DawidSkene]]:
    """A model fitted at the first of each month on the claims made before it."""
    claims = sorted(claims, key=lambda c: (c.date, c.id))
    if not claims:
        return []
    out: list[tuple[dt.date, DawidSkene]] = []
    moves: dict[str, MoveState] = {}
    i = 0
    day = dt.date(claims[0].date.year, claims[0].date.month, 1)
    last = claims[-1].date
    while day <= last:
        while i < len(claims) and claims[i].date < day:
            c = claims[i]
            moves.setdefault(c.move, MoveState(c.move, c.club, c.person, c.role)).add(c)
            i += 1
        out.append((day, DawidSkene().fit({k: _labels(m) for k, m in moves.items()})))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def model_at(models: list[tuple[dt.date, DawidSkene]], t: dt.date) -> DawidSkene:
    best = models[0][1] if models else DawidSkene()
    for day, m in models:
        if day <= t:
            best = m
    return best


def credit_skills(models: list[tuple[dt.date, DawidSkene]], claims: list[AClaim]) -> dict[dt.date, dict[str, float]]:
    """Per checkpoint, DS skills keyed by the credited source ids (what the likelihood model reads)."""
    origin_credit: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        origin_credit[c.origin].update(c.credit)
    out: dict[dt.date, dict[str, float]] = {}
    for day, m in models:
        sk: dict[str, float] = {}
        for origin, v in m.skills().items():
            for src in origin_credit.get(origin, ()):
                sk[src] = v
        out[day] = sk
    return out


def dawid_skene_forecasts(claims: list[AClaim], outcomes: list[AOutcome],
                          forecasts: list[Forecast]) -> tuple[np.ndarray, np.ndarray]:
    """DS posterior at each forecast point of the back-test (same moves and dates)."""
    models = monthly_models(claims)
    want: dict[tuple[str, dt.date], int] = {(f.move, f.date): i for i, f in enumerate(forecasts)}
    p = np.zeros(len(forecasts))
    moves: dict[str, MoveState] = {}
    by_date: dict[dt.date, list[AClaim]] = defaultdict(list)
    for c in claims:
        by_date[c.date].append(c)
    for t in sorted(by_date):
        for c in by_date[t]:
            moves.setdefault(c.move, MoveState(c.move, c.club, c.person, c.role)).add(c)
        ds = model_at(models, t)
        for c in by_date[t]:
            i = want.get((c.move, t))
            if i is not None:
                p[i] = ds.posterior(_labels(moves[c.move]))
    _ = outcome_index(outcomes)
    return p, np.array([f.y for f in forecasts], dtype=float)
