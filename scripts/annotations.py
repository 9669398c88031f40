#!/usr/bin/env python3
"""Pack claim labels written with verbatim evidence into the repository's form: evidence as character
offsets into the ../shared texts, so that third-party text never enters the repository.

Standard library only (annotators use it before any virtual environment exists).

    python3 scripts/annotations.py check SCRATCH_DIR_OR_FILE     # validate, print counts
    python3 scripts/annotations.py pack  SCRATCH_DIR_OR_FILE OUT  # write packed labels

Scratch forms (what an annotator writes):
- an article: `uXXX.json` = {"article": "u008", "claims": [claim...]} in the form of
  ../shared/corpus/gold, evidence verbatim from ../shared/corpus/unlabelled/uXXX.txt (or articles/dXX.txt);
- gossip items: a `.jsonl` of {"id": "<row id of rumours.csv>", "claims": [...]} (evidence from raw_text);
- posts: a `.jsonl` of {"row": <0-based data row of tweets.csv>, "claims": [...]} (evidence from Tweet).

Packed form: the same, with each claim's "evidence" replaced by "evidence_span": [start, end], Python
str offsets into the text (article files read as UTF-8 with universal newlines), plus an "annotator" field.
`mercato.evaluate.annotations` reads packed labels back with their evidence text.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIELDS = ("club", "person", "role", "stage", "source", "certainty")
ROLES = {"manager", "player", "staff"}
STAGES = {"interest", "contact", "talks", "bid", "advanced", "agreement", "done", "off"}
CERTAINTIES = {"firm", "hedged", "doubtful"}


def article_text(aid: str) -> str:
    for sub in ("unlabelled", "articles"):
        p = SHARED / "corpus" / sub / f"{aid}.txt"
        if p.exists():
            return p.read_text(encoding="utf-8")
    raise SystemExit(f"{aid}: no such article in ../shared/corpus")


def gossip_texts() -> dict[str, str]:
    with open(SHARED / "datasets/bbc-gossip-2021/rumours.csv", encoding="utf-8", newline="") as f:
        return {r["id"]: r["raw_text"] for r in csv.DictReader(f)}


def tweet_texts() -> dict[int, str]:
    with open(SHARED / "datasets/romano-tweets-2025/tweets.csv", encoding="utf-8", newline="") as f:
        return dict(enumerate(r["Tweet"] for r in csv.DictReader(f)))


def _claim_errors(where: str, c: dict, text: str) -> list[str]:
    errs = [f"{where}: missing {k}" for k in FIELDS if k not in c]
    if c.get("role") not in ROLES:
        errs.append(f"{where}: role {c.get('role')!r} not one of {sorted(ROLES)}")
    if c.get("stage") not in STAGES:
        errs.append(f"{where}: stage {c.get('stage')!r} not one of {sorted(STAGES)}")
    if c.get("certainty") not in CERTAINTIES:
        errs.append(f"{where}: certainty {c.get('certainty')!r} not one of {sorted(CERTAINTIES)}")
    src = c.get("source")
    if not isinstance(src, dict) or set(src) != {"journalist", "outlet"}:
        errs.append(f"{where}: source must be {{'journalist': ..., 'outlet': ...}}")
    ev = c.get("evidence")
    if "evidence_span" not in c and (not isinstance(ev, str) or not ev or ev not in text):
        errs.append(f"{where}: evidence is not a verbatim substring of the text: {ev!r}")
    return errs


def _pack_claims(where: str, claims: list[dict], text: str) -> tuple[list[dict], list[str]]:
    out, errs = [], []
    for i, c in enumerate(claims):
        e = _claim_errors(f"{where} claim {i}", c, text)
        if e:
            errs += e
            continue
        c = dict(c)
        if "evidence" in c:
            ev = c.pop("evidence")
            start = text.find(ev)
            c["evidence_span"] = [start, start + len(ev)]
        out.append(c)
    return out, errs


def _records(path: Path) -> list[tuple[Path, dict]]:
    files = sorted(p for p in path.rglob("*") if p.suffix in {".json", ".jsonl"}) if path.is_dir() else [path]
    recs = []
    for f in files:
        if f.suffix == ".json":
            recs.append((f, json.loads(f.read_text(encoding="utf-8"))))
        else:
            for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    try:
                        recs.append((f, json.loads(line)))
                    except json.JSONDecodeError as exc:
                        raise SystemExit(f"{f}:{n}: not JSON ({exc})") from exc
    return recs


def pack(path: Path, annotator: str | None = None) -> tuple[dict[str, list[dict]], list[str]]:
    """Returns {output file name: records} and the errors found."""
    gossip: dict[str, str] | None = None
    tweets: dict[int, str] | None = None
    out: dict[str, list[dict]] = {}
    errs: list[str] = []
    for f, rec in _records(path):
        if "article" in rec:
            text, key, name = article_text(rec["article"]), {"article": rec["article"]}, f"{rec['article']}.json"
        elif "id" in rec:
            gossip = gossip if gossip is not None else gossip_texts()
            if str(rec["id"]) not in gossip:
                errs.append(f"{f}: gossip id {rec['id']} not in rumours.csv")
                continue
            text, key, name = gossip[str(rec["id"])], {"id": str(rec["id"])}, f.stem + ".jsonl"
        elif "row" in rec:
            tweets = tweets if tweets is not None else tweet_texts()
            if rec["row"] not in tweets:
                errs.append(f"{f}: row {rec['row']} not in tweets.csv")
                continue
            text, key, name = tweets[rec["row"]], {"row": rec["row"]}, f.stem + ".jsonl"
        else:
            errs.append(f"{f}: a record needs 'article', 'id' or 'row'")
            continue
        claims, e = _pack_claims(f"{f} {key}", rec.get("claims", []), text)
        errs += e
        packed = {**key, "annotator": annotator or rec.get("annotator"), "claims": claims}
        if rec.get("notes"):
            packed["notes"] = rec["notes"]
        out.setdefault(name, []).append(packed)
    return out, errs


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"check", "pack"}:
        print(__doc__)
        return 2
    annotator = None
    if "--annotator" in argv:
        i = argv.index("--annotator")
        annotator = argv[i + 1]
        argv = argv[:i] + argv[i + 2 :]
    out, errs = pack(Path(argv[1]), annotator)
    for e in errs:
        print(e, file=sys.stderr)
    n_docs = sum(len(v) for v in out.values())
    n_claims = sum(len(r["claims"]) for v in out.values() for r in v)
    print(f"{n_docs} documents, {n_claims} claims, {len(errs)} errors")
    if argv[0] == "pack":
        if errs:
            print("not written: fix the errors first", file=sys.stderr)
            return 1
        dest = Path(argv[2])
        dest.mkdir(parents=True, exist_ok=True)
        for name, recs in out.items():
            if name.endswith(".json"):
                (dest / name).write_text(json.dumps(recs[0], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            else:
                (dest / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
        print(f"written to {dest}")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
