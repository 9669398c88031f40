"""Bounded load test of the story and source listings: 50 concurrent clients on loopback.

    .venv/bin/python bench/api_load.py --db gossip.db            # a database you filled
    .venv/bin/python bench/api_load.py --build                    # ingest ../shared/datasets/bbc-gossip-2021 first (~1 min)

Starts `mercato serve` on a free 127.0.0.1 port (a separate process, as in production), warms it
with one request per endpoint (the first computes stories and track records; that time is printed
separately), then runs `--clients` concurrent clients, each sending requests in a loop until
`--requests` have been sent in all or `--seconds` have passed, whichever comes first. Prints
p50/p95/p99/max latency per endpoint and overall, and the throughput. Target: p99 < 50 ms.
Only loopback is ever contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mercato.config import shared_dir  # noqa: E402

ENDPOINTS = [
    "/api/stories",
    "/api/stories?sort=recent&limit=20",
    "/api/stories?limit=50&page=3",
    "/api/sources",
    "/api/sources?kind=outlet&sort=hit_rate",
    "/api/sources?min_resolved=5&sort=brier&limit=20",
]


def varied_paths(stories: int, sources: int, n: int = 600, seed: int = 7) -> list[str]:
    """Many distinct listing URLs (pages, sorts, filters): most are first seen under load, so they go
    through routing, validation, filtering and serialisation rather than the response cache."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        if rnd.random() < 0.6:
            limit = rnd.choice([10, 20, 50, 100])
            pages = max(1, stories // limit)
            out.append(f"/api/stories?sort={rnd.choice(['likelihood', 'recent', 'sources', 'claims'])}"
                       f"&status={rnd.choice(['all', 'live', 'resolved'])}&limit={limit}&page={rnd.randint(1, min(pages, 40))}")
        else:
            limit = rnd.choice([10, 20, 50])
            pages = max(1, sources // limit)
            out.append(f"/api/sources?sort={rnd.choice(['credibility', 'hit_rate', 'brier', 'claims', 'name'])}"
                       f"&kind={rnd.choice(['journalist', 'outlet'])}&min_resolved={rnd.choice([0, 1, 5])}"
                       f"&limit={limit}&page={rnd.randint(1, pages)}")
    return out


def _mercato() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "mercato"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "mercato.serve.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(db: Path) -> None:
    data = shared_dir() / "datasets" / "bbc-gossip-2021" / "rumours.csv"
    print(f"ingesting {data} into {db} ...", flush=True)
    t = time.perf_counter()
    subprocess.run([*_mercato(), "ingest", str(data), "--db", str(db), "-q"], check=True)
    print(f"  ingested in {time.perf_counter() - t:.1f} s", flush=True)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))
    return s[k]


class Conn:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams: a lean client, so that the
    load generator (on the same machine) spends little of the CPU the server needs."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await self.reader.readexactly(length)
        return status, len(body)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_load(host: str, port: int, clients: int, total: int, seconds: float,
                   paths: list[str], label: Callable[[str], str]) -> dict[str, list[float]]:
    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    sent = 0
    stop_at = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal sent
        rnd = random.Random(i)
        conn = Conn(host, port)
        try:
            while sent < total and time.perf_counter() < stop_at:
                sent += 1
                path = rnd.choice(paths)
                t = time.perf_counter()
                status, size = await conn.get(path)
                lat.setdefault(label(path), []).append((time.perf_counter() - t) * 1000)
                if status != 200 or size == 0:
                    errors.append(f"{path}: {status}")
        finally:
            conn.close()

    await asyncio.gather(*(worker(i) for i in range(clients)))
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return lat


def report(lat: dict[str, list[float]], wall: float) -> float:
    print(f"{'endpoint':<52} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)")
    everything: list[float] = []
    for path, xs in lat.items():
        everything += xs
        if xs:
            print(f"{path:<52} {len(xs):>6} {pct(xs, 50):>8.1f} {pct(xs, 95):>8.1f} {pct(xs, 99):>8.1f} {max(xs):>8.1f}")
    p99 = pct(everything, 99)
    print(f"{'all':<52} {len(everything):>6} {pct(everything, 50):>8.1f} {pct(everything, 95):>8.1f} {p99:>8.1f} "
          f"{max(everything):>8.1f}")
    print(f"throughput: {len(everything) / wall:.0f} requests/s over {wall:.1f} s; mean {statistics.fmean(everything):.1f} ms")
    return p99


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="database URL or SQLite path holding the gossip data set")
    ap.add_argument("--build", action="store_true", help="ingest the gossip data set into a temporary SQLite file first")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=40000, help="total requests (bound)")
    ap.add_argument("--seconds", type=float, default=60.0, help="time bound for the load phase")
    ap.add_argument("--target-ms", type=float, default=50.0)
    args = ap.parse_args()

    tmp = None
    if args.build or not args.db:
        tmp = Path(tempfile.mkdtemp(prefix="mercato-bench-"))
        db = str(tmp / "gossip.db")
        build(Path(db))
    else:
        db = args.db
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([*_mercato(), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", db,
                             "--log-level", "warning"], env=dict(os.environ))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/articles?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                print("server did not start", file=sys.stderr)
                return 2
            time.sleep(0.2)
        arts = httpx.get(base + "/api/articles?limit=1", timeout=10).json()["total"]
        t = time.perf_counter()
        stories = httpx.get(base + "/api/stories?limit=1", timeout=600).json()["total"]
        t_stories = time.perf_counter() - t
        t = time.perf_counter()
        sources = httpx.get(base + "/api/sources?limit=1", timeout=600).json()["total"]
        t_sources = time.perf_counter() - t
        print(f"database: {arts} articles, {stories} stories, {sources} sources; "
              f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the load")
        print(f"first (uncached) request: stories {t_stories * 1000:.0f} ms, sources {t_sources * 1000:.0f} ms")
        for path in ENDPOINTS:  # warm: one request each
            httpx.get(base + path, timeout=600).raise_for_status()
        ok = True
        phases = [
            ("repeated listings (the six URLs above, as a busy board and leaderboard see them)", ENDPOINTS, lambda p: p),
            ("varied listings (600 distinct pages, sorts and filters, mostly uncached at first)",
             varied_paths(stories, sources), lambda p: p.split("?", 1)[0] + " (varied)"),
        ]
        for title, paths, label in phases:
            print(f"\n{title}\nload: {args.clients} concurrent clients, at most {args.requests} requests or {args.seconds:.0f} s")
            t = time.perf_counter()
            lat = asyncio.run(run_load("127.0.0.1", port, args.clients, args.requests, args.seconds, paths, label))
            p99 = report(lat, time.perf_counter() - t)
            good = p99 < args.target_ms
            ok = ok and good
            print(f"p99 {p99:.1f} ms: {'meets' if good else 'MISSES'} the target of {args.target_ms:.0f} ms")
        return 0 if ok else 1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
