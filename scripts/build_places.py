"""Build src/mercato/kb/data/places.json: the towns and grounds of ../shared/datasets/openfootball-clubs (CC0).

Run: .venv/bin/python scripts/build_places.py

The learned extractor's candidate generator takes capitalised names no recogniser took for people ("Neymar",
"Emi Buendia"); a town ("London", "Bergamo") or a ground ("Turf Moor", "Craven Cottage") named twice passed for
one and made claims for it. The public club data names every club's town and ground (club lines
"Name, year, @ Ground, Town (district)", ground lines "Ground, capacity, year, Town" and their "| alias" lines):
those names are no person. A name that is also a person's (the knowledge base's people and their aliases, the
full names of people in our annotations and their last names) is left out: a person may share it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mercato.config import shared_dir  # noqa: E402
from mercato.kb import normalise  # noqa: E402

OUT = ROOT / "src" / "mercato" / "kb" / "data" / "places.json"
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NUMBER = re.compile(r"^[\d_.,\s/-]+$")
_NAME = re.compile(r"^[A-ZÀ-Þ][\w’'.-]*(?:[ -][\w’'.-]+){0,3}$")


def _clean(text: str) -> str:
    return " ".join(_PAREN.sub("", text.replace("$", "")).split()).strip(" ,")


def _fields(line: str) -> list[str]:
    return [f.strip() for f in line.split("##")[0].split(" #")[0].split("//")[0].split(",")]


def places(base: Path) -> set[str]:
    out: set[str] = set()

    def add(name: str) -> None:
        name = _clean(name)
        if name and _NAME.match(name) and not _NUMBER.match(name):
            out.add(name)

    for f in sorted(base.glob("*/*/*.clubs.txt")):
        for raw in f.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.lstrip().startswith(("#", "=", "|")):
                continue
            fields = [x for x in _fields(raw)[1:] if x and not _NUMBER.match(x) and "www" not in x and "." not in x]
            for x in fields:
                if x.startswith("@"):
                    add(x[1:])
            towns = [x for x in fields if not x.startswith("@")]
            if towns:
                add(towns[-1])
    for f in sorted(base.glob("*/*/*.stadiums.txt")):
        for raw in f.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.lstrip().startswith(("#", "=")):
                continue
            if raw.lstrip().startswith("|"):
                for alt in raw.split("##")[0].split("|"):
                    add(alt)
                continue
            if raw.startswith((" ", "\t")):
                continue  # an address line
            fields = [x for x in _fields(raw) if x and not _NUMBER.match(x)]
            if fields:
                add(fields[0])
                if len(fields) > 1:
                    add(fields[-1])
    return out


def person_words() -> set[str]:
    """Normalised names a person may be called by: the knowledge base's people and aliases, the annotated people's
    full names and last names."""
    data = ROOT / "src" / "mercato" / "kb" / "data"
    names: set[str] = set()
    for line in (data / "people.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            names.update([row["name"], *row.get("aliases", [])])
    full = json.loads((data / "person_names.json").read_text(encoding="utf-8")).get("names", [])
    names.update(full)
    names.update(n.split()[-1] for n in full if n.split())
    return {normalise(n) for n in names}


def main() -> None:
    base = shared_dir() / "datasets" / "openfootball-clubs"
    if not base.is_dir():
        sys.exit(f"{base}: not found (the shared datasets)")
    persons = person_words()
    names = sorted(n for n in places(base) if normalise(n) not in persons)
    doc = {"about": "Towns and grounds named by the openfootball club and stadium lists (CC0), built by "
                    "scripts/build_places.py; names a person of the knowledge base or the annotations is called by "
                    "are left out. The learned extractor's candidates take none of these for a person.",
           "source": "../shared/datasets/openfootball-clubs", "names": names}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names)} places")


if __name__ == "__main__":
    main()
