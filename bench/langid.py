"""Language detection on the shared texts: accuracy against each article's `lang:` line (header removed
before detection) and on English gossip items and posts, and texts per second on one core.

    .venv/bin/python bench/langid.py
"""

from __future__ import annotations

import csv
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from mercato.config import shared_dir  # noqa: E402
from mercato.ingest.language import _detector, detect_language  # noqa: E402

NO_LANG_LINE = {"u028": "de", "u060": "it", "u066": "it"}


def main() -> None:
    shared = shared_dir()
    docs: list[tuple[str, str, str]] = []
    for path in sorted((shared / "corpus/unlabelled").glob("u*.txt")) + sorted((shared / "corpus/articles").glob("d*.txt")):
        raw = path.read_text(encoding="utf-8")
        m = re.search(r"^lang:\s*(\w+)", raw, re.M)
        body = re.sub(r"\A(?:\w+:.*\n)+\n?", "", raw)
        docs.append((path.stem, body, m.group(1) if m else NO_LANG_LINE.get(path.stem, "en")))
    with open(shared / "datasets/bbc-gossip-2021/rumours.csv", encoding="utf-8", newline="") as f:
        gossip = [r["raw_text"] for r in csv.DictReader(f)]
    with open(shared / "datasets/romano-tweets-2025/tweets.csv", encoding="utf-8", newline="") as f:
        posts = [r["Tweet"] for r in csv.DictReader(f)]
    _detector()  # load outside the timings
    for name, items in (("articles", docs), ("gossip items", [("", t, "en") for t in gossip]),
                        ("posts", [("", t, "en") for t in posts])):
        t0 = time.perf_counter()
        wrong = [(aid, want, got) for aid, text, want in items if (got := detect_language(text)) != want]
        dt = time.perf_counter() - t0
        print(f"{name:<13} {len(items) - len(wrong)}/{len(items)} right, {len(items) / dt:,.0f}/s"
              + (f"; wrong: {wrong[:10]}" if wrong else ""))
    by_lang: dict[str, int] = {}
    for _, _, lang in docs:
        by_lang[lang] = by_lang.get(lang, 0) + 1
    print("articles per language:", dict(sorted(by_lang.items())))


if __name__ == "__main__":
    main()
