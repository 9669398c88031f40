"""What the learned extractor's optional dependency-parse features (learned.depfeats) cost in speed.

    .venv/bin/python bench/learned_parse.py [--repeat N]

Runs the learned extractor (rule components, candidates, shipped model) over every English article of
../shared/corpus/articles and ../shared/corpus/unlabelled, without and with the parse features (tagger, parser and
lemmatizer of en_core_web_sm on the sentences holding a candidate's club and person), and prints English articles
per CPU-second (time.process_time, one thread) each way. Their quality is measured by
`python -m mercato.extract.learned.train --no-save --parse` (variants lr and lr-no-parse).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from mercato.config import shared_dir  # noqa: E402
from mercato.extract.doc import ArticleDoc  # noqa: E402
from mercato.extract.learned import decode, get_model, predict, process  # noqa: E402
from mercato.extract.learned.depfeats import get_parser  # noqa: E402
from mercato.extract.nlp import get_nlp  # noqa: E402
from mercato.ingest import IngestError, read_path  # noqa: E402
from mercato.records import ArticleRecord  # noqa: E402


def english() -> list[ArticleRecord]:
    out: list[ArticleRecord] = []
    for folder in ("corpus/articles", "corpus/unlabelled"):
        for path in sorted((shared_dir() / folder).glob("*.txt")):
            out.extend(a for a in read_path(path) if not isinstance(a, IngestError) and a.lang in (None, "en"))
    return out


def timed(articles: list[ArticleRecord], parse: bool) -> tuple[float, int]:
    model = get_model()
    n = 0
    t0 = time.process_time()
    for a in articles:
        doc = ArticleDoc(text=a.text, date=a.date or dt.date.today(), outlet=a.outlet, author=a.author)
        cands = process(doc, model.meta.get("outlets"), parse)
        p, st, ce, ro = predict(model, cands)
        n += len(decode(doc, cands, p, st, ce, model.threshold, ro))
    return time.process_time() - t0, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="time each way N times, keep the fastest")
    args = ap.parse_args(argv)
    arts = english()
    get_nlp()
    get_parser()
    get_model()
    timed(arts[:5], False)
    timed(arts[:5], True)
    n = len(arts)
    best = {False: float("inf"), True: float("inf")}
    for _ in range(args.repeat):
        for parse in (False, True):
            best[parse] = min(best[parse], timed(arts, parse)[0])
    print(f"{n} English articles, learned extractor, CPU seconds (process_time), best of {args.repeat}")
    print(f"without parse features: {best[False]:7.2f} s = {n / best[False]:6.1f} articles per CPU-second")
    print(f"with parse features:    {best[True]:7.2f} s = {n / best[True]:6.1f} articles per CPU-second "
          f"({best[True] / best[False]:.2f}x the time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
