"""Build src/mercato/kb/data/person_names.json: the full names of people in our English annotations.

    .venv/bin/python scripts/build_person_names.py

The multilingual extractor links a lone surname ("Pogba", "LUKAKU") to a full name only where one is known; the
English labels (silver labels of the English non-blind articles, the BBC gossip and Romano posts silver labels,
annotations/extra and annotations/second) name about two thousand people in full. Only names are kept (no
claim, no date), and nothing from a blind article or from an article in another
language (so the non-English development figures are not helped by their own labels). One-word names
("Neymar") are kept apart, as `mononyms`.
"""

from __future__ import annotations

import json
from pathlib import Path

from mercato.config import shared_dir
from mercato.evaluate.languages import LANGS, blind_ids, dev_articles

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "mercato" / "kb" / "data" / "person_names.json"


def _claims_jsonl(path: Path) -> list[dict]:
    out: list[dict] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.extend(json.loads(line).get("claims", []))
    return out


def main() -> int:
    shared = shared_dir()
    skip = set(blind_ids()) | {a.id for a in dev_articles()}
    claims: list[dict] = []
    for path in sorted((shared / "corpus" / "silver").glob("u*.json")):
        if path.stem not in skip:
            claims.extend(json.loads(path.read_text(encoding="utf-8"))["claims"])
    for path in sorted((REPO / "annotations" / "second" / "articles").glob("u*.json")):
        if path.stem not in skip:
            claims.extend(json.loads(path.read_text(encoding="utf-8"))["claims"])
    for folder in (shared / "datasets" / "bbc-gossip-2021" / "silver", shared / "datasets" / "romano-tweets-2025" / "silver",
                   REPO / "annotations" / "extra", REPO / "annotations" / "second" / "gossip",
                   REPO / "annotations" / "second" / "posts"):
        for path in sorted(folder.glob("*.jsonl")):
            claims.extend(_claims_jsonl(path))
    names = sorted({c["person"].strip() for c in claims if len(c.get("person", "").split()) >= 2})
    # players known by one name ("Neymar", "Antony", "Rodrygo")
    mononyms = sorted({p for c in claims if len((p := c.get("person", "").strip()).split()) == 1
                       and len(p) >= 4 and p[:1].isupper()})
    OUT.write_text(json.dumps({"about": __doc__.splitlines()[0], "languages_left_out": list(LANGS), "names": names,
                               "mononyms": mononyms}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names)} names and {len(mononyms)} one-word names from {len(claims)} labelled claims")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
