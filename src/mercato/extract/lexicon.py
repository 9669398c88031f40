"""Cue lexicons (extract/data/cues.jsonl) compiled to regular expressions, loaded once.

cues.jsonl holds one JSON object a line: a group declaration (`{"group": "stages.interest", "type": "list"}`,
type list, single or object, with an optional "about") or a pattern (`{"id": "stages.interest.004", "group":
"stages.interest", "regex": "interest(?:ed)?", "example": "..."}`): every pattern has an id and an example
sentence of our own that tests/test_cues.py checks it fires on. `load_cues` rebuilds the nested groups.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from mercato.kb.datafile import jsonl_rows

try:  # the regular-expression parser (Python 3.11+ names)
    import re._constants as _sre  # type: ignore[import-not-found]
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

DATA = Path(__file__).parent / "data"


def _alt(patterns: list[str], flags: int = re.IGNORECASE, spans_only: bool = False) -> re.Pattern[str]:
    """The cues as one pattern: any of them as whole words. Many cues: sorted by first character (`by_first`), the
    same matches faster. `spans_only`: the pattern's groups are never read (named groups may go)."""
    pats = [p for p in patterns if p]
    if not pats:
        return re.compile(r"(?!x)x")
    body = (by_first(pats, flags, spans_only) if len(pats) >= BY_FIRST_MIN else None) or "|".join(pats)
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w])", flags)


BY_FIRST_MIN = 12  # alternatives from which `_alt` sorts them by first character

# the repeat operators of the regular-expression parser (possessive ones from Python 3.11)
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}


def _first_item(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    """The characters a parsed regular-expression item can start with (None: any or unknown), and whether it can
    match nothing (then what follows it can start the match too)."""
    if op is _sre.LITERAL:
        return {chr(av)}, False
    if op is _sre.IN:
        out: set[str] = set()
        for o, a in av:
            if o is _sre.LITERAL:
                out.add(chr(a))
            elif o is _sre.RANGE and a[1] < 128:
                out.update(chr(c) for c in range(a[0], a[1] + 1))
            else:  # a negated set, a category (\w, \d), a wide range
                return None, False
        return out, False
    if op is _sre.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        return (None, False) if add_flags or del_flags else _first_seq(sub.data)
    if op is _sre.BRANCH:
        out, empty = set(), False
        for sub in av[1]:
            f, e = _first_seq(sub.data)
            if f is None:
                return None, False
            out |= f
            empty = empty or e
        return out, empty
    if op in _REPEATS:
        f, e = _first_seq(av[2].data)
        return (None, False) if f is None else (f, e or av[0] == 0)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _first_seq(av.data)
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return set(), True  # zero-width: the first character comes from what follows
    return None, False


def _first_seq(items: Any) -> tuple[set[str] | None, bool]:
    out: set[str] = set()
    for op, av in items:
        f, empty = _first_item(op, av)
        if f is None:
            return None, False
        out |= f
        if not empty:
            return out, False
    return out, True


def first_chars(pattern: str, flags: int = re.IGNORECASE) -> set[str] | None:
    """The ASCII characters (lower-cased) a match of `pattern` can start with, in either case; None where that is
    not known or not only ASCII (it may match nothing, start with any letter, with a non-ASCII one...)."""
    return _first_chars(_sre_parse.parse(pattern, flags))


def _first_chars(parsed: Any) -> set[str] | None:
    f, empty = _first_seq(parsed.data)
    if f is None or empty or not f or any(ord(c) >= 128 for c in f):
        return None
    return {c.lower() for c in f}


def _class(key: str) -> str:
    return key + key.upper() if key.isalpha() else re.escape(key)


_COMMON_FIRST = {c: i for i, c in enumerate("tasowhibcmfpdrlengu")}  # frequent first letters of English words


def by_first(pats: list[str], flags: int = re.IGNORECASE, spans_only: bool = False) -> str | None:
    """The alternation of `pats` as one group per first character (`first_chars`), each behind a lookahead of that
    character in either case, holding the alternatives that can start with it (and those whose first character is
    not known) in their order, then the unknown ones behind a lookahead of none of these characters: at any
    position at most one group's lookahead holds, and in it the alternatives that can match there come in their
    order, so the same alternative matches as in the plain alternation, the same way. Python's engine tries every
    alternative of an alternation at each word start; behind the lookaheads, those of one character only (the cue
    alternation, ~250 cues, reads about 3x faster). Ruled out (None): alternatives with groups, which may repeat
    (a named group may not; with `spans_only` named groups become plain ones) or be numbered otherwise."""
    if spans_only:
        pats = [re.sub(r"(?<!\\)\(\?P<\w+>", "(?:", p) for p in pats]
    keys: list[set[str] | None] = []
    for p in pats:
        parsed = _sre_parse.parse(p, flags)
        if parsed.state.groups > 1:  # group 0 and a group of its own
            return None
        keys.append(_first_chars(parsed))
    chars = sorted({k for ks in keys if ks for k in ks}, key=lambda k: (_COMMON_FIRST.get(k, len(_COMMON_FIRST)), k))
    groups = [f"(?=[{_class(k)}])(?:" + "|".join(p for p, ks in zip(pats, keys, strict=True) if ks is None or k in ks) + ")"
              for k in chars]
    unknown = [p for p, ks in zip(pats, keys, strict=True) if ks is None]
    if unknown:
        guard = f"(?![{''.join(_class(k) for k in chars)}])" if chars else ""
        groups.append(guard + "(?:" + "|".join(unknown) + ")")
    return "|".join(groups)


class _Remembered:
    """A compiled pattern whose `search(text)` answers are remembered per text (bounded; everything else is the
    pattern's own): the mention, pairing and certainty steps and the learned extractor's features ask the same
    sentence or clause the same question several times, and these alternations of hundreds of cues are slow."""

    __slots__ = ("_pattern", "_seen")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self._pattern = pattern
        self._seen: dict[str, re.Match[str] | None] = {}

    def search(self, text: str, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        if args or kwargs:
            return self._pattern.search(text, *args, **kwargs)
        seen = self._seen
        if text in seen:
            return seen[text]
        if len(seen) > 20000:
            seen.clear()
        got = seen[text] = self._pattern.search(text)
        return got

    def __getattr__(self, name: str) -> Any:
        if name in _Remembered.__slots__:  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self._pattern, name)


def _remembered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _Remembered(pattern))  # used exactly like the pattern


def _tail(patterns: list[str], words: int = 0) -> re.Pattern[str]:
    """Matches when the text ENDS with one of the patterns, then "the" and up to `words` more words."""
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(patterns) + r")\s+(?:the\s+)?(?:[\w’'-]+,?\s+){0," + str(words) + r"}?$", re.IGNORECASE
    )


class CueFileError(ValueError):
    """A cue file the lexicon cannot use (the message names the file and line)."""


def cue_entries(path: Path = DATA / "cues.jsonl") -> list[dict[str, Any]]:
    """The lines of a cue file, checked: JSON objects, ids unique, each pattern in a declared group."""
    out: list[dict[str, Any]] = []
    ids: set[str] = set()
    groups: dict[str, str] = {}
    for where, rec in jsonl_rows(path, CueFileError):
        if not isinstance(rec.get("group"), str):
            raise CueFileError(f"{where}: expected an object with a 'group'")
        if "type" in rec:
            if rec["type"] not in ("list", "single", "object"):
                raise CueFileError(f"{where}: group type must be list, single or object, not {rec['type']!r}")
            groups[rec["group"]] = rec["type"]
        else:
            for key in ("id", "regex", "example"):
                if not isinstance(rec.get(key), str) or not rec[key]:
                    raise CueFileError(f"{where}: a pattern needs a non-empty {key!r}")
            if rec["id"] in ids:
                raise CueFileError(f"{where}: duplicate id {rec['id']!r}")
            if groups.get(rec["group"]) not in ("list", "single"):
                raise CueFileError(f"{where}: pattern {rec['id']!r} in undeclared group {rec['group']!r}")
            try:
                re.compile(rec["regex"])
            except re.error as exc:
                raise CueFileError(f"{where}: pattern {rec['id']!r} does not compile: {exc}") from None
            ids.add(rec["id"])
        rec["_line"] = int(where.rsplit(":", 1)[1])
        out.append(rec)
    return out


def load_cues(path: Path = DATA / "cues.jsonl") -> dict[str, Any]:
    """The nested groups the lexicon compiles ({"stages": {"interest": [regex, ...]}, "staff_move": regex, ...})."""
    raw: dict[str, Any] = {}

    def node(group: str) -> tuple[dict[str, Any], str]:
        parts = group.split(".") if group else []
        cur = raw
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        return cur, (parts[-1] if parts else "")

    for rec in cue_entries(path):
        parent, key = node(rec["group"])
        if "type" in rec:
            if not key:
                if rec.get("about"):
                    raw["_about"] = rec["about"]
                continue
            if rec["type"] == "list":
                parent[key] = []
            elif rec["type"] == "object":
                parent[key] = {"_about": rec["about"]} if rec.get("about") else {}
        elif isinstance(parent.get(key), list):
            parent[key].append(rec["regex"])
        else:
            if key in parent:
                raise CueFileError(f"{path}:{rec['_line']}: group {rec['group']!r} holds one pattern")
            parent[key] = rec["regex"]
    return raw


class Lexicon:
    def __init__(self, path: Path = DATA / "cues.jsonl") -> None:
        raw = load_cues(path)
        self.raw = raw
        self.stage_patterns = {stage: _alt(pats) for stage, pats in raw["stages"].items() if pats}
        off = raw["off"]
        self.off_person = _remembered(_alt(off["person"]))
        self.off_club = _remembered(_alt(off["club"]))
        self.off_cancel = _alt(off["cancel"])
        rej = raw["rejection"]
        self.reject_verb = _alt(rej["verbs"])
        self.reject_object = _alt(rej["objects"])
        mc = raw["modal_completion"]
        self.modal = _alt(mc["modal"])
        self.completion = _alt(mc["completion"])
        self.imminent = _alt(mc["imminent"])
        self.cap_advanced = re.compile(raw["cap_advanced"]["pattern"], re.IGNORECASE)
        self.irrealis = _alt(raw["irrealis"])
        self.neutralise = _alt(raw["neutralise"])
        self.hedge = _remembered(_alt(raw["hedges"]))
        self.doubt = _remembered(_alt(raw["doubts"]))
        self.firm = _remembered(_alt(raw["firm_markers"]))
        self.reporting = _remembered(_alt(raw["reporting_verbs"]))
        self.speaker_titles = _alt(raw["speaker_titles"])
        self.factive = _alt(raw["party_verbs_factive"])
        self.unnamed = _alt(raw["unnamed_frames"])
        self.frame_prep = _tail(raw["frame_prepositions"], 4)
        self.platforms = {p.lower() for p in raw["platforms"]}
        dep = raw["departure"]
        self.depart_before = _tail(dep["before"], 4)
        self.depart_after = re.compile(r"^\s*(?:" + "|".join(dep["after"]) + r")", re.IGNORECASE)
        self.officials_before = re.compile(
            r"(?<![\w-])(?:" + "|".join(raw["officials"]) + r")(?:\s+of\s+[\w .’'&-]{2,40}?)?,?\s+(?:(?:Sir|Dr\.?|Mr\.?|Mrs\.?|Lord)\s+)?$",
            re.IGNORECASE,
        )
        titles = "|".join(sorted(raw["affiliation_titles"], key=len, reverse=True))
        self.aff_titles = re.compile(r"^(?:\s+(?:\w+\s+){0,1}?(?:" + titles + r"))+,?\s+$", re.IGNORECASE)
        self.aff_title_after = re.compile(r"^\s*(?:['’‘]s?\s+)?(?:\w+\s+){0,1}?(?:" + titles + r")\b", re.IGNORECASE)
        self.aff_title_end = re.compile(r"\b(?:" + titles + r")\s*,?\s*$", re.IGNORECASE)
        # "Rovers legend John Smith", "the Rovers' club legend John Smith": the gap between a club and a person that
        # makes the club a former one of his
        self.former_title = re.compile(r"^\s*(?:['’‘]s?\s+)?(?:\w+\s+){0,1}?(?:" + "|".join(raw["former_titles"])
                                       + r")\s*,?\s+$", re.IGNORECASE)
        self.opponent_before = _tail(raw["opponent_before"])
        self.former_before = re.compile(
            r"(?<![\w-])(?i:" + "|".join(raw["former_before"]) + r")\s*(?:the\s+)?(?:(?:[A-Z][\w’'.&-]*\s+){1,3}(?:and|&)\s+)?$"
        )
        self.club_anaphor = _alt(raw["club_anaphors"])
        self.club_anaphor_strict = _alt([a for a in raw["club_anaphors"] if a not in ("they", "their new")])
        self.person_anaphor = _alt(raw["person_anaphors"])
        self.staff_move = re.compile(raw["staff_move"], re.IGNORECASE)
        # "he will be joined by a coaching team comprising A, B and C", "X will also join Y's staff"
        self.staff_list = re.compile(r"(?<![\w-])(?:" + raw["staff_list"] + r")(?![\w-])", re.IGNORECASE)
        # "X would not be returning": off for the club he would return to, not for every suitor
        self.no_return = re.compile(r"(?<![\w-])(?:" + raw["no_return"] + r")(?![\w-])", re.IGNORECASE)
        self.bid_masks = _alt(raw["bid_masks"])
        # "preparing an improved bid": a bid still to come is interest
        self.planned_bid = re.compile(r"(?<![\w-])" + raw["planned_bid"], re.IGNORECASE)
        self.affiliation_groups = re.compile(raw["affiliation_groups"], re.IGNORECASE)
        self.negated = re.compile(raw["negators"], re.IGNORECASE)
        cue_words = [p for pats in raw["stages"].values() for p in pats] + off["person"] + off["club"] + \
            [raw["staff_move"], raw["no_return"], raw["staff_list"]]
        self.any_cue = _remembered(_alt(cue_words, spans_only=True))  # read for where it matches only
        self.not_person_words = {w.lower() for w in raw["not_person_words"]}
        self.future_done = re.compile(raw["future_done"], re.IGNORECASE)
        self.roles = {role: _alt(p) for role, p in raw["roles"].items()}


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    return Lexicon()
