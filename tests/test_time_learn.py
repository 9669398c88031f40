"""Learning as it reads: a completed move closes the old spell and opens a new one in the store, and the
next article is read with it; what articles state about clubs is kept with their dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from mercato.assess.data import CurrentClubs
from mercato.assess.outcomes import confirm, import_file
from mercato.records import ArticleRecord
from mercato.serve.cli import app
from mercato.serve.pipeline import ingest_records
from mercato.store import Database
from mercato.store.models import Affiliation, Claim, Outcome, SpellRow
from mercato.store.spells import Move, learn_moves, spellbook

D = dt.date
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 't.db'}")


def claims_of(db: Database) -> set[tuple[str, str]]:
    with db.session() as s:
        return {(c.club, c.person) for c in s.scalars(select(Claim))}


def test_a_move_closes_the_old_spell_and_opens_a_new_one_in_any_order(db: Database) -> None:
    learn_moves(db, [Move("Zed Player", "Chelsea", D(2022, 9, 1), "t:2", left="Everton")])
    learn_moves(db, [Move("Zed Player", "Everton", D(2020, 9, 1), "t:1", left="Burnley")])  # learnt late
    learn_moves(db, [Move("Zed Player", "Chelsea", D(2022, 9, 1), "t:2", left="Everton")])  # again: no duplicate
    book = spellbook(db)
    assert book.club_on("Zed Player", D(2021, 5, 1)) == "Everton"
    assert book.club_on("Zed Player", D(2023, 5, 1)) == "Chelsea"
    with db.session() as s:
        rows = s.scalars(select(SpellRow).where(SpellRow.club == "Everton", SpellRow.start.is_not(None))).all()
        assert [(r.start, r.end) for r in rows] == [(D(2020, 9, 1), D(2022, 9, 1))]
        assert s.query(SpellRow).count() == 4  # Burnley (left), Everton, Everton (left, from t:2), Chelsea
    # nothing learnt later answers for an earlier day: as of 2021, Chelsea is not known
    assert spellbook(db, as_of=D(2021, 5, 1)).club_on("Zed Player", D(2021, 5, 1)) == "Everton"
    assert all(s.club != "Chelsea" for s in spellbook(db, as_of=D(2021, 5, 1)).spells_of("Zed Player"))


def test_a_register_import_learns_spells_and_the_next_article_is_read_with_them(db: Database, tmp_path: Path) -> None:
    reg = tmp_path / "reg.csv"
    reg.write_text("player_name,club_left,club_joined,season\nZed Player,Burnley FC,Arsenal FC,2021\n"
                   "Zed Player,Burnley FC,Arsenal FC,2021\n", encoding="utf-8")
    import_file(db, reg)
    assert spellbook(db).club_on("Zed Player", D(2022, 3, 1)) == "Arsenal"
    # the row does not say which window of 2021-22: it answers only once both have closed
    assert spellbook(db).club_on("Zed Player", D(2021, 10, 1)) is None
    with db.session() as s:
        srcs = {r.source for r in s.scalars(select(SpellRow))}
    assert srcs == {"register:reg.csv:1"}  # the same move listed twice is learnt once
    # read in March 2022, "Arsenal want Zed Player" is no move: he is at Arsenal; in 2020 it was one
    # (learned-0.4 makes no claim of "..., says the Example Gazette." after a player it does not know, at either date:
    # a weakness of the model, stated in the README; "the Example Gazette reports" it reads)
    arts = [ArticleRecord(date=D(2022, 3, 10), text="Arsenal want to sign Zed Player, the Example Gazette reports."),
            ArticleRecord(date=D(2020, 1, 10), text="Arsenal want to sign Zed Player, the Example Gazette reports.")]
    ingest_records(db, arts)
    with db.session() as s:
        days = {a.claim_date for a in s.scalars(select(Claim))}
    assert days == {D(2020, 1, 10)}


def test_a_clubs_own_done_announcement_is_learnt_at_ingest(db: Database) -> None:
    ingest_records(db, [ArticleRecord(date=D(2023, 7, 1), outlet="Chelsea",
                                      text="Chelsea have completed the signing of Zed Player on a five-year deal.")],
                   batch_size=1)
    assert ("Chelsea", "Zed Player") in claims_of(db)
    assert spellbook(db).club_on("Zed Player", D(2023, 9, 1)) == "Chelsea"
    r = runner.invoke(app, ["spells", "Zed Player", "--on", "2023-09-01", "--format", "json", "--db", db.url])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["club_on"] == "Chelsea" and out["spells"][0]["source"].startswith("claim:")


def test_a_confirmed_outcome_opens_a_spell_on_its_date(db: Database) -> None:
    with db.session() as s:
        s.add(Outcome(club="Liverpool", person="Zed Player", role="player", happened=True,
                      resolved_on=D(2024, 6, 1), status="pending"))
    assert spellbook(db).club_on("Zed Player", D(2024, 7, 1)) is None  # pending: not learnt
    with db.session() as s:
        oid = s.scalar(select(Outcome.id))
    confirm(db, oid)
    assert spellbook(db).club_on("Zed Player", D(2024, 7, 1)) == "Liverpool"
    assert spellbook(db).club_on("Zed Player", D(2024, 5, 1)) is None


def test_stated_affiliations_are_stored_and_read_by_assess(db: Database) -> None:
    ingest_records(db, [ArticleRecord(date=D(2019, 3, 1), text="Everton are interested in Burnley defender Zed Player.")])
    with db.session() as s:
        rows = [(a.person, a.club, a.day) for a in s.scalars(select(Affiliation))]
    assert rows == [("Zed Player", "Burnley", D(2019, 3, 1))]
    cur = CurrentClubs(db)
    assert cur.club_of("Zed Player", D(2019, 6, 1)) == "Burnley"
    assert cur.club_of("Zed Player", D(2019, 1, 1)) is None  # stated later than that day: not known then
    assert cur.is_current("Zed Player", "Burnley", D(2019, 6, 1))


def test_a_national_team_an_article_names_is_not_his_club_for_assess(db: Database) -> None:
    ingest_records(db, [ArticleRecord(date=D(2019, 3, 1), text="Everton want England captain Zed Player.")])
    with db.session() as s:
        clubs = {a.club for a in s.scalars(select(Affiliation))}
    assert clubs == {"England"}
    cur = CurrentClubs(db)
    assert cur.club_of("Zed Player", D(2019, 6, 1)) is None
    assert cur.is_current("Zed Player", "England", D(2019, 6, 1))
    assert not cur.is_current("Zed Player", "Everton", D(2019, 6, 1))


def test_the_spells_command_shows_the_kbs_spells_and_their_source(db: Database) -> None:
    r = runner.invoke(app, ["spells", "Haaland", "--on", "2021-05-01", "--format", "json", "--db", db.url])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["person"] == "Erling Haaland" and out["club_on"] == "Borussia Dortmund"
    assert {s["club"] for s in out["spells"]} >= {"Borussia Dortmund", "Manchester City"}
    assert all(s["source"].startswith("kb:spells.jsonl") for s in out["spells"])
    r = runner.invoke(app, ["spells", "Haaland", "--on", "not-a-date", "--db", db.url])
    assert r.exit_code == 2
