"""Build src/mercato/kb/data/person_names.json: the full names of people in our annotations, each with the date
it was first seen.

    .venv/bin/python scripts/build_person_names.py

The multilingual extractor links a lone surname ("Pogba", "LUKAKU") to a full name only where one is known. Sources:
  names     the English labels (silver labels of the English non-blind articles, adjudicated where settled, the BBC
            gossip and Romano posts silver labels, annotations/extra and annotations/second) name about two thousand
            people in full
  register  the players of the BBC gossip data set's transfer register (transfers.csv), seen from their season's
            start (1 July)
  dev       the people the labels of the 22 non-English development articles name (silver and second labelling),
            each with the articles that name him: an honest development figure leaves out the names an article
            itself contributed (bench/languages_honest.py, leave-one-article-out)
Only names and dates are kept (no claim), nothing from a blind article. `since` gives each name the date of the first
document that names it (a name is used only for articles dated on or after it: no knowledge from the future).
One-word names ("Neymar") are kept apart, as `mononyms`. `roles` gives, for people our English labels name as a
manager or staff member, the date each role was first labelled (only those: a player is the default).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from mercato.config import shared_dir
from mercato.evaluate.annotations import load_packed, training_docs
from mercato.evaluate.languages import LANGS, SECOND, dev_articles, labels

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "mercato" / "kb" / "data" / "person_names.json"


def _full(p: str) -> bool:
    return len(p.split()) >= 2


def _mono(p: str) -> bool:
    return len(p.split()) == 1 and len(p) >= 4 and p[:1].isupper()


def main() -> int:
    shared = shared_dir()
    since: dict[str, str] = {}

    def seen(name: str, day: str | None) -> None:
        if day and (name not in since or day < since[name]):
            since[name] = day
        elif not day:
            since.setdefault(name, "")

    docs = training_docs(english_only=True)
    second = REPO / "annotations" / "second"
    for folder in ("articles", "gossip", "posts"):
        if (second / folder).is_dir():
            docs += [d for d in load_packed(second / folder) if d.lang == "en"]
    names: set[str] = set()
    mononyms: set[str] = set()
    roles: dict[str, dict[str, str]] = {}  # name -> role -> the first date a label gives him that role
    for d in docs:
        if d.lang != "en":
            continue
        day = d.article.date.isoformat() if d.article.date else None
        for c in d.claims:
            p = (c.get("person") or "").strip()
            role = c.get("role")
            if p and day and role in ("player", "manager", "staff"):
                first = roles.setdefault(p, {}).get(role)
                if first is None or day < first:
                    roles[p][role] = day
            if _full(p):
                names.add(p)
                seen(p, day)
            elif _mono(p):
                mononyms.add(p)
                seen(p, day)
    register: set[str] = set()
    with (shared / "datasets" / "bbc-gossip-2021" / "transfers.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            p = (row.get("player_name") or "").strip()
            season = (row.get("season") or "").strip()
            if _full(p) and season.isdigit():
                register.add(p)
                seen(p, f"{season}-07-01")
    dev: dict[str, set[str]] = {}
    for a in dev_articles():
        for which in ("silver", "second"):
            if which == "second" and not (SECOND / f"{a.id}.json").exists():
                continue
            for c in labels(a.id, which):
                p = (c.get("person") or "").strip()
                if _full(p) or _mono(p):
                    dev.setdefault(p, set()).add(a.id)
                    seen(p, a.record.date.isoformat() if a.record.date else None)
    OUT.write_text(json.dumps({
        "about": __doc__.splitlines()[0], "languages_left_out_of_names": list(LANGS),
        "names": sorted(names), "mononyms": sorted(mononyms), "register": sorted(register - names),
        "dev": {k: sorted(v) for k, v in sorted(dev.items())}, "since": dict(sorted(since.items())),
        "roles": {k: dict(sorted(v.items(), key=lambda kv: kv[1])) for k, v in sorted(roles.items())
                  if set(v) != {"player"}},
    }, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names)} names and {len(mononyms)} one-word names from {len(docs)} English documents, "
          f"{len(register - names)} more from the transfer register, {len(dev)} from the development articles' labels")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
