"""Each article's language: its `lang:` header (or a `lang`/`language` column) where given, else detected.

Detection uses lingua (`lingua-language-detector`, whose models ship inside its PyPI wheel), restricted to
the languages Mercato extracts from. Capitalised words are left out of what the detector reads: names of
clubs, players and places ("Borussia Monchengladbach", "Napoli", "Guimarães") say nothing about the
language of the sentence around them and misled it on short gossip items (11 of 1,247 wrong with them,
0 without: `.venv/bin/python bench/langid.py`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from mercato.records import ArticleRecord

# ISO 639-1 codes Mercato reads, and their names as people write them in a header
LANGUAGES: dict[str, str] = {"en": "English", "de": "German", "es": "Spanish", "it": "Italian", "fr": "French", "pt": "Portuguese"}
_NAMES = {v.lower(): k for k, v in LANGUAGES.items()} | {
    "deutsch": "de", "español": "es", "espanol": "es", "italiano": "it", "français": "fr", "francais": "fr", "português": "pt",
    "portugues": "pt",
}
_CODE = re.compile(r"^[a-z]{2}$")
_NOISE = re.compile(r"https?://\S+|[@#]\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def normalise_lang(value: str) -> str:
    """A header value ("de", "DE", "de-AT", "German", "Deutsch") -> ISO 639-1 code; ValueError if it is none."""
    v = value.strip().lower().replace("_", "-")
    if v in _NAMES:
        return _NAMES[v]
    code = v.split("-", 1)[0]
    if _CODE.match(code):
        return code
    raise ValueError(f"language {value!r} is not an ISO 639-1 code (e.g. en, de, es, it, fr, pt) or a language name")


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    langs = {Language.ENGLISH: "en", Language.GERMAN: "de", Language.SPANISH: "es", Language.ITALIAN: "it",
             Language.FRENCH: "fr", Language.PORTUGUESE: "pt"}
    return LanguageDetectorBuilder.from_languages(*langs).build(), langs


def _lowercase_words(text: str) -> str:
    words = [w for w in _WORD.findall(_NOISE.sub(" ", text)) if not w[0].isupper()]
    return " ".join(words) if len(words) >= 3 else text


def detect_language(text: str, default: str = "en") -> str:
    """The language of `text` among LANGUAGES (default where the detector has no answer)."""
    detector, langs = _detector()
    found = detector.detect_language_of(_lowercase_words(text[:4000]))
    return langs.get(found, default) if found is not None else default


def with_language(record: ArticleRecord) -> ArticleRecord:
    """The record with its language set: as given, else detected from title and text."""
    if record.lang:
        return record
    return replace(record, lang=detect_language(f"{record.title or ''}\n{record.text}"))
