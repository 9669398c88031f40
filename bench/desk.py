"""Times of the desk's API routes (issue 13) on a database you filled (the gossip data set, say): the first
call after start-up (computing) and the median of 20 repeated calls (cached until the database changes).

    .venv/bin/mercato ingest ../shared/datasets/bbc-gossip-2021/rumours.csv --db /tmp/gossip.db
    .venv/bin/mercato outcomes import ../shared/datasets/bbc-gossip-2021/transfers.csv --db /tmp/gossip.db
    .venv/bin/python bench/desk.py --db /tmp/gossip.db
"""

from __future__ import annotations

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from mercato.serve.api import create_app

ROUTES = [
    "/api/heating?as_of=2021-07-15&days=7",
    "/api/heating",
    "/api/clubs?league=Premier%20League",
    "/api/clubs/spurs?as_of=2021-08-01",
    "/api/clubs/spurs?as_of=2021-08-01&window=2021-summer&league=Serie%20A",
    "/api/people/Harry%20Kane?as_of=2021-08-01",
    "/api/people/Jadon%20Sancho",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    args = ap.parse_args()
    client = TestClient(create_app(args.db, warm=False))
    print(f"{'route':<72} {'first':>9} {'repeat p50':>11}")
    for route in ROUTES:
        t = time.perf_counter()
        r = client.get(route)
        first = time.perf_counter() - t
        assert r.status_code == 200, (route, r.status_code, r.text[:200])
        times = []
        for _ in range(20):
            t = time.perf_counter()
            client.get(route)
            times.append(time.perf_counter() - t)
        print(f"{route:<72} {first * 1000:8.0f}ms {statistics.median(times) * 1000:9.1f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
