"""The rules engine as registered spaCy components over one `Doc` per article.

Each step of `extract/components.py` is a spaCy component that declares what it requires and assigns
(`nlp.analyze_pipes()` checks the order). All state of one reading lives on that article's `Doc`:

- `doc._.article`: the ArticleDoc the rule steps read and write (sentences, mentions, clauses, claims, the
  people's current clubs...): one per Doc, never shared between documents;
- `doc.spans["sentences"]`, `doc.spans["mentions"]` (label: club, person, outlet, journalist; `span._.canonical`,
  `span._.role`), `doc.spans["frames"]` (one span per clause, label its source kind, `span._.source`) and
  `doc.spans["claims"]` (the evidence of each claim, label its stage, `span._.claim`): what each step found, for
  inspection and for the per-component scorer (`python -m mercato.evaluate.components`).

The pipeline is a blank English tokenizer plus these components (`get_pipeline()`); the statistical NER the
mentions step calls stays a separate model (`extract.nlp.get_nlp`), run only on sentences that can carry a claim.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from mercato.extract import components
from mercato.extract.doc import ArticleDoc
from mercato.extract.nlp import get_tokenizer

COMPONENTS = (
    "mercato_sentences",
    "mercato_mentions",
    "mercato_linking",
    "mercato_attribution",
    "mercato_pairing",
    "mercato_stays",
    "mercato_certainty",
)


def _extensions() -> None:
    if not Doc.has_extension("article"):
        Doc.set_extension("article", default=None)
    for name in ("canonical", "role", "source", "claim"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


_extensions()


def _article(doc: Doc) -> ArticleDoc:
    art = doc._.article
    if art is None:
        raise ValueError("the Doc has no ArticleDoc on doc._.article: make it with mercato.extract.spacy_pipeline.make_doc")
    return art  # type: ignore[no-any-return]


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def _group(doc: Doc, name: str, spans: list[Span]) -> None:
    doc.spans[name] = SpanGroup(doc, name=name, spans=spans)


def _step(fn: Callable[[ArticleDoc], None], write: Callable[[Doc, ArticleDoc], None] | None = None
          ) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        art = _article(doc)
        fn(art)
        if write is not None:
            write(doc, art)
        return doc

    return component


def _write_sentences(doc: Doc, art: ArticleDoc) -> None:
    _group(doc, "sentences", [sp for s in art.sentences if (sp := _span(doc, s.start, s.end, "sentence"))])


def _write_mentions(doc: Doc, art: ArticleDoc) -> None:
    spans = []
    for s in art.sentences:
        for m in s.mentions:
            sp = _span(doc, m.start, m.end, m.kind)
            if sp is not None:
                sp._.canonical = m.canonical
                sp._.role = m.role
                spans.append(sp)
    _group(doc, "mentions", spans)


def _write_frames(doc: Doc, art: ArticleDoc) -> None:
    spans = []
    for s in art.sentences:
        for cl in s.clauses:
            sp = _span(doc, cl.start, cl.end, cl.kind)
            if sp is not None:
                sp._.source = cl.source
                spans.append(sp)
    _group(doc, "frames", spans)


def _write_claims(doc: Doc, art: ArticleDoc) -> None:
    spans = []
    for c in art.claims:
        sp = _span(doc, c.start, c.end, c.stage)
        if sp is not None:
            sp._.claim = c
            spans.append(sp)
    _group(doc, "claims", spans)


@Language.component("mercato_sentences", assigns=["doc._.article", "doc.spans"])
def mercato_sentences(doc: Doc) -> Doc:
    """Sentences and paragraphs (`doc.spans["sentences"]`)."""
    return _step(components.segment, _write_sentences)(doc)


@Language.component("mercato_mentions", assigns=["doc._.article", "doc.spans", "span._.canonical"],
                    requires=["doc._.article", "doc.spans"])
def mercato_mentions(doc: Doc) -> Doc:
    """Club, person, outlet and journalist mentions: knowledge-base phrases, statistical PERSON entities, fuzzy links."""
    art = _article(doc)
    components.mentions(art, doc)  # the KB phrase matcher runs on this Doc's tokens
    _write_mentions(doc, art)
    return doc


@Language.component("mercato_linking", assigns=["doc._.article", "doc.spans", "span._.canonical", "span._.role"],
                    requires=["doc._.article", "doc.spans", "span._.canonical"])
def mercato_linking(doc: Doc) -> Doc:
    """One canonical person across the article (short names, descriptors, pronouns), the clubs people are at on the
    article's date, and each mention's role (affiliation, opponent, former club, official, departing...)."""
    return _step(components.resolve, _write_mentions)(doc)


@Language.component("mercato_attribution", assigns=["doc._.article", "doc.spans", "span._.source"],
                    requires=["doc._.article", "span._.role"])
def mercato_attribution(doc: Doc) -> Doc:
    """Reporting frames: each sentence's clauses with their source (named, unnamed, party, own voice, carried)."""
    return _step(components.attribution, _write_frames)(doc)


@Language.component("mercato_pairing", assigns=["doc._.article", "doc.spans", "span._.claim"],
                    requires=["doc._.article", "span._.role", "span._.source"])
def mercato_pairing(doc: Doc) -> Doc:
    """Pairs each clause's clubs and people into claims, with the clause's stage and certainty."""
    return _step(components.pair_claims, _write_claims)(doc)


@Language.component("mercato_stays", assigns=["doc._.article", "doc.spans", "span._.claim"],
                    requires=["doc._.article", "span._.claim"])
def mercato_stays(doc: Doc) -> Doc:
    """Article-level stage: a person staying put is an off claim against every club pursuing them."""
    return _step(components.stay_claims, _write_claims)(doc)


@Language.component("mercato_certainty", assigns=["doc._.article", "span._.claim"],
                    requires=["doc._.article", "span._.claim"])
def mercato_certainty(doc: Doc) -> Doc:
    """Article-level certainty: a source's doubt about a move reaches all its claims on that move."""
    return _step(components.source_doubt)(doc)


def build_pipeline(names: tuple[str, ...] = COMPONENTS) -> Language:
    """A blank English pipeline with the named components, in order."""
    nlp = spacy.blank("en", vocab=get_tokenizer().vocab)  # the KB phrase matcher's vocabulary
    for name in names:
        nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    return build_pipeline()


def make_doc(nlp: Language, article: ArticleDoc) -> Doc:
    """The article's tokenised Doc with its (still empty) ArticleDoc attached. The components trust that the
    Doc was made from `article.text` (checking it would rebuild the Doc's text in every step)."""
    doc = nlp.make_doc(article.text)
    doc._.article = article
    return doc


def run(article: ArticleDoc, nlp: Language | None = None) -> Doc:
    """Runs the components over `article` (filled in place) and returns its Doc."""
    nlp = nlp or get_pipeline()
    doc = make_doc(nlp, article)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc
