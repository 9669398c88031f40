"""Outcomes: both file forms, coverage of a transfer register, and pending/confirm from claims."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mercato.assess import service
from mercato.assess.outcomes import covered_clubs, read_register, window
from mercato.records import ArticleRecord, ClaimRecord, Source
from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.models import Outcome
from mercato.store.repo import count, store_batch

runner = CliRunner()

REGISTER = """id,player_name,player_age,player_position,club_left,club_joined,market_value,season
1,Ben White,23,Right-Back,Brighton & Hove Albion,Arsenal FC,€50.00m,2021
2,Martin Ødegaard,22,Attacking Midfield,Real Madrid,Arsenal FC,€80.00m,2021
3,Aaron Ramsdale,23,Goalkeeper,Sheff Utd,Arsenal,€38.00m,2021
4,Nuno Tavares,21,Left-Back,Benfica,Arsenal FC,€8.00m,2021
5,Yves Bissouma,24,Defensive Midfield,Brighton,Tottenham Hotspur,€29.00m,2021
6,Alireza Jahanbakhsh,27,Right Winger,Brighton & Hove Albion,Feyenoord,€4.00m,2021
7,Dan Burn,29,Centre-Back,Brighton,Newcastle United,€14.00m,2021
8,Gabriel Jesus,25,Centre-Forward,Man City,Arsenal FC,€75.00m,2022
9,Fabio Vieira,22,Attacking Midfield,FC Porto,Arsenal,€35.00m,2022
10,Oleksandr Zinchenko,25,Left-Back,Manchester City,Arsenal FC,€35.00m,2022
"""


def put(db: Database, day: str, club: str, person: str, stage: str, role: str = "player", outlet: str | None = "Paper",
        journalist: str | None = None, evidence: str | None = None, at: str | None = None) -> None:
    """One article with one claim; `at`: the club the article states he is at (an affiliation, as the extractor
    stores for "Arsenal midfielder Granit Xhaka")."""
    ev = evidence or f"{club} {stage} {person} ({day})"
    c = ClaimRecord(club=club, person=person, role=role, stage=stage, source=Source(journalist, outlet),
                    certainty="firm", evidence=ev, start=0, end=len(ev))
    art = ArticleRecord(date=dt.date.fromisoformat(day), text=ev, outlet="Paper")
    store_batch(db, [(art, [c])], "test", affiliations={art.content_hash: {person: at}} if at else None)


def outcome_of(db: Database, person: str, club: str) -> Outcome | None:
    with db.session() as s:
        return s.query(Outcome).filter(Outcome.person == person, Outcome.club == club).one_or_none()


def test_register_resolves_true_false_and_unknown(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    put(db, "2021-03-01", "Arsenal", "Martin Odegaard", "interest")  # accents differ: true
    put(db, "2021-04-01", "Arsenal", "White", "bid")  # a surname only: true
    put(db, "2021-05-01", "Arsenal", "James Maddison", "talks")  # covered club, no arrival: false
    put(db, "2021-05-03", "Manchester United", "Aaron Ramsdale", "interest")  # he went elsewhere: false
    put(db, "2021-05-04", "Juventus", "Federico Chiesa", "interest")  # neither club covered: unknown
    put(db, "2021-10-01", "Arsenal", "Gabriel Jesus", "interest")  # autumn: judged on the next summer too: true
    put(db, "2021-10-02", "Arsenal", "Mikel Arteta", "talks", role="manager")  # not a player: unknown
    # the register covers his present club (as the store knew it on the claim's date: the article states it)
    # and lists no departure: he stayed, the move is false
    put(db, "2021-06-01", "Roma", "Granit Xhaka", "talks", evidence="Roma are in talks with Arsenal midfielder Granit Xhaka.",
        at="Arsenal")
    # a former club is not his club (the article states none): unknown
    put(db, "2021-06-02", "Roma", "Jack Wilshere", "interest",
        evidence="Roma are interested in former Arsenal midfielder Jack Wilshere.")
    # his club is read from what the store knew on the claim's date, not from the claim's own words: an
    # earlier article stating it counts (false), one dated after the claim does not (unknown)
    put(db, "2021-06-01", "Everton", "Samuel Fictionalson", "interest",
        evidence="Everton are interested in Arsenal's Samuel Fictionalson.", at="Arsenal")
    put(db, "2021-06-04", "Roma", "Samuel Fictionalson", "interest", evidence="Roma are interested in Samuel Fictionalson.")
    put(db, "2021-06-04", "Roma", "Peter Laterman", "interest", evidence="Roma are interested in Peter Laterman.")
    put(db, "2021-06-20", "Everton", "Peter Laterman", "interest",
        evidence="Everton are interested in Arsenal's Peter Laterman.", at="Arsenal")
    put(db, "2021-06-03", "England", "Ben White", "interest")  # a national team: not a transfer
    reg = tmp_path / "transfers.csv"
    reg.write_text(REGISTER, encoding="utf-8")
    r = runner.invoke(app, ["outcomes", "import", str(reg), "--db", db_url, "--format", "json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    assert (rep["form"], rep["true"], rep["false"]) == ("register", 3, 6)
    # Chiesa, Wilshere, Laterman -> Roma (Arteta is a manager, England a national team: not judged)
    assert rep["unknown"] == 3
    ode = outcome_of(db, "Martin Odegaard", "Arsenal")
    assert ode is not None and ode.happened is True and ode.resolved_on == dt.date(2021, 9, 1)
    jesus = outcome_of(db, "Gabriel Jesus", "Arsenal")
    assert jesus is not None and jesus.happened is True and jesus.resolved_on == dt.date(2022, 9, 1)
    assert outcome_of(db, "James Maddison", "Arsenal").happened is False  # type: ignore[union-attr]
    assert outcome_of(db, "Aaron Ramsdale", "Manchester United").happened is False  # type: ignore[union-attr]
    assert outcome_of(db, "Federico Chiesa", "Juventus") is None
    xhaka = outcome_of(db, "Granit Xhaka", "Roma")
    assert xhaka is not None and xhaka.happened is False and "Arsenal" in (xhaka.note or "")
    assert outcome_of(db, "Jack Wilshere", "Roma") is None
    for who, club in (("Samuel Fictionalson", "Roma"), ("Samuel Fictionalson", "Everton"), ("Peter Laterman", "Everton")):
        o = outcome_of(db, who, club)
        assert o is not None and o.happened is False and "Arsenal" in (o.note or ""), (who, club)
    assert outcome_of(db, "Peter Laterman", "Roma") is None
    assert outcome_of(db, "Ben White", "England") is None
    # importing again replaces, never duplicates
    n = count(db, Outcome)
    assert runner.invoke(app, ["outcomes", "import", str(reg), "--db", db_url]).exit_code == 0
    assert count(db, Outcome) == n == 9
    stories = {s["person"]: s for s in service.list_stories(db)}
    assert stories["Martin Odegaard"]["outcome"] is True and stories["Federico Chiesa"]["outcome"] is None


def test_register_coverage_and_windows() -> None:
    rows = read_register(Path("t.csv"), REGISTER)
    cov = covered_clubs(rows)
    assert cov[2021] == {"Arsenal", "Brighton & Hove Albion"}
    assert cov[2022] == {"Arsenal"}
    assert window(dt.date(2021, 3, 1)) == ([2021], dt.date(2021, 9, 1))
    assert window(dt.date(2021, 11, 1)) == ([2021, 2022], dt.date(2022, 9, 1))
    # January talk speaks of that January window only (Gakpo's January-2022 talks are not his 2023 move)
    assert window(dt.date(2022, 1, 15)) == ([2021], dt.date(2022, 2, 1))


def test_json_outcomes_import_and_clear_errors(db_url: str, tmp_path: Path, shared: Path) -> None:
    r = runner.invoke(app, ["outcomes", "import", str(shared / "corpus" / "outcomes.json"), "--db", db_url,
                            "--format", "json"])
    assert r.exit_code == 0, r.output
    n = len(json.loads((shared / "corpus" / "outcomes.json").read_text())["outcomes"])
    assert json.loads(r.output)["stored"] == n
    assert count(Database(db_url), Outcome) == n
    again = runner.invoke(app, ["outcomes", "import", str(shared / "corpus" / "outcomes.json"), "--db", db_url])
    assert again.exit_code == 0 and count(Database(db_url), Outcome) == n
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"outcomes": [{"club": "Liverpool", "person": "Arne Slot", "role": "manager"}]}))
    r = runner.invoke(app, ["outcomes", "import", str(bad), "--db", db_url])
    assert r.exit_code == 1 and "bad.json" in r.output and "happened" in r.output
    odd = tmp_path / "odd.csv"
    odd.write_text("name,club\nX,Y\n")
    r = runner.invoke(app, ["outcomes", "import", str(odd), "--db", db_url])
    assert r.exit_code == 1 and "odd.csv" in r.output and "player_name" in r.output
    r = runner.invoke(app, ["outcomes", "import", str(tmp_path / "missing.json"), "--db", db_url])
    assert r.exit_code == 1 and "no such file" in r.output
    assert count(Database(db_url), Outcome) == n  # nothing stored was lost


def test_pending_outcomes_from_party_claims_then_confirm(db_url: str) -> None:
    db = Database(db_url)
    put(db, "2024-05-20", "Liverpool", "Arne Slot", "done", role="manager", outlet="Liverpool",
        evidence="Liverpool have appointed Arne Slot as head coach.")  # the club's own announcement
    put(db, "2024-03-29", "Bayern Munich", "Xabi Alonso", "off", role="manager", outlet=None, journalist="Xabi Alonso",
        evidence='"I will stay," Xabi Alonso said.')  # a party speaking
    put(db, "2024-04-01", "Chelsea", "Thomas Frank", "done", role="manager", outlet="Paper")  # a newspaper: not a party
    r = runner.invoke(app, ["outcomes", "pending", "--db", db_url, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {(p["club"], p["person"]): p for p in json.loads(r.output)}
    assert set(rows) == {("Liverpool", "Arne Slot"), ("Bayern Munich", "Xabi Alonso")}
    assert rows[("Liverpool", "Arne Slot")]["happened"] is True
    assert rows[("Bayern Munich", "Xabi Alonso")]["happened"] is False
    # pending outcomes do not resolve stories
    slot = next(s for s in service.list_stories(db) if s["person"] == "Arne Slot")
    assert slot["outcome"] is None
    r = runner.invoke(app, ["outcomes", "confirm", str(rows[("Liverpool", "Arne Slot")]["id"]), "--db", db_url])
    assert r.exit_code == 0 and "confirmed" in r.output
    r = runner.invoke(app, ["outcomes", "confirm", str(rows[("Bayern Munich", "Xabi Alonso")]["id"]), "--reject",
                            "--db", db_url])
    assert r.exit_code == 0 and "rejected" in r.output
    slot = next(s for s in service.list_stories(db) if s["person"] == "Arne Slot")
    assert slot["outcome"] is True
    left = runner.invoke(app, ["outcomes", "pending", "--no-propose", "--db", db_url, "--format", "json"])
    assert json.loads(left.output) == []
    assert runner.invoke(app, ["outcomes", "confirm", "999", "--db", db_url]).exit_code == 1


@pytest.mark.parametrize("day", ["2021-02-01", "2021-08-31"])
def test_spring_and_summer_rumours_are_about_the_summer_window(day: str) -> None:
    seasons, closes = window(dt.date.fromisoformat(day))
    assert seasons == [2021] and closes == dt.date(2021, 9, 1)


def test_a_january_signing_reported_in_february_is_not_settled_on_the_summer(db_url: str, tmp_path: Path,
                                                                           shared: Path) -> None:
    """Real gossip items and the real register (season 2021 = summer 2021 + January 2022): "The Reds have
    completed the signing of ... Kaide Gordon from Derby" (6 February 2021) is a January-2021 signing, which the
    register cannot list; it stays unknown instead of reading "no such arrival" - a false that made a real done
    deal score 0. A summer done deal (Sambi Lokonga, 11 July 2021) is still settled by the register."""
    import csv

    gossip = shared / "datasets" / "bbc-gossip-2021"
    with (gossip / "rumours.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["id"] in ("92", "2736")]
    assert len(rows) == 2
    items = tmp_path / "items.csv"
    with items.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = runner.invoke(app, ["ingest", str(items), "--db", db_url])
    assert r.exit_code == 0, r.output
    db = Database(db_url)
    done = {s["person"]: s for s in service.list_stories(db) if s["stage"] == "done"}
    assert {"Kaide Gordon", "Albert Sambi Lokonga"} <= set(done)
    r = runner.invoke(app, ["outcomes", "import", str(gossip / "transfers.csv"), "--db", db_url])
    assert r.exit_code == 0, r.output
    assert outcome_of(db, "Kaide Gordon", done["Kaide Gordon"]["club"]) is None
    lokonga = outcome_of(db, "Albert Sambi Lokonga", "Arsenal")
    assert lokonga is not None and lokonga.happened is True and lokonga.resolved_on == dt.date(2021, 9, 1)
    stories = {s["person"]: s for s in service.list_stories(db) if s["stage"] == "done"}
    assert stories["Kaide Gordon"]["outcome"] is None and stories["Kaide Gordon"]["probability"] > 0.8


def test_a_done_claim_in_february_speaks_of_the_january_window_too(db_url: str, tmp_path: Path) -> None:
    from mercato.assess.windows import claim_seasons

    assert claim_seasons(dt.date(2022, 2, 6), "done") == [2021, 2022]
    assert claim_seasons(dt.date(2022, 2, 6), "advanced") == [2022]  # talk in February is of the summer
    assert claim_seasons(dt.date(2022, 3, 6), "done") == [2022]  # a pre-contract for the summer
    # a register that holds the January window lists it: true, public when that window closed
    db = Database(db_url)
    put(db, "2022-02-03", "Arsenal", "Dan Burn", "done")
    put(db, "2022-02-03", "Newcastle United", "Dan Burn", "done")
    reg = tmp_path / "transfers.csv"
    reg.write_text(REGISTER, encoding="utf-8")
    assert runner.invoke(app, ["outcomes", "import", str(reg), "--db", db_url]).exit_code == 0
    burn = outcome_of(db, "Dan Burn", "Newcastle United")
    assert burn is not None and burn.happened is True and burn.resolved_on == dt.date(2022, 2, 1)
    arsenal = outcome_of(db, "Dan Burn", "Arsenal")  # he moved elsewhere in that window
    assert arsenal is not None and arsenal.happened is False


def test_a_player_already_at_the_club_is_no_arrival_but_one_known_elsewhere_is(db_url: str) -> None:
    # "Juventus want to build a team around Dybala", then "Juventus' Paulo Dybala" twice: no move to confirm (a
    # renewal or the seller's own player); the same reports after the store knew him at Everton are an arrival.
    # (The spells now keep the extractors from making the first claim of a real player; the rule is still assess's.)
    db = Database(db_url)
    put(db, "2021-03-01", "Juventus", "Zed Stayer", "interest")
    put(db, "2021-03-01", "Juventus", "Zed Mover", "interest", at="Everton")
    for day in ("2021-04-01", "2021-05-01"):
        put(db, day, "Juventus", "Zed Stayer", "interest", at="Juventus")
        put(db, day, "Juventus", "Zed Mover", "interest", at="Juventus")
    rows = {s["person"]: s for s in service.list_stories(db, None, "move")}
    assert rows["Zed Stayer"]["status"] != "to confirm"
    assert rows["Zed Mover"]["status"] == "to confirm" and "later reports present Juventus" in rows["Zed Mover"]["settled_by"]
