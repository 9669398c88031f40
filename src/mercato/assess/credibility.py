"""Track records of journalists and outlets, learnt from resolved moves only.

For every resolved move, each source credited with a claim on it is judged on its last word
before the outcome became public: a supporting word (any rung) is a hit if the move happened, an
`off` word is a hit if it did not. Each judged word also gets a Brier score, with the
probability a stage-only reading of the word implies.

Credibility is Bayesian and shrinks small samples towards the prior:
- `credibility`: posterior mean hit rate under a Beta prior centred on the hit rate of all
  sources together (strength PRIOR_STRENGTH pseudo-claims), so a source with 2 of 2 is not
  "100%".
- `skill`: how much better than expected the source does given the stages it reports — log of
  (hits + a) / (expected hits + a), a Gamma-Poisson shrunk ratio — which is what the likelihood
  model uses (0 = as good as the average source at those stages).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from mercato.records import OFF

PRIOR_STRENGTH = 8.0  # pseudo-claims behind the prior hit rate
SKILL_STRENGTH = 3.0  # pseudo expected hits behind the skill ratio of 1

# what a single claim at each stage implies, before anything is learnt (used for Brier per source)
STAGE_PROB = {"interest": 0.15, "contact": 0.3, "talks": 0.4, "bid": 0.45, "advanced": 0.6, "agreement": 0.8,
              "done": 0.93, OFF: 0.08}
CERT_PULL = {"firm": 1.0, "hedged": 0.75, "doubtful": 0.4}


def implied_probability(stage: str, certainty: str, base: float = 0.15) -> float:
    p = STAGE_PROB.get(stage, 0.15)
    k = CERT_PULL.get(certainty, 1.0)
    return base + (p - base) * k


@dataclass
class Record:
    resolved: int = 0
    hits: int = 0
    expected: float = 0.0  # expected hits under the stage-only reading
    brier_sum: float = 0.0
    by_stage: dict[str, list[int]] = field(default_factory=dict)  # stage -> [resolved, hits]


@dataclass
class Judgement:
    source: str
    move: str
    stage: str
    certainty: str
    supportive: bool
    happened: bool
    hit: bool
    p: float


class CredibilityBook:
    """Per-source records, updated one resolved move at a time (so a replay stays forward in time)."""

    def __init__(self) -> None:
        self.records: dict[str, Record] = {}
        self.total_resolved = 0
        self.total_hits = 0
        self.judgements: list[Judgement] = []
        self.stage_totals: dict[str, tuple[int, int]] = {}
        self._skill_cache: dict[str, float] | None = None

    def judge(self, move: str, happened: bool, words: Iterable[tuple[str, str, tuple[str, ...]]]) -> None:
        """words: (stage, certainty, credited source ids) — each origin's last word before resolution."""
        seen: set[str] = set()
        for stage, certainty, credit in words:
            supportive = stage != OFF
            hit = happened if supportive else not happened
            p = implied_probability(stage, certainty)
            n, h = self.stage_totals.get(stage, (0, 0))
            exp_hit = (h + 2.0 * (p if supportive else 1 - p)) / (n + 2.0)  # what an average source scores here
            self.stage_totals[stage] = (n + 1, h + int(hit))
            for src in credit:
                if src in seen:
                    continue
                seen.add(src)
                r = self.records.setdefault(src, Record())
                r.resolved += 1
                r.hits += int(hit)
                r.expected += exp_hit
                r.brier_sum += (p - float(happened)) ** 2
                bs = r.by_stage.setdefault(stage, [0, 0])
                bs[0] += 1
                bs[1] += int(hit)
                self.total_resolved += 1
                self.total_hits += int(hit)
                self.judgements.append(Judgement(src, move, stage, certainty, supportive, happened, hit, p))
        self._skill_cache = None

    @property
    def prior_rate(self) -> float:
        return (self.total_hits + 1.0) / (self.total_resolved + 2.0) if self.total_resolved else 0.3

    def credibility(self, src: str) -> float:
        r = self.records.get(src)
        m = self.prior_rate
        if r is None:
            return m
        return (r.hits + PRIOR_STRENGTH * m) / (r.resolved + PRIOR_STRENGTH)

    def skill(self, src: str) -> float:
        r = self.records.get(src)
        if r is None:
            return 0.0
        return math.log((r.hits + SKILL_STRENGTH) / (r.expected + SKILL_STRENGTH))

    def skills(self) -> dict[str, float]:
        if self._skill_cache is None:
            self._skill_cache = {s: self.skill(s) for s in self.records}
        return self._skill_cache
