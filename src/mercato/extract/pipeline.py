"""The extractor: runs the components over an ArticleDoc and returns its claims."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from mercato.extract import components
from mercato.extract.doc import ArticleDoc
from mercato.extract.multilingual import LANGS as MULTILINGUAL_LANGS
from mercato.extract.multilingual import extract_multilingual
from mercato.records import ArticleRecord, ClaimRecord

EXTRACTOR_VERSION = "rules-0.5"

Component = Callable[[ArticleDoc], None]
DEFAULT_COMPONENTS: tuple[Component, ...] = (
    components.segment,
    components.mentions,
    components.resolve,
    components.attribution,
    components.claims,
)


class Extractor:
    version = EXTRACTOR_VERSION

    def __init__(self, pipeline: tuple[Component, ...] = DEFAULT_COMPONENTS) -> None:
        self.pipeline = pipeline

    def make_doc(self, article: ArticleRecord) -> ArticleDoc:
        return ArticleDoc(text=article.text, date=article.date, outlet=article.outlet, author=article.author)

    def __call__(self, article: ArticleRecord) -> list[ClaimRecord]:
        if article.lang in MULTILINGUAL_LANGS:  # the one place that sends an article to its language's extractor
            return extract_multilingual(article)
        doc = self.make_doc(article)
        for component in self.pipeline:
            component(doc)
        return doc.claims


@lru_cache(maxsize=1)
def get_extractor() -> Extractor:
    return Extractor()


def extract_article(article: ArticleRecord) -> list[ClaimRecord]:
    return get_extractor()(article)
