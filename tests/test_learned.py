"""The learned extractor: candidates, labelling, the training command on a small slice, the shipped weights."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from mercato.config import shared_dir
from mercato.extract import get_extractor
from mercato.extract.doc import ArticleDoc
from mercato.extract.learned import decode, learned_claims, predict, process
from mercato.extract.learned.model import WEIGHTS, ClaimModel, Head
from mercato.extract.learned.train import _vocab, folds, label, main, prepare
from mercato.records import ArticleRecord

DAY = dt.date(2024, 6, 1)
TEXT = ("Chelsea have opened talks with Brighton over Roberto De Zerbi, according to Sky Sports. "
        "Bayern Munich are also interested in the Italian.")


def _doc(text: str = TEXT, outlet: str | None = "Example Gazette") -> ArticleDoc:
    return ArticleDoc(text=text, date=DAY, outlet=outlet, author=None)


def test_candidates_pair_every_club_and_person_with_each_possible_source() -> None:
    doc = _doc()
    cands = process(doc)
    pairs = {(c.club, c.person) for c in cands}
    assert ("Chelsea", "Roberto De Zerbi") in pairs
    assert ("Bayern Munich", "Roberto De Zerbi") in pairs  # "the Italian": the rules resolve the descriptor
    chelsea = [c for c in cands if c.club == "Chelsea" and c.sentence == 0]
    sources = {(c.source.journalist, c.source.outlet) for c in chelsea}
    assert {(None, "Sky Sports"), (None, "Example Gazette"), (None, None)} <= sources
    f = next(c for c in chelsea if c.source.outlet == "Sky Sports").features
    assert f.get("r:src") == 1.0 and f.get("r:src_stage=talks") == 1.0  # the rules' proposal is a feature
    assert f.get("w:_club_") == 1.0 and f.get("w:_person_") == 1.0 and "w:chelsea" not in f  # masked


def test_labels_come_from_the_annotations_by_pair_source_and_evidence() -> None:
    doc = _doc()
    cands = process(doc)
    gold = [{"club": "Chelsea", "person": "Roberto De Zerbi", "role": "manager", "stage": "talks",
             "source": {"journalist": None, "outlet": "Sky Sports"}, "certainty": "firm",
             "evidence": "Chelsea have opened talks with Brighton over Roberto De Zerbi"}]
    lab = label(doc, cands, gold)
    by = {(c.club, c.source.outlet, c.sentence): (y, st, r) for c, y, st, r in zip(cands, lab.y, lab.stage, lab.role, strict=True)}
    assert by[("Chelsea", "Sky Sports", 0)] == (1, "talks", "manager")
    assert by[("Chelsea", "Example Gazette", 0)] == (0, None, None)  # the same pair from another source: no claim
    assert (lab.covered, lab.total, lab.pairs_covered) == (1, 1, 1)


def test_decode_keeps_the_strongest_claim_per_pair_and_source() -> None:
    doc = _doc()
    cands = process(doc)
    n = len(cands)
    claims = decode(doc, cands, np.full(n, 0.9), ["interest"] * (n - 1) + ["talks"], ["firm"] * n)
    keys = [(c.club, c.person, c.role, c.source.key()) for c in claims]
    assert len(keys) == len(set(keys))
    assert decode(doc, cands, np.full(n, 0.1), ["interest"] * n, ["firm"] * n) == []


def _tiny_model() -> ClaimModel:
    vocab = {"r:src": 0, "w:talks": 1}
    heads = {"claim": Head(["no", "yes"], np.array([[4.0], [0.0]]), np.array([-2.0])),
             "stage": Head(["interest", "talks"], np.array([[0.0, 0.0], [0.0, 3.0]]), np.array([0.5, 0.0])),
             "certainty": Head(["firm", "hedged", "doubtful"], np.zeros((2, 3)), np.array([1.0, 0.0, 0.0]))}
    return ClaimModel(vocab, heads, {"threshold": 0.5})


def test_model_round_trips_through_plain_npz(tmp_path: Path) -> None:
    m = _tiny_model()
    m.save(tmp_path / "m.npz")
    back = ClaimModel.load(tmp_path / "m.npz")  # allow_pickle=False inside
    assert back.vocab == m.vocab and back.heads["stage"].classes == ["interest", "talks"]
    doc = _doc()
    cands = process(doc)
    p, stages, _, roles = predict(back, cands)
    assert roles == [c.role for c in cands]  # no role head: the rules' role
    # the rules' own (club, person, source) proposals pass; the other sources do not
    assert all((p_ > 0.5) == ("r:src" in c.features) for p_, c in zip(p, cands, strict=True))
    assert "talks" in {s for s, c in zip(stages, cands, strict=True) if "w:talks" in c.features}


def test_missing_weights_name_the_file_and_the_command(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope\.npz.*learned\.train"):
        ClaimModel.load(tmp_path / "nope.npz")


def test_min_docs_drops_the_features_of_one_document_however_often_it_repeats_them() -> None:
    from types import SimpleNamespace as NS

    def prep(uid: str, rows: list[dict[str, float]], y: list[int | None]) -> NS:
        return NS(doc=NS(uid=uid), cands=[NS(features=f) for f in rows], y=y)

    rare = {"w:lamela": 1.0, "w:talks": 1.0}
    a = prep("articles:u1", [rare, rare, rare], [1, 0, 1])
    b = prep("gossip:g1", [{"w:talks": 1.0, "w:bid": 1.0}, {"w:bid": 1.0, "w:lamela": 1.0}], [1, None])
    c = prep("gossip:g2", [{"w:bid": 1.0}], [0])
    assert set(_vocab([a, b, c], 2)) == {"w:lamela", "w:talks", "w:bid"}  # type: ignore[list-item]
    # in two documents: talks (u1, g1) and bid (g1, g2); lamela's other row is unlabelled (None): not counted
    assert set(_vocab([a, b, c], 1, min_docs=2)) == {"w:talks", "w:bid"}  # type: ignore[list-item]
    # an article repeated by article_weight is still one document
    assert set(_vocab([a, a, c], 1, min_docs=2)) == set()  # type: ignore[list-item]


def test_folds_are_document_level_seeded_and_cover_everything() -> None:
    class P:
        def __init__(self, ds: str) -> None:
            self.dataset = ds

    preps = [P("articles")] * 10 + [P("gossip")] * 23
    a, b = folds(preps, 5, 7), folds(preps, 5, 7)  # type: ignore[arg-type]
    assert a == b
    flat = sorted(i for f in a for i in f)
    assert flat == list(range(33))
    assert all(sum(1 for i in f if i < 10) == 2 for f in a)  # each dataset spread evenly


@pytest.mark.skipif(not (shared_dir() / "corpus" / "silver").is_dir(), reason="needs ../shared")
def test_training_command_on_a_small_slice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "w.npz"
    assert main(["--limit", "12", "--no-cv", "--out", str(out), "--seed", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"]["training_documents"] == 36  # 12 articles, 12 gossip items, 12 posts
    assert report["candidate_recall"]["gossip"]["claims"] > 0 and 0 < report["candidate_recall"]["gossip"]["claim_recall"] <= 1
    model = ClaimModel.load(out)
    assert model.meta["seed"] == 3 and len(model.vocab) > 100
    assert model.meta["feature_settings"]["pairfeats"] and model.meta["feature_settings"]["generators"]  # kept, checked on use
    claims = learned_claims(_doc("Arsenal have made a bid for Declan Rice, West Ham confirmed."), model)
    assert all(c.club and c.person for c in claims)
    # the same seed gives the same weights
    assert main(["--limit", "12", "--no-cv", "--out", str(tmp_path / "w2.npz"), "--seed", "3"]) == 0
    again = ClaimModel.load(tmp_path / "w2.npz")
    assert again.vocab == model.vocab
    assert np.allclose(again.heads["claim"].weights, model.heads["claim"].weights)


@pytest.mark.skipif(not (shared_dir() / "corpus" / "gold").is_dir(), reason="needs ../shared")
def test_training_on_the_gold_too_keeps_its_figure_out_of_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--limit", "5", "--folds", "5", "--no-save", "--train-gold", "--seed", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"]["training_datasets"] == {"articles": 5, "gold": 5, "gossip": 5, "posts": 5}
    # the gold is a dataset of the folds: each of its articles scored by a model that never read it
    assert {v[0] for v in report["cv"]["per_doc"]["shipped@0.35"].values()} == {"articles", "gold", "gossip", "posts"}
    assert report["gold"]["learned_in_sample"] is True
    runs = {}
    for extra in ([], ["--train-gold"]):
        for weight in ("1", "2"):
            assert main(["--limit", "2", "--no-cv", "--no-save", "--seed", "3", "--article-weight", weight,
                         *extra]) == 0
            runs[bool(extra), weight] = json.loads(capsys.readouterr().out)
    assert "gold" not in runs[False, "1"]["model"]["training_datasets"]
    assert runs[False, "1"]["gold"]["learned_in_sample"] is False

    def repeated(gold: bool) -> int:  # the rows a second count of each long document adds
        return runs[gold, "2"]["model"]["training_candidates"] - runs[gold, "1"]["model"]["training_candidates"]

    # the gold articles are long articles: counted twice too
    assert repeated(True) > repeated(False) > 0


def test_adding_the_gold_leaves_the_other_datasets_folds_as_they_were() -> None:
    from types import SimpleNamespace as NS

    base = [NS(dataset=d) for d in ["articles"] * 12 + ["gossip"] * 30 + ["posts"] * 9]
    with_gold = [*base[:12], *(NS(dataset="gold") for _ in range(7)), *base[12:]]

    def fold_of(preps: list[NS]) -> dict[int, int]:  # the fold of each document of `base`, by its index there
        where = {i: f for f, idx in enumerate(folds(preps, 5, 20261130)) for i in idx}  # type: ignore[arg-type]
        keep = [i for i, p in enumerate(preps) if p.dataset != "gold"]
        return {j: where[i] for j, i in enumerate(keep)}

    assert fold_of(base) == fold_of(with_gold)


@pytest.mark.skipif(not WEIGHTS.exists(), reason="no shipped weights")
def test_the_learned_model_is_the_default_and_auto_is_its_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    from mercato.extract.pipeline import extractor_version

    monkeypatch.delenv("MERCATO_EXTRACTOR", raising=False)
    default = get_extractor()
    assert default.version.startswith("learned") and extractor_version() == default.version  # see extract/pipeline.py
    assert get_extractor("auto") is default and get_extractor("learned") is default
    rules = get_extractor("rules")
    assert rules.version.startswith("rules") and rules is not default and extractor_version("rules") == rules.version
    short = ArticleRecord(date=DAY, text=TEXT, outlet="Example Gazette")
    assert any(c.club == "Chelsea" and c.person == "Roberto De Zerbi" for c in default(short))
    # a full article is read by the learned model too (no longer handed to the rules by its length)
    long_text = TEXT + "\n\n" + " ".join(["The club have not commented on the reports."] * 12)
    article = ArticleRecord(date=DAY, text=long_text, outlet="Example Gazette")
    assert [c.to_json() for c in get_extractor("auto")(article)] == [c.to_json() for c in get_extractor("learned")(article)]
    assert any(c.club == "Chelsea" and c.person == "Roberto De Zerbi" for c in default(article))
    monkeypatch.setenv("MERCATO_EXTRACTOR", "rules")  # the environment still overrides the default
    assert get_extractor() is rules and extractor_version() == rules.version
    monkeypatch.setenv("MERCATO_EXTRACTOR", "nonsense")
    with pytest.raises(ValueError, match="nonsense"):
        get_extractor()


def test_prepare_reads_annotated_documents() -> None:
    from mercato.evaluate.annotations import LabelledDoc

    d = LabelledDoc("gossip", "x", ArticleRecord(date=DAY, text="Arsenal are interested in Declan Rice.", outlet="Daily Mail"),
                    [{"club": "Arsenal", "person": "Declan Rice", "role": "player", "stage": "interest",
                      "source": {"journalist": None, "outlet": "Daily Mail"}, "certainty": "firm",
                      "evidence": "Arsenal are interested in Declan Rice."}])
    (p,) = prepare([d])
    assert p.covered == 1 and 1 in p.y


def test_sources_carry_the_knowledge_base_outlet_and_never_a_platform() -> None:
    from mercato.extract.learned.candidates import kb_outlet, map_source
    from mercato.records import Source

    assert kb_outlet("Sky Deutschland") == "Sky Germany"  # an alias: the knowledge base's name
    assert kb_outlet("www.skysports.com") == "Sky Sports"  # a domain
    assert kb_outlet("Twitter") is None and kb_outlet("Instagram") is None and kb_outlet("X") is None
    assert kb_outlet("publish.twitter.com") is None and kb_outlet("x.com") is None and kb_outlet("youtube.com") is None
    assert kb_outlet("Sky Sports") == "Sky Sports" and kb_outlet("The Athletic") is not None
    assert map_source(Source("Fabrizio Romano", "Twitter")) == Source("Fabrizio Romano", None)
    # a learnt annotators' name never overrides an outlet the knowledge base knows
    assert map_source(Source(None, "espn"), {"espn": "ESPN Brasil"}).outlet == kb_outlet("espn")
    doc = _doc(outlet="X")
    assert all(c.source.outlet != "X" for c in process(doc))
    # the spec: an outlet's name without qualifiers; a domain the knowledge base does not know gives the site's label
    assert kb_outlet("The Star (Sheffield)") == "The Star"
    assert kb_outlet("examplegazette.co.uk") == "Examplegazette"
    # the annotators' spelling of an outlet the knowledge base knows, learnt, where it is the same outlet
    assert map_source(Source(None, "Sky Deutschland"), {"sky deutschland": "Sky Sport Germany"}).outlet == "Sky Sport Germany"


def test_source_options_describe_where_the_text_names_the_source() -> None:
    text = ("Chelsea have opened talks with Brighton over Roberto De Zerbi, according to Sky Sports. "
            "Brighton have confirmed that Chelsea made an approach for Roberto De Zerbi. "
            + "The weather was mild on the day and the training ground was quiet for most of the afternoon. " * 6)
    cands = process(_doc(text))
    first = {c.source.outlet: c.features for c in cands if c.club == "Chelsea" and c.sentence == 0}
    sky = first["Sky Sports"]
    assert sky.get("sm:in_sentence") and sky.get("sm:after") and sky.get("sl:according") and sky.get("sx:kb_outlet")
    own = first["Example Gazette"]
    assert own.get("sx:own_outlet") and not own.get("sm:in_sentence")
    # a club of the sentence announcing is a source option, the selling club too
    second = {(c.source.journalist, c.source.outlet): c for c in cands if c.club == "Chelsea" and c.sentence == 1}
    assert (None, "Brighton & Hove Albion") in second and (None, "Chelsea") in second
    assert second[(None, "Chelsea")].features.get("sx:club") and second[(None, "Brighton & Hove Albion")].features.get("sx:other_club")
    assert "sm:in_sentence" not in {k for k in second[(None, None)].features}


def test_one_source_option_per_journalist_and_relays_of_a_post() -> None:
    from collections import Counter

    text = ("Liverpool have opened talks with Feyenoord over Arne Slot, according to The Athletic's David Ornstein. "
            "Ornstein adds that Liverpool will continue to assess Arne Slot. "
            + "The weather was mild on the day and the training ground was quiet for most of the afternoon. " * 6)
    cands = process(_doc(text))
    per = Counter((c.unit, c.source.journalist) for c in cands if c.source.journalist)
    assert per and max(per.values()) == 1  # "Ornstein" and "The Athletic's David Ornstein" are one source (the scorer's)
    post = ArticleDoc(text="Villarreal agree deal for Alberto Moleiro. All set to be signed, as @MatteMoretto reports.",
                      date=DAY, outlet=None, author="Fabrizio Romano")
    relayed = [c for c in process(post) if c.sentence == 1 and c.club == "Villarreal"]
    # the relay line is paired by the source-relay generator or, first, by the post-level one (branch mentions)
    assert relayed and {c.origin for c in relayed} <= {"relay", "post_pair"}
    assert any(c.source.journalist == "Matteo Moretto" and c.features.get("sl:as") for c in relayed)


def test_generators_pair_a_sentence_naming_one_side_with_the_articles_main_person_and_club() -> None:
    text = ("Chelsea want Roberto De Zerbi. Chelsea have held talks with Roberto De Zerbi's agent. "
            "Stuttgart's Sebastian Hoeness is also under consideration. Galatasaray have also asked about the Italian. "
            + "The weather was mild on the day and the training ground was quiet for most of the afternoon. " * 6)
    from mercato.extract import components
    from mercato.extract.learned.candidates import generate

    doc = _doc(text)
    for component in (components.segment, components.mentions, components.resolve, components.attribution):
        component(doc)
    cands = generate(doc, [])  # without the rules' proposals: only the generators pair them
    origin = {(c.club, c.person, c.sentence): c.origin for c in cands}
    assert origin[("Chelsea", "Sebastian Hoeness", 2)] == "main_club"  # his own club is named, the suitor is not
    assert ("Stuttgart", "Sebastian Hoeness", 2) not in origin or origin[("Stuttgart", "Sebastian Hoeness", 2)] == "cooc"
    assert ("Galatasaray", "Roberto De Zerbi", 3) in origin
    f = next(c for c in cands if c.club == "Chelsea" and c.person == "Roberto De Zerbi").features
    assert f.get("main_person1") == 1.0 and f.get("main_club1") == 1.0  # article-level features


def test_done_needs_a_completion_cue_in_the_text() -> None:
    doc = _doc("Chelsea are interested in Roberto De Zerbi.")
    cands = process(doc)
    model = ClaimModel({"cue:done": 0}, {
        "claim": Head(["no", "yes"], np.zeros((1, 1)), np.array([5.0])),
        "source": Head(["no", "yes"], np.zeros((1, 1)), np.array([5.0])),
        "stage": Head(["interest", "done"], np.zeros((1, 2)), np.array([0.0, 9.0])),  # the head prefers done
        "certainty": Head(["firm"], np.zeros((1, 1)), np.array([0.0]))}, {})
    _, stages, _, _ = predict(model, cands)
    assert stages and set(stages) == {"interest"}
    done_doc = _doc("Chelsea have completed the signing of Roberto De Zerbi.")
    _, stages, _, _ = predict(model, process(done_doc))
    assert "done" in stages


def test_towns_and_grounds_are_no_person() -> None:
    from mercato.extract.learned.candidates import _places

    assert {"london", "turf moor", "bergamo"} <= _places()  # kb places.json, from the openfootball lists
    # named twice, capitalised, never in lower case: without the places both passed for one-word or two-word names
    text = ("Leeds want Jonas Weber, who travelled to Bergamo on Monday. Leeds see Jonas Weber as the man for Bergamo "
            "and Turf Moor. Leeds are watching Jonas Weber and Karl Brenner.")
    people = {c.person for c in process(_doc(text))}
    assert {"Jonas Weber", "Karl Brenner"} <= people and not people & {"Bergamo", "Turf Moor"}



@pytest.mark.skipif(not (shared_dir() / "corpus" / "articles").is_dir(), reason="needs ../shared")
def test_scoring_only_the_units_the_model_may_accept_gives_the_same_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    # learned_claims makes and scores the source options of the units whose P(claim) reaches the threshold only; on
    # real articles and gossip items its claims are those of scoring every candidate
    import mercato.extract.learned as learned
    from mercato.extract.learned import long_offset, maybe_claims, pick_options, predict_dist
    from mercato.extract.learned.model import get_model
    from mercato.ingest import IngestError, read_path

    model = get_model()
    records = [a for p in sorted((shared_dir() / "corpus" / "articles").glob("*.txt"))[:6] for a in read_path(p)
               if not isinstance(a, IngestError)]
    for n, a in enumerate(read_path(shared_dir() / "datasets" / "bbc-gossip-2021" / "rumours.csv")):
        if n >= 12:
            break
        if not isinstance(a, IngestError):
            records.append(a)
    kept: list[tuple[int, int]] = []

    def counted(*args: object, **kwargs: object) -> list:
        out = maybe_claims(*args, **kwargs)  # type: ignore[arg-type]
        kept.append((len(out), len(args[1])))  # type: ignore[arg-type]
        return out

    monkeypatch.setattr(learned, "maybe_claims", counted)

    ex = get_extractor("learned")

    def doc(a: ArticleRecord) -> ArticleDoc:
        return ex.make_doc(a)

    def key(claims: list) -> list:
        return [json.dumps(dataclasses.asdict(c), sort_keys=True, default=str) for c in claims]

    for a in records:
        d = doc(a)
        cands = process(d, model.meta.get("outlets"))
        p, stages, certs, roles, pick, dist = predict_dist(model, cands, len(d.text))
        every = decode(d, cands, p, stages, certs, model.threshold + long_offset(model, d), roles,
                       **pick_options(model, d, cands, pick, dist))
        assert key(learned_claims(doc(a), model)) == key(every), a.title
    assert sum(k for k, _ in kept) < sum(n for _, n in kept)  # units were left unscored
    assert any(k for k, _ in kept)  # and some scored


@pytest.mark.skipif(not (shared_dir() / "corpus" / "articles").is_dir(), reason="needs ../shared")
def test_unit_scores_handed_on_by_maybe_claims_are_the_ones_predict_dist_computes() -> None:
    # learned_claims hands predict_dist the P(claim) and rows maybe_claims computed for the kept units: on real
    # articles the same numbers, bit for bit, as predict_dist computing them itself
    import numpy as np

    from mercato.extract.learned import long_offset, maybe_claims, predict_dist
    from mercato.extract.learned.candidates import process_units
    from mercato.extract.learned.model import get_model
    from mercato.ingest import IngestError, read_path

    model = get_model()
    ex = get_extractor("learned")
    records = [a for p in sorted((shared_dir() / "corpus" / "articles").glob("*.txt"))[:8] for a in read_path(p)
               if not isinstance(a, IngestError)]
    used = 0
    for a in records:
        d = ex.make_doc(a)
        units, finish = process_units(d, model.meta.get("outlets"))
        scored: dict = {}
        cands = finish(maybe_claims(model, units, model.threshold + long_offset(model, d), len(d.text), scored))
        if not cands:
            continue
        assert {c.unit for c in cands} <= set(scored)
        used += 1
        given = predict_dist(model, cands, len(d.text), scored)
        own = predict_dist(model, cands, len(d.text))
        for x, y in zip(given, own, strict=True):
            if isinstance(x, np.ndarray):
                assert np.array_equal(x, y), a.title
            else:
                assert x == y, a.title
    assert used >= 3
