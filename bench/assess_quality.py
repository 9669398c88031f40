"""What the assessment says on a real data set, measured: the figures of issue 11's "Done means".

    .venv/bin/python bench/assess_quality.py --db FILE [--json]

FILE holds an ingested data set with its outcomes imported (e.g. the gossip set: `mercato ingest
rumours.csv --db FILE && mercato outcomes import transfers.csv --db FILE`). Reported:
- done stories: move stories whose strongest claim is `done`, and their median probability
  (all of them, and those no outcome has settled). A settled story's probability is its outcome (1 or
  0), so the median over all of them mixes outcomes with forecasts; the forecast is reported apart: each
  done story's probability as of its latest claim's date (what a reader saw then, before the outcome);
- sources: journalists that are parties to moves (a person some claim is about, or a known player,
  manager or official of the knowledge base), platforms listed as outlets, and the share of outlet
  claims whose outlet name is a raw domain or a fallback made from one (not in the outlet knowledge base);
- stories per person, club and role: how many (club, role) pairs have more than one move story for
  one canonical person (name variants that did not merge), and players also listed as managers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
from collections import defaultdict
from typing import Any

from mercato.assess import service
from mercato.kb.base import get_kb
from mercato.kb.names import fold
from mercato.store import Database

PLATFORMS = ("twitter", "x.com", "instagram", "youtube", "facebook", "tiktok")
_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}$", re.I)


def _variants(names: set[str]) -> bool:
    """Do two of these names (same surname) read as one person: "Emi"/"Emiliano", "Frenchman Adrien Rabiot"?"""
    folded = [fold(n).split() for n in names]
    for i, a in enumerate(folded):
        for b in folded[i + 1:]:
            if set(a) <= set(b) or set(b) <= set(a):
                return True
            if a[0].startswith(b[0]) or b[0].startswith(a[0]):
                return True
    return False


def measure(db: Database) -> dict[str, Any]:
    moves = service.list_stories(db, None, "move")
    done = [s for s in moves if s["stage"] == "done"]
    done_open = [s for s in done if s["outcome"] is None]
    forecasts = []  # each done story as of its latest claim's date: the forecast, not the outcome
    by_date: dict[str, dict[str, dict[str, Any]]] = {}
    for s in done:
        if s["last_date"] not in by_date:
            by_date[s["last_date"]] = {x["id"]: x for x in
                                       service.list_stories(db, dt.date.fromisoformat(s["last_date"]), "move")}
        then = by_date[s["last_date"]].get(s["id"])
        if then is not None:
            forecasts.append(then["probability"])
    sources = service.list_sources(db)
    kb = get_kb()
    persons = {fold(s["person"]) for s in moves}
    journalists = [s for s in sources if s["kind"] == "journalist"]
    party_journalists = [s["name"] for s in journalists
                         if fold(s["name"]) in persons or (kb.person(s["name"]) and not kb.journalist(s["name"]))]
    outlets = [s for s in sources if s["kind"] == "outlet"]
    platform_outlets = [s["name"] for s in outlets if any(p in s["name"].lower() for p in PLATFORMS)]
    outlet_claims = sum(s["claims"] for s in outlets)
    # raw: a domain as the name, or (after issue 11) a fallback name made from a domain the KB lacks
    raw = [s for s in outlets
           if ((not s["known"]) if "known" in s else (_DOMAIN.match(s["name"]) or not kb.outlet(s["name"])))]
    raw_claims = sum(s["claims"] for s in raw)
    # one story per person per club and role: a person's folded surname + club + role seen under two names
    by_key: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for s in moves:
        toks = fold(s["person"]).split()
        if toks:
            by_key[(toks[-1], s["club"], s["role"])].add(s["person"])
    split = {k: sorted(v) for k, v in by_key.items() if len(v) > 1 and _variants(v)}
    roles: dict[str, set[str]] = defaultdict(set)
    for s in moves:
        roles[s["person"]].add(s["role"])
    both = sorted(p for p, r in roles.items() if {"player", "manager"} <= r)
    return {
        "move_stories": len(moves),
        "done_stories": len(done),
        "done_median_probability": round(statistics.median(s["probability"] for s in done), 3) if done else None,
        "done_forecast_median_probability": round(statistics.median(forecasts), 3) if forecasts else None,
        "done_forecast_min_probability": round(min(forecasts), 3) if forecasts else None,
        "done_settled_true": sum(1 for s in done if s["outcome"] is True),
        "done_settled_false": sum(1 for s in done if s["outcome"] is False),
        "done_unsettled": len(done_open),
        "done_unsettled_median_probability":
            round(statistics.median(s["probability"] for s in done_open), 3) if done_open else None,
        "journalists": len(journalists),
        "parties_as_journalists": len(party_journalists),
        "parties_as_journalists_examples": party_journalists[:10],
        "platforms_as_outlets": platform_outlets,
        "outlet_claims": outlet_claims,
        "outlet_claims_raw_domain": raw_claims,
        "outlet_claims_raw_domain_share": round(raw_claims / outlet_claims, 4) if outlet_claims else None,
        "raw_domain_outlets": [s["name"] for s in sorted(raw, key=lambda s: -s["claims"])][:15],
        "same_surname_club_role_split": len(split),
        "split_examples": [f"{k[1]}/{k[2]}: {' | '.join(v)}" for k, v in list(split.items())[:10]],
        "people_as_player_and_manager": both[:20],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    db = Database(args.db if "://" in args.db else f"sqlite:///{args.db}")
    res = measure(db)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    for k, v in res.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
