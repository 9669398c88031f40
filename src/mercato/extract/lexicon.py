"""Cue lexicons (extract/data/cues.json) compiled to regular expressions, loaded once."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _alt(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(patterns) + r")(?![\w])", re.IGNORECASE)


class Lexicon:
    def __init__(self, path: Path = DATA / "cues.json") -> None:
        raw = json.loads(path.read_text(encoding="utf-8"))
        self.stage_patterns = {stage: _alt(pats) for stage, pats in raw["stages"].items()}
        self.hedge = _alt(raw["hedges"])
        self.doubt = _alt(raw["doubts"])
        self.firm = _alt(raw["firm_markers"])
        self.reporting = _alt(raw["reporting_verbs"])
        self.unnamed = _alt(raw["unnamed_sources"])
        self.roles = {role: _alt(p) for role, p in raw["roles"].items()}


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    return Lexicon()
