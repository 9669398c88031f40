"""How likely a move is, as of a date, from the claims made on or before that date.

A move's state is each independent source's last word on it (its highest rung, or `off` when
that came last). From that state come a handful of features (stage reached, hedging, how many
independent sources and days, the sources' credibility, `off` claims, recency). A move's score
is a weighted sum of them; competing moves (one person, several clubs; one manager's job,
several candidates) share the probability with a "none of these / stays" option of score 0:

    p(move i) = exp(s_i) / (1 + sum over i's competitors j, i included, of exp(s_j))

so the moves for one person, and the candidates for one job, always sum to less than 1, and a
move with no competitor has p = logistic(s_i). The weights start from a prior (below) and are
fitted by penalised maximum likelihood to outcomes already known (pulled back towards the prior,
so a handful of outcomes cannot move them far).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from mercato.assess.data import AFFILIATION_DAYS, AClaim
from mercato.assess.windows import window_close
from mercato.records import LADDER, OFF

# log-odds worth of each rung for a firm claim (the prior; the fit scales it)
STAGE_VALUE = {"interest": 0.0, "contact": 1.0, "talks": 1.4, "bid": 1.8, "advanced": 2.5, "agreement": 3.2, "done": 4.2}
CERTAINTY_MULT = {"firm": 1.0, "hedged": 0.7, "doubtful": 0.3}

RUNGS = ("contact", "talks", "bid", "advanced", "agreement", "done")  # one weight each; interest is the reference
FEATURES = ("bias", *(f"stage_{r}" for r in RUNGS), "stage2", "sources", "days", "credibility", "off", "off_latest",
            "hedged", "current_club", "official", "missed", "winter", "manager", "arrived")
# The prior: hand-set, before any outcome. A lone interest rumour ~5%: most rumours fail. Each rung
# adds half its ladder value. Corroboration is credited through distinct days and the second-best
# source; the count of same-day sources starts neutral (same-day pieces often copy one another even
# under different outlets' names) and is learnt from outcomes like the rest. `bias`, `off` and
# `sources` were revised after reading gossip back-test errors - see the README's back-test notes.
PRIOR = {
    "bias": -3.0, **{f"stage_{r}": 0.5 * STAGE_VALUE[r] for r in RUNGS}, "stage2": 0.4, "sources": 0.0, "days": 0.6,
    "credibility": 0.6, "off": -1.5, "off_latest": -0.5, "hedged": -0.4, "current_club": -2.0,
    # the top of the ladder: an official announcement (the club's own, or `done` from several independent
    # sources) makes the move near certain until an `off` follows. Fixed, not fitted: a register that
    # misses a move must not teach the model that a club's announcement is worth less.
    "official": 8.0,
    # windows: a move talked about in a window that closed without it is less likely in the next one
    # (per window missed, log-scaled); talk between windows (September-January) is about the January
    # window, which sees far fewer moves than the summer, or a summer still far off
    "missed": -1.0, "winter": -1.6,
    # a club without a manager appoints one: "none of the named candidates" is less likely for a job
    # than "stays" is for a player
    "manager": 1.0,
    # after the talk of the move, reports in two articles name the club as his present one ("Roma boss Jose
    # Mourinho" after the talk of his appointment): he has arrived - the evidence `outcomes pending` proposes
    # as happened. Learnt like the rest from the outcomes; the prior reads it as near certain.
    "arrived": 6.0,
}
PRIOR["stage_done"] = 5.0  # a firm `done` reads as a completed move (~0.9 alone), not a half-step up the ladder
PRIOR_WEIGHTS = np.array([PRIOR[f] for f in FEATURES])
# how firmly each weight is held to its prior: what a rung is worth is learnt readily from the
# outcomes (a rate per rung); the rest (corroboration, credibility, off...) moves more slowly; the
# official announcement does not move. Nothing fades with the calendar alone: a story ends when its
# window closes or an outcome settles it, not because its last claim grows old.
PRIOR_SCALE = np.array([1e6 if f == "official" else 0.3 if f == "bias" or f.startswith("stage_") else 1.0
                        for f in FEATURES])
# the sign a weight may take whatever the fit finds: more independent sources, more days of talk, a second
# source further up the ladder and better credited sources never make a move less likely. The forward fits of
# spring 2024 (few outcomes yet) had `sources` at -0.38: a fit to noise, not a finding
MONOTONE = {"sources": +1.0, "days": +1.0, "credibility": +1.0, "stage2": +1.0}
MONO_LO = np.array([0.0 if MONOTONE.get(f, 0) > 0 else -np.inf for f in FEATURES])
MONO_HI = np.array([0.0 if MONOTONE.get(f, 0) < 0 else np.inf for f in FEATURES])
OFFICIAL_SOURCES = 2  # independent `done` sources that together read as an official announcement
RESOLVED_TRUE_SCORE = 5.0  # a competitor known to have happened
MAX_COMPETITORS = 12


@dataclass
class Word:
    """One independent source's last word on one move."""

    stage: str
    certainty: str
    date: dt.date
    credit: tuple[str, ...]
    off: bool = False
    article: int = 0  # the article the word came in


@dataclass
class MoveState:
    id: str
    club: str
    person: str
    role: str
    words: dict[str, Word] = field(default_factory=dict)
    days: set[dt.date] = field(default_factory=set)
    claim_ids: list[int] = field(default_factory=list)
    n_support: int = 0  # claims that are not off
    n_current: int = 0  # of which present the club as the person's current one
    first: dt.date | None = None
    last: dt.date | None = None
    latest: dict[str, bool] = field(default_factory=dict)  # origin -> off?, for the most recent day's claims
    windows: set[dt.date] = field(default_factory=set)  # when the windows its talk spoke of close
    last_talk: dt.date | None = None  # the latest claim that speaks of the move (not of him being there)
    done_origins: set[str] = field(default_factory=set)  # independent sources with a firm `done`
    done_articles: set[int] = field(default_factory=set)  # the articles they came in
    off_origins: set[str] = field(default_factory=set)  # independent sources with an `off` after the announcement
    official_since: dt.date | None = None  # announced: the club's own `done`, or several independent ones
    talk_start: dt.date | None = None  # the first supporting claim that is talk of the move (not of him there)
    came_from: str | None = None  # the club the store knew him at when the talk began
    here: set[tuple[dt.date, int]] = field(default_factory=set)  # (day, article) of claims presenting the club as his
    # (day, article) of the stored affiliations naming him as the club's, up to the replay's day (`state`)
    stated: set[tuple[dt.date, int]] = field(default_factory=set)
    left: dt.date | None = None  # the store last stated him elsewhere before it first stated him here (AClaim.left)

    def state(self, day: dt.date, article_id: int) -> None:
        """An article of `day` names him as the club's ("Roma boss Jose Mourinho"): an affiliation the store
        keeps, not a claim. Counted as a claim presenting the club as his would be (`arrived`)."""
        self.stated.add((day, article_id))

    def add(self, c: AClaim) -> None:
        self._official(c)
        self.left = self.left or c.left
        if not c.current:  # "Roma boss Jose Mourinho" is not talk of a move to Roma
            self.windows.add(window_close(c.date, self.role))
            self.last_talk = c.date if self.last_talk is None else max(self.last_talk, c.date)
        self.claim_ids.append(c.id)
        if not c.is_off:
            self.n_support += 1
            # a `done` that names the club as his is the move completed ("before they appointed Carlo
            # Ancelotti"), not a seller's player or a renewal read as a move
            self.n_current += int(c.current and c.stage != "done")
            if not c.current:
                if self.talk_start is None:
                    self.talk_start = c.date
                    self.came_from = c.at  # where the store knew him to be when the talk began
            elif not c.inherited:  # a report of his being there, not an earlier article's statement repeated
                self.here.add((c.date, c.article_id))
        self.days.add(c.date)
        if self.first is None:
            self.first = c.date
        if self.last is None or c.date > self.last:
            self.last = c.date
            self.latest = {c.origin: c.is_off}
        elif c.date == self.last:
            self.latest[c.origin] = self.latest.get(c.origin, False) or c.is_off
        w = self.words.get(c.origin)
        if c.is_off:
            if w is None or c.date >= w.date or not w.off:
                self.words[c.origin] = Word(OFF, c.certainty, c.date, c.credit, off=True, article=c.article_id)
            return
        if w is None:
            self.words[c.origin] = Word(c.stage, c.certainty, c.date, c.credit, article=c.article_id)
        elif w.off:
            if c.date > w.date:  # the source re-opens the move
                self.words[c.origin] = Word(c.stage, c.certainty, c.date, c.credit, article=c.article_id)
        elif _strength(c.stage, c.certainty) > _strength(w.stage, w.certainty):
            self.words[c.origin] = Word(c.stage, c.certainty, max(c.date, w.date), c.credit, article=c.article_id)
        else:
            w.date = max(w.date, c.date)

    def _official(self, c: AClaim) -> None:
        """Official announcement: a club's own `done`, or a firm `done` from OFFICIAL_SOURCES independent
        sources; it stands until an `off` follows from a club or party, or from as many sources."""
        if c.stage == "done" and c.certainty == "firm":
            self.done_origins.add(c.origin)
            self.done_articles.add(c.article_id)
            several = min(len(self.done_origins), len(self.done_articles)) >= OFFICIAL_SOURCES  # not one article twice
            if self.official_since is None and (c.official or several):
                self.official_since = c.date
                self.off_origins = set()
        elif c.is_off and self.official_since is not None and c.date > self.official_since:
            self.off_origins.add(c.origin)
            if c.official or c.origin[:2] in ("p:", "c:") or len(self.off_origins) >= OFFICIAL_SOURCES:
                self.official_since = None
                self.done_origins, self.done_articles = set(), set()

    def arrived(self) -> bool:
        """He was known to be at another club when the talk of the move began, and reports in two articles after
        it name this club as his present one (claims, or affiliations the store keeps: `state`; none before): he has
        moved. Without talk of the move, the store's stating him at another club before (`left`) stands for it:
        "Tottenham boss Jose Mourinho" in April, "Roma boss Jose Mourinho" in two articles after. Without a known club of his when the
        talk began, a later "Chelsea's Zouma" is as likely a seller's player as an arrival."""
        if self.role != "manager":
            return False
        # since the talk began; without talk of the move, since the store last stated him at another club
        start = self.talk_start if self.talk_start is not None else self.left
        if start is None:
            return False
        # already the club's when the talk began: a claim on or before it says so, or an article stated it
        # within the span the store counts as current
        if any(d <= start for d, _ in self.here) \
                or any(d <= start and (start - d).days <= AFFILIATION_DAYS for d, _ in self.stated):
            return False
        return len({a for d, a in self.here | self.stated if d > start}) >= 2

    def best_stage(self) -> str | None:
        sup = [w for w in self.words.values() if not w.off]
        if not sup:
            return OFF if self.words else None
        return max(sup, key=lambda w: LADDER[w.stage]).stage

    def n_sources(self) -> int:
        return sum(1 for w in self.words.values() if not w.off)


def _strength(stage: str, certainty: str) -> float:
    return STAGE_VALUE.get(stage, 0.0) * CERTAINTY_MULT.get(certainty, 1.0) + LADDER.get(stage, 0) * 1e-3


def features(m: MoveState, t: dt.date, skill: dict[str, float]) -> np.ndarray:
    """The move's feature vector as of t (its state must hold only claims dated <= t)."""
    sup = [w for w in m.words.values() if not w.off]
    offs = [w for w in m.words.values() if w.off]
    # the second-best word from another article: a speaker quoted and the paper quoting him are one report
    ranked = sorted(((_strength(w.stage, w.certainty), w.article) for w in sup), reverse=True)
    second = next((st for st, art in ranked[1:] if art != ranked[0][1]), 0.0) if ranked else 0.0
    cred = 0.0
    for w in sup:
        vals = [skill[c] for c in w.credit if c in skill]
        if vals:
            cred += max(-1.5, min(1.5, sum(vals) / len(vals)))
    off_w = sum(CERTAINTY_MULT.get(w.certainty, 1.0) for w in offs)
    off = off_w / (off_w + len(sup)) if offs else 0.0  # share of the sources whose last word is off
    latest_off = 1.0 if m.latest and all(m.latest.values()) else 0.0
    hedged = (sum(1 for w in sup if w.certainty != "firm") / len(sup)) if sup else 0.0
    top = m.best_stage() if sup else None  # the highest rung any source reached, however worded
    onehot = [1.0 if top == r else 0.0 for r in RUNGS]
    arrived = m.arrived()
    # the club as his present one is a seller or a renewal read as a move - unless he arrived after the talk
    current = m.n_current / m.n_support if m.n_support and not arrived else 0.0
    return np.array([
        1.0, *onehot, second, math.log1p(len(sup)), math.log1p(len(m.days)), cred, off, latest_off, hedged, current,
        1.0 if m.official_since is not None else 0.0,
        # read off the claims, not the calendar: windows that had closed by its latest claim, and whether
        # that claim was talk between windows (a story does not fade because time passes)
        math.log1p(sum(1 for w in m.windows if m.last_talk and w <= m.last_talk)),
        0.0 if m.last_talk is None or 2 <= m.last_talk.month <= 8 else 1.0,
        1.0 if m.role == "manager" else 0.0,
        1.0 if arrived else 0.0,
    ])


def group_probability(scores: list[float], extra: float = 0.0) -> list[float]:
    """Softmax with a 'none of these' option of score 0 (plus `extra` mass for known winners)."""
    if not scores:
        return []
    top = max(max(scores), 0.0)
    es = [math.exp(s - top) for s in scores]
    z = math.exp(-top) * (1.0 + extra) + sum(es)
    return [e / z for e in es]


@dataclass
class Model:
    weights: np.ndarray = field(default_factory=lambda: PRIOR_WEIGHTS.copy())

    def score(self, x: np.ndarray) -> float:
        return float(x @ self.weights)

    def to_dict(self) -> dict[str, float]:
        return {k: round(float(v), 4) for k, v in zip(FEATURES, self.weights, strict=True)}


SET_BALANCE = 0.5  # how far the data sets of a joint fit are pulled from counting per forecast towards counting equally


def set_weights(tags: list[str], balance: float = SET_BALANCE) -> np.ndarray | None:
    """Weights for fitting one model on several data sets at once (gossip items and full articles): each
    forecast's weight goes `balance` of the way from 1 (every forecast alike: the 4,000 gossip forecasts
    drown the 130 of the articles) to the weight that makes every set count equally. None for one set.
    0.5 was chosen among 0, 0.5 and 1 by the out-of-story back-test on both sets (bench/backtest.py)."""
    kinds = sorted(set(tags))
    if len(kinds) < 2:
        return None
    t = np.array(tags)
    w = np.ones(len(t))
    for k in kinds:
        sel = t == k
        w[sel] = 1.0 + balance * (len(t) / (len(kinds) * sel.sum()) - 1.0)
    return w


def fit(X: np.ndarray, mask: np.ndarray, extra: np.ndarray, y: np.ndarray, prior: np.ndarray = PRIOR_WEIGHTS,
        l2: float = 100.0, iters: int = 300, weight: np.ndarray | None = None) -> np.ndarray:
    """Penalised maximum likelihood of the competing-moves model (Adam on the exact gradient).

    X: [n, G, F] features of each forecast's move (slot 0) and its competitors; mask: [n, G];
    extra: [n] mass of competitors already known to have happened; y: [n] outcomes; weight: [n] how much
    each forecast counts (mean 1; None: equally). The penalty l2/2 * |w - prior|^2 is a Gaussian prior
    on the weights. The weights named in MONOTONE keep their sign.
    """
    n = len(y)
    if n == 0:
        return prior.copy()
    w = prior.copy()
    m1 = np.zeros_like(w)
    m2 = np.zeros_like(w)
    lr, b1, b2 = 0.05, 0.9, 0.999
    for it in range(1, iters + 1):
        g = _grad(w, X, mask, extra, y, weight) + l2 * PRIOR_SCALE * (w - prior) / n
        m1 = b1 * m1 + (1 - b1) * g
        m2 = b2 * m2 + (1 - b2) * g * g
        w = w - lr * (m1 / (1 - b1**it)) / (np.sqrt(m2 / (1 - b2**it)) + 1e-8)
        w = np.clip(w, MONO_LO, MONO_HI)  # projected onto the signs MONOTONE allows
    return w


def _grad(w: np.ndarray, X: np.ndarray, mask: np.ndarray, extra: np.ndarray, y: np.ndarray,
          weight: np.ndarray | None = None) -> np.ndarray:
    s = np.clip(X @ w, -30, 30)
    e = np.exp(s) * mask
    z = 1.0 + extra + e.sum(axis=1)
    pi = e / z[:, None]
    mean_all = np.einsum("ng,ngf->nf", pi, X)
    z_rest = z - e[:, 0]
    pi_rest = e.copy()
    pi_rest[:, 0] = 0.0
    pi_rest = pi_rest / z_rest[:, None]
    mean_rest = np.einsum("ng,ngf->nf", pi_rest, X)
    grad_pos = -(X[:, 0, :] - mean_all)  # d(-log p)
    grad_neg = -(mean_rest - mean_all)  # d(-log(1-p))
    g = np.where(y[:, None] > 0.5, grad_pos, grad_neg)
    if weight is not None:
        return (g * weight[:, None]).sum(axis=0) / weight.sum()
    return g.mean(axis=0)


def predict(w: np.ndarray, X: np.ndarray, mask: np.ndarray, extra: np.ndarray) -> np.ndarray:
    s = np.clip(X @ w, -30, 30)
    e = np.exp(s) * mask
    z = 1.0 + extra + e.sum(axis=1)
    return e[:, 0] / z
