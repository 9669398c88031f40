"""extract: ArticleRecord -> ClaimRecords, per ../shared/spec/claims.md.

A pipeline of small components over one shared structure (`ArticleDoc`), spaCy-style:
segment -> mentions -> resolve -> attribution -> claims. Lexicons live in extract/data and kb/data.
May touch: the knowledge base and the spaCy model. Never the database or the network.
"""

from mercato.extract.pipeline import EXTRACTOR_VERSION, Extractor, extract_article, get_extractor, read_article

__all__ = ["EXTRACTOR_VERSION", "Extractor", "extract_article", "get_extractor", "read_article"]
