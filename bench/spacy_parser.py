"""What spaCy's tagger, lemmatizer and parser would cost, and how much of the cue lexicon they could replace.

    .venv/bin/python bench/spacy_parser.py

The rules engine runs en_core_web_sm's entity recogniser only, on the sentences that can carry a claim
(`extract.components._needs_parse`). This times the same model call on the same sentences of every English
article in ../shared/corpus/articles and ../shared/corpus/unlabelled with (a) NER only, as now, and (b) the
whole pipeline (tok2vec, tagger, parser, attribute ruler, lemmatizer, NER), and prints the articles per CPU-second each
leaves for that step alone. It also counts the single-word cue patterns of cues.jsonl that only spell out
inflections of one word ("admire[sd]?", "monitor(?:ing|ed)?"), which a lemma pattern would replace.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import datetime as dt  # noqa: E402
import importlib  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from mercato.config import shared_dir  # noqa: E402
from mercato.extract import components  # noqa: E402
from mercato.extract.doc import ArticleDoc  # noqa: E402
from mercato.extract.lexicon import cue_entries  # noqa: E402
from mercato.extract.nlp import MODEL_MODULES  # noqa: E402
from mercato.ingest import IngestError, read_path  # noqa: E402


def parse_texts() -> list[str]:
    """Per English article, the text the NER step is given (its claim-bearing sentences, blank-line joined)."""
    out = []
    shared = shared_dir()
    for folder in ("corpus/articles", "corpus/unlabelled"):
        for path in sorted((shared / folder).glob("*.txt")):
            for a in read_path(path):
                if isinstance(a, IngestError) or a.lang not in (None, "en"):
                    continue
                doc = ArticleDoc(text=a.text, date=a.date or dt.date.today())
                components.segment(doc)
                components.mentions(doc)
                todo = [s.text for s in doc.sentences if components._needs_parse(s)]
                out.append("\n\n".join(todo))
    return out


def timed(nlp: object, texts: list[str]) -> float:
    t0 = time.process_time()
    for t in texts:
        nlp(t)  # type: ignore[operator]
    return time.process_time() - t0


def inflection_only(regex: str) -> bool:
    """A single word whose alternatives differ only in an ending: 'admire[sd]?', 'monitor(?:ing|ed)?', 'targets?'."""
    return re.fullmatch(r"[a-z]+(?:\[[a-z]+\]\??|\(\?:[a-z|]+\)\??|s\?|[a-z]\?)+", regex) is not None


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    module = None
    for name in MODEL_MODULES:
        try:
            module = importlib.import_module(name)
            break
        except ImportError:
            continue
    if module is None:
        print("no English spaCy model installed")
        return 1
    texts = parse_texts()
    ner = module.load(exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    full = module.load(exclude=["senter"])
    for nlp in (ner, full):
        timed(nlp, texts[:5])
    t_ner, t_full = timed(ner, texts), timed(full, texts)
    n = len(texts)
    print(f"{n} English articles, {sum(len(t) for t in texts) / n:.0f} characters to parse each on average")
    print(f"NER only (as now):                  {n / t_ner:7.1f} articles/s for this step ({t_ner:.2f} s)")
    print(f"tagger+parser+lemmatizer+NER:       {n / t_full:7.1f} articles/s for this step ({t_full:.2f} s), "
          f"{t_full / t_ner:.1f}x the time")
    pats = [e for e in cue_entries() if "regex" in e]
    infl = [e["id"] for e in pats if inflection_only(e["regex"])]
    print(f"cue patterns: {len(pats)}; single words spelling out inflections (a lemma would do): {len(infl)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
