"""Benchmark: throughput and peak memory of the whole extract stage on one core.

    .venv/bin/python bench/extract.py [--limit N] [--gossip-rows N] [--cpu]

Reads real articles: ../shared/corpus/articles, ../shared/corpus/unlabelled and the rows of the BBC
gossip CSV (each row one article, through mercato.ingest.read_path). Prints articles/second for the
extract stage (model loading reported separately), English and each other language apart, and the process's
peak resident memory. `--cpu` times with the process's CPU time instead of the wall clock: on a machine other
processes load, two versions compare better by CPU time, each run alternately (the absolute figure stays the
wall clock's, on a quiet machine).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from mercato.config import shared_dir  # noqa: E402
from mercato.ingest import IngestError, read_path  # noqa: E402
from mercato.records import ArticleRecord  # noqa: E402


def load_articles(gossip_rows: int) -> tuple[list[ArticleRecord], list[ArticleRecord]]:
    shared = shared_dir()
    long_form: list[ArticleRecord] = []
    for folder in ("corpus/articles", "corpus/unlabelled"):
        for path in sorted((shared / folder).glob("*.txt")):
            long_form.extend(a for a in read_path(path) if not isinstance(a, IngestError))
    gossip: list[ArticleRecord] = []
    for item in read_path(shared / "datasets/bbc-gossip-2021/rumours.csv"):
        if isinstance(item, IngestError):
            continue
        gossip.append(item)
        if len(gossip) >= gossip_rows:
            break
    return long_form, gossip


CLOCK = time.perf_counter


def run(articles: list[ArticleRecord]) -> tuple[float, int]:
    from mercato.extract import extract_article

    n_claims = 0
    t0 = CLOCK()
    for a in articles:
        n_claims += len(extract_article(a))
    return CLOCK() - t0, n_claims


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gossip-rows", type=int, default=1000, help="gossip CSV rows to include (default 1000)")
    ap.add_argument("--cpu", action="store_true", help="time with the process's CPU time, not the wall clock")
    args = ap.parse_args(argv)
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    long_form, gossip = load_articles(args.gossip_rows)
    t0 = time.perf_counter()
    from mercato.extract import get_extractor
    from mercato.extract.nlp import get_matcher, get_nlp

    get_nlp()
    get_matcher()
    get_extractor()
    run(long_form[:3])  # first calls allocate the model's buffers
    run(list({a.lang: a for a in long_form}.values()))  # and set up each language's extractor once
    load_s = time.perf_counter() - t0
    chars_long = sum(len(a.text) for a in long_form)
    english = [a for a in long_form if a.lang in (None, "en")]
    others = [a for a in long_form if a.lang not in (None, "en")]
    t_en, _ = run(english)
    t_xx, _ = run(others)
    per_lang = {}
    for lang in sorted({a.lang or "" for a in others}):
        subset = [a for a in others if a.lang == lang]
        per_lang[lang] = (len(subset), run(subset)[0], sum(len(a.text) for a in subset) / len(subset))
    t_long, c_long = run(long_form)
    t_gossip, c_gossip = run(gossip)
    total = len(long_form) + len(gossip)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"model + knowledge base load and warm-up: {load_s:.2f} s (once per process)")
    print(f"full articles:  {len(long_form):5d} articles ({chars_long / max(1, len(long_form)):.0f} chars avg) "
          f"in {t_long:6.2f} s = {len(long_form) / t_long:7.1f} articles/s, {c_long} claims")
    print(f"  of which English: {len(english)} in {t_en:.2f} s = {len(english) / t_en:.1f} articles/s; "
          f"other languages: {len(others)} in {t_xx:.2f} s = {len(others) / max(t_xx, 1e-9):.1f} articles/s")
    for lang, (n, t, avg) in per_lang.items():
        print(f"    {lang}: {n:3d} articles ({avg:.0f} chars avg) in {t:.2f} s = {n / max(t, 1e-9):7.1f} articles/s")
    print(f"gossip rows:    {len(gossip):5d} articles in {t_gossip:6.2f} s = {len(gossip) / t_gossip:7.1f} articles/s, "
          f"{c_gossip} claims")
    print(f"all:            {total:5d} articles in {t_long + t_gossip:6.2f} s = {total / (t_long + t_gossip):7.1f} articles/s "
          f"(one core)")
    print(f"peak memory:    {peak_kb / 1024:.0f} MiB (ru_maxrss)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
