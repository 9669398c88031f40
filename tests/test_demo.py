"""README's first command: `mercato demo` runs the main job on the bundled sample end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_ingests_extracts_and_shows_stories_and_track_records(tmp_path):
    db = tmp_path / "sample.db"
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "mercato"), "demo", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert db.exists()
    n_articles = len(list((ROOT / "sample/articles").glob("*.txt")))
    assert f"stored {n_articles} article(s)" in out
    assert "outcomes stored 8" in out
    # the sample's true story: Slot to Liverpool happened, Alonso to Liverpool did not
    lines = out.splitlines()
    slot = [ln for ln in lines if "Arne Slot" in ln and "Liverpool" in ln and "yes" in ln]
    alonso = [ln for ln in lines if "Xabi Alonso" in ln and "Liverpool" in ln and " no " in ln]
    assert slot and alonso, out
    assert "Florian Plettenberg" in out  # a source with a track record
    # running it again stores nothing twice
    again = subprocess.run(
        [str(Path(sys.executable).parent / "mercato"), "demo", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert again.returncode == 0
    assert f"stored 0 article(s), skipped {n_articles}" in again.stdout
