"""Replaying claims in date order: move states, credibility and model, all forward in time.

One replay serves both uses:
- a snapshot "as of" a date (stories, probabilities, source records), from claims dated on or
  before it and outcomes public on or before it;
- the back-test: at each claim date of a move whose outcome is later known, the probability the
  system gave then, with the weights fitted and the credibility learnt from outcomes public
  before that date only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mercato.assess.credibility import CredibilityBook
from mercato.assess.data import AClaim, AOutcome, episode, outcome_index
from mercato.assess.likelihood import (
    MAX_COMPETITORS,
    PRIOR_WEIGHTS,
    RESOLVED_TRUE_SCORE,
    MoveState,
    features,
    fit,
    group_probability,
    set_weights,
)
from mercato.assess.windows import window_close
from mercato.kb.base import normalise

REFIT_DAYS = 14
# Shortcuts that change no number (tests/test_asof_speed.py compares with them off): each move's features are
# computed once and shared by every block that needs them until a claim or a skill changes them; a snapshot
# collects its training forecasts in its own pass rather than in a second replay; a fit is reused for the same
# training data (dates between two outcome days share it).
SHORTCUTS = True
P_MIN, P_MAX = 0.01, 0.99  # rumours alone never make a move certain either way


@dataclass
class Forecast:
    move: str
    date: dt.date
    y: int
    p: float
    stage: str | None
    X: np.ndarray  # [G, F]: the move, then its competitors
    extra: float
    resolved_on: dt.date


@dataclass
class Snapshot:
    as_of: dt.date | None
    moves: dict[str, MoveState]
    probability: dict[str, float]
    known: dict[str, bool]  # outcomes public as of the snapshot
    outcomes: dict[str, AOutcome]
    book: CredibilityBook
    weights: np.ndarray
    forecasts: list[Forecast] = field(default_factory=list)
    history: dict[str, list[tuple[dt.date, float]]] = field(default_factory=dict)
    latest: dt.date | None = None  # the latest claim date (the "now" of a snapshot without a date)
    pending: dict[str, AOutcome] = field(default_factory=dict)  # proposed outcomes awaiting confirmation


def _scope(m: MoveState) -> str:
    """A joint back-test tags each data set's moves ("gossip|move--..."): competition stays within one."""
    return m.id.split("move--", 1)[0]


def person_group_key(m: MoveState) -> str:
    return _scope(m) + "p:" + normalise(m.person)


def vacancy_key(m: MoveState) -> str | None:
    """One job: the club's manager vacancy it is about (an appointment closes one, data.split_jobs)."""
    return f"{_scope(m)}v:{normalise(m.club)}:{m.role}:{episode(m.id)}" if m.role == "manager" else None


class Replay:
    def __init__(self, claims: list[AClaim], outcomes: list[AOutcome], *, learn: bool = True,
                 use_credibility: bool = True, l2: float = 100.0,
                 skill_at: Callable[[dt.date], dict[str, float]] | None = None,
                 weights: np.ndarray | None = None, outcome_map: dict[str, AOutcome] | None = None) -> None:
        self.claims = sorted(claims, key=lambda c: (c.date, c.id))
        self.outcomes = outcome_map if outcome_map is not None else outcome_index(outcomes)
        self.pending = {mid: o for mid, o in outcome_index(outcomes, confirmed_only=False).items()
                        if o.status == "pending"}
        self.learn = learn
        self.use_credibility = use_credibility
        self.l2 = l2
        self.skill_at = skill_at
        self.start_weights = PRIOR_WEIGHTS.copy() if weights is None else weights

    def run(self, until: dt.date | None = None, collect: bool = False, history_for: set[str] | None = None,
            refit: bool = True, last_only: bool = False, score: bool = True) -> Snapshot:
        """Replay up to `until`. `history_for`: the moves whose probability is recorded on each day they were
        claimed (an empty set: every move); with `last_only`, only on the last such day up to `until`.
        `score=False` leaves the snapshot's probabilities out (a replay run only for its history)."""
        moves: dict[str, MoveState] = {}
        groups: dict[str, set[str]] = defaultdict(set)
        book = CredibilityBook()
        weights = self.start_weights.copy()
        events = sorted((o.resolved_on or dt.date.max, mid) for mid, o in self.outcomes.items())
        ev_i = 0
        known: dict[str, bool] = {}
        forecasts: list[Forecast] = []
        last_fit: dt.date | None = None
        n_fit = 0
        history: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        fast = SHORTCUTS
        # a snapshot's training forecasts, collected in this pass as a replay with collection (refit=False)
        # would: with the prior weights, which only choose which competitors a block keeps
        train_here = fast and not collect and self.learn
        prior = PRIOR_WEIGHTS.copy()
        # each move's features, kept from day to day until a claim changes its state or the skills change
        # (a move's features read its state and the skills, not the calendar)
        memo: dict[str, np.ndarray] = {}
        memo_sk: dict[str, float] | None = None

        def fresh(sk: dict[str, float]) -> None:
            nonlocal memo_sk
            if sk != memo_sk:
                memo.clear()
                memo_sk = dict(sk)

        by_date: dict[dt.date, list[AClaim]] = defaultdict(list)
        for c in self.claims:
            if until is not None and c.date > until:
                break
            by_date[c.date].append(c)
        dates = sorted(by_date)
        # affiliations the store keeps that name a person as a move's club's (data.AClaim.stated), each given to
        # the move on the first replay day on or after its own (never before: no knowledge from the future)
        per_move = {c.move: c.stated for c in self.claims if c.stated}
        stated = sorted((d, mid, a) for mid, st in per_move.items() for d, a in st)
        st_i = 0

        def state_until(t: dt.date) -> None:
            nonlocal st_i
            while st_i < len(stated) and stated[st_i][0] <= t:
                day, mid, aid = stated[st_i]
                st_i += 1
                m = moves.get(mid)
                if m is not None and (day, aid) not in m.stated:
                    m.state(day, aid)
                    memo.pop(mid, None)

        last_day = {c.move: t for t in dates for c in by_date[t]} if last_only else {}

        def skills(t: dt.date) -> dict[str, float]:
            if self.skill_at is not None:
                return self.skill_at(t)
            return book.skills() if self.use_credibility else {}

        def resolve_until(t: dt.date) -> None:
            nonlocal ev_i
            while ev_i < len(events) and events[ev_i][0] <= t:
                day, mid = events[ev_i]
                ev_i += 1
                o = self.outcomes[mid]
                known[mid] = bool(o.happened)
                m = moves.get(mid)
                if m is None:
                    continue
                book.judge(mid, bool(o.happened), _words_before(m, day))

        def competitors(m: MoveState) -> list[str]:
            keys = [person_group_key(m)]
            vk = vacancy_key(m)
            if vk:
                keys.append(vk)
            out: set[str] = set()
            for k in keys:
                out.update(groups[k])
            out.discard(m.id)
            return sorted(out)

        def feat(m: MoveState, t: dt.date, sk: dict[str, float]) -> np.ndarray:
            if not fast:
                return features(m, t, sk)
            x = memo.get(m.id)
            if x is None:
                x = memo[m.id] = features(m, t, sk)
            return x

        def block(m: MoveState, t: dt.date, sk: dict[str, float], w: np.ndarray | None = None
                  ) -> tuple[np.ndarray, float]:
            w = weights if w is None else w
            rows = [feat(m, t, sk)]
            extra = 0.0
            comp_rows = []
            for cid in competitors(m):
                if cid in known:
                    # a job already filled leaves no room - unless it was filled before this talk began: an
                    # appointment closes one vacancy, and later talk is about the next; a player who has
                    # moved can move again next window
                    o = self.outcomes.get(cid)
                    earlier = o is not None and o.resolved_on is not None and m.first is not None and o.resolved_on < m.first
                    if known[cid] and m.role == "manager" and not earlier:
                        extra += float(np.exp(RESOLVED_TRUE_SCORE))
                    continue
                comp_rows.append(feat(moves[cid], t, sk))
            if len(comp_rows) > MAX_COMPETITORS - 1:
                comp_rows.sort(key=lambda x: -float(x @ w))
                comp_rows = comp_rows[: MAX_COMPETITORS - 1]
            rows.extend(comp_rows)
            return np.array(rows), extra

        def prob(X: np.ndarray, extra: float, w: np.ndarray | None = None) -> float:
            w = weights if w is None else w
            s = [float(x @ w) for x in X]
            return min(P_MAX, max(P_MIN, group_probability(s, extra)[0]))

        for t in dates:
            resolve_until(t)
            touched: list[MoveState] = []
            seen: set[str] = set()
            for c in by_date[t]:
                m = moves.get(c.move)
                if m is None:
                    m = moves[c.move] = MoveState(c.move, c.club, c.person, c.role)
                    for d, a in c.stated:  # those stated before the move's first claim
                        if d <= t:
                            m.state(d, a)
                    groups[person_group_key(m)].add(m.id)
                    vk = vacancy_key(m)
                    if vk:
                        groups[vk].add(m.id)
                m.add(c)
                if c.move not in seen:
                    seen.add(c.move)
                    touched.append(m)
                    memo.pop(c.move, None)
            state_until(t)
            if collect and refit and self.learn and (last_fit is None or (t - last_fit).days >= REFIT_DAYS):
                train = [f for f in forecasts if f.resolved_on <= t]
                if len(train) > n_fit:
                    weights = _fit(train, self.l2)
                    n_fit = len(train)
                last_fit = t
            sk = skills(t)
            fresh(sk)
            if collect or train_here:
                fw = weights if collect else prior
                for m in touched:
                    o = self.outcomes.get(m.id)
                    if o is None or o.resolved_on is None or m.id in known:
                        continue
                    # a claim speaks of its window: a move that happened only after that window closed
                    # did not happen in it (Alonso "will not join Real Madrid" in March 2024 was right then)
                    happened, day = bool(o.happened), o.resolved_on
                    close = window_close(t, m.role)
                    if happened and day > close:
                        happened, day = False, close
                    if t >= day:
                        continue
                    X, extra = block(m, t, sk, fw)
                    forecasts.append(Forecast(m.id, t, int(happened), prob(X, extra, fw), m.best_stage(), X, extra, day))
            if history_for is not None:
                for m in touched:
                    if (not history_for or m.id in history_for) and (not last_only or last_day[m.id] == t):
                        X, extra = block(m, t, sk)
                        history[m.id].append((t, prob(X, extra)))

        end = until or (dates[-1] if dates else dt.date.today())
        resolve_until(until or dt.date.max)  # without a date: every known outcome counts
        state_until(until or dt.date.max)  # and every affiliation the claims were loaded with
        if train_here:
            train = [f for f in forecasts if f.resolved_on <= end]
            forecasts = []
            if train:
                weights = _fit(train, self.l2)
        elif not collect and self.learn:
            # fit to what is known as of `end` (a replay with collection up to `end`)
            sub = Replay(self.claims, [], learn=True, use_credibility=self.use_credibility,
                         l2=self.l2, skill_at=self.skill_at, outcome_map=self.outcomes)
            train_snap = sub.run(until=end, collect=True, refit=False)
            train = [f for f in train_snap.forecasts if f.resolved_on <= end]
            if train:
                weights = _fit(train, self.l2)
        sk = skills(end)
        fresh(sk)
        probability: dict[str, float] = {}
        for mid, m in (moves if score else {}).items():
            if mid in known:  # an outcome, once public, settles the move
                probability[mid] = 1.0 if known[mid] else 0.0
                continue
            X, extra = block(m, end, sk)
            probability[mid] = prob(X, extra)
        return Snapshot(until, moves, probability, known, self.outcomes, book, weights, forecasts, dict(history),
                        latest=dates[-1] if dates else None, pending=self.pending)


def _words_before(m: MoveState, day: dt.date) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(w.stage, w.certainty, w.credit) for w in m.words.values() if w.date < day]


_fit_lock = threading.Lock()
_fits: dict[bytes, np.ndarray] = {}


def _fit(train: list[Forecast], l2: float) -> np.ndarray:
    """The weights fitted to these forecasts; the same training data (dates between two outcome days share it)
    is fitted once and the result reused."""
    g = max(len(f.X) for f in train)
    nf = train[0].X.shape[1]
    X = np.zeros((len(train), g, nf))
    mask = np.zeros((len(train), g))
    for i, f in enumerate(train):
        X[i, : len(f.X)] = f.X
        mask[i, : len(f.X)] = 1.0
    extra = np.array([f.extra for f in train])
    y = np.array([f.y for f in train], dtype=float)
    # a joint replay tags each data set's moves ("corpus|move--..."): the sets are balanced in the fit
    weight = set_weights([f.move.rpartition("|")[0] for f in train])
    if not SHORTCUTS:
        return fit(X, mask, extra, y, l2=l2, weight=weight)
    h = hashlib.blake2b(digest_size=20)
    for a in (np.array([l2, *X.shape]), X, mask, extra, y, weight if weight is not None else np.zeros(0)):
        h.update(np.ascontiguousarray(a, dtype=float).tobytes())
    key = h.digest()
    with _fit_lock:
        hit = _fits.get(key)
    if hit is not None:
        return hit.copy()
    w = fit(X, mask, extra, y, l2=l2, weight=weight)
    with _fit_lock:
        if len(_fits) > 64:
            _fits.clear()
        _fits[key] = w.copy()
    return w
