"""The cue data's lemma morphology checked against spaCy's lookup lemmatizer tables (spacy-lookups-data).

    .venv/bin/pip download spacy-lookups-data --no-deps -d /tmp/lookups     # 98.5 MB wheel, not a dependency
    .venv/bin/python bench/morphology_lookups.py /tmp/lookups/spacy_lookups_data-1.0.5-py2.py3-none-any.whl

For every lemma written in data/<lang>.json (`<fichar>`, `<oferta:n>`), the forms morphology.py makes and how many of
them the lookup table maps back to the same lemma; forms it does not know are listed (a few per language). A form the
table maps elsewhere is not necessarily wrong (German participles are adjectives there).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import zipfile
from collections import defaultdict

from mercato.extract.multilingual.cues import DATA, LANGS
from mercato.extract.multilingual.morphology import forms

TABLES = {"de": ["de_lemma_lookup"], "es": ["es_lemma_lookup"], "fr": ["fr_lemma_lookup"],
          "it": ["it_lemma_lookup", "it_lemma_lookup_verb", "it_lemma_lookup_noun"], "pt": ["pt_lemma_lookup"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", help="the spacy-lookups-data wheel")
    args = ap.parse_args(argv)
    with zipfile.ZipFile(args.wheel) as z:
        for lang in LANGS:
            table: dict[str, str] = {}
            for name in TABLES[lang]:
                raw = json.loads(gzip.decompress(z.read(f"spacy_lookups_data/data/{name}.json.gz")))
                table.update({k.lower(): (v[0] if isinstance(v, list) else v).lower() for k, v in raw.items()})
            known = defaultdict(set)
            for form, lemma in table.items():
                known[lemma].add(form)
            lemmas: set[str] = set()
            for e in json.loads((DATA / f"{lang}.json").read_text(encoding="utf-8"))["entries"]:
                for cue in e["cues"]:
                    lemmas |= set(re.findall(r"<([^>]+)>", cue))
            agree = total = in_table = 0
            unknown: list[str] = []
            for lemma in sorted(lemmas):
                word = lemma.partition(":")[0].lower()
                mine = set(forms(lang, lemma)) - {word}
                if word not in known:
                    continue
                in_table += 1
                agree += sum(1 for f in mine if table.get(f) == word)
                total += len(mine)
                unknown += sorted(f for f in mine if f not in table)[:2]
            print(f"{lang}: {len(lemmas)} lemmas, {in_table} in the table; forms mapped back to their lemma "
                  f"{agree}/{total} ({agree / max(total, 1):.1%}); unknown to the table, e.g. {unknown[:6]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
