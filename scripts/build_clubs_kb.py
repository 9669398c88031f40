"""Build src/mercato/kb/data/clubs_openfootball.jsonl from ../shared/datasets/openfootball-clubs (CC0).

Run: .venv/bin/python scripts/build_clubs_kb.py
The curated file clubs_curated.jsonl (our own: canonical English names and nicknames) is merged
over it at load time, so this script only needs re-running when the public data changes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mercato.config import shared_dir  # noqa: E402

COUNTRIES = {
    "england": "eng", "germany": "de", "spain": "es", "italy": "it", "france": "fr",
    "portugal": "pt", "netherlands": "nl", "scotland": "sco", "belgium": "be", "turkey": "tr",
    "austria": "at", "switzerland": "ch", "greece": "gr", "wales": "wal",
}
_SUFFIX = re.compile(r"^(?:FC|AFC|CF|SC|SV|AC|AS|SS|US|RC|CD|UD|SD|RCD|OGC|SL|VfB|VfL|TSG|KRC|KSC)\s+|\s+(?:FC|AFC|CF|SC|F\.C\.)$")
_YEAR = re.compile(r"\(\d{4}-?\d{0,4}\)")


def short_name(name: str) -> str:
    n = _YEAR.sub("", name).strip()
    prev = None
    while prev != n:
        prev = n
        n = _SUFFIX.sub("", n).strip()
    return n or name


def parse_file(path: Path, country: str) -> list[dict]:
    clubs: list[dict] = []
    current: dict | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("##")[0].split(" #")[0].rstrip()
        if not line.strip() or line.lstrip().startswith(("#", "=")):
            continue
        if line.lstrip().startswith("|"):
            if current is None:
                continue
            for alt in line.split("|"):
                alt = alt.strip()
                if not alt:
                    continue
                en = alt.endswith("[en]")
                alt = alt.replace("[en]", "").replace("[de]", "").strip()
                if en and "en" not in current:
                    current["en"] = alt
                current["aliases"].append(alt)
            continue
        if line.startswith((" ", "\t")) or line.lstrip().startswith(("ii)", "iii)", "iv)")):
            current = None  # address lines, reserve teams
            continue
        name = line.split(",")[0].strip()
        if not name or any(ch.isdigit() for ch in name.split()[-1]) and "04" not in name:
            pass
        current = {"official": name, "aliases": [], "country": country}
        clubs.append(current)
    return clubs


def main() -> None:
    base = shared_dir() / "datasets" / "openfootball-clubs" / "europe"
    out = ROOT / "src" / "mercato" / "kb" / "data" / "clubs_openfootball.jsonl"
    rows = []
    for folder, code in COUNTRIES.items():
        f = base / folder / f"{code}.clubs.txt"
        if not f.exists():
            continue
        for club in parse_file(f, code):
            canonical = club.pop("en", None) or short_name(club["official"])
            aliases = sorted({a for a in club["aliases"] + [club["official"]] if a != canonical and len(a) > 2})
            rows.append({"name": canonical, "aliases": aliases, "country": club["country"]})
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} clubs to {out}")


if __name__ == "__main__":
    main()
