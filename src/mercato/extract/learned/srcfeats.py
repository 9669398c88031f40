"""Features of the learned claim decision that do not depend on the knowledge base knowing the person:

- the source phrase of the sentence (`sp:`), read on the masked sentence (`candidates._masked_sentence`: " _src_ " an
  outlet or journalist a recogniser found; a capitalised name that no recogniser took counts as a source too, so an
  outlet the knowledge base does not know reads the same): a closing ", says the X" / ", the X reports" (`trail`), an
  opening "The X reports (that)" (`lead`), "according to the X", "per the X" (`prep`), a bracketed outlet "(X)"
  (`bracket`), an outlet's journalist ("the X's Jo Bloggs", "X reporter Jo Bloggs": `outlet_journalist`), and
  `sp:any` for any of them: one feature the training data's "according to" and "(X)" teach and a rarer form
  (", says the X" after a player, which the gossip items almost only write for a person speaking: ", says the
  club's chief executive ...") shares;
- the person mention's own evidence (`pe:`): whether a recogniser or the knowledge base found it (`pe:found`) or only
  the capitalised-name fallback (`pe:fallback`), a descriptor right before it ("England striker", `pe:descriptor`),
  an age apposition after it (", 29,", `pe:age`), a name of two or more capitalised words (`pe:two_words`), and
  whether the knowledge base knows the person (`pe:kb`): the model sees the known-ness beside the evidence any
  name can have. With this group, a current club that only the knowledge base's dated spells give is `current_kb`
  (candidates._unit_base), no longer `current_other`, which then says only what the text says ("Newcastle striker");
- `frame`: the source phrase (but an outlet's journalist) written as one placeholder, " _srcframe_ ", in the masked
  sentence the word, bigram and context features are read from (`normalise`): ", says the Sun" then reads like
  "according to the Sun" and "(Sun)", not like the "says" of a person speaking, which is what the training data's
  "says" mostly is.

And in training (train's default; --no-kb-twins or MERCATO_LEARNED_KB_TWINS=0 leaves it off): each claim-head row of
a person the knowledge base knows comes twice, as it is and as it would be were he unknown (`kb_twin`), with the same
label, so the decision does not rest on knowing him.

Why: "Chelsea want Romelu Lukaku, says the Sun." got P(claim) 0.56 from learned-0.4 and the same sentence with a
player the knowledge base does not know 0.19 (under the threshold); the claim head's largest weights were the known
club's (current_other +1.24) and the "says" words' (b:", says" -0.60, w:says -0.53, pr:says -0.30).

The word lists (reporting verbs, prepositions, journalists' titles) are data: extract/data/source_phrases.jsonl, each
with an id and an example. MERCATO_LEARNED_SRCFEATS (comma-separated groups; default
phrase,person,frame,cross,unnamed,announce; empty: none) switches the groups for an ablation.

- `cross` (the source head's view of the sentence): the sentence's source phrase (`sp:`), the cue lexicon's unnamed
  frame and reporting words, with `announce` an announcement ("..., the German giants announced", "it was announced":
  `an:`, kinds announce and club_noun of the word lists) and with `unnamed` a report without its source ("reports on
  Monday claimed", "speculation", "said to be": `un:report`, kind unnamed), each crossed with the candidate's kind of
  source (none, own, person, club, other club, named here, named before): `sk:KIND&INDICATOR`, source-option
  features (the same indicators for every option of a unit, so only the kind tells them apart; a linear source head
  cannot use a unit's own features to choose among its options). Why: most of the gap between pair F1 (0.744) and
  claim F1 (0.603) on articles by CV is attribution (bench/attribution_errors.py): an unnamed report read as the
  article's own voice, a club's announcement read as the player's or the article's. CV (same folds, against
  learned-0.5): articles +0.0054 [+0.0013, +0.0107], gossip -0.0007 [-0.0019, +0.0004], posts -0.0012 [-0.0035,
  +0.0000]; dev gold 0.887 -> 0.881. Without `announce`: articles +0.0026 [+0.0005, +0.0056], gold 0.887; with
  `announce` but without `unnamed`: articles +0.0006 [-0.0028, +0.0042].
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from mercato.kb.datafile import regex_groups

SOURCE_WORDS = Path(__file__).parents[1] / "data" / "source_phrases.jsonl"
KINDS = ("verb", "prep", "title", "not_source", "announce", "club_noun", "unnamed")
ENV = "MERCATO_LEARNED_SRCFEATS"
GROUPS = frozenset(os.environ.get(ENV, "phrase,person,frame,cross,unnamed,announce").replace(" ", "").split(",")) - {""}


@lru_cache(maxsize=1)
def source_words(path: Path = SOURCE_WORDS) -> dict[str, list[str]]:
    """The regexes of each kind (verb, prep, title, not_source) of extract/data/source_phrases.jsonl."""
    return regex_groups(path, KINDS)


def _alt(kind: str) -> str:
    return r"(?i:\b(?:" + "|".join(source_words()[kind]) + r")\b)"


@lru_cache(maxsize=1)
def _frames() -> tuple[tuple[str, re.Pattern[str]], ...]:
    verb, prep, title = _alt("verb"), _alt("prep"), _alt("title")
    # one source: a masked outlet or journalist, or a capitalised name (an outlet no recogniser took: "the Example
    # Gazette"); an outlet with its journalist ("_src_ ’s _src_", "_src_ reporter _src_") is one source too
    # a pronoun or a photo credit is no source ("He says that...", "(Getty Images)"; kind not_source)
    not_source = r"(?!(?:" + "|".join(source_words()["not_source"]) + r")\b)"
    one = rf"(?:[Tt]he\s+)?(?:_src_|{not_source}[A-Z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*){{0,3}})"
    src = rf"{one}(?:\s*(?:’s|'s)?\s*(?:{title}\s+)?{one})?"
    end = r"\s*[.!”\"’']*\s*$"
    return (
        ("trail", re.compile(rf",\s*{verb}\s+{src}{end}")),
        ("trail", re.compile(rf",\s*{src}\s+{verb}{end}")),
        ("lead", re.compile(rf"^\s*[\"“]?(?:(?i:as)\s+)?{src}\s+{verb}(?:\s+(?i:that)\b|\s*[,:]|(?=\s+_(?:club|oclub|person|oper)_))")),
        ("prep", re.compile(rf"{prep}\s+{src}")),
        ("bracket", re.compile(rf"[(\[]\s*{src}\s*[)\]]")),
        ("outlet_journalist", re.compile(rf"_src_\s*(?:’s|'s)\s*(?:{title}\s+)?_src_|_src_\s+{title}\s+_src_")),
    )


_PHRASES: dict[str, tuple[str, ...]] = {}


def source_phrase(masked: str) -> tuple[str, ...]:
    """The `sp:` features of a masked sentence (the same for each pair of the sentence: the placeholders of the pair
    are not read)."""
    got = _PHRASES.get(masked)
    if got is None:
        out = [f"sp:{kind}" for kind, pat in _frames() if pat.search(masked)]
        got = tuple(dict.fromkeys(out + (["sp:any"] if out else [])))
        if len(_PHRASES) > 20000:
            _PHRASES.clear()
        _PHRASES[masked] = got
    return got


FRAME = " _srcframe_ "
_NORMALISED: dict[str, str | None] = {}
_MISS = object()


def _placeholder(end: str) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        return FRAME + (end if m.group(0).rstrip().endswith((".", "!")) else "")
    return sub


def normalise(masked: str) -> str | None:
    """The masked sentence with each source phrase but an outlet's journalist (", says the _src_", "according to the
    _src_", "( _src_ )", "_src_ reports that") written as one placeholder, `FRAME`: the words of the phrase then read the
    same in every form (the training data's "says" is mostly a person speaking, its "according to" and "(X)" an
    outlet); None where the sentence has no such phrase."""
    if (known := _NORMALISED.get(masked, _MISS)) is not _MISS:
        return known if isinstance(known, str) else None
    out = masked
    for kind, pat in _frames():
        if kind != "outlet_journalist":
            # a closing phrase keeps the sentence's end ("... _srcframe_ .")
            out = pat.sub(_placeholder(" ." if kind == "trail" else ""), out)
    got = out if out != masked else None
    if len(_NORMALISED) > 20000:
        _NORMALISED.clear()
    _NORMALISED[masked] = got
    return got


@lru_cache(maxsize=1)
def _announce() -> tuple[tuple[str, re.Pattern[str]], ...]:
    announce, noun = _alt("announce"), _alt("club_noun")
    return (
        # a club speaking through a descriptor: "..., the Italian club announced", "the MLS side said on Saturday"
        ("an:club", re.compile(rf"(?:(?i:\bthe)\s+(?:[\w’'()-]+\s+){{0,4}}?|\b[A-Z][\w’'-]*\s+){noun}"
                               rf"(?:\s*\([^()]{{1,12}}\))?\s+(?:(?i:have|has|had|also|both|officially|today|on|in|a)\s+"
                               rf"(?:[A-Z]\w+\s+)?){{0,3}}(?:{announce}|(?i:said|stated|revealed))")),
        # an announcement without its speaker: "it was announced on Friday", "it has been confirmed"
        ("an:passive", re.compile(r"(?i:\bit\s+(?:was|has\s+(?:now\s+)?been|had\s+been|is)\s+(?:officially\s+)?)" + announce)),
        # any word of an official statement: "Ajax announced on Thursday", "can confirm"
        ("an:any", re.compile(announce)),
    )


_ANNOUNCED: dict[str, tuple[str, ...]] = {}


def announcement(text: str) -> tuple[str, ...]:
    """The `an:` indicators of a sentence's text: a club speaking through a descriptor ("the German giants announced":
    `an:club`), an announcement without its speaker (`an:passive`), any word of an official statement (`an:any`).
    Read with the candidate's kind of source (`sk:` features, group `cross`): which source such a sentence gives
    (the club, not the player it names or the article's own voice) is the source head's to learn."""
    got = _ANNOUNCED.get(text)
    if got is None:
        got = tuple(name for name, pat in _announce() if pat.search(text))
        if len(_ANNOUNCED) > 20000:
            _ANNOUNCED.clear()
        _ANNOUNCED[text] = got
    return got


# the sentence's indicators that the `sk:` features cross with the candidate's kind of source: its source phrase
# (`sp:`), the cue lexicon's unnamed frame and reporting words, an announcement (`announcement`)
CROSSED = ("lex:unnamedframe", "lex:reporting")
_UNIT_INDICATORS = tuple(dict.fromkeys([*(f"sp:{kind}" for kind in ("trail", "lead", "prep", "bracket", "outlet_journalist")),
                                        "sp:any", *CROSSED]))


@lru_cache(maxsize=1)
def _unnamed() -> re.Pattern[str]:
    return re.compile(_alt("unnamed"))


def crossed(unit: dict[str, float], text: str) -> tuple[str, ...]:
    """The indicators of a unit's sentence (its features `unit`, its text) that the `sk:` features cross; with the
    group `unnamed`, also a report without its source ("reports on Monday claimed", "speculation", "said to be":
    `un:report`, kind unnamed of the word lists)."""
    out = tuple(k for k in _UNIT_INDICATORS if k in unit)
    if "announce" in GROUPS:
        out += announcement(text)
    if "unnamed" in GROUPS and _unnamed().search(text):
        out += ("un:report",)
    return out


_AGE = re.compile(r"^\s*,\s*\d{2}\b|^\s*\(\d{2}\)")
_CAPS = re.compile(r"^[A-ZÀ-Ý][\w’'-]+(?:\s+(?:(?:de|da|di|do|dos|van|von|der|den|la|le|el|del|della|ten)\s+)*[A-ZÀ-Ý][\w’'-]+)+$")


# the unit features that only a person the knowledge base knows can have: his current club from its dated spells (and
# what follows from it: his club is another, is named here, is the candidate's) and `pe:kb`. `kb_twin` removes them (the
# same unit as the knowledge base not knowing him would give), for the training command's --kb-twins
KB_FEATURES = ("pe:kb", "current_kb", "current_other", "current_other_here", "club_is_current", "club_is_current_kb")


def kb_twin(f: dict[str, float]) -> dict[str, float] | None:
    """The unit's features as they would be were the person unknown to the knowledge base; None where they would be
    the same (he is unknown already). Only `pe:kb` goes where his current club came from the text."""
    if "pe:kb" not in f and "current_kb" not in f:
        return None
    drop = KB_FEATURES if "current_kb" in f else ("pe:kb",)
    out = {k: v for k, v in f.items() if k not in drop}
    if "current_kb" in f:
        out["current_unknown"] = 1.0
    return out


def person_evidence(text: str, start: int, end: int, weak: bool, known: bool, descriptor: re.Pattern[str]) -> tuple[str, ...]:
    """The `pe:` features of a person's mention at [start, end) of a sentence's text: how it was found (`weak`: only
    the capitalised-name fallback), a descriptor before it (`descriptor`: a position word at the end of the text before
    it), an age after it, a name of two or more capitalised words, whether the knowledge base knows him (`known`)."""
    out = ["pe:fallback" if weak else "pe:found"]
    if descriptor.search(text[max(0, start - 40):start]):
        out.append("pe:descriptor")
    if _AGE.match(text[end:end + 8]):
        out.append("pe:age")
    if _CAPS.match(text[start:end]):
        out.append("pe:two_words")
    if known:
        out.append("pe:kb")
    return tuple(out)
