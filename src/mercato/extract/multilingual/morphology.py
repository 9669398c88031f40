"""A small inflection of lemmas for the cue data: `<fichar>` in a cue stands for every form of the verb a report
uses ("ficha", "fichan", "fichó", "ficharía", "fichado"...), `<oferta:n>` for a noun's singular and plural, and
`<avanzado:a>` for an adjective's or participle's genders and numbers, `<fechar:f>` for a verb's forms without its
infinitive (an infinitive is governed by another word: "está perto de fechar" closes nothing yet).

Only the forms of reporting are made (third persons, infinitive, participles, gerund, preterite, imperfect,
future, conditional, present subjunctive where it is regular); regular verbs only, by their ending. Irregular verbs
and nouns are listed as data in data/morphology.json (`verbs`: lemma -> forms, `nouns`: lemma -> forms); a native
speaker extends that file, not this one. German: weak verbs (`<verhandeln>`: "verhandelt", "verhandelte",
"verhandelten", "verhandelt", "verhandelnd"); the participle takes "ge-" unless the verb starts with an inseparable
prefix or ends in "-ieren".
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "morphology.json"


class MorphologyError(ValueError):
    """A lemma the morphology cannot inflect (the message names it and the language)."""


@cache
def _irregular() -> dict[str, dict[str, dict[str, list[str]]]]:
    raw: dict[str, dict[str, dict[str, list[str]]]] = json.loads(DATA.read_text(encoding="utf-8"))
    return raw


def _adj_romance(lang: str, w: str) -> list[str]:
    """Masculine/feminine singular/plural of an adjective or participle written in the masculine singular."""
    if lang in ("es", "pt"):
        if w.endswith("o"):
            return [w, w[:-1] + "a", w + "s", w[:-1] + "as"]
        return [w, w + ("es" if lang == "es" and not w.endswith("e") else "s")]
    if lang == "it":
        if w.endswith("o"):
            return [w, w[:-1] + "a", w[:-1] + "i", w[:-1] + "e"]
        return [w, w[:-1] + "i"] if w.endswith("e") else [w]
    if lang == "fr":
        base = w[:-1] if w.endswith("e") and not w.endswith("ée") else w
        return [base, base + "e", base + "s", base + "es"] if not w.endswith("é") else [w, w + "e", w + "s", w + "es"]
    if lang == "de":
        return [w, w + "e", w + "en", w + "er", w + "es"]
    raise MorphologyError(f"no adjective inflection for language {lang!r}")


def _noun(lang: str, w: str) -> list[str]:
    if lang == "es":
        if w.endswith("ión"):
            return [w, w[:-3] + "iones"]
        return [w, w + "s" if w[-1] in "aeiouáéó" else w + "es"]
    if lang == "pt":
        if w.endswith("ão"):
            return [w, w[:-2] + "ões"]
        if w.endswith("l"):
            return [w, w[:-1] + "is"]
        if w.endswith("m"):
            return [w, w[:-1] + "ns"]  # "sondagem" -> "sondagens"
        return [w, w + "s" if w[-1] in "aeiouáéó" else w + "es"]
    if lang == "it":
        if w.endswith(("ca", "ga")):
            return [w, w[:-1] + "he"]
        if w.endswith("a"):
            return [w, w[:-1] + "e"]
        if w.endswith("io"):
            return [w, w[:-1]]  # "ingaggio" -> "ingaggi"
        if w.endswith(("co", "go")):
            return [w, w[:-1] + "hi", w[:-1] + "i"]  # "dialoghi"; "amici" (both shapes occur)
        if w.endswith(("o", "e")):
            return [w, w[:-1] + "i"]
        return [w]
    if lang == "fr":
        if w.endswith("al"):
            return [w, w[:-2] + "aux"]
        return [w] if w.endswith(("s", "x", "z")) else [w, w + "s"]
    if lang == "de":
        raise MorphologyError(f"German noun {w!r}: plurals are not regular; list its forms in {DATA}")
    raise MorphologyError(f"no noun inflection for language {lang!r}")


def _verb_es(v: str) -> list[str]:
    stem, end = v[:-2], v[-2:]
    if end == "ar":
        # the present subjunctive keeps the sound: "busque", "pague", "oficialice"
        subj = (stem[:-1] + "qu" if stem.endswith("c") else stem + "u" if stem.endswith("g")
                else stem[:-1] + "c" if stem.endswith("z") else stem)
        return [v, stem + "a", stem + "an", stem + "ó", stem + "aron", stem + "aba", stem + "aban", stem + "ando",
                v + "á", v + "án", v + "ía", v + "ían", subj + "e", subj + "en", stem + "ara", stem + "aran",
                *_adj_romance("es", stem + "ado")]
    if end in ("er", "ir"):
        subj = stem[:-1] + "zc" if stem.endswith("c") and stem[-2:-1] in "aeiou" else stem  # "parezca"
        return [v, stem + "e", stem + "en", stem + "ió", stem + "ieron", stem + "ía", stem + "ían", stem + "iendo",
                v + "á", v + "án", v + "ía", v + "ían", subj + "a", subj + "an", stem + "iera", stem + "ieran",
                *_adj_romance("es", stem + "ido")]
    raise MorphologyError(f"Spanish verb {v!r}: not an -ar/-er/-ir infinitive")


def _verb_pt(v: str) -> list[str]:
    stem, end = v[:-2], v[-2:]
    if end == "ar":
        subj = (stem[:-1] + "qu" if stem.endswith("c") else stem + "u" if stem.endswith("g")
                else stem[:-1] + "c" if stem.endswith("ç") else stem)  # "contrate", "pague", "cobice"
        return [v, stem + "a", stem + "am", stem + "ou", stem + "aram", stem + "ava", stem + "avam", stem + "ando",
                v + "á", v + "ão", v + "ia", v + "iam", subj + "e", subj + "em", stem + "asse", stem + "assem",
                *_adj_romance("pt", stem + "ado")]
    if end in ("er", "ir"):
        vowel = "e" if end == "er" else "i"
        subj = stem[:-1] + "ç" if stem.endswith("c") else stem  # "pareça", "ofereça"
        return [v, stem + "e", stem + "em", stem + vowel + "u", stem + vowel + "ram", stem + "ia", stem + "iam",
                stem + vowel + "ndo", v + "á", v + "ão", v + "ia", v + "iam", subj + "a", subj + "am",
                stem + vowel + "sse", stem + vowel + "ssem", *_adj_romance("pt", stem + "ido")]
    raise MorphologyError(f"Portuguese verb {v!r}: not an -ar/-er/-ir infinitive")


def _verb_it(v: str) -> list[str]:
    stem, end = v[:-3], v[-3:]
    if end == "are":
        # the future/conditional stem: "cercare" -> "cercher-", "mangiare" -> "manger-"
        fut = stem + "h" if stem.endswith(("c", "g")) else stem[:-1] if stem.endswith(("ci", "gi")) else stem
        pres = stem + "h" if stem.endswith(("c", "g")) else stem
        subj = pres if stem.endswith(("c", "g")) else (stem[:-1] if stem.endswith("i") else stem)
        return [v, stem + "a", stem + "ano", stem + "ò", stem + "arono", stem + "ava", stem + "avano", stem + "ando",
                fut + "erà", fut + "eranno", fut + "erebbe", fut + "erebbero", subj + "i", subj + "ino",
                stem + "asse", stem + "assero", *_adj_romance("it", stem + "ato")]
    if end in ("ere", "ire"):
        vowel = "e" if end == "ere" else "i"
        forms = [v, stem + "e", stem + "ono", stem + vowel + "va", stem + vowel + "vano", stem + "endo",
                 stem + vowel + "rà", stem + vowel + "ranno", stem + vowel + "rebbe", stem + vowel + "rebbero",
                 stem + "a", stem + "ano", stem + vowel + "sse", stem + vowel + "ssero"]
        if end == "ere":
            return [*forms, stem + "é", stem + "ette", stem + "erono", *_adj_romance("it", stem + "uto")]
        # "-isc-" verbs ("finisce", "finiscono") and plain ones ("segue", "seguono") both
        return [*forms, stem + "ì", stem + "irono", stem + "isce", stem + "iscono", stem + "isca",
                *_adj_romance("it", stem + "ito")]
    raise MorphologyError(f"Italian verb {v!r}: not an -are/-ere/-ire infinitive")


def _verb_fr(v: str) -> list[str]:
    if v.endswith("er"):
        stem = v[:-2]
        # "avancer" -> "avançait", "engager" -> "engageait" before a and o
        soft = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
        # "révéler" -> "révèle": a last é before consonants opens before a mute e
        i = stem.rfind("é")
        mute = stem[:i] + "è" + stem[i + 1:] if i > 0 and not any(c in "aeiouyéè" for c in stem[i + 1:]) else stem
        return [v, mute + "e", mute + "ent", soft + "a", stem + "èrent", soft + "ait", soft + "aient", soft + "ant",
                v + "a", v + "ont", v + "ait", v + "aient", *_adj_romance("fr", stem + "é")]
    if v.endswith("ir"):
        stem = v[:-2]
        return [v, stem + "it", stem + "issent", stem + "issait", stem + "issaient", stem + "issant", v + "a",
                v + "ont", v + "ait", v + "aient", stem + "irent", stem + "isse", *_adj_romance("fr", stem + "i")]
    raise MorphologyError(f"French verb {v!r}: not an -er/-ir infinitive (list irregular verbs in {DATA})")


_DE_INSEPARABLE = ("be", "ge", "er", "ver", "zer", "ent", "emp", "miss", "über", "unter", "hinter", "wider")


def _verb_de(v: str) -> list[str]:
    if v.endswith(("eln", "ern")):
        stem = v[:-1]
    elif v.endswith("en"):
        stem = v[:-2]
    else:
        raise MorphologyError(f"German verb {v!r}: not an infinitive in -en/-eln/-ern")
    t = stem + ("et" if stem.endswith(("t", "d")) or (stem.endswith(("m", "n")) and stem[-2:-1] not in "aeiouhlr")
                else "t")
    past = stem + ("ete" if t.endswith("et") and not stem.endswith(("el", "er")) else "te")
    part = t if v.startswith(_DE_INSEPARABLE) or v.endswith("ieren") else "ge" + t
    return [v, t, past, past + "n", v + "d", *_adj_romance("de", part)]


_VERBS = {"es": _verb_es, "pt": _verb_pt, "it": _verb_it, "fr": _verb_fr, "de": _verb_de}


@cache
def forms(lang: str, lemma: str) -> tuple[str, ...]:
    """Every form of `lemma` ("fichar", "oferta:n", "avanzado:a") in `lang`, lower-cased, the lemma first.
    Forms listed in data/morphology.json for the lemma replace the regular ones."""
    if lang not in _VERBS:
        raise MorphologyError(f"no morphology for language {lang!r}")
    word, _, pos = lemma.lower().partition(":")
    if pos == "f":  # a verb's forms without its infinitive ("está perto de fechar" is no deal closed)
        return tuple(f for f in forms(lang, word) if f != word)
    listed = _irregular().get(lang, {}).get("nouns" if pos in ("n", "a") else "verbs", {}).get(word)
    if listed:
        out = [word, *(f.lower() for f in listed)]
    elif pos == "n":
        out = _noun(lang, word)
    elif pos == "a":
        out = _adj_romance(lang, word)
    elif pos == "":
        out = _VERBS[lang](word)
    else:
        raise MorphologyError(f"lemma {lemma!r} ({lang}): the part after ':' must be 'n' (noun), 'a' (adjective) "
                              "or 'f' (a verb's forms without the infinitive)")
    return tuple(dict.fromkeys(out))
