"""The back-test's protocols and the joint fit, on records we write (fast); the figures themselves are
measured by bench/backtest.py on the gossip set and the corpus."""

from __future__ import annotations

import datetime as dt

import numpy as np

from mercato.assess.backtest import story_crossfit, story_folds, story_of
from mercato.assess.data import AClaim
from mercato.assess.engine import Forecast
from mercato.assess.likelihood import FEATURES, MoveState, features, set_weights
from mercato.assess.windows import window_close


def fc(move: str, y: int, stage: str = "talks", day: str = "2024-05-01") -> Forecast:
    x = np.zeros((1, len(FEATURES)))
    x[0, FEATURES.index("bias")] = 1.0
    d = dt.date.fromisoformat(day)
    return Forecast(move, d, y, 0.5, stage, x, 0.0, d + dt.timedelta(days=30))


def test_a_story_is_a_job_or_a_person_and_never_straddles_folds() -> None:
    assert story_of("corpus|move--chelsea--enzo-maresca--manager--2") == "corpus|job:chelsea:2"
    assert story_of("corpus|move--chelsea--kieran-mckenna--manager--2") == "corpus|job:chelsea:2"
    assert story_of("gossip|move--arsenal--ben-white--player") == "gossip|person:ben-white"
    moves = ([fc(f"corpus|move--club-{i}--p-{i}--manager", i % 2) for i in range(6)]
             + [fc("corpus|move--club-0--q--manager", 0)]
             + [fc(f"gossip|move--club-{i % 7}--player-{i}--player", int(i % 5 == 0)) for i in range(200)]
             + [fc("gossip|move--other--player-3--player", 0)])
    folds = story_folds(moves)
    # the corpus (few stories) leaves one story out at a time; the two candidates for club-0's job share it
    assert folds[0] == folds[6] and len({folds[i] for i in range(6)}) == 6
    # the gossip set (many stories) is split into 5 folds by story: a player's two clubs share a fold
    gossip = [f for f, m in zip(folds, moves, strict=True) if m.move.startswith("gossip|")]
    assert len(set(gossip)) == 5
    assert folds[7 + 3] == folds[-1]


def test_out_of_story_rates_never_see_the_story_they_score() -> None:
    # one corpus story whose forecasts all came true at a stage nothing else reaches: held out, the stage
    # rule has no case of it and says 0.5, whatever the story's own outcomes
    moves = [fc("corpus|move--a--x--player", 1, stage="done") for _ in range(5)]
    moves += [fc(f"corpus|move--b{i}--y{i}--player", 0) for i in range(5)]
    out = story_crossfit(moves)
    assert np.allclose(out["stage_joint"][:5], 0.5)
    assert np.all(out["stage_joint"][5:] < 0.5)  # talks: 0 of the other 4 came true
    assert set(out) == {"model", "stage_joint", "stage_set"} and np.all((out["model"] > 0) & (out["model"] < 1))


def test_sets_are_balanced_in_a_joint_fit() -> None:
    assert set_weights(["", "", ""]) is None  # one set: every forecast alike
    w = set_weights(["gossip"] * 90 + ["corpus"] * 10, balance=1.0)
    assert w is not None and np.isclose(w[:90].sum(), w[90:].sum())  # fully balanced: each set counts alike
    half = set_weights(["gossip"] * 90 + ["corpus"] * 10)
    assert half is not None and w[90] > half[90] > 1.0 > half[0] > w[0]


def test_appointments_are_not_bound_to_the_january_window() -> None:
    jan = dt.date(2025, 1, 30)
    assert window_close(jan) == dt.date(2025, 2, 1)  # a player's January talk: that January only
    assert window_close(jan, "manager") == dt.date(2025, 9, 1)  # a manager's: the job, into the summer
    assert window_close(dt.date(2024, 3, 1), "manager") == dt.date(2024, 9, 1)


def test_a_manager_named_the_clubs_own_after_the_talk_has_arrived() -> None:
    def c(i: int, day: str, current: bool, stage: str = "interest") -> AClaim:
        return AClaim(id=i, article_id=i, date=dt.date.fromisoformat(day), club="Roma", person="A Manager",
                      role="manager", stage=stage, certainty="firm", journalist=None, outlet="P", publisher="P",
                      evidence="", move="move--roma--a-manager--manager", origin=f"o:{i}", credit=(), current=current)

    m = MoveState("move--roma--a-manager--manager", "Roma", "A Manager", "manager")
    m.add(c(1, "2021-05-01", False, "talks"))  # talk of the appointment
    m.add(c(2, "2021-05-10", True))  # "Roma boss A Manager wants ..."
    assert not m.arrived()  # one article is not enough
    m.add(c(3, "2021-05-20", True))
    assert m.arrived()
    seller = MoveState("move--roma--a-manager--manager", "Roma", "A Manager", "manager")
    seller.add(c(4, "2021-04-01", True))  # he was Roma's before any talk: a renewal or a departure story
    for claim in (c(5, "2021-05-01", False), c(6, "2021-05-10", True), c(7, "2021-05-20", True)):
        seller.add(claim)
    assert not seller.arrived()


def test_an_earlier_articles_statement_repeated_is_no_second_report_of_arrival() -> None:
    """A claim is `current` when the store last stated him at the club, even when its own article does not say
    so ("Liverpool legend X" read as his club, then "Liverpool still want X" a fortnight later): that is the
    one earlier article again, not a second report of his being there."""
    def c(i: int, day: str, current: bool, inherited: bool = False) -> AClaim:
        return AClaim(id=i, article_id=i, date=dt.date.fromisoformat(day), club="Roma", person="A Manager",
                      role="manager", stage="interest", certainty="firm", journalist=None, outlet="P", publisher="P",
                      evidence="", move="move--roma--a-manager--manager", origin=f"o:{i}", credit=(), current=current,
                      inherited=inherited)

    m = MoveState("move--roma--a-manager--manager", "Roma", "A Manager", "manager")
    m.add(c(1, "2021-05-01", False))
    m.add(c(2, "2021-05-10", True))  # its own article names him Roma's
    m.add(c(3, "2021-05-20", True, inherited=True))  # current only through article 2's statement
    m.add(c(4, "2021-05-21", True, inherited=True))
    assert not m.arrived()
    m.add(c(5, "2021-05-25", True))  # a second article of its own says so
    assert m.arrived()


def test_a_done_naming_the_club_as_his_is_no_sellers_signal() -> None:
    def c(i: int, stage: str, current: bool) -> AClaim:
        return AClaim(id=i, article_id=i, date=dt.date(2021, 6, i), club="Real Madrid", person="A Coach",
                      role="manager", stage=stage, certainty="firm", journalist=None, outlet="P", publisher="P",
                      evidence="", move="m", origin=f"o:{i}", credit=(), current=current)

    m = MoveState("m", "Real Madrid", "A Coach", "manager")
    m.add(c(1, "done", True))  # "... before they appointed A Coach": the article names him Real Madrid's
    m.add(c(2, "interest", True))  # "Real Madrid manager A Coach wants ...": his club, read as a move
    x = features(m, dt.date(2021, 6, 3), {})
    assert x[FEATURES.index("current_club")] == 0.5  # the `done` does not count as a seller's signal
