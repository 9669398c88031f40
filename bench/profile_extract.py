"""Profile the extract stage over the English full articles of bench/extract.py (cProfile).

    PYTHONPATH=src .venv/bin/python bench/profile_extract.py [--sort tottime|cumulative] [--top N] [--passes N]

Loads and warms up like bench/extract.py, then profiles N passes over the English articles and prints the
top functions; the plain CPU time of one unprofiled pass comes first.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extract import load_articles  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sort", default="tottime")
    ap.add_argument("--top", type=int, default=45)
    ap.add_argument("--passes", type=int, default=1)
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    long_form, _ = load_articles(0)
    from mercato.extract import extract_article

    english = [a for a in long_form if a.lang in (None, "en")]
    for a in long_form[:3]:
        extract_article(a)
    for a in {a.lang: a for a in long_form}.values():
        extract_article(a)
    t0 = time.process_time()
    for a in english:
        extract_article(a)
    t = time.process_time() - t0
    print(f"plain pass: {len(english)} English articles in {t:.2f} s CPU = {len(english) / t:.1f}/s")
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.passes):
        for a in english:
            extract_article(a)
    prof.disable()
    pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
