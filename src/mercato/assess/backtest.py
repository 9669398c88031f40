"""Back-test: replay the stored claims in date order and score what the system said then.

For every move whose outcome is known, each date on which it was claimed (before the outcome
was public) is one forecast: the probability the model gave that day, with weights fitted and
credibility learnt only from outcomes public before it. Two baselines are scored on the same
forecasts:
- base rate: the share of forecasts that came true (in-sample: the best constant);
- stage-only: the in-sample hit rate of the highest stage the move had reached that day (`off`
  where every source's last word was off) - it sees the answers, so it is a strong baseline.
Scores: Brier, log loss, and a 10-bin reliability table; skill = 1 - Brier / Brier(base rate).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from mercato.assess.data import AClaim, AOutcome, outcome_index
from mercato.assess.engine import Forecast, Replay
from mercato.records import OFF

EPS = 1e-4


def brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2)) if len(y) else float("nan")


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(p, EPS, 1 - EPS)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))) if len(y) else float("nan")


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, Any]]:
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        n = int(sel.sum())
        out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": n,
                    "forecast": round(float(p[sel].mean()), 4) if n else None,
                    "observed": round(float(y[sel].mean()), 4) if n else None})
    return out


def score(p: np.ndarray, y: np.ndarray, base: float) -> dict[str, Any]:
    b = brier(p, y)
    b0 = float(np.mean((base - y) ** 2)) if len(y) else float("nan")
    return {"brier": round(b, 5), "log_loss": round(log_loss(p, y), 5),
            "skill": round(1 - b / b0, 4) if b0 > 0 else None, "reliability": reliability(p, y)}


def stage_only(forecasts: list[Forecast]) -> np.ndarray:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f in forecasts:
        c = counts[f.stage or OFF]
        c[0] += 1
        c[1] += f.y
    rate = {k: (h + 0.5) / (n + 1.0) for k, (n, h) in counts.items()}
    return np.array([rate[f.stage or OFF] for f in forecasts])


def outlet_hit_rates(claims: list[AClaim], outcomes: list[AOutcome]) -> list[dict[str, Any]]:
    """Per credited outlet, over its resolvable rumours: a supporting claim is a hit if the move happened."""
    idx = outcome_index(outcomes)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    names: dict[str, str] = {}
    for c in claims:
        o = idx.get(c.move)
        if o is None or (o.resolved_on is not None and c.date >= o.resolved_on):
            continue
        hit = bool(o.happened) if not c.is_off else not o.happened
        for src in c.credit:
            if src.startswith("outlet--"):
                t = tally[src]
                t[0] += 1
                t[1] += int(hit)
                names.setdefault(src, c.outlet or c.publisher or src)
    rows = [{"outlet": names[k], "id": k, "rumours": n, "hits": h, "hit_rate": round(h / n, 4)}
            for k, (n, h) in tally.items() if n]
    return sorted(rows, key=lambda r: (-r["rumours"], r["outlet"]))


def run_backtest(claims: list[AClaim], outcomes: list[AOutcome], *, variants: bool = True,
                 with_outlets: bool = True) -> dict[str, Any]:
    snap = Replay(claims, outcomes).run(collect=True)
    fc = snap.forecasts
    y = np.array([f.y for f in fc], dtype=float)
    p = np.array([f.p for f in fc])
    base = float(y.mean()) if len(y) else 0.0
    result: dict[str, Any] = {
        "n": len(fc),
        "moves": len({f.move for f in fc}),
        "positives": int(y.sum()),
        "model": score(p, y, base),
        "base_rate": {**score(np.full(len(y), base), y, base), "rate": round(base, 4)},
        "stage_only": score(stage_only(fc), y, base),
        "weights": snap.weights.round(4).tolist(),
    }
    if variants and len(fc):
        others: dict[str, Any] = {}
        for name, learn, cred in (("no_credibility", True, False), ("prior_weights", False, True)):
            s2 = Replay(claims, outcomes, learn=learn, use_credibility=cred).run(collect=True)
            p2 = np.array([f.p for f in s2.forecasts])
            y2 = np.array([f.y for f in s2.forecasts], dtype=float)
            others[name] = {k: v for k, v in score(p2, y2, base).items() if k != "reliability"}
        try:
            from mercato.assess.dawid_skene import dawid_skene_forecasts

            p3, y3 = dawid_skene_forecasts(claims, outcomes, fc)
            others["dawid_skene"] = {k: v for k, v in score(p3, y3, base).items() if k != "reliability"}
        except ImportError:
            pass
        result["variants"] = others
    if with_outlets and any((o.origin or "").startswith("register:") for o in outcomes):
        result["outlets"] = outlet_hit_rates(claims, outcomes)
    return result


def fmt(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4f}"
