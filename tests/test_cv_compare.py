"""bench/cv_compare.py: cross-validation reports compared document by document, one fold seed or several pooled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "cv_compare.py"


def _report(path: Path, docs: dict[str, tuple[str, int, int, int]]) -> Path:
    path.write_text(json.dumps({"cv": {"per_doc": {"shipped@0.35": {u: list(v) for u, v in docs.items()}}}}))
    return path


def _run(*args: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, check=False)


def test_several_seeds_are_pooled_per_document(tmp_path: Path) -> None:
    base = {f"a{i}": ("articles", 2, 1, 1) for i in range(6)}
    # seed 1: the change gains on every document; seed 2: it loses a little on one
    new1 = {u: ("articles", 3, 0, 0) for u in base}
    new2 = {**base, "a0": ("articles", 1, 2, 2)}
    files = [_report(tmp_path / f"{n}.json", d) for n, d in
             (("b1", base), ("n1", new1), ("b2", base), ("n2", new2))]
    out = _run(*files)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["seeds"] == 2 and got["model"] == "shipped@0.35"
    assert got["per_seed"][0]["articles"]["diff"] > 0 > got["per_seed"][1]["articles"]["diff"]
    pooled = got["pooled"]["articles"]
    # pooled counts: base 24 matched, 12 false alarms, 12 misses -> F1 48/72; other 18+11, 0+7, 0+7 -> 58/72
    assert abs(pooled["diff"] - round(58 / 72 - 48 / 72, 4)) < 1e-4
    assert pooled["agree"] is False and pooled["low"] <= pooled["diff"] <= pooled["high"]


def test_pooling_sums_counts_per_document_and_keeps_only_documents_of_every_run(tmp_path: Path) -> None:
    # uneven documents: a big one and a small one, so summing counts differs from averaging each seed's F1
    base1 = {"big": ("articles", 10, 10, 10), "small": ("articles", 1, 0, 0), "gone": ("articles", 0, 5, 5)}
    new1 = {"big": ("articles", 20, 0, 0), "small": ("articles", 0, 1, 1), "gone": ("articles", 5, 0, 0)}
    base2 = {"big": ("articles", 10, 10, 10), "small": ("articles", 1, 0, 0)}  # "gone" is not in this run
    new2 = {"big": ("articles", 10, 10, 10), "small": ("articles", 0, 1, 1)}
    files = [_report(tmp_path / f"{n}.json", d) for n, d in
             (("b1", base1), ("n1", new1), ("b2", base2), ("n2", new2))]
    got = json.loads(_run(*files).stdout)

    def f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn)

    # pooled over big and small only: base 22/20/20, new 30/12/12
    assert abs(got["pooled"]["articles"]["diff"] - round(f1(30, 12, 12) - f1(22, 20, 20), 4)) < 1e-4
    mean = sum(s["articles"]["diff"] for s in got["per_seed"]) / 2
    assert abs(got["pooled"]["articles"]["diff"] - mean) > 0.01  # not the mean of the seeds' differences


def test_one_pair_prints_its_difference_and_bad_input_is_named(tmp_path: Path) -> None:
    base = _report(tmp_path / "b.json", {"g1": ("gossip", 1, 1, 0), "g2": ("gossip", 0, 0, 1)})
    new = _report(tmp_path / "n.json", {"g1": ("gossip", 1, 0, 0), "g2": ("gossip", 1, 0, 0)})
    got = json.loads(_run(base, new).stdout)
    assert got["vs_base"]["gossip"]["diff"] > 0 and "pooled" not in got
    odd = _run(base, new, base)
    assert odd.returncode == 2 and "pairs" in odd.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{}")
    bad = _run(base, broken)
    assert bad.returncode == 2 and "broken.json" in bad.stderr


def test_two_folders_of_seed_reports_are_paired_by_seed(tmp_path: Path) -> None:
    base_dir, new_dir = tmp_path / "base", tmp_path / "new"
    base_dir.mkdir()
    new_dir.mkdir()
    for seed, gain in (("11", 1), ("12", 2), ("20261130", 0)):
        _report(base_dir / f"{seed}.json", {"a": ("articles", 5, 5, 5), "b": ("articles", 2, 1, 1)})
        _report(new_dir / f"{seed}.json", {"a": ("articles", 5 + gain, 5 - gain, 5 - gain), "b": ("articles", 2, 1, 1)})
    _report(base_dir / "99.json", {"a": ("articles", 1, 1, 1)})  # a seed only the base has: left out
    got = json.loads(_run(Path("--dirs"), base_dir, new_dir).stdout)
    assert got["seeds"] == 3
    assert [s["articles"]["diff"] > 0 for s in got["per_seed"]] == [True, True, False]  # 11, 12, 20261130
    empty = tmp_path / "empty"
    empty.mkdir()
    none = _run(Path("--dirs"), base_dir, empty)
    assert none.returncode == 2 and "empty" in none.stderr


def test_the_seed_runner_names_one_training_command_per_seed(tmp_path: Path) -> None:
    runner = SCRIPT.with_name("cv_seeds.py")
    out = subprocess.run([sys.executable, str(runner), str(tmp_path / "r"), "--seeds", "11,12", "--dry-run", "--",
                          "--train-gold"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == 2
    assert all("mercato.extract.learned.train --no-save --seed" in line and line.endswith("--train-gold") for line in out)
    assert str(tmp_path / "r" / "11.json") in out[0] and str(tmp_path / "r" / "12.json") in out[1]
    bad = subprocess.run([sys.executable, str(runner), str(tmp_path), "--seeds", "x"], capture_output=True, text=True,
                         check=False)
    assert bad.returncode == 2 and "--seeds" in bad.stderr
