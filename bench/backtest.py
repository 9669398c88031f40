"""Benchmark: the whole gossip pipeline and its back-test, timed.

    .venv/bin/python bench/backtest.py [--db PATH] [--skip-ingest] [--json]

1. ingest ../shared/datasets/bbc-gossip-2021/rumours.csv with the project's extractor into a fresh
   SQLite file (skipped with --skip-ingest when PATH already holds it);
2. import transfers.csv as outcomes (the register form);
3. back-test forward in time, with both baselines and the model variants;
4. print the figures and the time of each step (target: all of it under 5 minutes on 2 cores).
Also back-tests ../shared/corpus (but the blind articles) with outcomes.json and the project's
annotations/outcomes/corpus-public.json, and both sets together with one model.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from mercato.assess.backtest import run_backtest, run_joint_backtest
from mercato.assess.data import load
from mercato.assess.outcomes import import_file
from mercato.config import shared_dir
from mercato.serve.pipeline import ingest_paths
from mercato.store import Database


def line(name: str, r: dict) -> str:
    return f"  {name:<28} brier {r['brier']:.4f}  log loss {r['log_loss']:.4f}  skill {r['skill']:+.4f}"


def blind_ids(root: Path) -> set[str]:
    """The frozen blind articles (annotations/blind/MANIFEST.json): never fitted or tuned on, so left out."""
    m = json.loads((root / "annotations" / "blind" / "MANIFEST.json").read_text(encoding="utf-8"))
    ids = set(m.get("english", []))
    for v in (m.get("other_languages") or {}).values():
        ids.update(v)
    return ids


def corpus_files(shared: Path) -> list[Path]:
    blind = blind_ids(Path(__file__).resolve().parents[1])
    files = sorted((shared / "corpus" / "articles").glob("*.txt"))
    files += [p for p in sorted((shared / "corpus" / "unlabelled").glob("u*.txt")) if p.stem not in blind]
    return files


def corpus_outcomes(shared: Path) -> list[Path]:
    """The corpus's outcomes: ../shared's, and the public outcomes of further moves its articles talk about
    that the project wrote down (annotations/outcomes/corpus-public.json)."""
    return [shared / "corpus" / "outcomes.json",
            Path(__file__).resolve().parents[1] / "annotations" / "outcomes" / "corpus-public.json"]


def bench(db_path: Path, ingest: list[Path], outcomes: list[Path], skip_ingest: bool) -> dict:
    times: dict[str, float] = {}
    if not skip_ingest and db_path.exists():
        db_path.unlink()
    db = Database(f"sqlite:///{db_path}")
    t0 = time.perf_counter()
    if not skip_ingest:
        rep = ingest_paths(db, [str(p) for p in ingest], extract=True)
        if rep.failed:
            print(f"ingest: {rep.failed} failed", file=sys.stderr)
    times["ingest+extract"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    reports = [import_file(db, f).as_dict() for f in outcomes]
    imp = reports[0] if len(reports) == 1 else {f.name: r for f, r in zip(outcomes, reports, strict=True)}
    times["outcomes import"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    claims, outs, _ = load(db)
    res = run_backtest(claims, outs)
    times["backtest"] = time.perf_counter() - t2
    times["total"] = time.perf_counter() - t0
    res["import"] = imp
    res["claims"] = len(claims)
    res["seconds"] = {k: round(v, 2) for k, v in times.items()}
    res["_data"] = (claims, outs)
    return res


def report(title: str, res: dict) -> None:
    print(f"== {title}")
    print(f"  claims {res['claims']}; outcomes import {res['import']}")
    print(f"  forecasts {res['n']} over {res['moves']} resolved moves, {res['positives']} came true "
          f"(base rate {res['base_rate']['rate']:.3f})")
    for name in ("model", "base_rate", "stage_only", "stage_only_forward", "model_crossfit", "stage_only_crossfit"):
        print(line(name, res[name]))
    for name, v in res.get("variants", {}).items():
        print(line("model: " + name, v))
    if res.get("outlets"):
        top = [o for o in res["outlets"] if o["rumours"] >= 50]
        rates = [o["hit_rate"] for o in top]
        print(f"  outlet hit rates (>= 50 resolvable rumours, {len(top)} outlets): "
              f"{min(rates):.1%} to {max(rates):.1%}")
    print("  seconds: " + ", ".join(f"{k} {v}" for k, v in res["seconds"].items()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=None, help="SQLite file for the gossip data (default: a temp file)")
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = shared_dir()
    gossip = shared / "datasets" / "bbc-gossip-2021"
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or Path(tmp) / "gossip.db"
        g = bench(db_path, [gossip / "rumours.csv"], [gossip / "transfers.csv"], args.skip_ingest)
        c = bench(Path(tmp) / "corpus.db", corpus_files(shared), corpus_outcomes(shared), False)
    t = time.perf_counter()
    joint = run_joint_backtest({"gossip": g.pop("_data"), "corpus": c.pop("_data")})
    joint["seconds"] = round(time.perf_counter() - t, 2)
    if args.json:
        for r in (g, c):
            for k in ("model", "base_rate", "stage_only", "stage_only_forward", "model_crossfit", "stage_only_crossfit"):
                r[k].pop("reliability", None)
        for v in joint["sets"].values():
            v.get("model", {}).pop("reliability", None)
        print(json.dumps({"gossip": g, "corpus": c, "joint": joint}, indent=2, default=str))
        return
    report("bbc-gossip-2021 (rumours.csv + transfers.csv)", g)
    report("corpus (articles + unlabelled but the blind set + outcomes.json)", c)
    print("== one model over both (joint forward back-test; each set scored on its own)")
    for tag, r in joint["sets"].items():
        if not r["n"]:
            continue
        print(f"  {tag}: {r['n']} forecasts over {r['moves']} moves, {r['positives']} came true "
              f"(base rate {r['base_rate']:.3f})")
        print("    forward (each forecaster learns only from outcomes public before each forecast, both sets):")
        for name in ("model", "stage_only_joint_forward", "stage_only_forward"):
            print("  " + line(name, r[name]))
        print("    out of story (fitted on every other story of both sets, scored on the held-out one):")
        for name in ("model_story_crossfit", "stage_only_story_crossfit", "stage_only_set_story_crossfit"):
            print("  " + line(name, r[name]))
        print("    in-sample (see every outcome they are scored on):")
        for name in ("base", "stage_only", "stage_only_joint"):
            print("  " + line(name, r[name]))
    print(f"  seconds {joint['seconds']}")
    limit = 300.0
    print(f"gossip total {g['seconds']['total']:.1f} s (target < {limit:.0f} s): "
          f"{'OK' if g['seconds']['total'] < limit else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
