"""The extractor: runs the components over an ArticleDoc and returns its claims."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from mercato.extract import components
from mercato.extract.doc import ArticleDoc
from mercato.extract.multilingual import LANGS as MULTILINGUAL_LANGS
from mercato.extract.multilingual import extract_multilingual
from mercato.kb.spells import SpellBook
from mercato.records import ArticleRecord, ClaimRecord

EXTRACTOR_VERSION = "rules-0.6"

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


@lru_cache(maxsize=1)
def get_extractor() -> Extractor:
    return Extractor()


def extract_article(article: ArticleRecord, spells: SpellBook | None = None) -> list[ClaimRecord]:
    return get_extractor()(article, spells)


def read_article(article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
    """Claims and stated affiliations of one article (see `Extractor.read`)."""
    return get_extractor().read(article, spells)
