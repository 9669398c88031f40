"""Page times a desk feels: an as-of story page for a date not seen before, and the first listing after a
database change (served from the previous state while the new one computes).

    .venv/bin/python bench/web_pages.py --db gossip.db [--story ID] [--dates 2021-03-01,2021-05-01,...]

In-process (FastAPI's TestClient, no network). The database is copied first when it is a SQLite file, since
the change step adds one outcome. Prints each time; targets: as-of story page < 1 s, listing after a change
< 200 ms (it must not wait for the recomputation, which takes seconds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="SQLite path (copied) or database URL (changed in place!)")
    ap.add_argument("--story", default=None, help="story id (default: the move with the most claims)")
    ap.add_argument("--dates", default="2021-03-01,2021-05-01,2021-07-15,2021-08-20,2021-12-01")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from mercato.serve.api import create_app
    from mercato.store import Database
    from mercato.store.models import Outcome

    tmp = None
    db = args.db
    if Path(db).is_file():
        tmp = Path(tempfile.mkdtemp(prefix="mercato-pages-"))
        shutil.copy(db, tmp / "copy.db")
        db = str(tmp / "copy.db")
    try:
        app = create_app(db, warm=False)
        catalog = app.state.catalog
        catalog.ttl = 0.0
        with TestClient(app) as client:
            t = time.perf_counter()
            first = client.get("/api/stories", params={"sort": "claims", "limit": 50}).json()
            print(f"first listing (computes the state): {(time.perf_counter() - t) * 1000:.0f} ms")
            story = args.story or first["items"][0]["id"]
            client.get("/")
            ok = True
            for day in args.dates.split(","):
                dt.date.fromisoformat(day)
                t = time.perf_counter()
                r = client.get(f"/stories/{story}", params={"as_of": day})
                ms = (time.perf_counter() - t) * 1000
                print(f"as-of story page {story} as of {day} (new date): {ms:.0f} ms (HTTP {r.status_code})")
                ok = ok and ms < 1000
            t = time.perf_counter()
            client.get(f"/stories/{story}", params={"as_of": args.dates.split(",")[0]})
            print(f"same page again (cached per date): {(time.perf_counter() - t) * 1000:.1f} ms")

            s = first["items"][-1]
            database = Database(db)
            with database.session() as session:
                session.add(Outcome(club=s["club"], person=s["person"], role=s["role"], happened=True,
                                    resolved_on=dt.date.today(), status="confirmed", origin="bench/web_pages.py"))
            database.engine.dispose()
            for path in ("/api/stories?sort=claims&limit=50", "/"):
                t = time.perf_counter()
                r = client.get(path)
                ms = (time.perf_counter() - t) * 1000
                refreshing = r.json()["state"]["refreshing"] if path.startswith("/api") else "Refreshing" in r.text
                print(f"{path} right after a database change: {ms:.1f} ms (refreshing: {refreshing})")
                ok = ok and ms < 200
            t = time.perf_counter()
            catalog.wait_refreshed(timeout=600)
            print(f"new state computed in the background within {(time.perf_counter() - t) * 1000:.0f} ms more")
            after = client.get("/api/stories?sort=claims&limit=50").json()["state"]
            print(f"then: state {after['state']}, refreshing {after['refreshing']}")
        print("meets the targets" if ok else "MISSES a target")
        return 0 if ok else 1
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
