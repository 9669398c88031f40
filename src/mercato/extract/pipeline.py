"""The extractors: the learned one (default) and the rules engine it grew from (selectable for comparison).

`get_extractor()` gives the learned extractor unless MERCATO_EXTRACTOR=rules (or `get_extractor("rules")`);
the CLI's `--extractor` option sets it for `mercato ingest`, `extract` and `eval`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache

from mercato.extract import components
from mercato.extract.doc import ArticleDoc
from mercato.extract.multilingual import LANGS as MULTILINGUAL_LANGS
from mercato.extract.multilingual import extract_multilingual
from mercato.kb.spells import SpellBook
from mercato.records import ArticleRecord, ClaimRecord

RULES_VERSION = "rules-0.6"
LEARNED_VERSION = "learned-0.1"
EXTRACTOR_VERSION = LEARNED_VERSION  # the default extractor's version
ENV_EXTRACTOR = "MERCATO_EXTRACTOR"
ENGINES = ("learned", "rules")

Component = Callable[[ArticleDoc], None]
DEFAULT_COMPONENTS: tuple[Component, ...] = (
    components.segment,
    components.mentions,
    components.resolve,
    components.attribution,
    components.claims,
)


class Extractor:
    """The rules engine: the components decide."""

    version = RULES_VERSION

    def __init__(self, pipeline: tuple[Component, ...] = DEFAULT_COMPONENTS) -> None:
        self.pipeline = pipeline

    def make_doc(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        return ArticleDoc(text=article.text, date=article.date, outlet=article.outlet, author=article.author,
                          spells=spells)

    def read(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        """The whole reading of one article: its claims and the affiliations it states (`doc.affiliations`).
        `spells`: clubs over time to read it with (default: the knowledge base's dated spells)."""
        doc = self.make_doc(article, spells)
        if article.lang in MULTILINGUAL_LANGS:  # the one place that sends an article to its language's extractor
            doc.claims = extract_multilingual(article)
            return doc
        for component in self.pipeline:
            component(doc)
        return doc

    def __call__(self, article: ArticleRecord, spells: SpellBook | None = None) -> list[ClaimRecord]:
        return self.read(article, spells).claims


class LearnedExtractor(Extractor):
    """The rule components find mentions and frames and propose; the trained model (extract/learned) decides."""

    version = LEARNED_VERSION

    def __init__(self) -> None:
        from mercato.extract.learned import get_model

        super().__init__()
        self.model = get_model()

    def read(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        from mercato.extract.learned import learned_claims

        doc = self.make_doc(article, spells)
        if article.lang in MULTILINGUAL_LANGS:  # the one place that sends an article to its language's extractor
            doc.claims = extract_multilingual(article)
            return doc
        doc.claims = learned_claims(doc, self.model)  # runs the rule components on `doc`: affiliations too
        return doc


def engine_name(name: str | None = None) -> str:
    chosen = (name or os.environ.get(ENV_EXTRACTOR) or "learned").strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown extractor {chosen!r} (choose {' or '.join(ENGINES)}; {ENV_EXTRACTOR})")
    return chosen


@lru_cache(maxsize=2)
def _extractor(name: str) -> Extractor:
    return LearnedExtractor() if name == "learned" else Extractor()


def get_extractor(name: str | None = None) -> Extractor:
    return _extractor(engine_name(name))


def extract_article(article: ArticleRecord, spells: SpellBook | None = None) -> list[ClaimRecord]:
    return get_extractor()(article, spells)


def read_article(article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
    """Claims and stated affiliations of one article (see `Extractor.read`)."""
    return get_extractor().read(article, spells)
