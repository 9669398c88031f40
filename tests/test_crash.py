"""Crash safety and concurrency of `mercato ingest`, as real subprocesses, on SQLite and PostgreSQL.

SIGKILL in the middle of the 5,981-row gossip CSV, then a re-run: every row stored exactly once.
Two processes ingesting the same rows at once (one of them in reverse order): each article once.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
MERCATO = ROOT / ".venv" / "bin" / "mercato"
ROWS = 5981


@pytest.fixture(scope="module")
def gossip(shared) -> Path:
    path = shared / "datasets/bbc-gossip-2021/rumours.csv"
    assert path.is_file()
    return path


def ingest_cmd(path: Path, url: str, batch_size: int) -> list[str]:
    return [str(MERCATO), "ingest", str(path), "--db", url, "--no-extract", "--batch-size", str(batch_size), "-q"]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.pop("MERCATO_DB", None)
    return e


def stored_count(engine: sa.Engine) -> int:
    try:
        with engine.connect() as c:
            return int(c.execute(sa.text("SELECT count(*) FROM articles")).scalar_one())
    except sa.exc.DatabaseError:  # the tables do not exist yet, or the file is being created
        return 0


def check_every_row_once(url: str, expect_origins: set[str] | None = None) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as c:
        total, distinct = c.execute(sa.text("SELECT count(*), count(DISTINCT content_hash) FROM articles")).one()
        dups = c.execute(sa.text("SELECT content_hash FROM articles GROUP BY content_hash HAVING count(*) > 1")).all()
        origins = {o.rsplit("/", 1)[-1] for (o,) in c.execute(sa.text("SELECT origin FROM articles"))}
    engine.dispose()
    assert (total, distinct, dups) == (ROWS, ROWS, [])
    if expect_origins is not None:
        assert origins == expect_origins


def stored_in(output: str) -> int:
    m = re.search(r"stored (\d+) article\(s\), skipped (\d+)", output)
    assert m, output
    return int(m.group(1))


ALL_ROWS = {f"rumours.csv:{n}" for n in range(2, ROWS + 2)}  # CSV line numbers (line 1 is the header)


def test_sigkill_mid_ingest_then_rerun_stores_every_row_once(gossip, any_db_url):
    batch = 10
    engine = sa.create_engine(any_db_url)
    proc = subprocess.Popen(ingest_cmd(gossip, any_db_url, batch), env=env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    try:
        while stored_count(engine) < 300:  # well under way: kill it in the middle of the file
            assert proc.poll() is None, f"ingest ended before it could be killed: {proc.communicate()}"
            assert time.monotonic() < deadline, "ingest never started storing"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = stored_count(engine)
    assert 300 <= partial < ROWS, partial  # killed mid-way, not after the end
    assert partial % batch == 0  # whole batches only: the transaction in flight left nothing behind
    with engine.connect() as c:  # and what is there is the file's first rows, in order
        got = {o.rsplit("/", 1)[-1] for (o,) in c.execute(sa.text("SELECT origin FROM articles"))}
    assert got == {f"rumours.csv:{n}" for n in range(2, partial + 2)}
    engine.dispose()

    again = subprocess.run(ingest_cmd(gossip, any_db_url, 200), env=env(), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"stored {ROWS - partial} article(s), skipped {partial} already stored, 0 failed" in again.stdout
    check_every_row_once(any_db_url, ALL_ROWS)


def test_two_processes_at_once_store_each_article_once(gossip, any_db_url, tmp_path):
    # the second process reads the same rows in reverse order, so the two meet in the middle with
    # overlapping batches (on PostgreSQL: row locks taken in opposite orders unless store sorts them)
    lines = gossip.read_text(encoding="utf-8").splitlines(keepends=True)
    import csv
    import io

    rows = list(csv.reader(io.StringIO("".join(lines))))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(rows[0])
    w.writerows(reversed(rows[1:]))
    backwards = tmp_path / "rumours-reversed.csv"
    backwards.write_text(buf.getvalue(), encoding="utf-8")

    procs = [subprocess.Popen(ingest_cmd(p, any_db_url, 50), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for p in (gossip, backwards)]  # both start on a database with no tables yet
    outs = [p.communicate(timeout=180) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err
    stored = [stored_in(out) for out, _ in outs]
    assert sum(stored) == ROWS, stored  # each article stored by exactly one of them
    check_every_row_once(any_db_url)


def test_two_processes_extracting_at_once_store_each_claim_once(shared, any_db_url):
    from mercato.extract import extract_article
    from mercato.ingest import iter_paths, read_path

    folder = shared / "corpus/articles"
    cmd = [str(MERCATO), "ingest", str(folder), "--db", any_db_url, "--batch-size", "3", "-q"]
    procs = [subprocess.Popen(cmd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sum(stored_in(out) for out, _ in outs) == 18
    expected = sum(len(extract_article(a)) for p in iter_paths([folder]) for a in read_path(p))
    engine = sa.create_engine(any_db_url)
    with engine.connect() as c:
        n_articles = c.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
        n_claims = c.execute(sa.text("SELECT count(*) FROM claims")).scalar_one()
        orphans = c.execute(sa.text("SELECT count(*) FROM claims WHERE article_id NOT IN (SELECT id FROM articles)")).scalar_one()
    engine.dispose()
    assert (n_articles, n_claims, orphans) == (18, expected, 0)  # claims come only with the article's one insert
