"""The as-of shortcuts (assess/engine.SHORTCUTS: features kept per move between days, the snapshot's training
forecasts collected in its own pass, fits reused for identical training data) change no result.

On a real slice of ../shared/datasets/bbc-gossip-2021 (rows read at test time, never copied), every story page,
listing, heating-up view and snapshot is computed twice - the shortcuts on and off, every cache emptied between -
and must be identical, float for float. The fast pass runs the dates latest first, so anything a later date left
in a cache is there when an earlier one is computed: a cached result from a later date would show here.
Times are in bench/web_pages.py and bench/desk.py, not here.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from mercato.assess import desk, engine, service
from mercato.assess.data import load
from mercato.assess.engine import Replay
from mercato.serve.cli import app
from mercato.store import Database

runner = CliRunner()
NAMES = ("Lukaku", "Haaland", "Conte", "Nuno", "Grealish", "Pogba", "Kane", "Sancho")
DATES: list[dt.date | None] = [dt.date(2021, 3, 1), dt.date(2021, 6, 10), dt.date(2021, 7, 15),
                               dt.date(2021, 8, 20), dt.date(2021, 12, 1), None]


@pytest.fixture(scope="module")
def gossip_db(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> str:
    src = shared / "datasets" / "bbc-gossip-2021"
    tmp = tmp_path_factory.mktemp("asof-slice")
    with (src / "rumours.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [r for i, r in enumerate(reader) if i % 12 == 0 or any(n in r["raw_text"] for n in NAMES)]
        fields = reader.fieldnames or []
    out = tmp / "rumours-slice.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    url = f"sqlite:///{tmp / 'slice.db'}"
    r = runner.invoke(app, ["ingest", str(out), "--db", url, "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["outcomes", "import", str(src / "transfers.csv"), "--db", url])
    assert r.exit_code == 0, r.output
    return url


def _empty_caches() -> None:
    service._cache.clear()
    service._hist_cache.clear()
    engine._fits.clear()
    desk._links_cache.clear()


def _everything(db: Database, dates: list[dt.date | None], stories: list[str]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for day in dates:
        snap, _ = service.snapshot(db, day)
        out["probability", day] = snap.probability
        out["weights", day] = snap.weights.tolist()
        out["known", day] = snap.known
        out["list", day] = service.list_stories(db, day)
        out["vacancies", day] = service.list_stories(db, day, kind="vacancy")
        for sid in stories:
            out["story", sid, day] = service.get_story(db, sid, day)
        out["heating", day] = desk.heating_up(db, day)
        out["heating3", day] = desk.heating_up(db, day, days=3, direction="up")
        out["club", day] = desk.club_page(db, "spurs", day)
    return out


def test_shortcuts_change_no_result(gossip_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(gossip_db)
    _empty_caches()
    snap, _ = service.snapshot(db, None)
    busiest = sorted(snap.moves.values(), key=lambda m: (-len(m.claim_ids), m.id))
    stories = [busiest[0].id, busiest[3].id, busiest[20].id]
    vac = service.list_stories(db, None, kind="vacancy")
    if vac:
        stories.append(vac[0]["id"])
    assert len(snap.moves) > 200 and snap.known  # a slice with competition and outcomes

    _empty_caches()
    fast = _everything(db, list(reversed(DATES)), stories)  # latest first: later dates fill the caches
    _empty_caches()
    monkeypatch.setattr(engine, "SHORTCUTS", False)
    slow = _everything(db, DATES, stories)
    _empty_caches()
    assert fast.keys() == slow.keys()
    for key in slow:
        assert fast[key] == slow[key], key
    # the pages were not empty: stories with history and heating rows were compared
    assert any(fast["story", s, dt.date(2021, 12, 1)] for s in stories)
    assert any(fast["heating", d]["stories"] for d in DATES)


def test_heating_points_are_those_of_the_whole_history(gossip_db: str) -> None:
    """Heating up reads each move's last point on or before the window's start from a replay that stops there and
    scores each move once (service.last_points): the same points as the replay of every day up to the date."""
    db = Database(gossip_db)
    _empty_caches()
    compared = 0
    for day in DATES:
        snap, _ = service.snapshot(db, day)
        full = service.all_history(db, day)
        today = day or snap.latest
        assert today is not None
        for days in (1, 7, 30):
            since = today - dt.timedelta(days=days)
            want = {mid: [p for p in pts if p[0] <= since][-1] for mid, pts in full.items()
                    if any(p[0] <= since for p in pts)}
            got = service.last_points(db, day, since)
            assert got == want, (day, days)
            compared += len(want)
    assert compared > 500
    _empty_caches()


def test_backtest_replay_unchanged(gossip_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The back-test's replay (collect=True, refits every REFIT_DAYS) gives the same forecasts with features kept
    between days as with them recomputed for every block."""
    db = Database(gossip_db)
    claims, outcomes, _ = load(db)
    _empty_caches()
    fast = Replay(claims, outcomes).run(collect=True)
    monkeypatch.setattr(engine, "SHORTCUTS", False)
    slow = Replay(claims, outcomes).run(collect=True)
    assert len(fast.forecasts) == len(slow.forecasts) > 20
    for a, b in zip(fast.forecasts, slow.forecasts, strict=True):
        assert (a.move, a.date, a.y, a.p, a.extra, a.resolved_on) == (b.move, b.date, b.y, b.p, b.extra, b.resolved_on)
        assert np.array_equal(a.X, b.X)
    assert np.array_equal(fast.weights, slow.weights)
    assert fast.probability == slow.probability


def test_dates_with_the_same_outcomes_share_one_fit(gossip_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two dates with no outcome made public and no forecast resolved between them train on the same data: the
    second reuses the first fit. A date after a new outcome fits again."""
    db = Database(gossip_db)
    _, outcomes, _ = load(db)
    days = sorted({o.resolved_on for o in outcomes if o.resolved_on and dt.date(2021, 2, 1) < o.resolved_on})
    gap = next((a, b) for a, b in zip(days, days[1:], strict=False) if (b - a).days >= 3)
    calls: list[int] = []
    real_fit = engine.fit

    def counting_fit(*args: Any, **kw: Any) -> np.ndarray:
        calls.append(1)
        return real_fit(*args, **kw)

    monkeypatch.setattr(engine, "fit", counting_fit)
    _empty_caches()
    first, _ = service.snapshot(db, gap[0] + dt.timedelta(days=1))
    second, _ = service.snapshot(db, gap[1] - dt.timedelta(days=1))
    assert len(calls) == 1
    assert np.array_equal(first.weights, second.weights)
    service.snapshot(db, gap[1])  # an outcome made public that day: new training data, a new fit
    assert len(calls) == 2
    _empty_caches()
