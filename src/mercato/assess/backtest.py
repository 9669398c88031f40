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

import bisect
import dataclasses
import datetime as dt
import math
import zlib
from collections import defaultdict
from typing import Any

import numpy as np

from mercato.assess.data import AClaim, AOutcome, outcome_index
from mercato.assess.dawid_skene import credit_skills, dawid_skene_forecasts, monthly_models
from mercato.assess.engine import P_MAX, P_MIN, Forecast, Replay
from mercato.assess.likelihood import FEATURES, PRIOR_WEIGHTS, RUNGS, fit, predict, set_weights
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


def stage_prior(stage: str) -> float:
    """What the model's prior weights say of one source's single claim at this stage (same prior knowledge)."""
    x = np.zeros(len(FEATURES))
    x[FEATURES.index("bias")] = 1.0
    x[FEATURES.index("days")] = math.log(2)
    if stage == OFF:
        x[FEATURES.index("off")] = 1.0
        x[FEATURES.index("off_latest")] = 1.0
    else:
        x[FEATURES.index("sources")] = math.log(2)
        if stage in RUNGS:
            x[FEATURES.index(f"stage_{stage}")] = 1.0
    return float(1 / (1 + math.exp(-float(x @ PRIOR_WEIGHTS))))


def stage_only_forward(forecasts: list[Forecast], strength: float = 5.0) -> np.ndarray:
    """The stage rule learnt like the model: hit rates of outcomes public before each forecast.

    Before any outcome, a stage's rate is what the model's prior says of a single claim at that
    stage; each stage's rate is shrunk towards it with `strength` pseudo-forecasts. Same prior
    knowledge and same information as the model: the fair version of the stage-only baseline.
    """
    order = sorted(range(len(forecasts)), key=lambda i: forecasts[i].date)
    by_resolution = sorted(range(len(forecasts)), key=lambda i: forecasts[i].resolved_on)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    out = np.zeros(len(forecasts))
    j = 0
    for i in order:
        f = forecasts[i]
        while j < len(by_resolution) and forecasts[by_resolution[j]].resolved_on <= f.date:
            g = forecasts[by_resolution[j]]
            c = counts[g.stage or OFF]
            c[0] += 1
            c[1] += g.y
            j += 1
        n, h = counts[f.stage or OFF]
        out[i] = (h + strength * stage_prior(f.stage or OFF)) / (n + strength)
    return out


def stage_only_crossfit(forecasts: list[Forecast], folds: int = 2) -> np.ndarray:
    fold = [fold_of(f.move, folds) for f in forecasts]
    out = np.zeros(len(forecasts))
    for k in range(folds):
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f, fo in zip(forecasts, fold, strict=True):
            if fo != k:
                c = counts[f.stage or OFF]
                c[0] += 1
                c[1] += f.y
        for i, (f, fo) in enumerate(zip(forecasts, fold, strict=True)):
            if fo == k:
                n, h = counts[f.stage or OFF]
                out[i] = (h + 0.5) / (n + 1.0)
    return out


def _pad(fc: list[Forecast]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = max(len(f.X) for f in fc)
    X = np.zeros((len(fc), g, fc[0].X.shape[1]))
    mask = np.zeros((len(fc), g))
    for i, f in enumerate(fc):
        X[i, : len(f.X)] = f.X
        mask[i, : len(f.X)] = 1.0
    return X, mask, np.array([f.extra for f in fc])


def fold_of(move: str, folds: int) -> int:
    """Moves of one person share a fold, so competing moves never straddle training and scoring."""
    parts = move.split("--")
    return zlib.crc32((parts[2] if len(parts) > 2 else move).encode()) % folds


def crossfit(fc: list[Forecast], folds: int = 2, l2: float = 100.0) -> np.ndarray:
    """Each forecast scored with model weights fitted on the other folds' moves (never its own).

    The features were computed in the replay, so credibility in them is still learnt only from
    outcomes public before each forecast; only the handful of global weights (what a stage is
    worth, how much corroboration counts) are fitted out-of-fold instead of forward in time.
    """
    p = np.zeros(len(fc))
    if not fc:
        return p
    X, mask, extra = _pad(fc)
    y = np.array([f.y for f in fc], dtype=float)
    fold = np.array([fold_of(f.move, folds) for f in fc])
    for k in range(folds):
        train = fold != k
        w = fit(X[train], mask[train], extra[train], y[train], l2=l2) if train.any() else PRIOR_WEIGHTS
        p[fold == k] = predict(w, X[fold == k], mask[fold == k], extra[fold == k])
    return np.clip(p, P_MIN, P_MAX)


def story_of(move: str) -> str:
    """The story a forecast belongs to: a manager's job (club and episode: its candidates compete) or a
    player's person story (his clubs compete). A joint back-test's set tag ("corpus|") is kept."""
    tag, _, mv = move.rpartition("|")
    parts = mv.split("--")
    if len(parts) > 3 and parts[3] == "manager":
        return f"{tag}|job:{parts[1]}:{parts[4] if len(parts) > 4 else 1}"
    return f"{tag}|person:{parts[2] if len(parts) > 2 else mv}"


def story_folds(fc: list[Forecast], folds: int = 5, leave_one_out_below: int = 60) -> list[str]:
    """Out-of-story folds: a set with few stories (the corpus) leaves one story out at a time; a larger
    one (the gossip set) splits its stories into `folds` folds by a hash of the story. A story's
    forecasts - and its competing moves - are never in training and scoring at once."""
    stories = [story_of(f.move) for f in fc]
    per_set: dict[str, set[str]] = defaultdict(set)
    for st in stories:
        per_set[st.split("|", 1)[0]].add(st)
    out = []
    for st in stories:
        tag = st.split("|", 1)[0]
        out.append(st if len(per_set[tag]) < leave_one_out_below else f"{tag}|{zlib.crc32(st.encode()) % folds}")
    return out


def story_crossfit(fc: list[Forecast], l2: float = 100.0) -> dict[str, np.ndarray]:
    """The model and the stage rules, each fitted on every other story of every set and scored on the
    held-out one: the same training data for each forecaster, and no outcome of the story scored.

    model: the likelihood model's weights (the sets balanced as in the forward fit, set_weights);
    stage_joint: one hit rate per stage over all sets;
    stage_set: one hit rate per stage and set (the rule told which kind of document it reads). The
    features come from the forward replay (credibility learnt from outcomes public before each date).
    """
    n = len(fc)
    res = {k: np.zeros(n) for k in ("model", "stage_joint", "stage_set")}
    if not n:
        return res
    X, mask, extra = _pad(fc)
    y = np.array([f.y for f in fc], dtype=float)
    fold = np.array(story_folds(fc))
    stage = np.array([f.stage or OFF for f in fc])
    tag = np.array([f.move.rpartition("|")[0] for f in fc])
    for k in sorted(set(fold)):
        test = fold == k
        train = ~test
        w = (fit(X[train], mask[train], extra[train], y[train], l2=l2, weight=set_weights(list(tag[train])))
             if train.any() else PRIOR_WEIGHTS)
        res["model"][test] = np.clip(predict(w, X[test], mask[test], extra[test]), P_MIN, P_MAX)
        for i in np.flatnonzero(test):
            same = train & (stage == stage[i])
            res["stage_joint"][i] = (y[same].sum() + 0.5) / (same.sum() + 1.0)
            same &= tag == tag[i]
            res["stage_set"][i] = (y[same].sum() + 0.5) / (same.sum() + 1.0)
    return res


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
        "protocol": ("model: every forecast made as of its date - source credibility learnt, and the model's "
                     "weights refitted every 14 days, from outcomes public before it. base_rate and stage_only are "
                     "in-sample (they see every outcome). stage_only_forward learns the stage rule like the model. "
                     "The *_crossfit entries fit their weights on the other half of the people (2 folds) instead."),
        "model": score(p, y, base),
        "base_rate": {**score(np.full(len(y), base), y, base), "rate": round(base, 4)},
        "stage_only": score(stage_only(fc), y, base),
        "stage_only_forward": score(stage_only_forward(fc), y, base),
        "model_crossfit": score(crossfit(fc), y, base),
        "stage_only_crossfit": score(stage_only_crossfit(fc), y, base),
        "weights": snap.weights.round(4).tolist(),
    }
    if variants and len(fc):
        others: dict[str, Any] = {}
        for name, learn, cred in (("no_credibility", True, False), ("prior_weights", False, True)):
            s2 = Replay(claims, outcomes, learn=learn, use_credibility=cred).run(collect=True)
            p2 = np.array([f.p for f in s2.forecasts])
            y2 = np.array([f.y for f in s2.forecasts], dtype=float)
            others[name] = {k: v for k, v in score(p2, y2, base).items() if k != "reliability"}
        p3, y3 = dawid_skene_forecasts(claims, outcomes, fc)
        others["dawid_skene"] = {k: v for k, v in score(p3, y3, base).items() if k != "reliability"}
        schedule = credit_skills(monthly_models(claims), claims)
        days = sorted(schedule)

        def ds_skill(t: dt.date) -> dict[str, float]:
            i = bisect.bisect_right(days, t) - 1
            return schedule[days[i]] if i >= 0 else {}

        s4 = Replay(claims, outcomes, skill_at=ds_skill).run(collect=True)
        p4 = np.array([f.p for f in s4.forecasts])
        y4 = np.array([f.y for f in s4.forecasts], dtype=float)
        others["model_ds_credibility"] = {k: v for k, v in score(p4, y4, base).items() if k != "reliability"}
        result["variants"] = others
    if with_outlets and any((o.origin or "").startswith("register:") for o in outcomes):
        result["outlets"] = outlet_hit_rates(claims, outcomes)
    return result


def run_joint_backtest(sets: dict[str, tuple[list[AClaim], list[AOutcome]]]) -> dict[str, Any]:
    """One model over several data sets at once (gossip items and full articles), scored on each.

    The claims of every set are replayed together in date order: the weights are refitted and the
    credibility learnt (one book: an outlet is the same outlet in both) from the outcomes of all sets
    public before each forecast; competition stays within a set. Each set is then scored against its
    own base rate and its own stage-only rule (in-sample: it sees that set's every outcome), and
    against one stage-only rule fitted on all the sets together (the same single rule for both).

    Two fair comparisons, each forecaster given the same information: forward (`model` against
    `stage_only_joint_forward`, both learning from the outcomes of both sets public before each
    forecast) and out of story (`*_story_crossfit`: fitted on every other story of both sets, scored
    on the held-out one; a set with few stories, the corpus, leaves one story out at a time). The
    in-sample rules (`stage_only`, `stage_only_joint`, `base`) see every outcome they are scored on.
    """
    claims: list[AClaim] = []
    omap: dict[str, AOutcome] = {}
    for tag, (cs, outs) in sets.items():
        claims.extend(dataclasses.replace(c, move=f"{tag}|{c.move}", origin=f"{tag}|{c.origin}") for c in cs)
        omap.update({f"{tag}|{mid}": o for mid, o in outcome_index(outs).items()})
    snap = Replay(claims, [], outcome_map=omap).run(collect=True)
    fc = snap.forecasts
    joint_rule = stage_only(fc) if fc else np.zeros(0)
    joint_forward = stage_only_forward(fc) if fc else np.zeros(0)
    xfit = story_crossfit(fc)
    out: dict[str, Any] = {"weights": dict(zip(FEATURES, snap.weights.round(4).tolist(), strict=True)), "sets": {}}
    for tag in sets:
        idx = [i for i, f in enumerate(fc) if f.move.startswith(tag + "|")]
        sub = [fc[i] for i in idx]
        y = np.array([f.y for f in sub], dtype=float)
        if not len(y):
            out["sets"][tag] = {"n": 0}
            continue
        base = float(y.mean())
        strip = lambda r: {k: v for k, v in r.items() if k != "reliability"}  # noqa: E731
        out["sets"][tag] = {
            "n": len(sub), "moves": len({f.move for f in sub}), "positives": int(y.sum()), "base_rate": round(base, 4),
            "model": score(np.array([f.p for f in sub]), y, base),
            "base": strip(score(np.full(len(y), base), y, base)),
            "stage_only": strip(score(stage_only(sub), y, base)),
            "stage_only_joint": strip(score(joint_rule[idx], y, base)),
            "stage_only_forward": strip(score(stage_only_forward(sub), y, base)),
            "stage_only_joint_forward": strip(score(joint_forward[idx], y, base)),
            # out of story: each forecaster fitted on every other story of both sets (same data for each)
            "model_story_crossfit": strip(score(xfit["model"][idx], y, base)),
            "stage_only_story_crossfit": strip(score(xfit["stage_joint"][idx], y, base)),
            "stage_only_set_story_crossfit": strip(score(xfit["stage_set"][idx], y, base)),
        }
    return out


def fmt(x: float | None) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.4f}"
