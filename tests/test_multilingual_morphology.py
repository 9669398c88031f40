"""Lemmas in the cue data (`<fichar>`, `<oferta:n>`): the small per-language morphology that expands them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mercato.extract.multilingual.cues import CueDataError, expand_lemmas, get_cues, load_cue_file
from mercato.extract.multilingual.morphology import MorphologyError, forms
from mercato.extract.multilingual.text import tokenizer


@pytest.mark.parametrize(("lang", "lemma", "expected", "absent"), [
    ("es", "fichar", {"fichar", "ficha", "fichan", "fichó", "ficharía", "fichado", "fichadas", "fichando"}, set()),
    ("es", "buscar", {"busca", "busque", "busquen"}, {"busce"}),
    ("es", "opción:n", {"opción", "opciones"}, {"opciónes"}),
    ("pt", "contratar", {"contrata", "contratou", "contrataram", "contrataria", "contratado"}, set()),
    ("pt", "receber", {"recebeu", "receberam", "recebido"}, set()),
    ("pt", "contratação:n", {"contratações"}, set()),
    ("it", "cercare", {"cerca", "cercherà", "cercherebbe", "cercato"}, {"cercerà"}),
    ("it", "mangiare", {"mangia", "mangerà", "mangiato"}, {"mangierà"}),
    ("it", "trattativa:n", {"trattative"}, set()),
    ("it", "ingaggio:n", {"ingaggi"}, {"ingaggii"}),
    ("it", "dialogo:n", {"dialoghi"}, set()),
    ("pt", "sondagem:n", {"sondagens"}, {"sondagemes"}),
    ("fr", "avancer", {"avance", "avançait", "avancé", "avancée", "avancerait"}, {"avancait"}),
    ("fr", "engager", {"engageait", "engagé"}, set()),
    ("de", "verhandeln", {"verhandelt", "verhandelte", "verhandelten"}, set()),
    ("de", "holen", {"holt", "holte", "geholt"}, set()),
    ("de", "verpflichten", {"verpflichtet", "verpflichtete"}, {"geverpflichtet"}),
    ("de", "kontaktieren", {"kontaktiert"}, {"gekontaktiert"}),
])
def test_regular_forms(lang: str, lemma: str, expected: set[str], absent: set[str]) -> None:
    got = set(forms(lang, lemma))
    assert expected <= got, expected - got
    assert not absent & got


def test_listed_forms_replace_the_regular_ones() -> None:
    # "estar" is irregular (está, estuvo): data/morphology.json lists its forms
    got = forms("es", "estar")
    assert {"está", "están", "estaría"} <= set(got) and "esta" not in got
    assert set(forms("de", "angebot:n")) >= {"angebot", "angebote", "angeboten"}


def test_finite_forms_leave_the_infinitive_out() -> None:
    got = forms("pt", "fechar:f")
    assert "fechar" not in got and {"fechou", "fechado", "fechará"} <= set(got)
    assert "estar" not in forms("es", "estar:f") and "está" in forms("es", "estar:f")


def test_unknown_shapes_are_clear_errors() -> None:
    with pytest.raises(MorphologyError, match="Spanish verb 'fich'"):
        forms("es", "fich")
    with pytest.raises(MorphologyError, match="German noun"):
        forms("de", "schlagzeile:n")
    with pytest.raises(MorphologyError, match="after ':'"):
        forms("it", "offerta:x")


def test_a_lemma_in_a_phrase_expands_to_each_form() -> None:
    got = expand_lemmas("es", "<estar> cerca de")
    assert "está cerca de" in got and "estaría cerca de" in got
    assert expand_lemmas("es", "cerca de") == ["cerca de"]


def test_a_lemma_entry_finds_forms_written_nowhere_in_the_data() -> None:
    # "sondeará" (future) is in no cue file: the lemma <sondear> of es-lex-contact makes it
    for lang, sentence, entry_id in [("es", "El Celta sondeará al Leganés por su portero.", "es-lex-contact"),
                                     ("pt", "O Famalicão contratará um lateral.", "pt-lex-interest"),
                                     ("it", "Il Genoa tratterebbe con il Parma.", "it-lex-talks"),
                                     ("fr", "Angers négocierait avec Auxerre.", "fr-lex-talks"),
                                     ("de", "Mainz verhandelte mit Bremen.", "de-lex-talks")]:
        words = [t.lower_ for t in tokenizer(lang)(sentence)]
        assert entry_id in {h.entry.id for h in get_cues(lang).find(words)}, sentence


def test_a_bad_lemma_in_a_cue_file_names_the_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "es.json"
    bad.write_text(json.dumps({"lang": "es", "entries": [{"id": "x", "kind": "stage", "stage": "bid",
                                                          "cues": ["<ofert>"], "example": "oferta"}]}),
                   encoding="utf-8")
    with pytest.raises(CueDataError, match=r"es\.json: entry 0 \(x\).*ofert"):
        load_cue_file(bad)


def test_the_honest_bench_can_count_a_lemma_over_its_forms() -> None:
    import importlib.util

    path = Path(__file__).parents[1] / "bench" / "languages_honest.py"
    spec = importlib.util.spec_from_file_location("languages_honest_lemma", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    entry = next(e for e in get_cues("es").entries if e.id == "es-lex-contact")
    sondeo, sondeara = ("sondeó",), ("sondeará",)
    assert {sondeo, sondeara} <= set(entry.cues)
    assert dict(zip(entry.cues, entry.sources, strict=True))[sondeo] == "<sondear>"
    uses = {"es": {("es-lex-contact", sondeo): {"a1"}, ("es-lex-contact", sondeara): {"a2"},
                   ("es-bid", ("oferta",)): {"a1"}}}
    got = bench.by_lemma(uses)["es"]
    # two forms of <sondear> in two articles: general, held out from neither; a plain word keeps its own articles
    assert got[("es-lex-contact", sondeo)] == got[("es-lex-contact", sondeara)] == {"a1", "a2"}
    assert got[("es-bid", ("oferta",))] == {"a1"}
