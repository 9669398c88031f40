"""mercato.evaluate.annotations: uniform loading of labels (silver, gold, packed), the blind exclusion, agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mercato.config import shared_dir
from mercato.evaluate import annotations as A
from mercato.evaluate.scorer import dedupe

SHARED = shared_dir()
pytestmark = pytest.mark.skipif(not (SHARED / "corpus" / "silver").is_dir(), reason="needs ../shared")


def test_silver_articles_leave_out_every_blind_article_without_opening_it(monkeypatch: pytest.MonkeyPatch) -> None:
    blind = A.blind_ids()
    assert len(blind) >= 57  # 42 English + 15 other languages, as frozen
    opened: list[str] = []
    real_read_text = Path.read_text
    real_read = A._read_text

    def spy_read_text(self: Path, *a: object, **k: object) -> str:
        opened.append(self.stem)
        return real_read_text(self, *a, **k)  # type: ignore[arg-type]

    def spy_read(p: Path) -> str:
        opened.append(p.stem)
        return real_read(p)

    monkeypatch.setattr(Path, "read_text", spy_read_text)
    monkeypatch.setattr(A, "_read_text", spy_read)
    docs = A.silver_articles()
    keys = {d.key for d in docs}
    assert keys and not keys & blind
    assert not set(opened) & blind  # neither the article nor its labels was read
    assert len(keys) == 214 - len(blind)


def test_a_manifest_decides_what_is_excluded(tmp_path: Path) -> None:
    man = tmp_path / "MANIFEST.json"
    man.write_text(json.dumps({"english": ["u001", "u002"], "other_languages": {"de": ["u028"]}}), encoding="utf-8")
    keys = {d.key for d in A.silver_articles(manifest=man)}
    assert {"u001", "u002", "u028"}.isdisjoint(keys)
    assert "u003" in keys and "u008" in keys  # u008 is blind under the real manifest only


def test_english_only_and_languages() -> None:
    docs = A.silver_articles(english_only=False)
    langs = {d.key: d.lang for d in docs}
    assert langs.get("u060") == "it"  # from the manifest: an article without a lang: line
    assert {"de", "es", "fr", "it", "pt"} <= set(langs.values())
    assert all(d.lang == "en" for d in A.silver_articles(english_only=True))


def test_gossip_posts_and_gold_load_uniformly() -> None:
    gossip, posts, gold = A.gossip_items(), A.posts(), A.gold_articles()
    assert len(gossip) == 1520 and len(posts) == 247 and len(gold) == 18
    for d in [*gossip[:50], *posts[:50], *gold]:
        for c in d.claims:
            assert c["evidence"] in d.article.text, (d.uid, c["evidence"])
    assert posts[0].article.author == A.ROMANO and posts[0].article.outlet is None
    assert gossip[0].article.outlet  # the website in the source column


def _pack(doc: A.LabelledDoc, raw: str, annotator: str) -> dict:
    claims = []
    for c in doc.claims:
        c = dict(c)
        ev = c.pop("evidence")
        at = raw.find(ev)
        assert at >= 0
        claims.append({**c, "evidence_span": [at, at + len(ev)]})
    key: dict = {"articles": {"article": doc.key}, "gossip": {"id": doc.key}}.get(doc.dataset) or {"row": int(doc.key)}
    return {**key, "annotator": annotator, "claims": claims}


def test_packed_labels_read_back_with_their_evidence_and_agreement(tmp_path: Path) -> None:
    art = next(d for d in A.silver_articles() if d.key == "u001")
    raw = (SHARED / "corpus/unlabelled/u001.txt").read_text(encoding="utf-8")
    g = A.gossip_items()[:3]
    p = A.posts()[:2]
    a_dir, b_dir = tmp_path / "a", tmp_path / "b"
    a_dir.mkdir()
    b_dir.mkdir()
    (a_dir / "u001.json").write_text(json.dumps(_pack(art, raw, "ann-a")), encoding="utf-8")
    (a_dir / "gossip.jsonl").write_text("".join(json.dumps(_pack(d, d.article.text, "ann-a")) + "\n" for d in g), encoding="utf-8")
    (a_dir / "posts.jsonl").write_text("".join(json.dumps(_pack(d, d.article.text, "ann-a")) + "\n" for d in p), encoding="utf-8")
    a = A.load_packed(a_dir)
    assert {d.uid for d in a} == {"articles:u001", *(d.uid for d in g), *(d.uid for d in p)}
    back = next(d for d in a if d.key == "u001")
    assert [c["evidence"] for c in back.claims] == [c["evidence"] for c in art.claims]
    assert back.annotator == "ann-a"

    # annotator b: the same article with one claim dropped and one stage changed; the gossip item identical
    b_art = _pack(art, raw, "ann-b")
    b_art["claims"] = b_art["claims"][1:]
    b_art["claims"][0]["stage"] = "off" if b_art["claims"][0]["stage"] != "off" else "interest"
    (b_dir / "u001.json").write_text(json.dumps(b_art), encoding="utf-8")
    (b_dir / "gossip.jsonl").write_text("".join(json.dumps(_pack(d, d.article.text, "ann-b")) + "\n" for d in g), encoding="utf-8")
    b = A.load_packed(b_dir)
    rows = {r.dataset: r for r in A.agreement(a, b)}
    assert set(rows) == {"articles", "gossip"}  # posts: only one annotator
    assert rows["gossip"].score.f1 == 1.0 and rows["gossip"].stage_kappa == 1.0
    n = len(dedupe(art.claims))
    assert rows["articles"].score.tp == n - 1 and rows["articles"].score.fn == 1
    assert rows["articles"].stage_kappa < 1.0
    by_lang = {r.dataset: r for r in A.agreement(a, b, by_lang=True)}
    assert set(by_lang) == {"articles:en", "gossip:en"} and by_lang["articles:en"].score.tp == n - 1


def test_packed_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "u001.json"
    bad.write_text(json.dumps({"article": "u001", "claims": [{"club": "X", "evidence_span": [5, 10**7]}]}), encoding="utf-8")
    with pytest.raises(A.AnnotationError, match="u001.json"):
        A.load_packed(bad)
    (tmp_path / "x.jsonl").write_text('{"nothing": 1}\n', encoding="utf-8")
    with pytest.raises(A.AnnotationError, match="x.jsonl"):
        A.load_packed(tmp_path / "x.jsonl")


def test_packed_blind_articles_are_skipped_unless_asked(tmp_path: Path) -> None:
    man = tmp_path / "MANIFEST.json"
    man.write_text(json.dumps({"english": ["u001"]}), encoding="utf-8")
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "u001.json").write_text(json.dumps({"article": "u001", "claims": []}), encoding="utf-8")
    assert A.load_packed(tmp_path / "labels", manifest=man) == []
    assert [d.key for d in A.load_packed(tmp_path / "labels", manifest=man, include_blind=True)] == ["u001"]


def test_cohen_kappa() -> None:
    assert A.cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert A.cohen_kappa([("a", "b"), ("b", "a")]) == -1.0
    # 20 items, 15 agreed (po 0.75); rater 1 says a 10 times, rater 2 11 times: pe 0.5*0.55 + 0.5*0.45 = 0.5
    pairs = [("a", "a")] * 8 + [("b", "b")] * 7 + [("a", "b")] * 2 + [("b", "a")] * 3
    assert A.cohen_kappa(pairs) == pytest.approx(0.5)


def test_eval_scores_packed_labels_per_dataset_and_keeps_blind_errors_closed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mercato.serve.cli import app

    g = A.gossip_items()[:4]
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "gossip.jsonl").write_text("".join(json.dumps(_pack(d, d.article.text, "x")) + "\n" for d in g), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["eval", "--labels", str(labels), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert set(out) == {"gossip"} and out["gossip"]["tp"] + out["gossip"]["fn"] == sum(len(dedupe(d.claims)) for d in g)
    r = runner.invoke(app, ["eval", "--labels", str(labels), "--blind", "--verbose"])
    assert r.exit_code == 2 and "refused" in r.output
    r = runner.invoke(app, ["eval", "--labels", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and "nowhere" in r.output


def test_agreement_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    g = A.gossip_items()[:5]
    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(_pack(d, d.article.text, name)) + "\n" for d in g),
                                                encoding="utf-8")
    assert A.main(["agreement", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["dataset"] == "gossip" and row["documents"] == 5 and row["claim_f1"] == 1.0
