"""Each article's language: header or column where given, else detected — measured on the shared texts."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from mercato.config import shared_dir
from mercato.ingest import read_path
from mercato.ingest.errors import IngestError
from mercato.ingest.language import detect_language, normalise_lang
from test_api import start_server

ROOT = Path(__file__).resolve().parents[1]
MERCATO = [sys.executable, "-m", "mercato.serve.cli"] if not (ROOT / ".venv/bin/mercato").exists() else [str(ROOT / ".venv/bin/mercato")]
UNLABELLED = shared_dir() / "corpus" / "unlabelled"
NO_LANG_LINE = {"u028": "de", "u060": "it", "u066": "it"}  # non-English articles without a `lang:` line


def _stated_language(raw: str, aid: str) -> str:
    m = re.search(r"^lang:\s*(\w+)", raw, re.M)
    return m.group(1) if m else NO_LANG_LINE.get(aid, "en")


def test_detects_the_language_of_every_shared_article_with_its_header_removed(tmp_path: Path) -> None:
    wrong = []
    for path in sorted(UNLABELLED.glob("u*.txt")):
        raw = path.read_text(encoding="utf-8")
        expected = _stated_language(raw, path.stem)
        bare = tmp_path / path.name
        bare.write_text(re.sub(r"^lang:.*\n", "", raw, flags=re.M), encoding="utf-8")
        (rec,) = list(read_path(bare))
        assert not isinstance(rec, IngestError), rec
        if rec.lang != expected:
            wrong.append((path.stem, expected, rec.lang))
    assert not wrong
    assert len(list(UNLABELLED.glob("u*.txt"))) >= 200


def test_short_english_items_with_foreign_names_are_english() -> None:
    """Gossip items full of foreign club and player names, and Romano's posts with emoji and links."""
    with open(shared_dir() / "datasets/bbc-gossip-2021/rumours.csv", encoding="utf-8", newline="") as f:
        gossip = [r["raw_text"] for r, _ in zip(csv.DictReader(f), range(400), strict=False)]
    with open(shared_dir() / "datasets/romano-tweets-2025/tweets.csv", encoding="utf-8", newline="") as f:
        posts = [r["Tweet"] for r in csv.DictReader(f)]
    not_en = [t[:60] for t in gossip + posts if detect_language(t) != "en"]
    assert not_en == []


def test_header_wins_over_detection_and_names_are_normalised(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("date: 2024-05-01\nlang: German\n\nLiverpool are in talks with Arne Slot.\n", encoding="utf-8")
    (rec,) = list(read_path(art))
    assert not isinstance(rec, IngestError) and rec.lang == "de"
    assert normalise_lang("PT-br") == "pt" and normalise_lang("Français") == "fr"
    bad = tmp_path / "bad.txt"
    bad.write_text("date: 2024-05-01\nlang: Klingon tongue\n\nLiverpool are in talks with Arne Slot.\n", encoding="utf-8")
    (err,) = list(read_path(bad))
    assert isinstance(err, IngestError) and "bad.txt" in str(err) and "Klingon" in str(err)


def test_csv_lang_column_and_filters_in_cli_and_api(tmp_path: Path) -> None:
    articles = tmp_path / "in"
    articles.mkdir()
    for aid in ("u201", "u202", "u207"):  # es, de, fr, each with its `lang:` line
        (articles / f"{aid}.txt").write_text((UNLABELLED / f"{aid}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (articles / "rows.csv").write_text(
        "date,text,lang\n2024-05-01,Liverpool are in talks with Arne Slot.,en\n"
        "2024-05-02,Der FC Bayern verhandelt mit Vincent Kompany über einen Wechsel.,\n", encoding="utf-8")
    db = tmp_path / "m.db"
    run = subprocess.run([*MERCATO, "ingest", str(articles), "--db", str(db), "-q"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    out = subprocess.run([*MERCATO, "articles", "--db", str(db), "--format", "json"], capture_output=True, text=True, timeout=120)
    langs = sorted(a["lang"] for a in json.loads(out.stdout))
    assert langs == ["de", "de", "en", "es", "fr"]
    de = subprocess.run([*MERCATO, "articles", "--db", str(db), "--lang", "Deutsch", "--format", "json"],
                        capture_output=True, text=True, timeout=120)
    assert {a["lang"] for a in json.loads(de.stdout)} == {"de"}
    bad = subprocess.run([*MERCATO, "claims", "--db", str(db), "--lang", "Klingon tongue"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--lang" in bad.stderr
    server = start_server(db, tmp_path)
    try:
        got = httpx.get(server.url + "/api/articles", params={"lang": "es"}, timeout=30).json()
        assert got["total"] == 1 and got["items"][0]["lang"] == "es"
        english = {a["id"] for a in httpx.get(server.url + "/api/articles", params={"lang": "en"}, timeout=30).json()["items"]}
        claims = httpx.get(server.url + "/api/claims", params={"lang": "en", "limit": 200}, timeout=30).json()["items"]
        assert claims and {c["article_id"] for c in claims} <= english
        assert httpx.get(server.url + "/api/claims", params={"lang": "german"}, timeout=30).status_code == 422
    finally:
        server.stop()


@pytest.mark.parametrize("code", ["de", "es", "it", "fr", "pt"])
def test_each_language_is_recognised_in_a_short_sentence_we_wrote(code: str) -> None:
    sentences = {
        "de": "Der Verein hat offenbar ein neues Angebot für den Stürmer abgegeben, berichtet die Zeitung.",
        "es": "El club ha presentado una nueva oferta por el delantero, según informa el periódico.",
        "it": "Il club avrebbe presentato una nuova offerta per l'attaccante, secondo il quotidiano.",
        "fr": "Le club aurait formulé une nouvelle offre pour l'attaquant, selon le quotidien.",
        "pt": "O clube terá apresentado uma nova proposta pelo avançado, segundo o jornal.",
    }
    assert detect_language(sentences[code]) == code
