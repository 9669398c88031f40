"""Build src/mercato/kb/data/clubs_openfootball.jsonl and clubs_openfootball_world.jsonl from
../shared/datasets/openfootball-clubs (CC0).

Run: .venv/bin/python scripts/build_clubs_kb.py
The curated file clubs_curated.jsonl (our own: canonical English names and nicknames) is merged
over it at load time, so this script only needs re-running when the public data changes.

clubs_openfootball.jsonl holds the 14 European countries the extractor was first written for;
clubs_openfootball_world.jsonl every other country of the data (MLS, Brazil, Argentina, Saudi Arabia...),
each club with the year it was founded where the data gives one (`founded`: a club is not known to an
article dated before it) and without the aliases a name or a place could be (one word that is the club's
town, a person's name in the knowledge base, a common word): the knowledge base loads it after the
first, and a name it shares with a club known before stays that club's.
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
_DEFUNCT = re.compile(r"\(\d{4}-\d{4}\)")


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
        fields = [f.strip() for f in line.split(",")]
        name = fields[0]
        if not name or any(ch.isdigit() for ch in name.split()[-1]) and "04" not in name:
            pass
        current = {"official": name, "aliases": [], "country": country}
        years = [f for f in fields[1:] if re.fullmatch(r"\d{4}", f)]
        if years:
            current["founded"] = int(years[0])
        places = [f for f in fields[1:] if f and not re.fullmatch(r"\d{4}", f)]
        if places:
            current["town"] = places[0]
        clubs.append(current)
    return clubs


# a state or region code after a club's name ("Corinthians SP", "Botafogo RJ")
_STATE = re.compile(r"\s+[A-Z]{2,3}$")


def _affix(token: str) -> bool:
    """A legal-form, region or year token around a club's name ("FC", "GNK", "SP", "1907")."""
    return token.isdigit() or (token.isupper() and len(token) <= 4) or bool(_SUFFIX.fullmatch(token + " "))


def english_name(club: dict) -> str:
    """The club's name as English text writes it: the data's [en] name, else the shortest name the data lists
    that is its official name without legal-form, region or year tokens ("Corinthians SP" -> "Corinthians",
    "GNK Dinamo Zagreb" -> "Dinamo Zagreb", "Inter Miami CF" -> "Inter Miami"), else the official name without
    legal-form affixes ("Al-Duhail SC" -> "Al-Duhail"); never the bare name of its town ("Toronto FC" stays)."""
    if club.get("en"):
        return str(club["en"])
    official = _YEAR.sub("", club["official"]).strip()
    tokens = official.split()
    aliases = set(club["aliases"])
    best = official
    for i in range(len(tokens)):
        for j in range(len(tokens), i, -1):
            if (i, j) == (0, len(tokens)) or not all(_affix(t) for t in tokens[:i] + tokens[j:]):
                continue
            bare = " ".join(tokens[i:j])
            if bare in aliases and len(bare) < len(best) and len(bare) >= 4 and bare != club.get("town"):
                best = bare
    short = short_name(official)
    if best == official and short != club.get("town"):
        best = short
    return best


def world_rows(base: Path, known: set[str]) -> list[dict]:
    """Every country's clubs beyond the 14 of COUNTRIES, without aliases a name or a place could be."""
    from mercato.kb.base import get_kb, normalise

    kb = get_kb()
    common = {normalise(w) for w in json.loads((ROOT / "src/mercato/kb/data/common_words.json").read_text("utf-8"))}
    countries = json.loads((ROOT / "src/mercato/kb/data/countries.json").read_text("utf-8"))
    places = {normalise(c) for c in countries} | {normalise(d) for v in countries.values() for d in v}
    rows = []
    for f in sorted(base.glob("*/*/*.clubs.txt")):
        if f.parent.parent.name == "europe" and f.parent.name in COUNTRIES:
            continue
        code = f.name.split(".")[0]
        for club in parse_file(f, code):
            if _DEFUNCT.search(club["official"]):
                continue  # a club that no longer exists (dated; not for today's articles)
            canonical = english_name(club)
            if normalise(canonical) in known:
                continue

            def fits(a: str, club: dict = club) -> bool:
                key = normalise(a)
                if len(key) < 3 or key in known or key in common or key in places or kb.person(a):
                    return False
                one_word = " " not in key
                return not (one_word and (key == normalise(club.get("town", "")) or a.isupper() and len(a) <= 3))

            aliases = sorted({a for a in club["aliases"] + [club["official"]] if a != canonical and fits(a)})
            row: dict = {"name": canonical, "aliases": aliases, "country": code}
            if club.get("founded"):
                row["founded"] = club["founded"]
            rows.append(row)
    return rows


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
    known = {normalise_key(a) for r in rows for a in [r["name"], *r["aliases"]]}
    curated = ROOT / "src" / "mercato" / "kb" / "data" / "clubs_curated.jsonl"
    for line in curated.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            known |= {normalise_key(a) for a in [r["name"], *r.get("aliases", []), *r.get("nicknames", [])]}
    world = world_rows(base.parent, known)
    out2 = out.with_name("clubs_openfootball_world.jsonl")
    with out2.open("w", encoding="utf-8") as fh:
        for r in world:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(world)} clubs to {out2}")


def normalise_key(name: str) -> str:
    from mercato.kb.base import normalise

    return normalise(name)


if __name__ == "__main__":
    main()
