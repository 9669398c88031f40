"""Tokenising and sentence splitting for the five languages, with spaCy's blank pipelines (no model weights)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc


@cache
def tokenizer(lang: str) -> Language:
    return spacy.blank(lang)


@cache
def stop_words(lang: str) -> frozenset[str]:
    return frozenset(w.lower() for w in tokenizer(lang).Defaults.stop_words)


_ENDS = frozenset({".", "!", "?", "…", "+++", "►", "•"})
_OPENERS = frozenset({'"', "“", "„", "«", "‘", "'", "(", "►", "•", "-", "–"})


@dataclass
class Sent:
    start: int  # token indices, end exclusive
    end: int
    char_start: int
    char_end: int
    paragraph: int


def sentences(doc: Doc) -> list[Sent]:
    """Sentences: after . ! ? before a capital, digit or opening quote; at every line break (headlines, bullets)."""
    out: list[Sent] = []
    start = 0
    paragraph = 0
    n = len(doc)

    def close(end: int) -> None:
        toks = [t for t in doc[start:end] if not t.is_space]
        if toks:
            out.append(Sent(toks[0].i, toks[-1].i + 1, toks[0].idx, toks[-1].idx + len(toks[-1].text), paragraph))

    for i, tok in enumerate(doc):
        breaks = "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text)
        end_here = False
        if breaks:
            end_here = True
        elif tok.text in _ENDS and i + 1 < n:
            nxt = doc[i + 1]
            end_here = nxt.text[:1].isupper() or nxt.text[:1].isdigit() or nxt.text in _OPENERS
        if end_here:
            close(i + 1)
            start = i + 1
            if breaks:
                paragraph += 1
    close(n)
    return out
