"""The desk's computations (issue 13) over a store we fill with our own sentences: heating up as of a date
(nothing from after it), a club's links in and out by window, the person card, follows, alerts, Atom."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from mercato.assess import desk
from mercato.assess.follows import alerts, atom_feed, entries
from mercato.assess.windows import window_label, window_of
from mercato.extract.terms import read_terms
from mercato.records import ArticleRecord, ClaimRecord, Source
from mercato.store.db import Database
from mercato.store.follows import FollowError, add_follow, find_follow, list_follows, remove_follow
from mercato.store.repo import store_batch


def _claim(day: dt.date, club: str, person: str, stage: str, outlet: str, evidence: str) -> ClaimRecord:
    return ClaimRecord(club=club, person=person, role="player", stage=stage, source=Source(None, outlet),
                       certainty="firm", evidence=evidence, start=0, end=len(evidence), date=day,
                       terms=read_terms(evidence) or None)


def _store(db: Database, day: dt.date, *claims: ClaimRecord, title: str = "Headline", url: str | None = None) -> None:
    text = " ".join(c.evidence for c in claims)
    art = ArticleRecord(date=day, text=text, outlet=claims[0].source.outlet, title=title, url=url)
    store_batch(db, [(art, list(claims))], "test")


D = dt.date


@pytest.fixture
def db(tmp_path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'desk.db'}")
    _store(db, D(2021, 6, 1), _claim(D(2021, 6, 1), "Manchester City", "Harry Kane", "interest", "The Times",
                                     "Manchester City are interested in Tottenham striker Harry Kane, 27."),
           title="City eye Kane", url="https://example.org/kane-1")
    _store(db, D(2021, 6, 2), _claim(D(2021, 6, 2), "Tottenham Hotspur", "Cristian Romero", "talks", "Sky Sports",
                                     "Tottenham are in talks with Atalanta over Argentina defender Cristian Romero, 23, "
                                     "on loan with an obligation to buy for €50m."))
    _store(db, D(2021, 8, 2), _claim(D(2021, 8, 2), "Manchester City", "Harry Kane", "bid", "BBC Sport",
                                     "Manchester City have made a £100m bid for Harry Kane."),
           title="City bid for Kane", url="https://example.org/kane-2")
    return db


def test_windows():
    assert window_of(D(2021, 7, 1)) == "2021-summer" and window_of(D(2021, 10, 1)) == "2022-winter"
    assert window_of(D(2022, 1, 20)) == "2022-winter" and window_label("2022-winter") == "winter 2022"


def test_heating_up_knows_nothing_from_after_its_date(db):
    early = desk.heating_up(db, D(2021, 6, 5), days=7)
    assert early["as_of"] == "2021-06-05" and early["since"] == "2021-05-29"
    ids = [s["id"] for s in early["stories"]]
    assert any("harry-kane" in i for i in ids)
    kane = next(s for s in early["stories"] if "harry-kane" in s["id"])
    assert kane["new"] and kane["probability_then"] == 0.0 and kane["change"] == kane["probability"] > 0
    assert kane["days_claimed"] == ["2021-06-01"]  # the bid of 2 August is not known on 5 June
    # later: the bid moved Kane's story; a window without claims about a story leaves it out
    late = desk.heating_up(db, D(2021, 8, 3), days=3)
    assert [s["person"] for s in late["stories"]] == ["Harry Kane"]
    assert late["stories"][0]["probability_then"] == kane["probability"]
    assert not late["stories"][0]["new"]
    with pytest.raises(ValueError):
        desk.heating_up(db, days=0)


def test_club_page_in_and_out_by_window_and_league(db):
    spurs = desk.club_page(db, "spurs", D(2021, 8, 31))
    assert spurs is not None and spurs["club"] == "Tottenham Hotspur"
    w = spurs["windows"][0]
    assert w["window"] == "2021-summer"
    assert [s["person"] for s in w["in"]] == ["Cristian Romero"]
    assert [(s["person"], s["to"]) for s in w["out"]] == [("Harry Kane", "Manchester City")]  # his club then: a KB spell
    assert desk.club_page(db, "spurs", D(2021, 8, 31), league="Bundesliga")["n_out"] == 0
    assert desk.club_page(db, "spurs", D(2021, 8, 31), league="premier league")["n_out"] == 1
    assert desk.club_page(db, "spurs", D(2021, 8, 31), window="2022-winter")["windows"] == []
    assert desk.club_page(db, "Real Madrid") is None
    index = desk.clubs_index(db, D(2021, 8, 31), league="Premier League")
    assert {r["club"] for r in index} == {"Manchester City", "Tottenham Hotspur"}


def test_person_card_on_the_date_viewed(db):
    card = desk.person_card(db, "Kane", D(2021, 8, 31))
    assert card["person"] == "Harry Kane" and card["club"] == "Tottenham Hotspur"
    assert card["age"] == 28 and card["position"] == "striker" and card["position_line"] == "forward"
    assert desk.person_card(db, "Harry Kane", D(2024, 1, 1))["club"] == "Bayern Munich"
    romero = desk.person_card(db, "Cristian Romero", D(2022, 6, 2))
    assert romero["age"] == 24 and "as an article stated" in romero["age_from"] and romero["position"] == "defender"
    assert desk.person_card(db, "Nobody Atall") is None


def test_story_claims_carry_terms_badge_and_headline(db):
    from mercato.assess.service import get_story, list_stories

    sid = next(s["id"] for s in list_stories(db) if s["person"] == "Harry Kane")
    story = get_story(db, sid)
    bid = next(c for c in story["claims"] if c["stage"] == "bid")
    assert bid["terms"]["fee_amount"] == 100_000_000 and bid["headline"] == "City bid for Kane"
    assert bid["url"] == "https://example.org/kane-2" and bid["badge"]["name"] == "BBC" and bid["badge"]["kind"] == "outlet"
    assert bid["badge"]["label"] == "no record yet"
    assert story["deal"]["fee"]["fee_text"] == "£100m"
    romero = get_story(db, next(s["id"] for s in list_stories(db) if s["person"] == "Cristian Romero"))
    assert romero["deal"]["deal_type"] == "loan" and romero["deal"]["buy_clause"] == "obligation"


def test_follows_alerts_and_atom(db, tmp_path):
    f, new = add_follow(db, "club", "spurs")
    assert new and f["name"] == "Tottenham Hotspur"
    assert add_follow(db, "club", "Tottenham")[1] is False
    kane, _ = add_follow(db, "person", "Kane")
    assert kane["name"] == "Harry Kane"
    with pytest.raises(FollowError, match="unknown kind"):
        add_follow(db, "team", "Spurs")
    assert alerts(db) == []  # a new follow alerts on what comes after it
    _store(db, D(2021, 8, 5), _claim(D(2021, 8, 5), "Manchester City", "Harry Kane", "advanced", "Sky Sports",
                                     "Manchester City are in advanced talks to sign Harry Kane."))
    got = alerts(db)
    assert len(got) == 1 and got[0]["follow"]["name"] == "Harry Kane" and got[0]["new_claims"] == 1
    assert "Harry Kane to Manchester City" in got[0]["line"]
    assert alerts(db) == []  # once
    xml = atom_feed(kane, entries(db, kane), "http://x/api/follows/2/atom", "http://x")
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Mercato: person Harry Kane" and len(parsed.entries) == 3
    first = parsed.entries[0]
    assert first.title.startswith("Harry Kane to Manchester City: advanced")
    assert first.link.startswith("http://x/stories/move--")
    bid = next(e for e in parsed.entries if "bid" in e.title)
    assert "[£100m]" in bid.title and any(ln.get("href") == "https://example.org/kane-2" for ln in bid.links)
    _store(db, D(2021, 8, 6), _claim(D(2021, 8, 6), "Manchester City", "Harry Kane", "advanced", "Sky Sports",
                                     "City are close to signing Harry Kane."), url="javascript:alert(1)")
    hostile = atom_feed(kane, entries(db, kane), "http://x/a", "http://x")
    assert "javascript:" not in hostile and len(feedparser.parse(hostile).entries) == 4
    # as of a date: the feed holds only what was known then
    assert len(entries(db, kane, as_of=D(2021, 6, 30))) == 1
    assert find_follow(db, "harry kane")["id"] == kane["id"]
    assert remove_follow(db, kane["id"]) and not remove_follow(db, kane["id"])
    assert [x["name"] for x in list_follows(db)] == ["Tottenham Hotspur"]


def test_migration_0004_on_each_backend(any_db_url):
    """Deal terms and follows are stored on SQLite and PostgreSQL alike (migration 0004)."""
    db = Database(any_db_url)
    _store(db, D(2021, 7, 1), _claim(D(2021, 7, 1), "Roma", "Tammy Abraham", "talks", "Sky Sports",
                                     "Roma are in talks to sign Tammy Abraham for €40m plus add-ons."))
    from mercato.store.models import Claim

    with db.session() as s:
        c = s.query(Claim).one()
        assert (c.fee_amount, c.fee_currency, c.fee_addons) == (40_000_000, "EUR", True)
    f, new = add_follow(db, "person", "Tammy Abraham")
    assert new and add_follow(db, "person", "Tammy Abraham")[1] is False
    assert [x["name"] for x in list_follows(db)] == ["Tammy Abraham"]


def test_person_card_spells_stop_at_the_date_viewed(db):
    spells = desk.person_card(db, "Harry Kane", D(2021, 8, 31))["spells"]
    assert [s["club"] for s in spells] == ["Tottenham Hotspur"] and spells[0]["until"] is None  # Bayern came in 2023
