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
from mercato.records import ArticleRecord, ClaimRecord

RULES_VERSION = "rules-0.5"
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

    def make_doc(self, article: ArticleRecord) -> ArticleDoc:
        return ArticleDoc(text=article.text, date=article.date, outlet=article.outlet, author=article.author)

    def __call__(self, article: ArticleRecord) -> list[ClaimRecord]:
        doc = self.make_doc(article)
        for component in self.pipeline:
            component(doc)
        return doc.claims


class LearnedExtractor(Extractor):
    """The rule components find mentions and frames and propose; the trained model (extract/learned) decides."""

    version = LEARNED_VERSION

    def __init__(self) -> None:
        from mercato.extract.learned import get_model

        super().__init__()
        self.model = get_model()

    def __call__(self, article: ArticleRecord) -> list[ClaimRecord]:
        from mercato.extract.learned import learned_claims

        doc = self.make_doc(article)
        claims = learned_claims(doc, self.model)
        doc.claims = claims
        return claims


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


def extract_article(article: ArticleRecord) -> list[ClaimRecord]:
    return get_extractor()(article)
