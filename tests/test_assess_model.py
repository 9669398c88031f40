"""Stories and likelihoods on a real SQLite file, from claims stored through the store layer."""

from __future__ import annotations

import datetime as dt

import pytest

from mercato.assess import service
from mercato.assess.credibility import CredibilityBook
from mercato.kb.names import club_key
from mercato.records import ArticleRecord, ClaimRecord, Source
from mercato.store import Database
from mercato.store.models import Outcome
from mercato.store.repo import store_batch


def claim(club: str, person: str, stage: str, journalist: str | None = None, outlet: str | None = None,
          certainty: str = "firm", role: str = "manager") -> ClaimRecord:
    text = f"{club} {stage} {person}"
    return ClaimRecord(club=club, person=person, role=role, stage=stage, source=Source(journalist, outlet),
                       certainty=certainty, evidence=text, start=0, end=len(text))


def put(db: Database, day: str, publisher: str, claims: list[ClaimRecord], text: str | None = None) -> None:
    art = ArticleRecord(date=dt.date.fromisoformat(day), text=text or f"{day} {publisher} " + " ".join(c.evidence for c in claims),
                        outlet=publisher)
    store_batch(db, [(art, claims)], "test")


@pytest.fixture
def db(db_url: str) -> Database:
    return Database(db_url)


def by_person(stories: list[dict], club: str | None = None) -> dict[str, dict]:
    return {s["person"]: s for s in stories if club is None or s["club"] == club}


def test_competing_moves_for_one_person_and_one_job_sum_to_at_most_one(db: Database) -> None:
    # one person, three clubs, each strongly reported
    for i, club in enumerate(("Liverpool", "Chelsea", "Arsenal")):
        put(db, f"2024-03-0{i + 1}", "Outlet A", [claim(club, "Xabi Alonso", "agreement", outlet="Outlet A")])
        put(db, f"2024-03-0{i + 2}", "Outlet B", [claim(club, "Xabi Alonso", "agreement", outlet="Outlet B")])
    # a control: the same reports about a move with no competitor
    put(db, "2024-03-03", "Outlet A", [claim("West Ham United", "Julen Lopetegui", "agreement", outlet="Outlet A")])
    put(db, "2024-03-04", "Outlet B", [claim("West Ham United", "Julen Lopetegui", "agreement", outlet="Outlet B")])
    # one job, three candidates
    for name in ("Thomas Frank", "Kieran McKenna", "Graham Potter"):
        put(db, "2024-03-05", "Outlet C", [claim("Brighton", name, "advanced", outlet="Outlet C")])
    stories = service.list_stories(db)
    alonso = [s for s in stories if s["person"] == "Xabi Alonso"]
    assert len(alonso) == 3
    assert sum(s["probability"] for s in alonso) < 1.0
    # each alone would be as likely as the control; together they must share
    control = by_person(stories)["Julen Lopetegui"]["probability"]
    assert all(s["probability"] < control for s in alonso)
    brighton = [s for s in stories if s["club"] == club_key("Brighton")]
    assert len(brighton) == 3
    assert sum(s["probability"] for s in brighton) < 1.0
    vac = {s["club"]: s for s in service.list_stories(db, kind="vacancy")}
    assert vac[club_key("Brighton")]["probability"] <= 1.0
    person = {s["id"]: s for s in service.list_stories(db, kind="person")}
    assert person["person--xabi-alonso"]["probability"] < 1.0


def test_as_of_uses_only_claims_dated_on_or_before_it(db: Database) -> None:
    put(db, "2024-04-01", "Outlet A", [claim("Liverpool", "Arne Slot", "interest", outlet="Outlet A")])
    put(db, "2024-04-20", "Outlet B", [claim("Liverpool", "Arne Slot", "agreement", outlet="Outlet B")])
    put(db, "2024-04-21", "Outlet C", [claim("Liverpool", "Arne Slot", "agreement", outlet="Outlet C")])
    put(db, "2024-04-25", "Outlet D", [claim("Chelsea", "Enzo Maresca", "talks", outlet="Outlet D")])
    early = by_person(service.list_stories(db, dt.date(2024, 4, 10)))
    late = by_person(service.list_stories(db, dt.date(2024, 4, 22)))
    assert "Enzo Maresca" not in early and "Enzo Maresca" not in late
    assert early["Arne Slot"]["n_claims"] == 1 and early["Arne Slot"]["stage"] == "interest"
    assert late["Arne Slot"]["n_claims"] == 3 and late["Arne Slot"]["stage"] == "agreement"
    assert late["Arne Slot"]["probability"] > early["Arne Slot"]["probability"]
    story = service.get_story(db, "move--liverpool--arne-slot--manager", as_of=dt.date(2024, 4, 10))
    assert story is not None
    assert [c["date"] for c in story["claims"]] == ["2024-04-01"]
    assert all(h["date"] <= "2024-04-10" for h in story["history"])


def test_relays_of_one_origin_count_once(db: Database) -> None:
    # the same journalist relayed by three aggregators: one source
    for pub in ("Agg One", "Agg Two", "Agg Three"):
        put(db, "2024-04-02", pub, [claim("Bayern Munich", "Vincent Kompany", "talks", journalist="Jane Reporter",
                                          outlet=pub)], text=f"{pub} relays Jane Reporter")
    # three different outlets of their own: three sources
    for pub in ("Paper One", "Paper Two", "Paper Three"):
        put(db, "2024-04-02", pub, [claim("Bayern Munich", "Hansi Flick", "talks", outlet=pub)])
    s = by_person(service.list_stories(db))
    assert s["Vincent Kompany"]["sources"] == 1
    assert s["Hansi Flick"]["sources"] == 3
    assert s["Hansi Flick"]["probability"] > s["Vincent Kompany"]["probability"]
    names = {r["name"]: r for r in service.list_sources(db)}
    assert names["Jane Reporter"]["claims"] == 3
    # aggregators relaying a named journalist are not credited with the claim
    assert "Agg One" not in names


def test_credibility_shrinks_small_samples_towards_the_prior() -> None:
    book = CredibilityBook()
    for i in range(40):  # an average crowd: one in four right
        book.judge(f"m{i}", i % 4 == 0, [("interest", "firm", ("outlet--crowd",))])
    prior = book.prior_rate
    book.judge("a1", True, [("agreement", "firm", ("journalist--small",))])
    book.judge("a2", True, [("agreement", "firm", ("journalist--small",))])
    for i in range(20):
        book.judge(f"b{i}", True, [("agreement", "firm", ("journalist--big",))])
    small, big = book.credibility("journalist--small"), book.credibility("journalist--big")
    assert prior < small < 0.75  # 2 of 2 is not 100%
    assert small < big < 1.0
    assert book.credibility("journalist--unknown") == pytest.approx(book.prior_rate)
    assert 0 < book.skill("journalist--small") < 0.5  # shrunk too: 2 of 2 barely moves the skill


def test_known_outcome_scores_the_source_and_settles_the_story(db: Database) -> None:
    put(db, "2024-02-22", "kicker", [claim("Liverpool", "Xabi Alonso", "advanced", journalist="Georg Holzner",
                                           outlet="kicker")])
    with db.session() as s:
        s.add(Outcome(club="Liverpool", person="Xabi Alonso", role="manager", happened=False,
                      resolved_on=dt.date(2024, 3, 29), status="confirmed"))
    before = by_person(service.list_stories(db, dt.date(2024, 3, 1)))["Xabi Alonso"]
    after = by_person(service.list_stories(db, dt.date(2024, 4, 1)))["Xabi Alonso"]
    assert before["probability"] > 0.05 and after["probability"] == 0.0
    assert after["outcome"] is False
    src = service.get_source(db, "journalist--georg-holzner")
    assert src is not None
    assert (src["resolved"], src["hits"]) == (1, 0)
    assert src["by_stage"] == {"advanced": {"resolved": 1, "hits": 0}}
    assert src["claims"][0]["hit"] is False


def test_stories_and_sources_on_both_backends(any_db_url: str) -> None:
    db = Database(any_db_url)
    put(db, "2024-05-22", "Sky Sports", [claim("Bayern Munich", "Vincent Kompany", "agreement", outlet="Sky Sports")])
    put(db, "2024-05-23", "Bild", [claim("Bayern Munich", "Vincent Kompany", "agreement", journalist="Christian Falk",
                                         outlet="Bild")])
    put(db, "2024-05-23", "Bild", [claim("Bayern Munich", "Oliver Glasner", "off", journalist="Christian Falk",
                                         outlet="Bild")])
    with db.session() as s:
        s.add(Outcome(club="Bayern Munich", person="Vincent Kompany", role="manager", happened=True,
                      resolved_on=dt.date(2024, 5, 29), status="confirmed"))
    before = by_person(service.list_stories(db, dt.date(2024, 5, 26)))
    assert before["Vincent Kompany"]["probability"] > before["Oliver Glasner"]["probability"]
    # the outcome was public on 29 May: a view as of 26 May does not know it yet (issue 9: as of means as of)
    assert before["Vincent Kompany"]["sources"] == 2 and before["Vincent Kompany"]["outcome"] is None
    assert by_person(service.list_stories(db, dt.date(2024, 5, 29)))["Vincent Kompany"]["outcome"] is True
    story = service.get_story(db, "vacancy--bayern-munich--manager")
    assert story is not None and {c["person"] for c in story["competitors"]} == {"Vincent Kompany", "Oliver Glasner"}
    kompany = service.get_story(db, "move--bayern-munich--vincent-kompany--manager")
    assert kompany is not None
    assert kompany["history"][-1] == {"date": "2024-05-29", "probability": 1.0}
    assert [c["person"] for c in kompany["competitors"]] == ["Oliver Glasner"]
    falk = service.get_source(db, "journalist--christian-falk")
    assert falk is not None and (falk["resolved"], falk["hits"]) == (1, 1)
    assert falk["calibration"] and falk["calibration"][0]["n"] == 1
    assert service.get_story(db, "move--nowhere--nobody--player") is None
    assert service.get_source(db, "journalist--nobody") is None


def test_corroboration_weights_never_turn_negative_in_the_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from mercato.assess import likelihood as lk

    # outcomes where more sources went with failure: unconstrained, the fit gives `sources` a negative weight
    rng = np.random.default_rng(0)
    n = 400
    X = np.zeros((n, 1, len(lk.FEATURES)))
    X[:, 0, lk.FEATURES.index("bias")] = 1.0
    src = rng.integers(1, 6, n)
    X[:, 0, lk.FEATURES.index("sources")] = np.log1p(src)
    y = (rng.random(n) < np.where(src > 3, 0.05, 0.4)).astype(float)
    mask, extra = np.ones((n, 1)), np.zeros(n)
    k = lk.FEATURES.index("sources")
    monkeypatch.setattr(lk, "MONO_LO", np.full(len(lk.FEATURES), -np.inf))
    assert lk.fit(X, mask, extra, y, l2=1.0)[k] < -0.2
    monkeypatch.undo()
    assert lk.fit(X, mask, extra, y, l2=1.0)[k] >= 0.0
