"""Cross-validate the learned extractor under several fold seeds, for `bench/cv_compare.py --dirs`.

    .venv/bin/python bench/cv_seeds.py OUT_DIR [--seeds 20261130,11,12] [--jobs 2] [-- TRAIN ARGS...]

runs `python -m mercato.extract.learned.train --no-save --seed S --report OUT_DIR/S.json` for each seed (`--jobs`
at a time; each run is single-threaded), with any arguments after `--` passed on (`--train-gold`, `--C 0.2`) and
the environment as it is (a feature switch such as MERCATO_LEARNED_PAIRFEATS applies to every run). Each run's log
is OUT_DIR/S.log. Run it once on the base tree and once on the change, then

    .venv/bin/python bench/cv_compare.py --dirs BASE_DIR NEW_DIR

One seed's articles figure moves about 0.02 with the folds alone; the pooled difference over three seeds is what a
change to the article model is judged on (README, "Quality, measured"). About 4 minutes a run on a quiet 2-core
machine with two at a time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

SEEDS = (20261130, 11, 12)


def commands(out: Path, seeds: list[int], extra: list[str]) -> list[tuple[int, list[str]]]:
    return [(s, [sys.executable, "-m", "mercato.extract.learned.train", "--no-save", "--seed", str(s),
                 "--report", str(out / f"{s}.json"), *extra]) for s in seeds]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="the folder for the reports (S.json) and logs (S.log)")
    ap.add_argument("--seeds", default=",".join(map(str, SEEDS)))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = ap.parse_args(argv)
    try:
        seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
    except ValueError:
        ap.error(f"--seeds: {args.seeds!r} is not a comma-separated list of integers")
    if not seeds or args.jobs < 1:
        ap.error("give at least one seed and --jobs of at least 1")
    todo = commands(args.out, seeds, extra)
    if args.dry_run:
        for _, cmd in todo:
            print(" ".join(cmd))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    running: list[tuple[int, subprocess.Popen[bytes], float]] = []
    failed = []
    while todo or running:
        while todo and len(running) < args.jobs:
            seed, cmd = todo.pop(0)
            with open(args.out / f"{seed}.log", "wb") as log:
                running.append((seed, subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), time.time()))
        time.sleep(2)
        for item in list(running):
            seed, proc, t0 = item
            if proc.poll() is not None:
                running.remove(item)
                ok = proc.returncode == 0
                print(f"seed {seed}: {'done' if ok else f'failed ({proc.returncode})'} in {time.time() - t0:.0f} s, "
                      f"{args.out / f'{seed}.json' if ok else args.out / f'{seed}.log'}")
                if not ok:
                    failed.append(seed)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
