"""Articles/second of `mercato extract --engine dask` with 1 and 2 workers, and the speed-up.

    .venv/bin/python bench/scale.py [--limit N] [--workers 1,2] [--repeat R] [--scheduler ADDR]

On the BBC gossip data set (../shared/datasets/bbc-gossip-2021/rumours.csv, 5,981 articles). For
each worker count: a fresh LocalCluster of single-threaded worker processes; `start` is the cluster
start plus each worker loading spaCy and the KB once; `rate` is articles/second for the extraction
itself (chunks mapped over the workers, claims gathered back); `end-to-end` includes the start.
Run it on an otherwise idle machine: other jobs on the same cores distort the speed-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from mercato.config import shared_dir
from mercato.scale import extract_on_cluster, read_articles
from mercato.scale.engine import dask_client, model_loads, warm_worker


def run(workers: int, articles: list, scheduler: str | None) -> tuple[float, float, int, int]:
    t0 = time.perf_counter()
    with dask_client(workers, scheduler) as client:
        client.wait_for_workers(workers)
        client.run(warm_worker)
        start = time.perf_counter() - t0
        claims = 0

        def sink(arts, cs):  # keep results in the client, as a writer would
            nonlocal claims
            claims += sum(len(c) for c in cs)

        report = extract_on_cluster(client, articles, sink)
        loads = client.run(model_loads)
        assert all(n == 1 for n in loads.values()), f"a worker loaded spaCy more than once: {loads}"
    return report.seconds, start, claims, report.chunks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    ap.add_argument("--scheduler", default=None, help="a running Dask scheduler instead of a LocalCluster")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds (worker counts interleaved); the best rate of each count is kept, which filters out "
                         "interference from other jobs on a shared machine")
    args = ap.parse_args()
    path = shared_dir() / "datasets/bbc-gossip-2021/rumours.csv"
    articles, errors = read_articles([path])
    if errors:
        sys.exit(f"{len(errors)} unreadable rows in {path}: {errors[0]}")
    if args.limit:
        articles = articles[: args.limit]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(articles)} articles from {path.name}; {os.cpu_count()} CPU(s); load average {load:.2f} at start")
    rates: dict[int, float] = {}
    for rnd in range(1, args.repeat + 1):
        for w in (int(x) for x in args.workers.split(",")):
            seconds, start, claims, chunks = run(w, articles, args.scheduler)
            rate = len(articles) / seconds
            rates[w] = max(rates.get(w, 0.0), rate)
            print(f"round {rnd} workers={w}: {rate:7.1f} articles/s  ({seconds:.1f} s for {chunks} chunks, {claims} "
                  f"claims; start {start:.1f} s; end-to-end {len(articles) / (seconds + start):.1f} articles/s)")
    for w, r in rates.items():
        print(f"workers={w}: {r:7.1f} articles/s (best of {args.repeat})")
    if 1 in rates and len(rates) > 1:
        for w, r in rates.items():
            if w != 1:
                print(f"speed-up 1 -> {w} workers: {r / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
