"""The entity recogniser's matrix products: numpy's BLAS on one thread, the same entities as thinc's BLIS; its
transitions decoded by `entities` (scoring the states outside an entity all at once), the same entities as spaCy's
own decoding loop."""

from __future__ import annotations

import numpy as np
import pytest
from thinc.api import NumpyOps

from mercato.config import shared_dir
from mercato.extract.nlp import _blas, _decoder, _one_blas_thread, _OneThreadNumpyOps, entities, get_nlp, one_blas_thread_held

TEXT = ("Arsenal have opened talks with Brighton over Moises Caicedo, according to reports in London. "
        "Manchester United manager Erik ten Hag wants the Ecuadorian midfielder, who joined from Independiente del Valle.")


def test_the_recogniser_multiplies_with_numpy_on_one_thread_and_finds_what_blis_finds() -> None:
    nlp = get_nlp()
    layers = list(nlp.get_pipe("ner").model.walk())
    assert layers and all(isinstance(layer.ops, _OneThreadNumpyOps) for layer in layers)
    got = [(e.text, e.label_) for e in nlp(TEXT).ents]
    before = [layer.ops for layer in layers]
    try:
        blis = NumpyOps()  # thinc's default: BLIS
        for layer in layers:
            layer.ops = blis
        want = [(e.text, e.label_) for e in nlp(TEXT).ents]
    finally:
        for layer, ops in zip(layers, before, strict=True):
            layer.ops = ops
    assert ("Moises Caicedo", "PERSON") in got
    assert got == want


def test_products_run_on_one_blas_thread() -> None:
    with _one_blas_thread():
        infos = _blas().info()
        assert infos, "threadpoolctl found no BLAS library to hold to one thread"
        assert all(info["num_threads"] == 1 for info in infos)


def _spacy_entities(text: str) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in get_nlp()(text).ents]


def test_entities_decodes_as_spacy_does() -> None:
    """The same entities as spaCy's transition loop: on made-up edge cases (an entity at the very end, whitespace
    tokens, one token, nothing) and on real articles and their sentences joined as `mentions` joins them (read from
    ../shared at run time, never copied); bench/extract_regression.py --extractor learned diff gave 0 of 6,460 texts
    changed, and every text of ../shared read whole gives the same 50,002 entities both ways."""
    assert _decoder(get_nlp()) is not None  # the fast decoding runs (else `entities` is spaCy's own, trivially equal)
    texts = [TEXT, "", " ", "Arsenal", "Talks with Moises Caicedo", "Talks with  Moises\n\nCaicedo .\n\n",
             "Erik ten Hag, Jude Bellingham and Real Madrid CF met Mr. Smith on 3 June 2023 in New York City"]
    folder = shared_dir() / "corpus/articles"
    for path in sorted(folder.glob("*.txt"))[:30]:
        body = path.read_text(encoding="utf-8")
        texts.append(body)
        texts.append("\n\n".join(s for s in body.split(". ")[:12] if s.strip()))
    found = 0
    for text in texts:
        got = entities(text)
        assert got == _spacy_entities(text), text[:200]
        found += len(got)
    assert found > 100


def test_entities_scores_all_rows_at_once_as_one_row_at_a_time() -> None:
    """The output layer's product of all the states outside an entity gives each row the sums of spaCy's product of
    that row alone (bit for bit), so the argmax is the same."""
    dec = _decoder(get_nlp())
    assert dec is not None
    doc = get_nlp().make_doc(TEXT)
    cached = dec.lower.predict(dec.tok2vec.predict([doc]))
    unmaxed = cached[1:, 0] + cached[0][1]
    unmaxed += cached[0][2]
    unmaxed += dec.bias
    hidden = unmaxed.max(axis=2)
    together = dec._scores(hidden)
    for r in range(len(hidden)):
        assert np.array_equal(dec._scores(hidden[r:r + 1])[0], together[r])


def test_entities_falls_back_to_spacy_where_the_decoder_does_not_apply(monkeypatch) -> None:
    """A recogniser this decoder does not know (`_decoder` gives None) is decoded by spaCy itself."""
    import mercato.extract.nlp as nlp_module

    monkeypatch.setattr(nlp_module, "_decoder", lambda nlp: None)
    got = entities(TEXT)
    assert ("Moises Caicedo", "PERSON") in [(TEXT[a:b], label) for a, b, label in got]
    assert got == _spacy_entities(TEXT)


def test_a_held_block_sets_the_one_thread_limit_once_for_all_its_products(monkeypatch: pytest.MonkeyPatch) -> None:
    """`entities` holds BLAS to one thread for the whole document (`one_blas_thread_held`): the products inside run on
    one thread without setting the limit each; outside the block each product sets it itself; the same products."""
    from mercato.extract import nlp as nlp_module

    calls: list[int] = []
    real = nlp_module._one_blas_thread

    def counting() -> object:
        calls.append(1)
        return real()

    monkeypatch.setattr(nlp_module, "_one_blas_thread", counting)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 96), dtype=np.float32), rng.standard_normal((96, 288), dtype=np.float32)
    ops = _OneThreadNumpyOps(use_blis=False)
    alone = ops.gemm(x, y)
    assert len(calls) == 1
    with one_blas_thread_held():
        assert all(info["num_threads"] == 1 for info in _blas().info())
        held = ops.gemm(x, y)
        with one_blas_thread_held():  # nested: still held, nothing set again
            again = ops.gemm(x, y)
    assert len(calls) == 2
    assert np.array_equal(alone, held) and np.array_equal(held, again)
    entities(TEXT)
    assert len(calls) == 3  # one limit for the document's products


def test_the_matcher_s_tokenizer_shared_with_the_recogniser_tokenises_as_a_blank_english_one() -> None:
    """`get_tokenizer` shares `get_nlp()`'s vocabulary and tokenizer (their rules are byte for byte the blank
    English ones): the same tokens, offsets and lower-case forms (the phrase matcher's attribute) as a fresh blank
    English pipeline, on real articles; and the same knowledge-base matches."""
    import spacy

    from mercato.extract.nlp import build_matcher, get_matcher, get_tokenizer

    tok, nlp = get_tokenizer(), get_nlp()
    assert tok.vocab is nlp.vocab and tok.tokenizer is nlp.tokenizer
    blank = spacy.blank("en")
    texts = [TEXT, "", "  Talks\n\nwith  “Moises” Caicedo’s agent (£50m), 2023/24 — U.S. don't"]
    for path in sorted((shared_dir() / "corpus/articles").glob("*.txt"))[:40]:
        texts.append(path.read_text(encoding="utf-8"))
    for text in texts:
        a, b = tok(text), blank(text)
        assert [(t.text, t.idx, t.whitespace_, t.lower_) for t in a] == [(t.text, t.idx, t.whitespace_, t.lower_) for t in b]
    matcher, plain = get_matcher(), build_matcher(blank)
    for text in texts:
        got = [(tok.vocab.strings[m], s, e) for m, s, e in matcher(tok(text))]
        want = [(blank.vocab.strings[m], s, e) for m, s, e in plain(blank(text))]
        assert sorted(got) == sorted(want)
