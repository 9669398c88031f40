"""Structure features for the (club, person) pair decision of the learned extractor, read on the masked sentence
(`candidates._masked_sentence`: " _club_ " the candidate's club, " _oclub_ " another club, " _person_ " and
" _oper_ " likewise) without a parser:

- coordination: the club (or person) is one of a coordinated list ("_oclub_ , _club_ and _oclub_ are keen"):
  its position and size, and the context words at the list's edges instead of its own neighbours, so a club
  in a list reads like a club alone ("_club_ are keen") and shares what the model learnt from those;
- anaphora: the person is not named in the sentence (a carried or the article's main person) but a pronoun or a
  descriptor stands for someone there ("the 24-year-old", "the striker", "him"): its position serves as the
  person's for the context, order and distance features;
- the person's own club: whether his club on the article's date is known (text or dated spells) and is another
  club than the candidate's (then the candidate's club is a would-be buyer, not his employer);
- focus (`candidates._focus_features`): the club is not named in the sentence (the article's main club, the club
  carried from before, the club in focus): a phrase standing for a club there ("the club", "the role": a
  `club_anaphor` or `job_anaphor`) takes its place for the context features, as an anaphor does the person's;
  whether the sentence speaks of a job being filled (`vacancy`: "shortlist", "successor", "candidates"); how many
  sentences back the club was named, whether in the headline, in a sentence about a job, whether it is the latest
  club named and the club in focus (`candidates._Focus.in_focus`), and whether another club of the sentence stands
  in a suitor's place. The candidate generator `focus` (candidates.GENERATORS) pairs the people of a sentence about
  a job with the club in focus;
- keep: the club is the person's own and the sentence speaks of staying or keeping (`keep`), the article of his
  leaving (`departure`: a sentence naming him): the spec's "keeping someone whose departure had been agreed" is a
  claim, keeping one's own player otherwise is not;
- direction: which way the article says the person moves with respect to the club in its other sentences (words
  right before a club, `direction`: "from Ajax", "join Celtic"): a club he leaves elsewhere is the seller, not a
  suitor; a club he goes to elsewhere is the buyer; and whether he goes to (or from) another club there (with
  `direction_split`, each also copied by the kind of text: a post or an item, a full article);
- dated: the years and seasons the sentence names, read against the article's date (`years`): a past one ("moved
  to Arsenal from Lyon in 2017", "joined Burnley for the 2022/23 season") tells a move of long ago, no rumour; a
  future one ("a contract until 2027") a deal's terms; and whether one stands near the club (within 50 characters).

The word lists are data: extract/data/pair_features.jsonl, each with an id, a kind and an example.
MERCATO_LEARNED_PAIRFEATS (comma-separated groups; default list,anaphor,current,focus,dated,direction; keep and
direction_split are measured and off; empty: none) switches
groups for an ablation. A fourth group, `doc` (the pair across the article: in how many sentences both are named, whether in
the headline, whether the rules claimed the pair in another sentence), was measured and is left off.

Measured (2026-11-30, `nice -n 10 .venv/bin/python bench/pair_errors.py`, the training command's 5 folds, seed and
shipped configuration; claim F1 / pair F1; the affiliation fix of components._mark_roles in every row but the first):

    variant                               articles        gossip          posts
    before (no groups, no rules fix)      0.564 / 0.686   0.770 / 0.831   0.678 / 0.718
    rules fix only (no groups)            0.572 / 0.693   0.772 / 0.832   0.670 / 0.717
    list, current                         0.588 / 0.724   0.783 / 0.845   0.686 / 0.738
    anaphor, current                      0.584 / 0.705   0.780 / 0.841   0.682 / 0.735
    list, anaphor, current (default)      0.595 / 0.723   0.781 / 0.843   0.689 / 0.740
    list, anaphor, current, doc           0.578 / 0.714   0.784 / 0.846   0.693 / 0.737

The anaphor group is neutral within noise (articles claim F1 +0.008, pair F1 -0.001); `doc` costs the articles
0.017 claim F1 and 0.010 pair F1 for +0.003 on gossip, so it stays off. The coordinated lists carry most of the
gain (without them articles 0.584 / 0.705). Also tried and left out: "the person speaks" (a reporting or factive
verb right after him, "X reckons ..."): articles 0.596 / 0.724, gossip 0.781 / 0.843, posts 0.689 / 0.740, no change.

The focus and keep groups (2026-11-30, later data: 6,363 training documents), by `nice -n 10 .venv/bin/python -m
mercato.extract.learned.train --no-save --report R.json` (the same folds; claim F1 / pair F1 of `shipped@0.35`; gold:
the model trained on every training document, scored on the 18 shared gold articles):

    variant                                        articles        gossip          posts           gold
    list, anaphor, current (before)                0.585 / 0.708   0.795 / 0.851   0.669 / 0.723   0.839 / 0.828
    + focus (without c_other_suitor_here)          0.579 / 0.713   0.796 / 0.852   0.681 / 0.729   0.852 / 0.860
    + focus (default)                              0.587 / 0.715   0.798 / 0.854   0.688 / 0.733   0.843 / 0.846
    + focus, keep                                  0.586 / 0.722   0.797 / 0.852   0.676 / 0.726   0.838 / 0.827

(each row with the `focus` candidate generator.) `keep` gains the articles 0.007 pair F1 (two pairs in 312) but
costs the posts 0.012 claim F1, gossip 0.001 and the gold 0.005 claim F1: left off (MERCATO_LEARNED_PAIRFEATS=
list,anaphor,current,focus,keep turns it on). Also tried on the default and left out: staff words as a vacancy
("backroom staff", "assistants": articles 0.588 / 0.718, gossip 0.797 / 0.852, posts 0.684 / 0.731, gold 0.844 /
0.838) and only the first suitor club of a sentence about a job in focus (`_Focus.in_focus`: articles 0.588 / 0.717,
gossip 0.796 / 0.852, posts 0.681 / 0.727, gold 0.852 / 0.860): each costs gossip and posts.

The dated and direction groups (2026-12-01, branch pairs3; the same command and folds; claim F1 / pair F1, and the
paired claim F1 difference against the shipped learned-0.5 with its 90% interval, `bench/cv_compare.py`):

    variant                              articles        gossip          posts           gold
    learned-0.5 (before)                 0.603 / 0.744   0.801 / 0.856   0.670 / 0.718   0.887 / 0.901
    + dated (default)                    0.604 / 0.744   0.801 / 0.856   0.673 / 0.718   0.892 / 0.927
    + direction                          0.600 / 0.739   0.801 / 0.857   0.689 / 0.732   0.871 / 0.899
    + "considered" as a vacancy word     0.597 / 0.738   0.799 / 0.854   0.684 / 0.728   0.863 / 0.883
    + dated, direction                   0.600 / 0.740   0.801 / 0.857   0.690 / 0.734   0.873 / 0.901
    + dated, direction, direction_split  0.600 / 0.739   0.802 / 0.858   0.692 / 0.736   0.887 / 0.917

    paired claim F1 difference           articles                gossip                  posts
    + dated (default)                    +0.001 [-0.002, +0.004]  +0.000 [+0.000, +0.001]  +0.002 [+0.000, +0.007]
    + direction                          -0.003 [-0.015, +0.007]  +0.000 [-0.002, +0.002]  +0.019 [+0.005, +0.034]
    + "considered" as a vacancy word     -0.006 [-0.016, +0.004]  -0.002 [-0.004, -0.001]  +0.014 [+0.000, +0.029]
    + dated, direction                   -0.003 [-0.014, +0.008]  +0.000 [-0.002, +0.002]  +0.020 [+0.006, +0.035]
    + dated, direction, direction_split  -0.003 [-0.014, +0.009]  +0.001 [-0.001, +0.003]  +0.022 [+0.007, +0.039]

`dated` is neutral on the articles and a hair better elsewhere, and lifts the gold pair F1 (0.901 -> 0.927): on.
`direction` gains the posts (+0.019) but costs the articles pair F1 0.005 and the gold 0.016; with `direction_split`
(each direction feature also copied by the kind of text, under 400 characters or not, so posts and articles weigh it
apart) the gold comes back (0.887) and the posts gain stays (+0.020 against dated alone [+0.005, +0.037]), but the
articles pair F1 still loses 0.005 (articles claim F1 -0.003 [-0.014, +0.007] against dated alone): left off, as the
articles are what this group was for (MERCATO_LEARNED_PAIRFEATS=list,anaphor,current,focus,dated,direction,
direction_split turns it on). "considered", "touted", "in the
running" as vacancy words (the focus generator then pairs such a sentence's people with the club in focus) cost
gossip and gold: not kept.

`direction` judged again over three fold seeds (2026-12-01, learned-0.6 with and without it; `train --no-save --seed
20261130|11|12 --report R.json` on both, then `bench/cv_compare.py` with the six reports, which pools each document's
counts over the seeds): the articles loss above was the folds' noise. Paired claim F1 difference per seed, and pooled
with its 90% interval:

    seed          articles                 gossip                   posts
    20261130      -0.001                   -0.000                   +0.023
    11            +0.002                   +0.003                   +0.005
    12            +0.000                   +0.002                   +0.008
    pooled        +0.000 [-0.007, +0.008]  +0.002 [+0.000, +0.003]  +0.012 [+0.003, +0.022]

Articles pair F1 0.733 / 0.739 / 0.734 -> 0.741 / 0.727 / 0.738 (no loss on average); gold 0.861 -> 0.866, gold pair
F1 0.891 -> 0.909. No loss on the articles and a gain on the posts and gossip: on, from learned-0.7.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path

from mercato.kb.datafile import regex_groups

PAIR_WORDS = Path(__file__).parents[1] / "data" / "pair_features.jsonl"
KINDS = ("coordinator", "anaphor", "club_anaphor", "job_anaphor", "vacancy", "keep", "departure", "from_club",
         "to_club")
ENV = "MERCATO_LEARNED_PAIRFEATS"
GROUPS = frozenset(os.environ.get(ENV, "list,anaphor,current,focus,dated,direction").replace(" ", "").split(",")) - {""}


@lru_cache(maxsize=1)
def pair_words(path: Path = PAIR_WORDS) -> dict[str, list[str]]:
    """The regexes of each kind (coordinator, anaphor) of extract/data/pair_features.jsonl."""
    return regex_groups(path, tuple(KINDS))


@lru_cache(maxsize=1)
def anaphor_pattern() -> re.Pattern[str]:
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(pair_words()["anaphor"]) + r")(?![\w’'-])", re.I)


_ITEMS = {"club": re.compile(r"_o?club_"), "per": re.compile(r"_(?:person|oper)_")}


@lru_cache(maxsize=1)
def _join_pattern() -> re.Pattern[str]:
    """What stands between two coordinated placeholders: coordinators (and spaces), optionally "the"."""
    conn = "|".join(f"(?:{r})" for r in pair_words()["coordinator"])
    return re.compile(rf"(?:\s*(?<![\w])(?:{conn})(?![\w]))+\s*(?:the\s+)?", re.I)


def coordination(masked: str, pos: int, tag: str) -> tuple[int, int, int, int] | None:
    """The coordinated list holding the placeholder at `pos` of the masked sentence (its leading space):
    (start, end, number of items, index of this one), or None where it stands alone. `tag`: club or per."""
    items = [(m.start(), m.end()) for m in _ITEMS[tag].finditer(masked)]
    if len(items) < 2:
        return None
    k = next((i for i, (a, _) in enumerate(items) if a == pos + 1), None)
    if k is None:
        return None
    join = _join_pattern()
    i = k
    while i > 0 and join.fullmatch(masked, items[i - 1][1], items[i][0]):
        i -= 1
    j = k
    while j < len(items) - 1 and join.fullmatch(masked, items[j][1], items[j + 1][0]):
        j += 1
    if i == j:
        return None
    return items[i][0] - 1, items[j][1] + 1, j - i + 1, k - i


@lru_cache(maxsize=8)
def _words_pattern(kind: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(pair_words()[kind]) + r")(?![\w’'-])", re.I)


def club_anaphor(masked: str) -> tuple[int, int, str] | None:
    """The first phrase of the masked sentence standing for a club not named there: (start, end, kind), the kind
    `club` ("the club", "the side") or `job` ("the job", "the role", "the hot seat")."""
    got = [(m.start(), m.end(), kind) for kind in ("club", "job") if (m := _words_pattern(kind + "_anaphor").search(masked))]
    return min(got) if got else None


def vacancy(text: str) -> bool:
    """Whether a text speaks of a job being filled (candidates, a shortlist, a successor, a search for a coach)."""
    return _words_pattern("vacancy").search(text) is not None


def keep(text: str) -> bool:
    """Whether a text speaks of someone staying or being kept ("stay on", "keep him", "a U-turn")."""
    return _words_pattern("keep").search(text) is not None


def departure(text: str) -> bool:
    """Whether a text speaks of someone leaving ("will leave", "his departure", "step down", "his successor")."""
    return _words_pattern("departure").search(text) is not None


# a year ("in 2019", "until 2027") or a season ("the 2022/23 season", "2023-24"); four digits, not inside a longer
# number or an amount ("£2000")
_YEAR = re.compile(r"(?<![\w£$€.,/-])((?:19|20)\d\d)(?:\s?[/–-]\s?((?:19|20)?\d\d))?(?![\w%])")


# the longest span of years read as one ("a contract for 2024-2029"); a longer one is two unrelated years
MAX_SPAN = 10


def years(text: str, today: dt.date) -> list[tuple[int, int, str]]:
    """The years and seasons a text names, each as (start, end, when): `past` where it ended before the article's
    year ("joined Ajax in 2020" in a 2022 article, "the 2022/23 season" in 2024), `future` where it begins after it
    ("a contract until 2027"), else `now` (a span that covers it: "the 2024-2027 contract" in 2025). Read against the
    article's own date only."""
    out: list[tuple[int, int, str]] = []
    if "19" not in text and "20" not in text:
        return out  # every year or season starts with 19 or 20
    for m in _YEAR.finditer(text):
        first = int(m.group(1))
        last = first
        if m.group(2):
            tail = m.group(2)
            last = int(tail) if len(tail) == 4 else first // 100 * 100 + int(tail)
            if not 0 < last - first <= MAX_SPAN:  # a season ("2023-24") or a span of years ("a 2024-2027 deal"),
                last = first  # else not a span (a score, "2019-18"): the first year alone
        when = "past" if last < today.year else "future" if first > today.year else "now"
        out.append((m.start(), m.end(), when))
    return out


@lru_cache(maxsize=2)
def _before_club(kind: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(pair_words()[kind]) + r")\s+(?:the\s+)?$", re.I)


def direction(before: str) -> str | None:
    """Which way a move goes by the words right before a club (`before`: the text up to the club's name): `from`
    ("signed from Ajax", "to leave Chelsea"), `to` ("a move to Roma", "will join Celtic"), else None."""
    for kind, name in (("from_club", "from"), ("to_club", "to")):
        if _before_club(kind).search(before):
            return name
    return None


def anaphor(masked: str) -> tuple[int, int, str] | None:
    """The first pronoun or descriptor of the masked sentence standing for a person: (start, end, kind)."""
    m = anaphor_pattern().search(masked)
    if m is None:
        return None
    word = m.group(0).lower()
    kind = "pronoun" if word in ("he", "him", "his") else "descriptor"
    return m.start(), m.end(), kind
