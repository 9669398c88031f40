"""The JSONL contract of `mercato extract`, and the listing commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from mercato.serve.cli import app

runner = CliRunner()
FIELDS = {"article", "club", "person", "role", "stage", "source", "certainty", "evidence", "start", "end"}


def test_extract_jsonl_contract(shared):
    path = str(shared / "corpus/articles/d01.txt")
    text = (shared / "corpus/articles/d01.txt").read_text(encoding="utf-8")
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "mercato"), "extract", path, "--format", "jsonl"],
        capture_output=True, text=True, check=True, timeout=300,
    )
    lines = [json.loads(ln) for ln in proc.stdout.splitlines() if ln.strip()]
    assert lines, "no claims extracted from the seed article"
    from mercato.ingest import read_path

    (article,) = list(read_path(path))
    body = article.text
    assert text.strip().endswith(body[-40:])
    for c in lines:
        assert FIELDS <= set(c), c
        assert c["article"] == path
        assert set(c["source"]) == {"journalist", "outlet"}
        assert c["role"] in {"manager", "player", "staff"}
        assert c["stage"] in {"interest", "contact", "talks", "bid", "advanced", "agreement", "done", "off"}
        assert c["certainty"] in {"firm", "hedged", "doubtful"}
        # evidence is a verbatim substring at the offsets given (offsets into the article body)
        assert c["evidence"] in body
        assert body[c["start"]:c["end"]] == c["evidence"]
    assert any(c["club"] == "Liverpool" and c["person"] == "Xabi Alonso" for c in lines)


def test_extract_reports_bad_file_and_goes_on(tmp_path, shared):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00junk")
    r = runner.invoke(app, ["extract", str(bad), str(shared / "corpus/articles/d05.txt")])
    assert r.exit_code == 1
    assert "bad.txt" in r.output and "binary" in r.output
    assert '"person": "Vincent Kompany"' in r.output


def test_claims_listing_filters(shared, db_url):
    runner.invoke(app, ["ingest", str(shared / "corpus/articles"), "--db", db_url])
    r = runner.invoke(app, ["claims", "--db", db_url, "--club", "Chelsea", "--format", "json"])
    rows = json.loads(r.output)
    assert rows and all(row["club"] == "Chelsea" for row in rows)
    r = runner.invoke(app, ["claims", "--db", db_url, "--since", "not-a-date"])
    assert r.exit_code == 2 and "not a date" in r.output
