"""The extractors: the learned one (the default), the rules engine, and `auto` (an alias of the learned one).

Measured by 5-fold document-level cross-validation on the annotated corpus (`python -m
mercato.extract.learned.train`), learned-0.10 against the rules engine: claim F1 0.654 against 0.573 on full
articles, 0.847 against 0.656 on gossip items, 0.716 against 0.614 on posts (0.842 against 0.943 on the
development gold, which the rules were written on and so overstate). The learned model therefore reads every
kind of document by default. `auto` once sent texts shorter than 450 characters to the learned model and
longer ones to the rules engine, because the learned model had not yet beaten the rules on full articles; now
that it does (by CV and on the blind English articles), `auto` names the learned extractor and is kept so that
existing settings keep working. Speed: a model trained with `train --ner-max-chars 600` reads full articles
without the statistical entity recogniser (about a quarter of its time) at a cost in claim F1 (CV, articles 0.564
-> 0.554, pair F1 0.685 -> 0.659, gold 0.820 -> 0.794); the shipped model keeps it (README, "Quality, measured").
`get_extractor("learned"|"rules"|"auto")`, MERCATO_EXTRACTOR, and the CLI's `--extractor` option for
`mercato ingest`, `extract` and `eval` choose; the rules engine stays available as `rules`.
"""

from __future__ import annotations

import gc
import os
from functools import lru_cache

from spacy.tokens import Doc

from mercato.config import ENV_EXTRACTOR
from mercato.extract import spacy_pipeline
from mercato.extract.doc import ArticleDoc
from mercato.extract.multilingual import LANGS as MULTILINGUAL_LANGS
from mercato.extract.multilingual import extract_multilingual
from mercato.extract.terms import with_terms
from mercato.kb.spells import SpellBook
from mercato.records import ArticleRecord, ClaimRecord

RULES_VERSION = "rules-0.14"
LEARNED_VERSION = "learned-0.10"
DEFAULT_ENGINE = "learned"
EXTRACTOR_VERSION = LEARNED_VERSION  # the default extractor's version
ENGINES = ("auto", "learned", "rules")
ALIASES = {"auto": "learned"}  # `auto` (formerly: learned for short texts, rules for articles) is the learned model



class Extractor:
    """The rules engine: registered spaCy components (extract/spacy_pipeline.py) decide."""

    version = RULES_VERSION

    def __init__(self, names: tuple[str, ...] = spacy_pipeline.COMPONENTS) -> None:
        self.nlp = spacy_pipeline.get_pipeline() if names == spacy_pipeline.COMPONENTS else \
            spacy_pipeline.build_pipeline(names)

    def make_doc(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        return ArticleDoc(text=article.text, date=article.date, outlet=article.outlet, author=article.author,
                          spells=spells)

    def read_spacy(self, article: ArticleRecord, spells: SpellBook | None = None) -> Doc:
        """The spaCy Doc of an English article after every component (`doc._.article`, `doc.spans`)."""
        return spacy_pipeline.run(self.make_doc(article, spells), self.nlp)

    def read(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        """The whole reading of one article: its claims (each with the deal terms of its evidence, see
        extract/terms.py) and the affiliations it states (`doc.affiliations`).
        `spells`: clubs over time to read it with (default: the knowledge base's dated spells)."""
        doc = self._read(article, spells)
        doc.claims = with_terms(doc.claims)
        return doc

    def _read(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        if article.lang in MULTILINGUAL_LANGS:  # the one place that sends an article to its language's extractor
            doc = self.make_doc(article, spells)
            doc.claims = extract_multilingual(article)
            return doc
        art: ArticleDoc = self.read_spacy(article, spells)._.article
        return art

    def __call__(self, article: ArticleRecord, spells: SpellBook | None = None) -> list[ClaimRecord]:
        return self.read(article, spells).claims


class LearnedExtractor(Extractor):
    """The rule components find mentions and frames and propose; the trained model (extract/learned) decides."""

    version = LEARNED_VERSION

    def __init__(self) -> None:
        from mercato.extract.learned import check_settings, get_model

        super().__init__()
        self.model = get_model()
        check_settings(self.model)  # weights trained under other feature switches: a clear error now, not wrong claims

    def _read(self, article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
        from mercato.extract.learned import learned_claims

        doc = self.make_doc(article, spells)
        if article.lang in MULTILINGUAL_LANGS:  # the one place that sends an article to its language's extractor
            doc.claims = extract_multilingual(article)
            return doc
        doc.claims = learned_claims(doc, self.model)  # runs the rule components on `doc`: affiliations too
        return doc


def engine_name(name: str | None = None) -> str:
    """The extractor to use: `name`, else $MERCATO_EXTRACTOR, else the default (learned); aliases resolved."""
    chosen = (name or os.environ.get(ENV_EXTRACTOR) or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise ValueError(f"unknown extractor {chosen!r} (choose {' or '.join(ENGINES)}; {ENV_EXTRACTOR})")
    return ALIASES.get(chosen, chosen)


@lru_cache(maxsize=2)
def _extractor(name: str) -> Extractor:
    extractor = {"learned": LearnedExtractor, "rules": Extractor}[name]()
    _keep_loaded()
    return extractor


def _keep_loaded() -> None:
    """Load what every extractor reads (the knowledge base, its phrase matcher, the lexicons, the English entity
    recogniser) and take it, with everything else alive now, out of the garbage collector's generations
    (`gc.freeze`): these live as long as the process, and the collector's full scans, which the many small objects of
    each reading set off, walked them every time (about a tenth of the learned extractor's time on the shared
    articles; `bench/extract.py`). Garbage is collected first, so none is kept. It changes no output."""
    from mercato.extract.lexicon import get_lexicon
    from mercato.extract.nlp import get_matcher, get_nlp
    from mercato.kb import get_kb

    get_kb()
    get_lexicon()
    get_matcher()
    get_nlp()
    gc.collect()
    gc.freeze()


def extractor_version(name: str | None = None) -> str:
    """The version of the extractor `get_extractor(name)` gives, without loading it."""
    return {"learned": LEARNED_VERSION, "rules": RULES_VERSION}[engine_name(name)]


def get_extractor(name: str | None = None) -> Extractor:
    return _extractor(engine_name(name))


def extract_article(article: ArticleRecord, spells: SpellBook | None = None) -> list[ClaimRecord]:
    return get_extractor()(article, spells)


def read_article(article: ArticleRecord, spells: SpellBook | None = None) -> ArticleDoc:
    """Claims and stated affiliations of one article (see `Extractor.read`)."""
    return get_extractor().read(article, spells)
