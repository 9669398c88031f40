"""The entity recogniser's matrix products: numpy's BLAS on one thread, the same entities as thinc's BLIS."""

from __future__ import annotations

from thinc.api import NumpyOps

from mercato.extract.nlp import _blas, _one_blas_thread, _OneThreadNumpyOps, get_nlp

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
