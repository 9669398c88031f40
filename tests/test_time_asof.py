"""As of means as of: a view as of a date is the same whether or not outcomes resolved after that date
have been imported, and shows none of them. On the real corpus, with ../shared/corpus/outcomes.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mercato.assess import service
from mercato.serve.cli import app
from mercato.store import Database

runner = CliRunner()
AS_OF = "2024-05-15"  # outcomes.json resolves moves from March 2024 to May 2025: some before, most after


def _ingest(url: str, shared: Path) -> None:
    r = runner.invoke(app, ["ingest", str(shared / "corpus" / "articles"), str(shared / "corpus" / "unlabelled"),
                            "--db", url, "-q"])
    assert r.exit_code == 0, r.output


@pytest.fixture(scope="module")
def two_dbs(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> tuple[str, str, list[dict]]:
    """(all outcomes imported, only those resolved on or before AS_OF imported, the later outcomes)."""
    tmp = tmp_path_factory.mktemp("asof")
    rows = json.loads((shared / "corpus" / "outcomes.json").read_text(encoding="utf-8"))["outcomes"]
    early = [r for r in rows if r.get("resolved_on") and r["resolved_on"] <= AS_OF]
    late = [r for r in rows if r not in early]
    assert early and late
    # the same file name: a verdict's reason names the file it came from
    (tmp / "early").mkdir()
    (tmp / "early" / "outcomes.json").write_text(json.dumps({"outcomes": early}), encoding="utf-8")
    full, part = f"sqlite:///{tmp / 'full.db'}", f"sqlite:///{tmp / 'part.db'}"
    for url, path in ((full, shared / "corpus" / "outcomes.json"), (part, tmp / "early" / "outcomes.json")):
        _ingest(url, shared)
        r = runner.invoke(app, ["outcomes", "import", str(path), "--db", url])
        assert r.exit_code == 0, r.output
    return full, part, late


def test_stories_as_of_are_identical_with_or_without_later_outcomes(two_dbs: tuple[str, str, list[dict]]) -> None:
    full, part, late = two_dbs
    day = dt.date.fromisoformat(AS_OF)
    for kind in ("move", "vacancy", "person"):
        a = service.list_stories(Database(full), day, kind)
        b = service.list_stories(Database(part), day, kind)
        assert a and a == b
    moves = service.list_stories(Database(full), day, "move")
    later = {(r["club"], r["person"]) for r in late}
    shown = [s for s in moves if (s["club"], s["person"]) in later]
    assert shown, "the corpus has stories whose outcome came after the date"
    assert all(s["outcome"] is None and not s["resolved"] for s in shown)
    for s in moves[:40]:
        assert service.get_story(Database(full), s["id"], day) == service.get_story(Database(part), s["id"], day)


def test_without_a_date_the_later_outcomes_do_show(two_dbs: tuple[str, str, list[dict]]) -> None:
    full, _, late = two_dbs
    moves = service.list_stories(Database(full), None, "move")
    later = {(r["club"], r["person"]) for r in late if r["happened"] is not None}
    assert any(s["outcome"] is not None for s in moves if (s["club"], s["person"]) in later)


def test_cli_and_api_as_of_show_no_outcome_from_after_the_date(two_dbs: tuple[str, str, list[dict]]) -> None:
    full, part, _ = two_dbs
    outs = []
    for url in (full, part):
        r = runner.invoke(app, ["stories", "--as-of", "2024-03-01", "--format", "json", "--db", url])
        assert r.exit_code == 0, r.output
        outs.append(json.loads(r.output))
    assert outs[0] == outs[1]
    assert all(s["outcome"] is None for s in outs[0])  # nothing in outcomes.json was public by 1 March 2024
    from mercato.serve.api import create_app

    with TestClient(create_app(full, warm=False)) as client:
        body = client.get("/api/stories", params={"as_of": "2024-03-01", "limit": 200}).json()
        assert body["items"] and all(s["outcome"] is None for s in body["items"])
        sid = body["items"][0]["id"]
        one = client.get(f"/api/stories/{sid}", params={"as_of": "2024-03-01"}).json()
        assert one["outcome"] is None
        board = client.get("/", params={"as_of": "2024-03-01"})
        assert board.status_code == 200 and 'name="as_of"' in board.text and "2024-03-01" in board.text
