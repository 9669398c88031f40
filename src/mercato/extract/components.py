"""Extraction components. Each takes the ArticleDoc and adds to it; pipeline.py runs them in order.

segment      -> doc.sentences (paragraph-aware), tweet bylines
mentions     -> sentence.mentions (KB phrase matches, merged/fuzzy clubs, statistical PERSON entities,
                typo-tolerant links to KB people), parsed only where a claim is possible
resolve      -> canonical people across the article, descriptors ("the Spaniard", "the 42-year-old",
                "the Sporting boss"), pronouns, the clubs people are at now, mention roles
                (affiliation, opponent, former club, official, departing, journalist)
attribution  -> sentence.clauses with a source each (named, unnamed, party, own voice, carried)
claims       -> doc.claims: pair_claims (stage, certainty, role per club x person in each clause), then
                stay_claims (off claims for a person staying put) and source_doubt (article-level certainty)

spacy_pipeline.py registers these as spaCy components over one `Doc` (the ArticleDoc rides on `doc._.article`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz, process
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc as SpacyDoc

from mercato.extract.doc import ArticleDoc, Clause, Mention, Sentence
from mercato.extract.lexicon import Lexicon, get_lexicon
from mercato.extract.nlp import entities, get_matcher, get_tokenizer
from mercato.extract.patterns import rx
from mercato.extract.word_sets import word_set
from mercato.kb import get_kb, normalise
from mercato.kb.base import Club
from mercato.kb.names import SAME_NAME, initials_agree
from mercato.kb.spells import club_people, kb_spells
from mercato.kb.spells import hint as club_hint
from mercato.records import OFF, ClaimRecord, Source, stage_rank

# -- segment -----------------------------------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?…])([\"”’)]*)\s+(?=[\"“‘'(]?[A-Z0-9🚨])|\n+")
_BYLINE = re.compile(r"[—–]\s*([A-Z][\w.’' -]+?)\s*\(@(\w+)\)[^\n]*$")
_FIRST_PERSON = rx("attribution.first_person")
_QUOTE = re.compile(r"[“\"‘](?:[^”\"’]|’(?=\w))*[”\"’]?")


_LINE_BREAK = re.compile(r"(?<![\n.!?…:;\"”’)|])[ \t]*\n(?![ \t]*\n)")
_JOINING_WORD = rx("soft_breaks.joining_word")


def _soft_breaks(text: str) -> set[int]:
    """Single line breaks inside a sentence (hard-wrapped text): the line does not end a sentence and the next one
    goes on in lower case or after a word that cannot end one; in a text wrapped that way throughout, every break
    after the first line that lacks end punctuation."""
    soft: set[int] = set()
    rest: list[int] = []
    for m in _LINE_BREAK.finditer(text):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()].rstrip()
        nxt = text[m.end():m.end() + 2].lstrip()
        if not line or not nxt:
            continue
        nl = text.find("\n", m.start())
        if nxt[:1].islower() or _JOINING_WORD.search(line):
            soft.add(nl)
        elif text.rfind("\n", 0, m.start()) != -1:
            rest.append(nl)
    if len(soft) >= 3:
        soft.update(rest)
    return soft


def segment(doc: ArticleDoc) -> None:
    text = doc.text
    paragraph = 0
    pos = 0
    soft = _soft_breaks(text) if "\n" in text else set()
    for m in _SENT_END.finditer(text + "\n"):
        if soft and m.group(1) is None and m.group(0) == "\n" and m.start() in soft:
            continue  # a hard wrap inside a sentence
        chunk_end = m.end(1) if m.group(1) is not None else m.start()
        seg = text[pos:chunk_end]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            s, e = pos + lead, pos + len(seg.rstrip())
            doc.sentences.append(Sentence(start=s, end=e, text=text[s:e], paragraph=paragraph))
        if "\n" in m.group(0):
            paragraph += 1
        pos = m.end()


# -- mentions ----------------------------------------------------------------------------------

# the word sets of the components are data, each with an example and a note (data/word_sets.jsonl, word_sets.py)
_LOWER_OK_OUTLETS = word_set("lower-ok-outlets")
_BAD_BARE_CLUB = word_set("bad-bare-club")
_NATIONAL_CONTEXT = rx("mentions.national_context")
# "the England international", "Argentina forward X": a nationality descriptor of a person, never a club
_NATIONALITY_DESC = rx("mentions.nationality_descriptor")
# "the chance to coach Italy", "take charge of Brazil": a national team is the job
_NATIONAL_VERB_BEFORE = rx("mentions.national_job_verb")
_PERSON_STOP = word_set("person-stop")
_COMMON_WORD_OUTLETS = word_set("common-word-outlets")


# the patterns of mentions(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_MENTIONS_1 = re.compile(r"‘(?=s\b)")
_RX_MENTIONS_2 = re.compile(r"(?<![\w@#])[A-Z][a-zà-ÿ]{3,}(?:[’']s)?")
_RX_MENTIONS_3 = re.compile(r"[’']s$")
_RX_MENTIONS_4 = rx("mentions.told_outlet")
_RX_MENTIONS_5 = re.compile(r"\s+([A-Z][a-zà-ÿ’'-]+)\b")
_RX_MENTIONS_6 = rx("mentions.bare_club_possessive_or_boss")
_RX_MENTIONS_7 = rx("mentions.competition_or_team_suffix")
_RX_MENTIONS_8 = rx("mentions.director_or_name_after")
_RX_MENTIONS_9 = rx("mentions.subject_auxiliary")


def mentions(doc: ArticleDoc, tokens: SpacyDoc | None = None, recognise: bool = True) -> None:
    """`tokens`: `doc.text` already tokenised with `get_tokenizer()`'s vocabulary (the spaCy pipeline's Doc).
    `recognise`: run the statistical entity recogniser (people the knowledge base lacks); without it only the
    knowledge base, the name-slot patterns and the surname links find people."""
    kb = get_kb()
    tok = get_tokenizer()
    matcher = get_matcher()
    # "Aston Villa‘s" (a misused opening quote) tokenises like "Aston Villa’s"; same length keeps offsets
    fixed = _RX_MENTIONS_1.sub("’", doc.text)
    tdoc = tokens if tokens is not None and tokens.vocab is tok.vocab and fixed == doc.text else tok(fixed)
    spans = []
    for match_id, s, e in matcher(tdoc):
        spans.append((tok.vocab.strings[match_id], tdoc[s:e]))
    spans.sort(key=lambda x: (x[1].start_char, -(x[1].end_char - x[1].start_char)))
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    pending_national: list[Mention] = []
    pending_bare: list[Mention] = []
    national_topics: set[str] = set()
    for label, span in spans:
        if any(span.start_char < te and span.end_char > ts for ts, te in taken):
            continue
        text = span.text
        if label == "CLUB":
            if text[0].islower() and not text.lower().startswith("the "):
                continue
            if text.lower() in _BAD_BARE_CLUB and not _RX_MENTIONS_6.match(doc.text[span.end_char:span.end_char + 12]):
                # "Sporting boss" is a club; "Sporting director" is not; a bare "United" is the article's one
                # "... United" club (resolved below)
                if text[0].isupper() and not _RX_MENTIONS_8.match(doc.text[span.end_char:span.end_char + 12]):
                    pending_bare.append(Mention("club", text, span.start_char, span.end_char, None, True))
                continue
            canon = kb.club(text)
            club = kb.clubs.get(canon or "")
            if club is not None and not club.curated and _club_word_skipped(doc, club, span.start_char, span.end_char):
                continue
            if club is not None and club.world:
                doc.late_clubs.append(Mention("club", text, span.start_char, span.end_char, canon, True))
                continue
            if club is not None and club.national:
                after = doc.text[span.end_char:span.end_char + 30]
                if _NATIONALITY_DESC.match(after) or _RX_MENTIONS_7.match(after):
                    continue  # "the FA Cup" is a competition
                # a federation ("FIGC", "the CBF") or nickname ("the Azzurri") is the national team; a bare country
                # name is one only as a job ("the Italy job", "to coach Italy") or in a national-team story
                bare = normalise(text) in {normalise(club.name), *(normalise(a) for a in club.aliases if " " not in a)} \
                    and not text.isupper()
                strong = not bare or _NATIONAL_CONTEXT.match(after) or _NATIONAL_VERB_BEFORE.search(
                    doc.text[max(0, span.start_char - 40):span.start_char])
                if not strong:
                    pending_national.append(Mention("club", text, span.start_char, span.end_char, canon, True))
                    taken.append((span.start_char, span.end_char))
                    continue
                national_topics.add(canon or "")
            found.append(Mention("club", text, span.start_char, span.end_char, canon, True))
        elif label == "KBPERSON":
            if not text[0].isupper() or _other_first_name(doc.text, span.start_char, text, kb.person(text)):
                continue  # "Marcos Alonso" is not Xabi Alonso: the recognisers and the fallback read the full name
            found.append(Mention("person", text, span.start_char, span.end_char, kb.person(text), True))
        elif label == "OUTLET":
            if not text[0].isupper() and text not in _LOWER_OK_OUTLETS:
                continue
            if len(text) <= 4 and text.upper() == text.upper() and not _exact_alias(text):
                continue  # "As" is not AS, "Sun" at a sentence start needs its case
            if text in _COMMON_WORD_OUTLETS:
                if text[0].isupper() and not text.isupper() and _CAPITALISED_AFTER.match(doc.text[span.end_char:span.end_char + 30]):
                    continue  # the first word of a longer name ("Joe Willock"), not the bare outlet
                # bare common words: an outlet only with a reporting frame next to it (checked in attribution)
                found.append(Mention("outlet", text, span.start_char, span.end_char, kb.outlet(text), True, weak=True))
            else:
                found.append(Mention("outlet", text, span.start_char, span.end_char, kb.outlet(text), True))
        elif label == "JOURNALIST":
            if _other_first_name(doc.text, span.start_char, text, kb.journalist(text)):
                continue  # a journalist's surname as another's name ("Thomas Delaney", not Miguel Delaney)
            found.append(Mention("journalist", text, span.start_char, span.end_char, kb.journalist(text), True))
        taken.append((span.start_char, span.end_char))
    # a bare country name counts as the national team where the article is about that national team's job
    # in a national-team story another country about to act is a national team too ("Brazil have also asked")
    found.extend(m for m in pending_national if m.canonical in national_topics or (
        national_topics and _RX_MENTIONS_9.match(doc.text[m.end:m.end + 10])))
    named_clubs = [m.canonical for m in sorted(found, key=lambda m: m.start) if m.kind == "club" and m.canonical]
    for m in pending_bare:
        fits = {c for c in named_clubs if normalise(m.text) in normalise(c).split()}
        if len(fits) > 1 and named_clubs[0] in fits:
            fits = {named_clubs[0]}  # two "... United": the one the article opens with is its topic
        if not fits and (owner := _bare_nickname_owner(doc.text, m)):
            fits = {owner}  # no "... United" named: the club the knowledge base gives the nickname ("United", "City")
        if len(fits) == 1 and not any(m.start < te and m.end > ts for ts, te in taken):
            m.canonical = next(iter(fits))
            found.append(m)
    found.extend(_stadiums(doc.text, found))
    found = _merge_adjacent_clubs(doc.text, found)
    by_sentence(doc, found)
    # statistical NER for people not in the KB, only in sentences that can carry a claim
    todo = [s for s in doc.sentences if _needs_parse(s)] if recognise else []
    # one model call per article: the sentences to parse, joined by blank lines (entities never cross them)
    offsets: list[int] = []
    parts: list[str] = []
    pos = 0
    for sent in todo:
        offsets.append(pos)
        parts.append(sent.text)
        pos += len(sent.text) + 2
    ents_by_sent: list[list[tuple[int, int, str]]] = [[] for _ in todo]
    if todo:
        k = 0
        for start_char, end_char, label_ in entities("\n\n".join(parts)):  # get_nlp()'s entities, decoded faster
            while k + 1 < len(offsets) and offsets[k + 1] <= start_char:
                k += 1
            ents_by_sent[k].append((start_char - offsets[k], end_char - offsets[k], label_))
    for sent, ents in zip(todo, ents_by_sent, strict=True):
        for es, ee, label in ents:
            if label not in ("PERSON", "ORG", "GPE", "NORP"):
                continue
            ent_text = sent.text[es:ee]
            s, e = sent.start + es, sent.start + ee
            if any(m.start < e and m.end > s for m in sent.mentions) or any(
                    m.start < e and m.end > s for m in doc.late_clubs):
                continue  # a club held back from the rules is no person either ("Los Angeles FC")
            name = _clean_person(ent_text)
            if name and (off := ent_text.find(name)) > 0:
                s += off  # a descriptor taken with the name ("Defender Diogo Dalot"): the name starts later
            if name and any(w.lower() in get_lexicon().not_person_words for w in name.split()):
                continue
            if not name or name.lower() in _PERSON_STOP or kb.club(name) or kb.outlet(name):
                continue
            if _RX_MENTIONS_4.search(sent.text[:es]) \
                    and not kb.person(name):
                continue  # "told Il Secolo XIX": the medium, not a person
            if " " not in name and normalise(name) in _club_first_words():
                continue  # "Eintracht want €90m": the start of a club's name, not a person
            linked = kb.person(name) or _fuzzy_person(name, doc)
            if label != "PERSON" and not linked:
                # the model often calls an unfamiliar footballer an ORG or a place: accept a full name in a
                # person's slot ("to sign X Y", "Liverpool's X Y", "talks with X Y")
                tail = _RX_MENTIONS_5.match(sent.text[ee:])
                if " " not in name and tail and not any(m.start <= sent.start + ee + 1 < m.end for m in sent.mentions):
                    name = name + " " + tail.group(1)
                if " " not in name or not _PERSON_SLOT_BEFORE.search(sent.text[:es]) or kb.club(name) or \
                        any(w.lower() in _PERSON_STOP or w.lower() in get_lexicon().not_person_words for w in name.split()):
                    continue
            if kb.journalist(name):
                sent.mentions.append(Mention("journalist", name, s, s + len(name), kb.journalist(name), True))
                continue
            sent.mentions.append(Mention("person", name, s, s + len(name), linked or name, bool(linked)))
    lex = get_lexicon()
    for sent in doc.sentences:
        if not lex.any_cue.search(sent.text) and not lex.reporting.search(sent.text):
            continue
        # a full name in a person's slot that the model labelled as something else ("the signing of Romelu Lukaku")
        if sent.of("club"):
            for nm in _NAME_IN_SLOT.finditer(sent.text):
                st, en = sent.start + nm.start(1), sent.start + nm.end(1)
                name = nm.group(1)
                if any(m.start < en and m.end > st for m in sent.mentions) or kb.club(name) or kb.outlet(name) or any(
                        m.start < en and m.end > st for m in doc.late_clubs):
                    continue
                if any(w.lower() in lex.not_person_words or w.lower() in _PERSON_STOP for w in name.split()):
                    continue
                linked = kb.person(name) or _fuzzy_person(name, doc)
                sent.mentions.append(Mention("person", name, st, en, linked or name, bool(linked)))
        # single capitalised words the model missed that are typos of a known surname ("Slott", "Amroim")
        for tm in _RX_MENTIONS_2.finditer(sent.text):
            word = _RX_MENTIONS_3.sub("", tm.group(0))
            s = sent.start + tm.start()
            if any(m.start <= s < m.end for m in sent.mentions) or kb.club(word) or word.lower() in _PERSON_STOP:
                continue
            linked = _fuzzy_surname(word, doc)
            if linked:
                sent.mentions.append(Mention("person", word, s, s + len(word), linked, True))
        sent.mentions.sort(key=lambda m: m.start)
    _link_short_names(doc)


def _bare_nickname_owner(text: str, m: Mention) -> str | None:
    """The club whose curated nickname a bare word is, written as the nickname is ("United" -> Manchester United,
    "Villa" -> Aston Villa; kb clubs_curated.jsonl), unless a capitalised word stands right before it ("Mexico
    City", "Dundee United": part of another name)."""
    kb = get_kb()
    owner = kb.club(m.text)
    club = kb.clubs.get(owner or "")
    if club is None or not club.curated or m.text not in club.nicknames:
        return None
    if _CAPITALISED_BEFORE.search(text[max(0, m.start - 30):m.start]):
        return None
    return owner


_CAPITALISED_BEFORE = re.compile(r"(?<![.!?:;\n])\b[A-Z][\w’'-]*[a-zà-ÿ][\w’'-]*[ \t]+$")
_CAPITALISED_AFTER = re.compile(r"^[ \t]+[A-Z][\w’'-]*[a-zà-ÿ][\w’'-]*")
# the capitalised word right before a name: its first name ("Thomas" in "Thomas Delaney"); no possessive
_FIRST_NAME_BEFORE = re.compile(r"(?<![\w’'-])([A-Z][a-zà-ÿ-]*[a-zà-ÿ])[ \t]+$")
_NAME_RUN_BEFORE = re.compile(r"(?:[A-Z][\w’'-]*[ \t]+){1,4}$")
_LINE_OR_SENTENCE_END = re.compile(r"(?:^|[\n.!?][\s\"'“‘]*)$")


_WORDS = re.compile(r"[^\W\d_][\w’'-]*")


def _title_case_line(text: str, start: int) -> bool:
    """Is the line around `start` written in title case: three words or more and no lower-case word of four letters
    or more ("Arsenal Want Kane In Summer Deal"; not "Chelsea want Marcos Alonso (Sun)")? There a capitalised word is
    no evidence of a first name."""
    line = text[text.rfind("\n", 0, start) + 1:(text.find("\n", start) + 1 or len(text) + 1) - 1]
    words = _WORDS.findall(line)
    return len(words) >= 3 and not any(w[0].islower() and len(w) >= 4 for w in words)


def _other_first_name(text: str, start: int, word: str, full: str | None) -> bool:
    """Is the surname `word` (the alias of the known person or journalist `full`) at `start` preceded by another
    first name ("Marcos Alonso", "Jobe Bellingham", "Thomas Delaney"; not "Erling Braut Haaland", which has the
    known person's first name before)? A capitalised word counts as one unless it begins a line or a sentence and
    is a common word or written in lower case elsewhere, or it is a stop word, a nationality or position, a club,
    a role or title word (lexicon roles, speaker titles) or a word the lexicon says is in no name."""
    if not full or " " in word.strip() or " " not in full:
        return False
    before = text[max(0, start - 40):start]
    m = _FIRST_NAME_BEFORE.search(before)
    if m is None:
        return False
    first = m.group(1)
    low = first.lower()
    if _LINE_OR_SENTENCE_END.search(before[:m.start()]) and re.search(r"(?<![\w-])" + re.escape(low) + r"(?![\w-])", text):
        return False  # the first word of a line or sentence, capitalised for its place ("Highlights Amorim")
    if get_kb().is_common_word(low) or get_kb().outlet(first) or _title_case_line(text, start):
        return False  # "On Saturday Alonso", "Sunday Times Delaney", a headline in title case ("Liverpool Eye Alonso")
    run = _NAME_RUN_BEFORE.search(before)  # the capitalised words before: "Erling Braut" of "Erling Braut Haaland"
    if normalise(full.split()[0]) in normalise(run.group(0) if run else first).split() or low in STOP_WORDS or low in _descriptor_words() \
            or get_kb().club(first):
        return False
    lex = get_lexicon()
    return not (low in lex.not_person_words or lex.speaker_titles.search(low)
                or any(p.search(low) for p in lex.roles.values()))


def _club_word_skipped(doc: ArticleDoc, club: Club, start: int, end: int) -> bool:
    """A club the knowledge base has not curated (openfootball's clubs) is no mention where the article predates it
    (founded after the article's year), or where its one-word name stands inside a longer capitalised name ("Pau
    Torres", "Reiss Nelson", "Fernando Santos": a person), a nationality or position word aside ("Brazilian
    Santos")."""
    kb = get_kb()
    if not kb.known_on(club.name, doc.date):
        return True
    if " " in doc.text[start:end].strip():
        return False
    before = _CAPITALISED_BEFORE.search(doc.text[max(0, start - 30):start])
    after = _CAPITALISED_AFTER.match(doc.text[end:end + 30])
    for m in (before, after):
        if m is None:
            continue
        word = re.sub(r"[’']s$", "", m.group(0).strip())
        if word.lower() not in _descriptor_words() and not kb.club(word) and not kb.outlet(word):
            return True
    return False


# the patterns of _link_short_names(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_LINK_SHORT_NAMES_1 = rx("link_short_names.capitalised_name")


def _link_short_names(doc: ArticleDoc) -> None:
    """A surname alone ("Alonso"), or a first name inside a quote ("Xabi is our coach"), of a person the article
    names in full is that person, wherever it stands (the model only reads claim-bearing sentences). A surname the
    article never gives in full ("Lukaku") is the one person of that surname with a dated spell, begun by the
    article's date, at one of the clubs it names (`kb.spells.club_people`: the KB's own spells), where exactly one
    is; it stands alone (no capitalised word next to it: "Jobe Bellingham" is not Jude)."""
    kb = get_kb()
    dated = club_people(_article_clubs(doc), doc.date)
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for s in doc.sentences:
        for m in s.of("person"):
            name = m.canonical or ""
            parts = name.split()
            if len(parts) < 2:
                continue
            by_last.setdefault(normalise(parts[-1]), set()).add(name)
            if len(parts) > 2 and parts[1].islower():
                by_last.setdefault(normalise(" ".join(parts[1:])), set()).add(name)  # "ten Hag"
            by_first.setdefault(normalise(parts[0]), set()).add(name)
    if not by_last and not any(dated.values()):
        return
    for s in doc.sentences:
        quotes = [(q.start(), q.end()) for q in _QUOTE.finditer(s.text)] if "“" in s.text or '"' in s.text or \
            "”" in s.text else []
        added = False
        for tm in _RX_LINK_SHORT_NAMES_1.finditer(s.text):
            word = _RX_MENTIONS_3.sub("", tm.group(0))
            st = s.start + tm.start()
            hit = [m for m in s.mentions if m.start <= st < m.end]
            if hit and not (hit[0].kind == "person" and not hit[0].in_kb and " " not in (hit[0].canonical or " ")):
                continue
            key = normalise(word)
            names = by_last.get(key)
            if not names and len(key) >= 4 and any(a <= tm.start() < b for a, b in quotes):
                names = by_first.get(key)
            if not names and key not in by_last and (one := dated.get(key)) and _stands_alone(s, tm.start(), tm.end()):
                names = {one}
            if not names or len(names) != 1 or kb.club(word) or kb.outlet(word) or kb.is_common_word(key):
                continue
            name = next(iter(names))
            if hit:
                hit[0].canonical = name  # a lone word the model found: the person named in full
                continue
            kind = "journalist" if kb.journalist(name) else "person"
            s.mentions.append(Mention(kind, word, st, st + len(word), name, bool(kb.person(name) or kb.journalist(name))))
            added = True
        if added:
            s.mentions.sort(key=lambda m: m.start)


_WORD_BEFORE = re.compile(r"\b[A-Z][\w’'-]*?([’']s)?[ \t]+$")


def _stands_alone(s: Sentence, start: int, end: int) -> bool:
    """A one-word name, not part of a longer one: no capitalised word right before s.text[start:end] but a mention
    or a possessive ("Chelsea's Lukaku"), none right after unless it is itself a possessive ("Lukaku's Inter")."""
    before = _WORD_BEFORE.search(s.text[max(0, start - 30):start])
    if before and not before.group(1) and not any(
            m.start <= s.start + start - len(before.group(0)) < m.end for m in s.mentions):
        return False
    return s.text[start:end].endswith(("’s", "'s")) or not _CAPITALISED_AFTER.match(s.text[end:end + 30])


_PERSON_SLOT_BEFORE = rx("mentions.person_slot_before")


@lru_cache(maxsize=1)
def _club_first_words() -> frozenset[str]:
    """First words of many-word club names that are no person's first name (from the knowledge base, read-only)."""
    kb = get_kb()
    words = set()
    for club in kb.clubs.values():
        for a in [club.name, *club.aliases]:
            parts = normalise(a).split()
            if len(parts) > 1 and len(parts[0]) > 3:
                words.add(parts[0])
    people_first = {normalise(p.name).split()[0] for p in kb.people.values() if " " in p.name}
    return frozenset(words - people_first)

_NAME_IN_SLOT = rx("mentions.name_in_slot")
_CAPITAL = re.compile(r"(?<![\w@#’'])[A-Z][\w’'-]+")
_CAPITAL_OK = word_set("capital-ok")


# a move verb or a club body before a ground: "set to move to the", "the board at" (the pattern is data; re.I where used)
_MOVE_TO = rx("stadiums.move_to").pattern
# "the" right before a ground ("the Old Trafford club")
_THE_BEFORE = rx("stadiums.the_before")


@lru_cache(maxsize=8192)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A name as a whole word (compiled once per name: the re module's own cache holds fewer than the knowledge
    base has stadiums)."""
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


def _stadiums(text: str, found: list[Mention]) -> list[Mention]:
    """A club's ground after a move verb stands for the club ("will join him at the London Stadium"), and so does
    "the <ground> club" ("The Old Trafford club have also made contact")."""
    kb = get_kb()
    out = []
    for name, club in kb.stadiums.items():
        if name not in text:  # the pattern below matches the name as written: a cheap test first
            continue
        for sm in _name_pattern(name).finditer(text):
            if any(m.start < sm.end() and m.end > sm.start() for m in found):
                continue
            named_as_club = _GROUND_CLUB.match(text[sm.end():sm.end() + 20]) and _THE_BEFORE.search(
                text[max(0, sm.start() - 5):sm.start()])
            if named_as_club or re.search(_MOVE_TO, text[max(0, sm.start() - 60):sm.start()], re.I):
                out.append(Mention("club", sm.group(0), sm.start(), sm.end(), club, True))
    return out


# "the Old Trafford club", "the Anfield outfit": a ground named as the club's
_GROUND_CLUB = rx("stadiums.ground_club")


def _exact_alias(text: str) -> bool:
    kb = get_kb()
    canon = kb.outlet(text)
    o = kb.outlets.get(canon or "")
    return o is not None and text in [o.name, *o.aliases]


# a sentence where someone speaks: a quote closing before a name, or a title before a name ("director Jane Doe said")
_SPEAKER_SLOT = rx("needs_parse.speaker_slot")


_SIDE_OF = rx("needs_parse.side_of")


def _needs_parse(s: Sentence) -> bool:
    """Only sentences that can carry a claim go through the statistical model: a club (or a club anaphor)
    together with a stage, off or staff-move cue."""
    if len(s.text) > 1000:
        return False
    lex = get_lexicon()
    speech = bool(_SPEAKER_SLOT.search(s.text)) and bool(lex.reporting.search(s.text))
    if not speech:
        if not (s.of("club") or lex.club_anaphor_strict.search(s.text) or _SIDE_OF.search(s.text)):
            return False
        if not lex.any_cue.search(s.text):
            return False
    # the model can only add people: skip it where every capitalised word is already a known name
    for m in _CAPITAL.finditer(s.text):
        pos = s.start + m.start()
        if m.group(0).lower() in _CAPITAL_OK:
            continue
        if not any(x.start <= pos < x.end and x.in_kb for x in s.mentions):
            return True
    return False


def _merge_adjacent_clubs(text: str, found: list[Mention]) -> list[Mention]:
    """"Bayern Leverkusen": two club names side by side are one (misspelt) club; pick the closest full name."""
    kb = get_kb()
    found = sorted(found, key=lambda m: m.start)
    out: list[Mention] = []
    i = 0
    while i < len(found):
        m = found[i]
        if (
            m.kind == "club" and i + 1 < len(found) and found[i + 1].kind == "club"
            and text[m.end:found[i + 1].start] == " "
        ):
            n = found[i + 1]
            joined = text[m.start:n.end]
            best = process.extractOne(normalise(joined), kb.club_names_norm, scorer=fuzz.ratio, score_cutoff=SAME_NAME)
            if best is not None and initials_agree(normalise(joined), best[0]):
                canon = kb.club_names_norm_map[best[0]]
                out.append(Mention("club", joined, m.start, n.end, canon, True))
                i += 2
                continue
        out.append(m)
        i += 1
    return out


# the patterns of _clean_person(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_CLEAN_PERSON_1 = rx("clean_person.leading_the")


def _clean_person(text: str) -> str:
    t = _RX_MENTIONS_3.sub("", text.strip()).strip(" ,.;:\"“”‘’")
    t = _RX_CLEAN_PERSON_1.sub("", t)
    t = strip_descriptors(t)
    if not t or not t[0].isupper() or len(t) < 3 or "@" in t or any(ch.isdigit() for ch in t):
        return ""
    if "\n" in t or len(t.split()) > 4:
        return ""
    return t


@lru_cache(maxsize=1)
def _descriptor_words() -> frozenset[str]:
    """Words that describe a person before his name and are no part of it: nationalities (kb demonyms,
    countries.json) and position words (kb positions.json)."""
    import json

    from mercato.kb.base import DATA

    kb = get_kb()
    words = set(kb.demonyms) | {d for v in kb.country_demonyms.values() for d in v}
    try:
        raw = json.loads((DATA / "positions.json").read_text(encoding="utf-8"))
        words |= {w.lower() for k, v in raw.items() if not k.startswith("_") for w in v}
    except (OSError, ValueError):
        pass
    return frozenset(words)


def strip_descriptors(name: str) -> str:
    """A name without the descriptors a recogniser took with it ("Defender Diogo Dalot", "Argentine Emi Buendia",
    "Could Benjamin Mendy", "Italy's Gianluigi Donnarumma" -> "Diogo Dalot", "Emi Buendia", ...): nationalities,
    position words, stop words and a possessive; kept whole where fewer than two words would remain."""
    words = name.split()
    k = 0
    while k < len(words) - 2 and (words[k].lower() in _descriptor_words() or words[k].lower() in STOP_WORDS
                                  or re.search(r"[’']s$", words[k])):
        k += 1
    return " ".join(words[k:]) if k else name


def _article_clubs(doc: ArticleDoc) -> set[str]:
    return {m.canonical for s in doc.sentences for m in s.of("club") if m.canonical}


def _fuzzy_person(name: str, doc: ArticleDoc) -> str | None:
    """Link a misspelt full name ("Arne Slott", "Sepke Hulshof") to a KB person."""
    kb = get_kb()
    key = normalise(name)
    if " " not in key:
        return _fuzzy_surname(name, doc)
    best = process.extractOne(key, kb.person_names_norm, scorer=fuzz.ratio, score_cutoff=SAME_NAME)
    if best is not None and initials_agree(key, best[0]):
        return kb.person_names_norm_map[best[0]]
    # surname close and first name plausibly the same, with a club of that person in the article
    first, last = key.split()[0], key.split()[-1]
    clubs = _article_clubs(doc)
    for cand_key, cand in kb.person_names_norm_map.items():
        parts = cand_key.split()
        if len(parts) < 2 or parts[0][0] != first[0]:
            continue
        if fuzz.ratio(parts[-1], last) >= 85 and fuzz.ratio(parts[0], first) >= 60:
            p = kb.people[cand]
            if p.club and p.club in clubs:
                return cand
    return None


def _fuzzy_surname(word: str, doc: ArticleDoc) -> str | None:
    kb = get_kb()
    key = normalise(word)
    if len(key) < 4 or kb.is_common_word(key):
        return None
    best = process.extractOne(key, kb.surnames_norm, scorer=fuzz.ratio, score_cutoff=83)
    if best is None or best[0][0] != key[0]:
        return None
    cand = kb.surnames_norm_map[best[0]]
    # a typo of a surname counts only where the article also names that person or a club of theirs
    p = kb.people[cand]
    full = normalise(cand)
    if full in normalise(doc.text) or (p.club and p.club in _article_clubs(doc)):
        return cand
    return None


def by_sentence(doc: ArticleDoc, found: list[Mention]) -> None:
    i = 0
    for m in sorted(found, key=lambda m: m.start):
        while i < len(doc.sentences) and doc.sentences[i].end <= m.start:
            i += 1
        if i < len(doc.sentences) and doc.sentences[i].start <= m.start:
            doc.sentences[i].mentions.append(m)


# -- resolve -----------------------------------------------------------------------------------

# "the forward", "the Bologna striker": the player last spoken of
_DESC_POSITION = rx("resolve.position_descriptor")
_DESC_AGE = rx("resolve.age_descriptor")
_DESC_NAT = rx("resolve.nationality_descriptor")
_DESC_TITLE = rx("resolve.national_title")
_PRONOUN = rx("pair_claims.pronoun")


# the patterns of resolve(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_RESOLVE_1 = rx("resolve.manager_title_after")
_RX_RESOLVE_2 = rx("resolve.the_before")
_RX_RESOLVE_3 = rx("resolve.clause_start_before")
_RX_RESOLVE_4 = rx("resolve.over_for_after")


def resolve(doc: ArticleDoc) -> None:
    """Canonical person names across the article; descriptors; the clubs people are at now."""
    kb = get_kb()
    lex = get_lexicon()
    full: dict[str, str] = {}  # surname key -> full name
    for s in doc.sentences:
        for m in s.of("person"):
            name = m.canonical or m.text
            if " " in name:
                full.setdefault(normalise(name.split()[-1]), name)
    for s in doc.sentences:
        for m in s.of("person"):
            if m.canonical and " " not in m.canonical and not m.in_kb:
                m.canonical = full.get(normalise(m.canonical), m.canonical)
        # a lone first name or word the model took for a person, that no full name in the article explains
        s.mentions = [m for m in s.mentions if not (m.kind == "person" and not m.in_kb and m.canonical
                                                    and " " not in m.canonical and m.canonical == m.text
                                                    and not kb.person(m.canonical))]
    # a journalist named in full earlier is the same journalist by surname later ("Jacobs adds ...")
    named_j = {normalise(m.canonical.split()[-1]): m.canonical for s in doc.sentences for m in s.of("journalist")
               if m.canonical and " " in m.canonical}
    for key, jname in named_j.items():
        pat = re.compile(r"(?<![\w@])" + re.escape(jname.split()[-1]) + r"(?![\w])")
        for s in doc.sentences:
            for jm in pat.finditer(s.text):
                st = s.start + jm.start()
                hit = [m for m in s.mentions if m.start <= st < m.end]
                if hit and hit[0].kind == "person" and " " not in (hit[0].canonical or " "):
                    s.mentions.remove(hit[0])
                elif hit:
                    continue
                s.mentions.append(Mention("journalist", jm.group(0), st, st + len(jm.group(0)), jname, True))
            s.mentions.sort(key=lambda m: m.start)
        del key
    # mention roles: affiliation (a person's current club), former club, opponent, official, departing
    for s in doc.sentences:
        _mark_roles(doc, s)
    # the clubs people are at on the article's date: what the text says first ("Tottenham striker Harry Kane",
    # "a fee with Dortmund for X"), then the dated spells; the KB's undated club is only a hint
    _text_affiliations(doc)
    _dated_clubs(doc)
    # an official named in full with his title stays an official when named by surname alone ("Shi told ...")
    officials = {m.canonical for s in doc.sentences for m in s.of("person") if m.role == "official"}
    for s in doc.sentences:
        for m in s.of("person"):
            if m.role == "target" and m.canonical in officials and m.text != m.canonical:
                m.role = "official"
    # descriptors -> the person they describe; "the Sporting boss" -> the person whose club is Sporting
    recent: list[str] = []
    for s in doc.sentences:
        new: list[Mention] = []
        occupied = [(m.start, m.end) for m in s.mentions]
        def local(pos: int, s: Sentence = s) -> list[str]:
            # the people named earlier in this sentence count as the most recent ("sold X to Y ... the 22-year-old")
            here = [m.canonical for m in s.of("person") if m.canonical and m.end <= s.start + pos
                    and m.role not in ("journalist", "official", "speaker")]
            return [r for r in recent if r not in here] + here

        for dm in _DESC_AGE.finditer(s.text):
            if _person_right_after(s, s.start + dm.end()):
                continue
            target = _by_age(int(dm.group(1)), local(dm.start()), doc)
            if target:
                new.append(Mention("person", dm.group(0), s.start + dm.start(), s.start + dm.end(), target, False))
        for dm in _DESC_POSITION.finditer(s.text):
            st = s.start + dm.start()
            if any(a <= st < b for a, b in occupied) or _person_right_after(s, s.start + dm.end()):
                continue
            target = _by_position(local(dm.start()), doc)
            if target:
                new.append(Mention("person", dm.group(0), st, s.start + dm.end(), target, False))
        for dm in _DESC_TITLE.finditer(s.text):
            if _person_right_after(s, s.start + dm.end()):
                continue
            target = _by_title(dm.group(0), recent, doc)
            if target:
                new.append(Mention("person", dm.group(0), s.start + dm.start(), s.start + dm.end(), target, False))
        for dm in _DESC_NAT.finditer(s.text):
            st = s.start + dm.start()
            if any(a <= st < b for a, b in occupied) or any(n.start <= st < n.end for n in new):
                continue
            if _person_right_after(s, s.start + dm.end()):
                continue  # "the Argentina captain Lionel Messi": a title of the name that follows
            target = _by_nationality(dm.group(1), local(dm.start()))
            if target:
                new.append(Mention("person", dm.group(0), st, s.start + dm.end(), target, False))
        # "the (smiling) Sporting CP boss" -> the person at that club
        for c in s.mentions:
            if c.kind != "club" or not c.canonical:
                continue
            before = doc.text[max(s.start, c.start - 30):c.start]
            after = doc.text[c.end:c.end + 25]
            the = _RX_RESOLVE_2.search(before) or _RX_RESOLVE_3.search(before)
            title = _RX_RESOLVE_1.match(after)
            if the and title and not _person_right_after(s, c.end + title.end()):
                target = _by_club(c.canonical, recent, doc)
                if target:
                    ts = c.start - len(the.group(0))
                    te = c.end + title.end()
                    new.append(Mention("person", doc.text[ts:te], ts, te, target, False))
                    c.role = "affiliation"
        for n in new:
            if not any(m.start <= n.start < m.end and m.kind == "person" for m in s.mentions):
                n.role = "target"
                if lex.depart_before.search(doc.text[max(s.start, n.start - 50):n.start]):
                    n.role = "departing"  # "the leading candidate to replace the Dutchman"
                s.mentions.append(n)
                for c in s.mentions:
                    if c.kind == "club" and n.start <= c.start < n.end:
                        c.role = "affiliation"  # "the England captain": England is where he plays
        s.mentions.sort(key=lambda m: m.start)
        for m in s.of("person"):
            if m.role in ("", "target") and m.canonical:
                if m.canonical in recent:
                    recent.remove(m.canonical)
                recent.append(m.canonical)
    # "a fee with Leverkusen for the Germany international": the person the descriptor resolved to
    for s in doc.sentences:
        for c in s.of("club"):
            if c.role == "affiliation" and c.owner is None and _RX_RESOLVE_4.match(doc.text[c.end:c.end + 6]):
                nxt = [m for m in s.of("person") if 0 <= m.start - c.end <= 8]
                if nxt:
                    c.owner = nxt[0].canonical
    # current clubs from the text: "<Club>'s <Person>", "<Club> boss <Person>", "<Person> from <Club>"
    _text_affiliations(doc)
    _dated_clubs(doc)
    # persons counted for "the main person" of the article (first-person quotes without a speaker)
    counts: Counter[str] = Counter()
    for s in doc.sentences:
        for m in s.of("person"):
            if m.role in ("", "target") and m.canonical:
                counts[m.canonical] += 1
    doc.main_person = counts.most_common(1)[0][0] if counts else None
    del lex


def _national(club: str) -> bool:
    return bool(getattr(get_kb().clubs.get(club), "national", False))


def _text_affiliations(doc: ArticleDoc) -> None:
    """A person's club as the article states it: "<Club>'s <Person>", "<Club> boss <Person>", "<Person> from <Club>",
    "a fee with <Club> for <Person>". The text wins over any spell; the first statement in the article wins. A
    national team ("Tottenham and England captain X", "the England captain") is not his club: a club the text
    names wins over it, and a dated spell's club too (see `_dated_clubs`)."""
    stated: dict[str, list[str]] = {}
    for person, club in doc.current_club.items():  # set by a role rule ("United, now managed by X")
        if person not in doc.kb_current:
            stated.setdefault(person, []).append(club)
    for s in doc.sentences:
        for c in s.of("club"):
            if c.role == "affiliation" and c.owner and c.canonical:
                stated.setdefault(c.owner, []).append(c.canonical)
    for person, clubs in stated.items():
        have = doc.affiliations.get(person)
        pick = next((c for c in clubs if not _national(c)), clubs[0])
        if have is None or (_national(have) and not _national(pick)):
            doc.affiliations[person] = pick
    for person, club in doc.affiliations.items():
        if _national(club):
            continue  # his country: his club on the date may still be known (`_dated_clubs`)
        if doc.current_club.get(person) != club and person in doc.kb_current:
            doc.kb_current.discard(person)
            doc.current_club[person] = club
        doc.current_club.setdefault(person, club)


def _dated_clubs(doc: ArticleDoc) -> None:
    """People the text does not place: their club on the article's date from the dated spells, else unknown
    (the KB's undated club is kept apart, as a hint)."""
    book = doc.spells if doc.spells is not None else kb_spells()
    for s in doc.sentences:
        for m in s.of("person"):
            name = m.canonical
            if not name or name in doc.current_club:
                continue
            club = book.club_as_news(name, doc.date)  # a move of the last weeks: the club he left
            if club:
                doc.current_club[name] = club
                doc.kb_current.add(name)
            elif name not in doc.club_hint and (h := club_hint(name)):
                doc.club_hint[name] = h
    for person, club in doc.affiliations.items():  # only a national team stated, and no club known on the date
        doc.current_club.setdefault(person, club)


def _person_right_after(s: Sentence, pos: int) -> bool:
    return any(m.kind == "person" and 0 <= m.start - pos <= 3 for m in s.mentions)


def _by_position(recent: list[str], doc: ArticleDoc) -> str | None:
    kb = get_kb()
    for name in reversed(recent):
        p = kb.people.get(name)
        if p is None or not p.roles or p.roles[0] == "player":
            return name
    return None


def _by_age(age: int, recent: list[str], doc: ArticleDoc) -> str | None:
    kb = get_kb()
    for name in reversed(recent):
        p = kb.people.get(name)
        if p and p.age_on(doc.date) == age:
            return name
    for name in reversed(recent):
        p = kb.people.get(name)
        if p is None or p.born is None:
            return name
    return None


def _by_nationality(word: str, recent: list[str]) -> str | None:
    kb = get_kb()
    w = word.lower()
    words = {w, *kb.country_demonyms.get(w, [])}
    if not words & kb.demonyms:
        return None
    # the person last spoken of whose nationality fits, or whose nationality the KB does not know
    for name in reversed(recent):
        p = kb.people.get(name)
        if p is None or not p.nationality or any(n.lower() in words for n in p.nationality):
            return name
    return None


# the patterns of _by_title(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_BY_TITLE_1 = rx("by_title.title_adjective")


def _by_title(text: str, recent: list[str], doc: ArticleDoc) -> str | None:
    kb = get_kb()
    key = normalise(_RX_BY_TITLE_1.sub("the ", text))
    for name in reversed(recent):
        p = kb.people.get(name)
        if p and any(normalise(d) == key for d in p.descriptors):
            return name
    for p in kb.people.values():
        if any(normalise(d) == key for d in p.descriptors):
            return p.name
    return None


def _by_club(club: str, recent: list[str], doc: ArticleDoc) -> str | None:
    for name in reversed(recent):
        if doc.current_club.get(name) == club:
            return name
    for name in reversed(recent):  # nothing dated places anyone there: the KB's undated club, as a hint
        if name not in doc.current_club and doc.club_hint.get(name) == club:
            return name
    return None


_DEAL_OBJECT = rx("mark_roles.deal_object")
_VERBISH = word_set("verbish")


def _depart_before(before: str, m: Mention, people: list[Mention]) -> re.Match[str] | None:
    """A departure verb before m ("to replace X") when no other person stands between them: in "to replace X are
    A, B and C" only X departs."""
    db = get_lexicon().depart_before.search(before)
    if db and any(p is not m and m.start - len(before) + db.start() <= p.start and p.end <= m.start for p in people):
        return None
    return db


# the patterns of _mark_roles(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_MARK_ROLES_1 = rx("mark_roles.former_club_word")
_RX_MARK_ROLES_2 = rx("mark_roles.sacked_by")
_RX_MARK_ROLES_3 = rx("mark_roles.contract_at")
_RX_MARK_ROLES_4 = rx("mark_roles.not_leaving")
_RX_MARK_ROLES_5 = rx("mark_roles.rejected_bid_for")
_RX_MARK_ROLES_6 = rx("mark_roles.refuse_to_sell")
_RX_MARK_ROLES_7 = rx("mark_roles.match_against")
_RX_MARK_ROLES_8 = rx("mark_roles.place_in")
_RX_MARK_ROLES_9 = rx("mark_roles.match_against_before")
_RX_MARK_ROLES_10 = rx("mark_roles.club_possessive_topic")
_RX_MARK_ROLES_11 = re.compile(r"[\w’'-]+")
_RX_MARK_ROLES_12 = re.compile(r"['’‘]s\s+")
_RX_MARK_ROLES_13 = rx("mark_roles.from_of_between")
_RX_MARK_ROLES_14 = rx("mark_roles.talks_with")
_RX_MARK_ROLES_15 = rx("mark_roles.bid_to")
_RX_MARK_ROLES_16 = rx("mark_roles.over_for_him")
_RX_MARK_ROLES_17 = rx("mark_roles.the_before")
_RX_MARK_ROLES_18 = rx("mark_roles.player_noun_after")
_RX_MARK_ROLES_19 = rx("mark_roles.whose")
_RX_MARK_ROLES_20 = rx("mark_roles.rejected_by")
_RX_MARK_ROLES_21 = rx("mark_roles.official_of")
_RX_MARK_ROLES_22 = rx("mark_roles.place_prep")
_RX_MARK_ROLES_23 = rx("mark_roles.where_after")
_RX_MARK_ROLES_24 = rx("mark_roles.in_before")
_RX_MARK_ROLES_25 = rx("mark_roles.time_after")
_RX_MARK_ROLES_26 = rx("mark_roles.and_between")
_RX_MARK_ROLES_27 = re.compile(r"\s*['’‘]s?\s*")
_RX_MARK_ROLES_28 = rx("mark_roles.about_after")
_RX_MARK_ROLES_29 = rx("mark_roles.new_x_of")
_RX_MARK_ROLES_30 = rx("mark_roles.admirer_of")
_RX_MARK_ROLES_31 = re.compile(r"\s*['’‘]s?\s+(?:\w+\s+){0,1}?\w+\s*")
_RX_MARK_ROLES_32 = rx("mark_roles.beat")
_RX_MARK_ROLES_33 = rx("mark_roles.to_the_signing_of")
_RX_MARK_ROLES_34 = rx("mark_roles.new_next_before")
_RX_MARK_ROLES_35 = rx("mark_roles.played_under")
_RX_MARK_ROLES_36 = rx("mark_roles.relative_of")
_RX_MARK_ROLES_37 = rx("mark_roles.managed_by")
_RX_MARK_ROLES_38 = rx("mark_roles.citing")
_RX_MARK_ROLES_39 = rx("mark_roles.as_example")
_RX_MARK_ROLES_40 = rx("mark_roles.strengthen_squad")
_RX_MARK_ROLES_41 = rx("mark_roles.possessive_side")
_RX_MARK_ROLES_42 = rx("mark_roles.possessive_staff")
_RX_MARK_ROLES_43 = rx("mark_roles.apposition_staff")
_RX_MARK_ROLES_44 = rx("mark_roles.according_to")
_RX_MARK_ROLES_45 = rx("mark_roles.says_before")
_RX_MARK_ROLES_46 = rx("mark_roles.departure_verb")
_RX_MARK_ROLES_47 = rx("mark_roles.join_before")
_RX_MARK_ROLES_48 = rx("mark_roles.at_after")


def _mark_roles(doc: ArticleDoc, s: Sentence) -> None:
    lex = get_lexicon()
    kb = get_kb()
    text = doc.text
    people = [m for m in s.mentions if m.kind == "person"]
    for m in s.mentions:
        if m.kind != "club":
            continue
        before = text[max(s.start, m.start - 60):m.start]
        after = text[m.end:min(s.end, m.end + 60)]
        former_word = _RX_MARK_ROLES_1.search(before[-60:])
        if _RX_MARK_ROLES_2.search(before):
            prv_p = [p for p in people if p.end <= m.start and m.start - p.end <= 40]
            m.role, m.owner = "affiliation", prv_p[-1].canonical if prv_p else None  # "X has been sacked by Everton"
            continue
        if lex.former_before.search(before) and former_word:
            m.role = "former"
            nxtp = [p for p in people if p.start >= m.end and p.start - m.end <= 40] or \
                [p for p in reversed(people) if p.end <= m.start and m.start - p.end <= 60]
            if nxtp and nxtp[0].canonical and m.canonical:
                doc.former.setdefault(nxtp[0].canonical, set()).add(m.canonical)
            continue
        # <Club>'s <Person> / <Club> boss <Person> / <Club> coach, <Person>
        nxt = [p for p in people if p.start >= m.end and p.start - m.end <= 60]
        if nxt and lex.former_title.match(text[m.end:nxt[0].start]):
            m.role = "former"  # "Rovers legend John Smith": a tie he once had (cues former_titles), not his club now
            if nxt[0].canonical and m.canonical:
                doc.former.setdefault(nxt[0].canonical, set()).add(m.canonical)
            continue
        if nxt:
            gap = text[m.end:nxt[0].start]
            words = _RX_MARK_ROLES_11.findall(gap)
            between_club = any(c.kind == "club" and m.end <= c.start < nxt[0].start for c in s.mentions)
            if words and len(words) <= 7 and not between_club and not (_VERBISH & {w.lower() for w in words}) \
                    and lex.aff_title_end.search(gap):
                m.role, m.owner = "affiliation", nxt[0].canonical  # "Real Betis and Argentina midfielder X"
                continue
            if _RX_MARK_ROLES_27.fullmatch(gap) or _RX_MARK_ROLES_31.fullmatch(gap) and \
                    lex.aff_titles.match(" " + gap.split(None, 1)[1] if len(gap.split(None, 1)) > 1 else gap) or \
                    lex.aff_titles.match(gap) and not (_VERBISH & {w.lower() for w in words[:1]}):
                # the word before the title is no preposition or verb: "a bid from Sunderland for striker X" names
                # the bidder, not X's club
                m.role, m.owner = "affiliation", nxt[0].canonical
                continue
        # <Person>'s <Club> (contract): "Maresca's Leicester contract"
        prv = [p for p in people if p.end <= m.start and m.start - p.end <= 4]
        if prv and _RX_MARK_ROLES_12.fullmatch(text[prv[-1].end:m.start]):
            m.role, m.owner = "affiliation", prv[-1].canonical
            continue
        # <Person> from / of <Club>; <title> of <Club>, <Person>
        if prv_any := [p for p in people if p.end <= m.start and m.start - p.end <= 8]:
            if _RX_MARK_ROLES_13.fullmatch(text[prv_any[-1].end:m.start]):
                m.role, m.owner = "affiliation", prv_any[-1].canonical
                continue
        # "talks with Fulham over X", "a fee with Manchester City for X": the club named with the deal is the seller
        if _RX_MARK_ROLES_14.search(before) or _RX_MARK_ROLES_15.search(before):
            # "an improved offer to Tottenham for Kane": the club the offer goes to is the seller
            nxt_p = [p for p in people if p.start >= m.end and p.start - m.end <= 80]
            if nxt_p and _RX_MARK_ROLES_28.match(after) and nxt_p[0].canonical:
                m.role, m.owner = "affiliation", nxt_p[0].canonical
                continue
            if _RX_MARK_ROLES_16.match(after):
                m.role = "affiliation"  # "a fee with Leverkusen for the Germany international": the owner is found later
                continue
        if lex.affiliation_groups.search(before):
            m.role = "affiliation"
            continue
        if _RX_MARK_ROLES_17.search(before) and _RX_MARK_ROLES_18.match(after):
            m.role = "affiliation"  # "a bid for the Borussia Dortmund and England winger": his club
            continue
        if _RX_MARK_ROLES_3.search(before):
            m.role = "affiliation"  # "who is on loan at Galatasaray": where he plays now, not a suitor
            continue
        if _RX_MARK_ROLES_19.search(before) or _RX_MARK_ROLES_20.search(before):
            m.role = "affiliation"  # "whose Bologna side", "a bid rejected by Leipzig": his club, the seller
            prv_p = [p for p in people if p.end <= m.start]
            m.owner = prv_p[-1].canonical if prv_p and _RX_MARK_ROLES_19.search(before) else None
            continue
        if _RX_MARK_ROLES_4.search(before):
            prv_p = [p for p in people if p.end <= m.start]
            m.role, m.owner = "affiliation", prv_p[-1].canonical if prv_p else None  # "unlikely to leave Al-Nassr"
            continue
        if _RX_MARK_ROLES_5.match(after):
            # "Palace have rejected a £60m bid from City for X": the seller, X's club
            nxt_p = [p for p in people if p.start > m.end]
            m.role, m.owner = "affiliation", nxt_p[0].canonical if nxt_p else None
            continue
        if _RX_MARK_ROLES_6.match(after):
            m.role = "affiliation"  # "Como refused to let their manager leave": the club he is at
            continue
        if _RX_MARK_ROLES_21.search(before) and not _RX_MARK_ROLES_29.search(before):
            m.role = "affiliation"
            nxtp = [p for p in people if p.start >= m.end and p.start - m.end <= 6]
            m.owner = nxtp[0].canonical if nxtp else None
            continue
        if lex.opponent_before.search(before) and not (
                _RX_MARK_ROLES_32.search(before)
                and _RX_MARK_ROLES_33.match(after)):
            m.role = "opponent"  # "beat Fulham to Arteta" is a race for the person: Fulham is a suitor too
            continue
        if _RX_MARK_ROLES_7.match(after):
            m.role = "opponent"  # "Feyenoord's Eredivisie win over ..." (the club is the home side, not a suitor)
            continue
        if _RX_MARK_ROLES_8.search(before):
            m.role = "location"
            continue
        if _RX_MARK_ROLES_22.search(before) and _RX_MARK_ROLES_23.match(after):
            m.role = "location"
            continue
        if _RX_MARK_ROLES_24.search(before) and _RX_MARK_ROLES_25.match(after):
            m.role = "location"  # "talks with Tuchel in Monaco."
            continue
        if _RX_MARK_ROLES_9.search(before):
            m.role = "opponent"
            continue
        if _RX_MARK_ROLES_10.match(after):
            m.role = "context"
            continue
    for m in people:
        before = text[max(s.start, m.start - 50):m.start]
        after = text[m.end:min(s.end, m.end + 60)]
        kp = kb.people.get(m.canonical or "")
        if kp is not None and kp.roles[:1] == ["official"]:
            m.role = "official"
        elif lex.officials_before.search(before) and not _RX_MARK_ROLES_34.search(before) \
                and not _DEAL_OBJECT.search(before):
            m.role = "official"  # "talks over technical director X": X is the one moving
        elif _RX_MARK_ROLES_30.match(after):
            m.role = "host"  # "X is a big admirer of Y": Y is the target
        elif _RX_MARK_ROLES_35.search(before):
            m.role = "host"  # "fell out of favour under X": X is his manager
        elif _RX_MARK_ROLES_36.search(before):
            m.role = "host"  # "the son of former Everton defender X has signed": the son moves, not X
        elif _RX_MARK_ROLES_37.search(before):
            m.role = "host"  # "United, now managed by former Sporting boss X": X is the club's man, not the target
            prv_c = [c for c in s.mentions if c.kind == "club" and c.end <= m.start]
            if prv_c and prv_c[-1].canonical and m.canonical:
                doc.current_club[m.canonical] = prv_c[-1].canonical
        elif _RX_MARK_ROLES_38.search(before) and \
                _RX_MARK_ROLES_39.match(after):
            m.role = "host"  # "citing X as an example": X illustrates a point, he is not moving
        elif _RX_MARK_ROLES_40.match(after):
            m.role = "host"  # "X wants to strengthen his squad": X runs the club
        elif _RX_MARK_ROLES_41.match(after):
            m.role = "host"  # "Eddie Howe's side": his club, he is not the one moving
        elif _RX_MARK_ROLES_42.match(after) and \
                any(p.start > m.end and p.start - m.end <= 45 for p in people):
            m.role = "host"  # "X's long-time assistant Y will follow him": Y moves, X is spoken of
        elif _RX_MARK_ROLES_43.match(after):
            m.role = "official"  # "X, the agent of Y": X speaks or negotiates, Y would move
        elif _RX_MARK_ROLES_44.search(before) or _RX_MARK_ROLES_45.search(before):
            m.role = "speaker"  # "according to his former teammate X": X speaks, he does not move
        elif (db := _depart_before(before, m, people)) or (da := lex.depart_after.match(after)):
            m.role = "departing"
            if db:
                # "the top candidate to replace X": the departure is masked, the candidacy stays a cue
                vm = _RX_MARK_ROLES_46.search(db.group(0))
                s.masks.append((m.start - len(before) + db.start() + (vm.start() if vm else 0), m.end))
            elif da:
                s.masks.append((m.start, m.end + da.end()))
        elif _RX_MARK_ROLES_47.search(before) and _RX_MARK_ROLES_48.match(after):
            m.role = "host"
        elif any(o.kind == "outlet" and _RX_MARK_ROLES_27.fullmatch(text[o.end:m.start]) for o in s.mentions
                 if o.end <= m.start):
            m.role = "journalist"  # "Sky Sports' Jane Doe"
        elif m.canonical and (kb.journalist(m.canonical) or lex.speaker_titles.search(before[-30:])):
            if lex.speaker_titles.search(before[-30:]) or kb.journalist(m.canonical):
                m.role = "journalist"
        if m.role == "":
            m.role = "target"
    # "co-sporting directors A and B": the title covers the whole list
    for p, q in zip(people, people[1:], strict=False):
        if p.role == "official" and q.role == "target" and _RX_MARK_ROLES_26.fullmatch(text[p.end:q.start]):
            q.role = "official"


# -- attribution -------------------------------------------------------------------------------

_CLAUSE_SPLIT = rx("split_clauses.clause_boundary")


# the patterns of _split_clauses(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_SPLIT_CLAUSES_1 = rx("split_clauses.concessive")
_RX_SPLIT_CLAUSES_2 = rx("split_clauses.relative")
_RX_SPLIT_CLAUSES_3 = rx("split_clauses.comma_subject")


def _split_clauses(s: Sentence) -> list[tuple[int, int]]:
    """Clause spans (offsets into the sentence)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(s.text):
        if m.start() - pos >= 8:
            spans.append((pos, m.start()))
            pos = m.start()
    spans.append((pos, len(s.text)))
    # a relative clause ends at the next comma: "Alonso, who will stay at Leverkusen, Bayern have ..."
    out: list[tuple[int, int]] = []
    # "although X denied ..., an agreement has been put in place": the main clause follows the last comma
    split: list[tuple[int, int]] = []
    for a, b in spans:
        chunk = s.text[a:b]
        if _RX_SPLIT_CLAUSES_1.match(chunk):
            commas = list(_RX_SPLIT_CLAUSES_3.finditer(chunk))
            cm = commas[-1] if commas else None
            if cm is not None and cm.start() > 15:
                split.extend([(a, a + cm.start()), (a + cm.start(), b)])
                continue
        split.append((a, b))
    spans = split
    for a, b in spans:
        chunk = s.text[a:b]
        if _RX_SPLIT_CLAUSES_2.match(chunk):
            c = chunk.find(", ", 10)
            if c != -1 and b - (a + c) >= 8:
                out.extend([(a, a + c), (a + c, b)])
                continue
        out.append((a, b))
    return out


# the patterns of attribution(), compiled once (re.search(r"...") looks each up in re's cache on every call)
_RX_ATTRIBUTION_1 = re.compile(r"[”\"]")


def attribution(doc: ArticleDoc) -> None:
    kb = get_kb()
    lex = get_lexicon()
    bylines: dict[int, tuple[Source, int]] = {}
    for s in doc.sentences:
        bm = _BYLINE.search(s.text)
        if bm:
            raw = bm.group(1).strip()
            name = kb.journalist_handle.get(bm.group(2).lower()) or kb.journalist(raw)
            outlet = kb.outlet(raw)
            src = Source(journalist=name, outlet=None) if name else Source(journalist=None, outlet=outlet or raw)
            club = kb.club(raw) if name is None and outlet is None else None
            if club is not None:
                src = Source(journalist=None, outlet=club)  # a club's own tweet is its announcement
            elif name is None and outlet is None:
                src = Source(journalist=raw, outlet=None)
            bylines[s.paragraph] = (src, s.start + bm.start())
    prev_named: Sentence | None = None
    for s in doc.sentences:
        spans = _split_clauses(s)
        frames = _frames(doc, s)
        s.clauses = []
        default: tuple[Source | None, str, bool, str | None] | None = None
        if s.paragraph in bylines:
            src, cut = bylines[s.paragraph]
            default = (src, "named", False, None)
        elif prev_named is not None and prev_named.paragraph == s.paragraph and not frames and prev_named.clauses:
            last = prev_named.clauses[-1]
            if last.kind == "named" or (last.kind == "party" and _carry_start(s.text)):
                default = (last.source, "carried", last.frame_hedge, last.speaker)
        if default is not None:
            pass
        elif prev_named is not None and not frames and prev_named.clauses and (
            _carry_start(s.text) or (s.text.lstrip()[:1] in "“\"" and bool(_RX_ATTRIBUTION_1.search(prev_named.text)))
        ):
            last = prev_named.clauses[-1]
            if last.kind in ("named", "party", "unnamed"):
                default = (last.source, "carried", last.frame_hedge, last.speaker)
        for a, b in spans:
            cl = Clause(start=s.start + a, end=s.start + b, text=s.text[a:b])
            # the governing frame: the last frame that starts before this clause ends and whose scope covers it
            chosen = None
            for f in frames:
                if f["scope_start"] <= b and (f["scope_end"] >= a):
                    chosen = f
            if chosen is not None:
                cl.source, cl.kind, cl.frame_hedge, cl.speaker = chosen["source"], chosen["kind"], chosen["hedge"], chosen["speaker"]
                cl.factive = chosen.get("factive", False)
            elif default is not None:
                cl.source, cl.kind, cl.frame_hedge, cl.speaker = default
            else:
                cl.source, cl.kind = doc.own_source, "own"
            s.clauses.append(cl)
        # unquoted first-person sentences are the article subject's own words
        if not frames and default is None and doc.main_person and _FIRST_PERSON.search(_strip_quotes(s.text)) \
                and not s.of("club") == [] and s.paragraph not in bylines:
            for cl in s.clauses:
                cl.source, cl.kind, cl.speaker = Source(journalist=doc.main_person, outlet=None), "party", doc.main_person
        if any(c.kind in ("named", "party", "unnamed") for c in s.clauses):
            prev_named = s
        elif frames == [] and default is None:
            prev_named = None if s.paragraph != (prev_named.paragraph if prev_named else -1) else prev_named
    # "That's according to new reports." after a sentence: the frame points back at the sentence before it
    for prev, s in zip(doc.sentences, doc.sentences[1:], strict=False):
        bf = _BACK_FRAME.match(s.text)
        if bf and s.clauses and s.clauses[0].kind in ("named", "unnamed") \
                and not any(m.kind in ("club", "person") and m.start < s.start + bf.end() for m in s.mentions):
            for cl in prev.clauses:
                if cl.kind == "own":
                    cl.source, cl.kind, cl.frame_hedge, cl.speaker = s.clauses[0].source, s.clauses[0].kind, False, None
    _quote_spans(doc)
    del lex


# "That's according to new reports (following the weekend ...)": up to the end or to a clause that only dates it
_BACK_FRAME = rx("attribution.back_frame")


# the patterns of _quote_spans(), compiled once (re.search(r"...") looks each up in re's cache on every call)
_RX_QUOTE_SPANS_1 = re.compile(r"[“\"]")


def _quote_spans(doc: ArticleDoc) -> None:
    """A quote running over several sentences belongs to the speaker named after it:
    “We are talking to him. We will decide soon,” the director told TV -> both sentences are his."""
    sents = doc.sentences
    for i, s in enumerate(sents):
        close = re.search(r"[”\"]\s*,?\s+(?:[\w.’'-]+\s+){0,6}?(?:" + get_lexicon().reporting.pattern + r")\b", s.text)
        if close is None or _RX_QUOTE_SPANS_1.search(s.text[:close.start()]):
            continue  # the quote opens in this sentence: nothing to carry back
        party = [c for c in s.clauses if c.kind == "party" and c.speaker and c.end - s.start > close.start()]
        if not party:
            continue
        src = party[-1]
        for j in range(i - 1, max(-1, i - 6), -1):
            p = sents[j]
            if p.paragraph != s.paragraph:
                break
            for cl in p.clauses:
                if cl.kind in ("own", "carried"):
                    cl.source, cl.kind, cl.speaker, cl.frame_hedge = src.source, "party", src.speaker, False
            if _RX_QUOTE_SPANS_1.search(p.text):
                break  # the sentence that opens the quote


# the patterns of _carry_start(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_CARRY_START_1 = rx("carry_start.carried_source")


def _carry_start(text: str) -> bool:
    return bool(_RX_CARRY_START_1.match(text.strip()))


def _strip_quotes(text: str) -> str:
    return _QUOTE.sub(" ", text)


# the patterns of _frames(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_FRAMES_1 = rx("frames.name_colon_quote")
_RX_FRAMES_2 = rx("frames.pronoun_said")
_RX_FRAMES_3 = rx("frames.reports_after")
_RX_FRAMES_4 = rx("frames.club_confirmed")
_RX_FRAMES_5 = rx("frames.reportedly")
_RX_FRAMES_6 = re.compile(r"")
_RX_FRAMES_7 = re.compile(r"\s+[A-Z][a-z]")
_RX_FRAMES_8 = rx("frames.told_outlet")
_RX_FRAMES_9 = rx("frames.preposition_before")
_RX_FRAMES_10 = rx("frames.subordinate_before")
_RX_FRAMES_11 = rx("frames.shared_posted")
_RX_FRAMES_12 = rx("frames.told")
_RX_FRAMES_13 = rx("frames.hedge_word")
_RX_FRAMES_14 = rx("frames.copula")
_RX_FRAMES_15 = rx("frames.sources_told")
_RX_FRAMES_16 = rx("frames.to_as_after")
_RX_FRAMES_17 = rx("frames.suggest_believe")
_RX_FRAMES_18 = rx("frames.empty_rest")
_RX_FRAMES_19 = re.compile(r"[\s.!”\"’']*")
_RX_FRAMES_20 = re.compile(r"[,:–—-]\s*$")
_RX_FRAMES_21 = rx("frames.reports_prep")
_RX_FRAMES_22 = rx("frames.suggested_after")
_RX_FRAMES_23 = rx("frames.insist")
_RX_FRAMES_24 = re.compile(r"\s*(?:['’]s\s*)?")
_RX_FRAMES_25 = rx("frames.sources")
_RX_FRAMES_26 = rx("frames.who_before_verb")
# fragments joined with the lexicon's reporting verbs where used: what may stand between a speaker and the verb
# ("X, who has also said"), and a journalist named by a title ("the transfer expert added")
_FRAMES_VERB_LEAD = rx("frames.verb_lead").pattern
_FRAMES_EXPERT_LEAD = rx("frames.expert_lead").pattern
_NOT_SPEAKER_VERBS = word_set("not-speaker-verbs")


def _frames(doc: ArticleDoc, s: Sentence) -> list[dict]:
    """Attribution frames in a sentence: who speaks, and over which part of the sentence."""
    kb = get_kb()
    lex = get_lexicon()
    text = s.text
    n = len(text)
    frames: list[dict] = []
    speakers = [m for m in s.mentions if m.kind in ("journalist", "outlet", "person") and m.canonical]
    for m in speakers:
        a, b = m.start - s.start, m.end - s.start
        before, after = text[:a], text[b:]
        if m.kind == "person" and m.role not in ("target", "official", "journalist", "speaker"):
            continue
        if m.kind == "person" and (m.canonical or "").lower() in lex.platforms:
            continue
        hedge = False
        verb = re.match(_FRAMES_VERB_LEAD + "(" + lex.reporting.pattern + r")", after, re.I)
        if verb and _RX_FRAMES_5.search(after[:verb.start(1)]):
            continue
        prep = lex.frame_prep.search(before)
        if prep and any(o is not m and o.kind in ("outlet", "journalist", "person") and prep.start() <= o.start - s.start < a
                        for o in s.mentions):
            prep = None  # "According to Mail Online, Tuchel ...": the frame belongs to the outlet
        if prep and m.kind == "person" and "," in before[prep.end():]:
            prep = None  # "According to the German newspaper, Kompany was ...": Kompany is spoken of
        tail_report = _RX_FRAMES_3.match(after)
        if m.kind in ("person", "journalist", "outlet") and _RX_MARK_ROLES_45.search(before):
            tail_report = _RX_FRAMES_6.match(after)  # "X wants to join Y, says Z": Z speaks over the sentence
        if m.kind == "outlet" and m.weak and not (verb or prep or tail_report):
            continue
        if m.kind == "outlet" and m.weak and _RX_FRAMES_7.match(after):
            continue  # "Sport Witness" is not "Sport"
        if m.kind == "outlet" and prep and _RX_FRAMES_8.search(before) \
                and not _RX_FRAMES_15.search(before):
            continue  # the medium a party speaks to; "sources have told ESPN that" makes ESPN the source
        if m.kind == "person" and _RX_FRAMES_9.search(before):
            continue  # the object of a preposition does not speak
        if m.kind == "person" and _RX_FRAMES_10.search(before):
            continue  # "linked ever since current boss Klopp announced ...": a subordinate clause, not a frame
        if not (verb or prep or tail_report):
            # "Sky Germany's Florian Plettenberg reports" -> the outlet belongs to the journalist's frame
            continue
        if m.kind == "person" and m.role == "target" and verb and _RX_FRAMES_11.match(verb.group(1)):
            continue
        if prep and m.kind == "person" and _RX_FRAMES_12.match(prep.group(0)):
            continue  # "X told reporters that Y ...": Y is spoken of, not the speaker
        if m.kind == "person" and verb and not prep:
            v = verb.group(1).lower()
            if v in _NOT_SPEAKER_VERBS or "," in after[:verb.start(1)] and not (
                    m.role == "journalist" and _RX_FRAMES_26.search(after[:verb.start(1)])) or \
                    _RX_FRAMES_16.match(after[verb.end(1):]):  # "is said to", "X confirmed as new manager"
                continue  # "Maresca, reports claim ...": the person is not the speaker
        j, o, speaker, kind = _source_of(doc, s, m)
        if verb and not prep:
            vstart = b + verb.start(1)
            hedge = bool(_RX_FRAMES_17.match(verb.group(1)))
            # "X, Y report(s)" at the end of the sentence: the frame covers what comes before it
            rest = text[b + verb.end():].strip()
            if len(rest) < 12 or _RX_FRAMES_18.match(rest):
                scope = (0, n)
            else:
                scope = (_frame_start(before), n)
            start = vstart
        elif prep:
            hedge = bool(_RX_FRAMES_21.search(prep.group(0))) and not (j or o)
            # "A report from The Athletic earlier this month suggested that ..."
            hedge = hedge or bool(_RX_FRAMES_22.match(after))
            clause_end = text.find(",", b)
            if len(text[b:].strip(" .”\"’'")) < 12:
                scope = (0, n)  # "..., according to The Athletic's David Ornstein." covers the sentence
            elif prep.start() < 3 or (clause_end != -1 and clause_end - b < 6 and prep.start() < a):
                scope = (prep.start(), n)
            else:
                # "...compensation package according to Sky Sports." -> the frame covers its clause
                scope = (_frame_start(before[:prep.start()]), n)
            start = prep.start()
        else:
            scope = (0, n)
            start = a
        if m.kind == "person" and m.role == "target":
            kind = "party"
        frames.append({"start": start, "scope_start": scope[0], "scope_end": scope[1],
                       "source": Source(journalist=j, outlet=o), "kind": kind, "hedge": hedge, "speaker": speaker,
                       "factive": bool(verb and lex.factive.fullmatch(verb.group(1)))})
    # an official club announcement: "Chelsea have confirmed X as their new head coach"
    for c in s.of("club"):
        if c.role:
            continue
        cm = _RX_FRAMES_4.match(doc.text[c.end:c.end + 60])
        if cm and not frames:
            frames.append({"start": c.start - s.start, "scope_start": _frame_start(text[:c.start - s.start]), "scope_end": n,
                           "source": Source(journalist=None, outlet=c.canonical), "kind": "party", "hedge": False,
                           "speaker": None, "factive": not _RX_FRAMES_23.search(cm.group(0))})
    named = [f for f in frames if f["kind"] == "named"]
    frames = [f for f in frames if f["kind"] != "party" or not any(
        g["start"] < f["start"] and g["scope_start"] <= f["start"] for g in named)]
    # party quotes: "Name: “...”" and "“...,” Name said" (speaker names in the sentence)
    qm = _RX_FRAMES_1.match(text)
    if qm:
        pm = [m for m in s.mentions if m.kind == "person" and m.start - s.start == qm.start(1)]
        if pm:
            frames = [f for f in frames if f["kind"] != "named"]
            frames.append({"start": 0, "scope_start": 0, "scope_end": n,
                           "source": Source(journalist=pm[0].canonical, outlet=None), "kind": "party", "hedge": False,
                           "speaker": pm[0].canonical})
    # "He responded: ..." / "He said ..." -> the person last spoken of speaks
    hm = _RX_FRAMES_2.match(text)
    if hm and doc.last_target and not any(f["kind"] == "named" and f["start"] < hm.end() for f in frames):
        frames = [f for f in frames if f["start"] > hm.end() + 40 or f["kind"] not in ("named",)]
        frames.append({"start": 0, "scope_start": 0, "scope_end": n, "source": Source(journalist=doc.last_target, outlet=None),
                       "kind": "party", "hedge": False, "speaker": doc.last_target})
    # "the transfer expert added" -> the journalist named last in the article
    te = re.search(_FRAMES_EXPERT_LEAD + r"(?:" + lex.reporting.pattern + r")", text)
    if te and not frames and doc.last_journalist:
        j, o = doc.last_journalist
        tail = text[te.end():].strip()
        scope = (0, n) if len(tail) < 12 else (te.start(), n)
        frames.append({"start": te.start(), "scope_start": scope[0], "scope_end": scope[1], "source": Source(j, o),
                       "kind": "named", "hedge": False, "speaker": j})
    # "the Spanish outlet concedes", "according to the German newspaper": the outlet named last in the article
    ao = _OUTLET_ANAPHOR.search(text)
    if ao and doc.last_outlet and not any(f["kind"] == "named" and f["start"] <= ao.start() for f in frames):
        frames = [f for f in frames if not (f["kind"] == "party" and f["start"] > ao.start())]
        tail = text[ao.end():].strip(" ,.")
        if ao.group(0).lower().startswith("according"):
            scope = (0, n) if len(tail) < 12 or ao.start() < 3 else (_frame_start(text[:ao.start()]), n)
        else:
            scope = (0, n) if len(tail) < 12 else (ao.start(), n)
        frames.append({"start": ao.start(), "scope_start": scope[0], "scope_end": scope[1], "source": doc.last_outlet,
                       "kind": "named", "hedge": False, "speaker": None})
    # unnamed frames
    for um in lex.unnamed.finditer(text):
        if any(f["start"] <= um.start() <= f["start"] + 60 and f["kind"] == "named" for f in frames):
            continue
        if any(f["kind"] in ("named", "party") and f["scope_start"] <= um.start() for f in frames):
            continue
        word = um.group(0).lower()
        hedge = bool(_RX_FRAMES_13.search(word))
        if word == "reportedly" or _RX_FRAMES_14.match(word):
            start = _frame_start(text[:um.start()])
        elif um.start() > 3 and _RX_FRAMES_19.fullmatch(text[um.end():]) and _RX_FRAMES_20.search(text[:um.start()]):
            start = 0  # "..., reports in Germany claim." at the end covers the sentence before it
        else:
            start = _frame_start(text[:um.start()]) if um.start() > 3 else 0
        src, kind = Source(None, None), "unnamed"
        om = next((m for m in s.mentions if m.kind == "outlet" and m.canonical
                   and _RX_FRAMES_24.fullmatch(text[m.end - s.start:um.start()]) and _RX_FRAMES_25.match(word)), None)
        if om is not None:
            src, kind, hedge = Source(None, om.canonical), "named", False  # "TEAMtalk sources state": the outlet's own
        frames.append({"start": um.start(), "scope_start": start, "scope_end": n, "source": src,
                       "kind": kind, "hedge": hedge, "speaker": None})
    own_outlet = normalise(kb.outlet(doc.outlet) or doc.outlet) if doc.outlet else None
    for f in frames:
        if f["kind"] == "named" and f["source"].outlet and not f["source"].journalist:
            doc.last_outlet = f["source"]
        if f["kind"] == "named" and f["source"].journalist is None and own_outlet and f["source"].outlet \
                and normalise(f["source"].outlet) == own_outlet:
            f["source"], f["kind"] = doc.own_source, "own"  # "The Independent understands" in The Independent
        if f["kind"] == "named" and f["source"].journalist:
            doc.last_journalist = (f["source"].journalist, f["source"].outlet)
    for m in s.of("person"):
        if m.role == "target":
            doc.last_target = m.canonical
    frames.sort(key=lambda f: f["scope_start"])
    del kb
    return frames


_OUTLET_ANAPHOR = rx("frames.outlet_anaphor")


# the patterns of _frame_start(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_FRAME_START_1 = rx("frame_start.according_to")


def _frame_start(before: str) -> int:
    """Where the clause holding a frame begins: after the last comma/clause break before it."""
    cut = 0
    for m in _CLAUSE_SPLIT.finditer(before):
        cut = m.end()
    c = before.rfind(", ")
    if c != -1 and c + 2 > cut and not _RX_FRAME_START_1.search(before[c:]):
        # a comma before the frame: "amid interest from X, reports in Germany claim ..."
        cut = c + 2
    return cut


# the patterns of _source_of(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_SOURCE_OF_1 = rx("source_of.told_medium")
_RX_SOURCE_OF_2 = re.compile(r"['’]s")
_RX_SOURCE_OF_3 = rx("source_of.journalist_title")
_RX_SOURCE_OF_4 = rx("source_of.leading_the")


def _source_of(doc: ArticleDoc, s: Sentence, m: Mention) -> tuple[str | None, str | None, str | None, str]:
    """(journalist, outlet, speaker, kind) for a frame anchored on mention m."""
    kb = get_kb()
    lex = get_lexicon()
    text = doc.text
    if m.kind == "outlet":
        # "Sky Germany's Florian Plettenberg": a journalist right after the outlet owns the frame
        for j in s.mentions:
            if j.kind in ("journalist", "person") and 0 <= j.start - m.end <= 30 and j is not m and \
                    _RX_SOURCE_OF_3.fullmatch(text[m.end:j.start]):
                return j.canonical, m.canonical, j.canonical, "named"
        return None, m.canonical, None, "named"
    name = m.canonical
    outlet = None
    # outlet just before the journalist ("The Athletic's David Ornstein", "Journalist for The Guardian Jacob Steinberg")
    for o in s.mentions:
        if o.kind == "outlet" and 0 <= m.start - o.end <= 14:
            outlet = o.canonical
        if o.kind == "outlet" and 0 <= o.start - m.end <= 3 and _RX_SOURCE_OF_2.match(text[m.end:o.start + 2]):
            outlet = o.canonical
    if m.kind == "journalist" and outlet is None and name:
        kj = kb.journalists.get(name)
        outlet = kj.outlet if kj else None
    if m.kind == "person":
        # a party speaking: the medium they speak to, where named ("telling ESPN")
        medium = _RX_SOURCE_OF_1.search(s.text)
        if medium:
            med = kb.outlet(medium.group(1).strip()) or _outlet_prefix(medium.group(1)) or \
                _outlet_prefix(_RX_SOURCE_OF_4.sub("", medium.group(1)))
            outlet = med
        if lex.speaker_titles.search(text[max(s.start, m.start - 30):m.start]):
            return name, outlet, name, "named"
        return name, outlet, name, "party"
    return name, outlet, name, "named"


def _outlet_prefix(text: str) -> str | None:
    kb = get_kb()
    words = text.split()
    for k in range(len(words), 0, -1):
        o = kb.outlet(" ".join(words[:k]))
        if o:
            return o
    return None


# -- claims ------------------------------------------------------------------------------------

_STAFF_TITLE = rx("role.staff_title")


_UNNAMED_PARTY = rx("read_cues.unnamed_party")


_NEGATED_AFTER = rx("read_cues.negated_after")


_CUES_SEEN: dict[str, tuple[Lexicon, tuple[tuple[str, int], ...]]] = {}


def _cues(text: str) -> list[tuple[str, int]]:
    """Stage cues in a clause as (stage, position), without cues bound to an unnamed club ("talks with a
    Premier League club") or under a wish ("the hope being that a deal is agreed").
    Read once per text and lexicon: the claims component and the learned extractor's features ask for the same
    clauses and sentences."""
    lex = get_lexicon()
    seen = _CUES_SEEN.get(text)
    if seen is not None and seen[0] is lex:
        return list(seen[1])
    out = _read_cues(lex, text)
    if len(_CUES_SEEN) > 20000:
        _CUES_SEEN.clear()
    _CUES_SEEN[text] = (lex, tuple(out))
    return out


# the patterns of _read_cues(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_READ_CUES_1 = rx("read_cues.no_doubt")


_BID_MASKED: dict[str, tuple[Lexicon, str]] = {}


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _bid_masked(lex: Lexicon, text: str) -> str:
    """The text with the lexicon's bid masks ("in a bid to", "turned down several offers") blanked out, same length;
    made once per text and lexicon (`_read_cues` and `_rejected_bid` ask for the same clauses)."""
    seen = _BID_MASKED.get(text)
    if seen is not None and seen[0] is lex:
        return seen[1]
    masked = lex.bid_masks.sub(_blank, text)
    if len(_BID_MASKED) > 20000:
        _BID_MASKED.clear()
    _BID_MASKED[text] = (lex, masked)
    return masked


def _read_cues(lex: Lexicon, text: str) -> list[tuple[str, int]]:
    if lex.neutralise.search(text):
        return []
    masked = _bid_masked(lex, text)
    first = 0
    if masked == text:
        hit = lex.any_cue.search(text)
        if hit is None:
            return []  # any_cue holds every stage pattern: where it finds nothing, no stage pattern below can
        # nor can one match before any_cue's first match (the same alternatives between the same word boundaries):
        # the stage patterns' scans start there (their lookbehinds still see the text before it)
        first = hit.start()
    text = masked
    # a wish or a condition reaches to the end of its clause ("if he is let go, Flick is the top candidate")
    spans = []
    for im in lex.irrealis.finditer(text):
        comma = text.find(",", im.end())
        spans.append((im.start(), comma if comma != -1 else len(text)))
    out: list[tuple[str, int]] = []
    for stage, pat in lex.stage_patterns.items():
        for m in pat.finditer(text, first):
            if any(a <= m.start() < b for a, b in spans):
                continue
            if _UNNAMED_PARTY.match(text[m.end():m.end() + 30]):
                continue
            if stage != "off" and lex.negated.search(text[max(0, m.start() - 35):m.start()]) and \
                    not _RX_READ_CUES_1.search(text[max(0, m.start() - 35):m.start()]):
                continue  # "no agreement yet", "failed to reach agreement", "are not eyeing"
            if _NEGATED_AFTER.match(text[m.end():m.end() + 40]):
                continue  # "formal discussions have not yet been held"
            if stage == "bid" and lex.planned_bid.search(text[max(0, m.start() - 50):m.start()]):
                out.append(("interest", m.start()))
                continue
            out.append((stage, m.start()))
    return out


# the patterns of _stage(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_STAGE_1 = rx("stage.modal")
_RX_STAGE_2 = rx("stage.have_agreed")
_RX_STAGE_3 = re.compile(r"\s+(?:[\w’'-]+\s+){0,3}")


_STAGES_SEEN: dict[str, tuple[Lexicon, str | None]] = {}


def _stage(text: str, cues: list[tuple[str, int]] | None = None) -> str | None:
    """The stage of a text from its cues (`_cues(text)` unless given), with the corrections for completions only
    expected; without `cues`, read once per text and lexicon (the claims component and the learned extractor's
    features ask for the same clauses)."""
    lex = get_lexicon()
    if cues is None:
        seen = _STAGES_SEEN.get(text)
        if seen is not None and seen[0] is lex:
            return seen[1]
        got = _stage_of(lex, text, _cues(text))
        if len(_STAGES_SEEN) > 20000:
            _STAGES_SEEN.clear()
        _STAGES_SEEN[text] = (lex, got)
        return got
    return _stage_of(lex, text, cues)


def _stage_of(lex: Lexicon, text: str, cues: list[tuple[str, int]]) -> str | None:
    best: str | None = None
    for stage, _ in cues:
        if best is None or stage_rank(stage) > stage_rank(best):
            best = stage
    if best == "done" and (fd := lex.future_done.search(text)):
        # "will be appointed": agreed, not yet done; "could be appointed": only close
        best = "advanced" if _RX_STAGE_1.match(fd.group(0)) else "agreement"
    if best in ("agreement", "done") and lex.cap_advanced.search(text):
        best = "advanced"
    if best in ("agreement", "done"):
        # a completion that is only expected: imminent -> advanced, otherwise the sides are talking
        expected = any(
            md.end() <= mc.start() and _RX_STAGE_3.fullmatch(text[md.end():mc.start()])
            for md in lex.modal.finditer(text) for mc in lex.completion.finditer(text)
        )
        if expected and not _RX_STAGE_2.search(text):
            best = "advanced" if lex.imminent.search(text) else "talks"
    return best


# the patterns of _per_club_stages(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_PER_CLUB_STAGES_1 = rx("per_club_stages.coordination")
_RX_PER_CLUB_STAGES_2 = rx("per_club_stages.target_after")


def _per_club_stages(text: str, cl: Clause, clubs: list[Mention], persons: list[Mention],
                     only: dict[str, str]) -> dict[str, str] | None:
    """With two or more clubs in a clause that are not coordinated, each cue goes to the nearest club."""
    names = list(dict.fromkeys(m.canonical for m in clubs if m.canonical))
    if len(names) < 2:
        return None
    groups: list[list[Mention]] = []
    for m in sorted(clubs, key=lambda m: m.start):
        if groups and _RX_PER_CLUB_STAGES_1.fullmatch(text[groups[-1][-1].end - cl.start:m.start - cl.start]):
            groups[-1].append(m)
        else:
            groups.append([m])
    if len(groups) < 2:
        return None
    cues = _cues(text)
    out: dict[str, str] = {}
    # "<Club> managerial target X", "the <Club>-linked coach": that club's interest, whatever else the clause says
    fixed = [g for g in groups if _RX_PER_CLUB_STAGES_2.match(text[g[-1].end - cl.start:])]
    for g in fixed:
        for m in g:
            if m.canonical:
                out[m.canonical] = "interest"
                nxt = [p for p in persons if p.start >= g[-1].end]
                if nxt and nxt[0].canonical:
                    only[m.canonical] = nxt[0].canonical
    groups = [g for g in groups if g not in fixed]
    for g in groups:
        lo, hi = g[0].start - cl.start, g[-1].end - cl.start
        mine = [c for c in cues if min((abs(c[1] - (h.start - cl.start)) for gg in groups for h in gg if gg is g), default=1e9)
                <= min(abs(c[1] - (h.start - cl.start)) for gg in groups for h in gg)]
        if not mine:
            continue
        seg_lo = min(lo, *(c[1] for c in mine))
        seg_hi = max(hi, *(c[1] + 1 for c in mine))
        st = _stage(text[seg_lo:seg_hi + 40], mine)
        if st:
            for m in g:
                if m.canonical:
                    out[m.canonical] = st
    return out


def _off_kind(text: str) -> str | None:
    """person (he stays / says no), club (the club withdrew), or None."""
    lex = get_lexicon()
    if lex.off_cancel.search(text):
        return None
    if lex.off_person.search(text):
        return "person"
    if lex.off_club.search(text):
        return "club"
    return None


# the patterns of _rejected_bid(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_REJECTED_BID_1 = rx("rejected_bid.passive")
# "have had an offer ... rejected" (joined with the rejecting verb where used), "rejected by"
_HAD_BID = rx("rejected_bid.had_bid").pattern
_BY_AGENT = rx("rejected_bid.by_agent").pattern
# auxiliaries and adverbs between the one who says no and the verb ("X has firmly rejected"), and he/she before them
_REJECT_AUX = rx("rejected_bid.aux")
_HE_SHE = rx("rejected_bid.he_she").pattern
_HE_SHE_AUX = re.compile(_HE_SHE + _REJECT_AUX.pattern, re.I)


def _rejected_bid(text: str, clause: Clause | None = None, mentions: list[Mention] | None = None) -> str | None:
    """A rejected bid: 'bid' when the selling club rejects it (the pursuit goes on), 'off' when the person
    rejects the offer or approach (he says no)."""
    lex = get_lexicon()
    text = _bid_masked(lex, text)  # "has turned down several job offers" (past habit)
    rv = lex.reject_verb.search(text)
    if not rv or not lex.reject_object.search(text):
        return None
    if re.search(_HAD_BID + re.escape(rv.group(0)), text, re.I) \
            or re.search(re.escape(rv.group(0)) + _BY_AGENT, text, re.I):
        return "bid"
    # a passive rejection without a person as agent: the offer was made and turned down -> still a bid
    if _RX_REJECTED_BID_1.search(text[:rv.start()]):
        return "bid"
    # who rejects: a person (or he/she) right before the verb says no; a club as subject rejects a bid
    if clause is not None and mentions:
        before = [m for m in mentions if m.end - clause.start <= rv.start()]
        if before and before[-1].kind == "person" and _REJECT_AUX.fullmatch(text[before[-1].end - clause.start:rv.start()]):
            return "off"
        # the clause's subject is a person and no suitor club stands before the verb: "X ... has rejected offers"
        live = [m for m in before if m.kind == "person" or m.role == ""]
        if live and live[0].kind == "person" and live[0].start - clause.start < 25 and \
                not any(m.kind == "club" for m in live):
            return "off"
        if any(m.kind == "club" and m.role == "" for m in before):
            return "bid"
    if _HE_SHE_AUX.search(text[:rv.start()]):
        return "off"
    return None


_SUBORDINATE_HEDGE = rx("certainty.subordinate_hedge")


# the patterns of _certainty(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_CERTAINTY_1 = rx("certainty.would_be_agreed")


def _certainty(cl: Clause, stage: str | None = None) -> str:
    lex = get_lexicon()
    # a modal that only says an agreement is still to come set the stage (talks/advanced); it is not a hedge
    text = _RX_CERTAINTY_1.sub(" ", cl.text)
    # a hedge inside a clause that only describes the deal or the question asked is not the source's hedge:
    # "talks over a deal which would involve him leaving", "contacted his agent to enquire if he would be open"
    text = _SUBORDINATE_HEDGE.sub(" ", text)
    if stage == OFF:
        # the words that make a claim off ("not interested", "rejected") are not doubt about it
        text = lex.no_return.sub(" ", lex.off_club.sub(" ", lex.off_person.sub(" ", text)))
    if lex.doubt.search(text):
        return "doubtful"
    if lex.firm.search(text):
        return "firm"
    if cl.frame_hedge or lex.hedge.search(text):
        return "hedged"
    return "firm"


# the patterns of _role(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_ROLE_1 = rx("role.as_staff_title")
_RX_ROLE_2 = rx("role.manager_title_before")
_RX_ROLE_3 = rx("role.backroom")


def _role(person: str, s: Sentence, m: Mention | None, doc: ArticleDoc) -> str:
    kb = get_kb()
    lex = get_lexicon()
    before = ""
    if m is not None:
        before = doc.text[max(s.start, m.start - 40):m.start]
        if _STAFF_TITLE.search(before):
            doc.titled_role[person] = "staff"  # "technical director X": staff wherever he is named later
            return "staff"
    if person in doc.titled_role:
        return doc.titled_role[person]
    if m is not None:
        after = doc.text[m.end:min(s.end, m.end + 30)]
        if _RX_ROLE_1.match(after):
            doc.titled_role[person] = "staff"
            return "staff"
    p = kb.people.get(person)
    if p and p.roles and p.roles[0] in ("manager", "player", "staff"):
        return p.roles[0]
    if before and lex.roles["player"].search(before[-30:]):
        return "player"
    if before and _RX_ROLE_2.search(before):
        return "manager"
    if lex.roles["staff"].search(s.text) and _RX_ROLE_3.search(s.text):
        return "staff"
    if doc.manager_article or (lex.roles["manager"].search(s.text) and not lex.roles["player"].search(s.text)):
        return "manager"
    return "player"


_OTHERS_POSSESSIVE = rx("pair_claims.others_possessive")
_STAYED_AT = rx("pair_claims.stayed_at")
# a clause about someone else: a generic set ("any of their options") or a name the extractor does not know
_GENERIC = rx("about_someone_else.generic")
_UNKNOWN_SLOT = rx("about_someone_else.unknown_slot")


def _about_someone_else(s: Sentence, cl: Clause, text: str) -> bool:
    if _GENERIC.search(text):
        return True
    for um in _UNKNOWN_SLOT.finditer(text):
        pos = cl.start + um.start(1)
        if not any(m.start <= pos < m.end for m in s.mentions) and um.group(1).lower() not in _CAPITAL_OK:
            return True
    return False

_WE = rx("pair_claims.we")
_CLUB_SPEAKS = rx("pair_claims.club_speaks")
_STAY_CUE = rx("pair_claims.stay_cue")
_NOMINAL_CUE = rx("pair_claims.nominal_cue")
# the plain pronouns: with a host in the clause ("X wants to strengthen his squad") they are the host's, not the target's
_HOST_PRONOUNS = word_set("host-pronouns")


def _masked(s: Sentence, cl: Clause) -> str:
    text = cl.text
    for a, b in s.masks:
        lo, hi = max(a, cl.start) - cl.start, min(b, cl.end) - cl.start
        if lo < hi:
            text = text[:lo] + " " * (hi - lo) + text[hi:]
    return text


def claims(doc: ArticleDoc) -> None:
    """Pairing with each clause's stage and certainty, then the article-level steps (see the three below)."""
    pair_claims(doc)
    stay_claims(doc)
    source_doubt(doc)


# the patterns of pair_claims(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_PAIR_CLAIMS_1 = rx("pair_claims.manager_word")
_RX_PAIR_CLAIMS_2 = rx("pair_claims.player_word")
_RX_PAIR_CLAIMS_3 = rx("pair_claims.subject_verb")
_RX_PAIR_CLAIMS_4 = rx("pair_claims.relative_start")
_RX_PAIR_CLAIMS_5 = rx("pair_claims.also")
_RX_PAIR_CLAIMS_6 = rx("pair_claims.possessive_side")
_RX_PAIR_CLAIMS_7 = rx("pair_claims.accepted")
_RX_PAIR_CLAIMS_8 = rx("pair_claims.appointed_before")
_RX_PAIR_CLAIMS_9 = rx("pair_claims.as_their_new")
_RX_PAIR_CLAIMS_10 = rx("pair_claims.club_noun")


def pair_claims(doc: ArticleDoc) -> None:
    """Pairs each clause's clubs and people into claims, with the clause's stage and certainty (`doc.claims`); keeps
    the clauses where a person stays put (`doc.stays`) and those that only doubt a move (`doc.doubts`)."""
    lex = get_lexicon()
    kb = get_kb()
    doc.manager_article = bool(_RX_PAIR_CLAIMS_1.search(doc.text[:3000])) and not \
        _RX_PAIR_CLAIMS_2.search(doc.text[:600])
    out: list[ClaimRecord] = []
    stays: list[tuple[Clause, Sentence, str, list[str]]] = []  # clause, sentence, person, clubs named with it
    doubts: list[tuple[str, tuple, frozenset[str]]] = []  # person, source key, clubs of a clause that only doubts
    last_pair: tuple[str, str, int] | None = None  # club, person, sentence of the last claim
    last_person: str | None = None
    topic_club: tuple[str, int] | None = None
    vacancy: str | None = None  # the club whose manager the article has leaving: the job everyone else is up for
    for si, s in enumerate(doc.sentences):
        if not s.clauses or s.text.rstrip(" ”\"’'").endswith("?"):
            continue  # a question asserts nothing
        targets_all = [m for m in s.of("person") if m.role == "target"]
        clubs_all = [m for m in s.of("club") if m.role == ""]
        sentence_current = {doc.current_club.get(m.canonical or "") for m in s.of("person")}
        for m in s.of("person"):
            # "X has been sacked by United": the club losing its manager is the one searching
            cur = doc.current_club.get(m.canonical or "")
            if m.role == "departing" and cur and any(c.canonical == cur for c in s.of("club")):
                topic_club = (cur, si)
                vacancy = vacancy or cur
        for m in clubs_all:
            if m.canonical and m.canonical not in sentence_current and _RX_PAIR_CLAIMS_3.match(doc.text[m.end:m.end + 12]):
                topic_club = (m.canonical, si)
        for cl in s.clauses:
            a, b = cl.start, cl.end
            text = _masked(s, cl)
            clubs = [m.canonical for m in clubs_all if a <= m.start < b and m.canonical]
            ppl = [m for m in targets_all if a <= m.start < b]
            if cl.kind == "party" and cl.speaker:
                # '“He is going nowhere,” X told Sky': X after the closing quote speaks, he is not its subject
                rest = [m for m in ppl if not (m.canonical == cl.speaker and (_RX_ATTRIBUTION_1.search(doc.text[a:m.start])
                                                                              or _WE.search(cl.text)))]
                if rest or _PRONOUN.search(_masked(s, cl)) or _WE.search(cl.text):
                    ppl = rest
            people = [m.canonical for m in ppl if m.canonical]
            speaker = cl.speaker
            if cl.kind in ("named", "carried") and speaker or cl.kind == "party" and speaker and len(set(people)) > 1:
                people = [p for p in people if p != speaker]  # "X reckons Y wants to join": Y moves, X speaks
            if cl.kind == "party" and speaker and _FIRST_PERSON.search(cl.text) and speaker not in people \
                    and not _WE.search(cl.text):  # "we are looking at the market": he speaks for his club
                people.append(speaker)
            stage = _stage(text)
            sl = lex.staff_list.search(cl.text)
            if sl and _staff_list(doc, s, cl, sl, out, stage, last_person, topic_club[0] if topic_club else None):
                continue
            sm = lex.staff_move.search(text)
            if sm:
                # "bringing his backroom staff with him, including A, B": the named staff move, not the host
                ppl = [m for m in ppl if m.start - cl.start > sm.end()]
                people = [m.canonical for m in ppl if m.canonical]
                if not people:
                    continue
                stage = "agreement"
            off = _off_kind(text)
            if off is None and lex.no_return.search(text):
                # "former Seagulls boss X would not be returning": off for the club he left, and no other
                who = people or ([last_person] if last_person and _PRONOUN.search(text) else [])
                back = [m.canonical for m in s.of("club") if a <= m.start < b and m.role in ("", "former") and m.canonical]
                for person in dict.fromkeys(who):
                    tgt = back or sorted(doc.former.get(person, ())) or ([topic_club[0]] if topic_club else [])
                    for club in dict.fromkeys(tgt):
                        if club != doc.current_club.get(person):
                            _emit(out, doc, s, cl, club, person, OFF, ppl)
                    last_person = person
                continue
            rej = _rejected_bid(text, cl, [m for m in s.mentions if m.kind in ("club", "person") and a <= m.start < b])
            if rej == "bid":
                stage, off = "bid", None
            elif rej == "off" and off is None:
                off = "person"
            if off is None and stage is None:
                if lex.doubt.search(text) and cl.source is not None:
                    # "X was sounded out, but the 59-year-old is unlikely to leave": doubt on that source's claim
                    dp = [m for m in ppl if m.canonical and m.canonical != cl.speaker]
                    doubts.extend((m.canonical or "", cl.source.key(), frozenset(clubs)) for m in dp)
                    if not dp and cl.kind == "party":
                        doubts.append(("", cl.source.key(), frozenset(clubs)))  # "I honestly don't know," X said
                for m in ppl:
                    if m.canonical:
                        last_person = m.canonical
                continue
            # a missing person: "..., who is now a target for X" -> the person named just before
            if not people and _RX_PAIR_CLAIMS_4.match(cl.text):
                before_me = [m for m in s.of("person") if m.end <= a and m.role not in ("journalist", "official")]
                if before_me and before_me[-1].canonical:
                    people = [before_me[-1].canonical]
            # a missing person: an anaphor -> the person last spoken of; else the sentence's other people
            if not people:
                others = [m.canonical for m in targets_all if m.canonical and not (a <= m.start < b)
                          and m.canonical != speaker  # "“We are looking at the market,” X said": not X's move
                          and not _OTHERS_POSSESSIVE.match(doc.text[m.end:m.end + 40])]  # not "Guardiola's assistant"
                hosts = any(m.role == "host" and a <= m.start < b for m in s.of("person"))
                pana = [x.group(0).lower() for x in lex.person_anaphor.finditer(text)]
                if last_person and (_PRONOUN.search(text) or pana) and not (hosts and set(pana) <= _HOST_PRONOUNS):
                    people = [last_person]  # "X wants to strengthen his squad": his is X's, not the target's
                elif others:
                    people = list(dict.fromkeys(others))
                elif last_person and (_PRONOUN.search(s.text) and not hosts or _NOMINAL_CUE.search(text)):
                    people = [last_person]
            if cl.kind == "party" and speaker and not people and off:
                people = [speaker]
            if not people and not clubs and rej == "bid" and last_pair and si - last_pair[2] <= 3:
                people = [last_pair[1]]  # "an opening bid was turned down by the Bundesliga club": the story's move
            if not people and clubs and (stage or off == "club") and not _about_someone_else(s, cl, text) and not any(
                    m.role == "departing" and a <= m.start < b for m in s.of("person")):  # "confirmed they will part ways with X"
                # "Spurs have offered compensation", "Newcastle are expected to pull out": the person the article
                # already has that club pursuing; "X are also interested": the person last spoken of
                topic = {t for c in clubs if (t := doc.club_topic.get(c))}
                if len(topic) == 1:
                    people = list(topic)
                elif not topic and last_person and stage == "interest" and _RX_PAIR_CLAIMS_5.search(text):
                    people = [last_person]
            if not people:
                continue
            # a clause naming only the selling club ("after Newcastle agreed compensation") is about the suitor
            # (the seller agreeing a fee or turning a bid down speaks of the suitor's move)
            # (the KB's undated club may say which side sells when nothing dated does: it removes no claim here)
            if clubs and not ppl and stage in ("bid", "agreement") and off is None and \
                    all(c in {doc.current_club.get(p) or doc.club_hint.get(p) for p in people} for c in clubs):
                clubs = []
            if not clubs:
                # "Antonio Conte's side are working on a deal": the club of the man whose side it is
                side_of = [m for m in s.of("person") if m.role == "host" and a <= m.start < b
                           and _RX_PAIR_CLAIMS_6.match(doc.text[m.end:m.end + 25])]
                if side_of:
                    own_club = doc.current_club.get(side_of[0].canonical or "") or (topic_club[0] if topic_club else None)
                    if own_club:
                        clubs = [own_club]
            if not clubs and cl.kind == "party" and speaker and speaker not in people and _WE.search(cl.text):
                # "we are talking to him", said by a club's official: the speaker's club (else the story's club)
                own = doc.current_club.get(speaker) or (topic_club[0] if topic_club else None)
                if own:
                    clubs = [own]
            if not clubs:
                others = [m.canonical for m in clubs_all if m.canonical and not (a <= m.start < b)
                          and m.canonical not in sentence_current]
                officials = [c for m in s.of("person") if m.role == "official" and (c := doc.current_club.get(m.canonical or ""))]
                pursuer = {t for p in people if (t := doc.person_topic.get(p))}
                if others:
                    clubs = list(dict.fromkeys(others))
                elif len(pursuer) == 1 and stage in ("bid", "agreement") and off is None and not _GENERIC.search(text) \
                        and (rej == "bid" or _RX_PAIR_CLAIMS_7.search(text)):
                    clubs = list(pursuer)  # "Everton rejected an offer for him": the club already pursuing him
                elif officials:
                    clubs = list(dict.fromkeys(officials))
                elif any(m.role == "official" and a <= m.start < b for m in s.of("person")) and out:
                    # "Sporting director X has been in contact with ...": the club the article is about
                    clubs = [Counter(c.club for c in out).most_common(1)[0][0]]
                elif topic_club:
                    ana = lex.club_anaphor.search(text)
                    national = getattr(kb.clubs.get(topic_club[0]), "national", False)
                    if national and ana and _RX_PAIR_CLAIMS_10.search(ana.group(0)):
                        pass  # "the German giants" is a club, never a national team
                    elif si - topic_club[1] <= 3 or ana or (national and si - topic_club[1] <= 6):
                        clubs = [topic_club[0]]  # a national team's search stays the story a little longer
                        if ana:
                            topic_club = (topic_club[0], si)
                    elif vacancy and ppl and _VACANCY.search(text) and not _WE.search(cl.text):
                        clubs = [vacancy]  # "X is expected to take up the position": the job the article is about
            for m in ppl:
                if m.canonical:
                    last_person = m.canonical
            if off == "person":
                # the club someone stays with is where he is now, never a suitor
                stayed = {m.canonical for m in clubs_all if m.canonical and _STAYED_AT.search(doc.text[max(s.start, m.start - 70):m.start])}
                for person in dict.fromkeys(people):
                    cur = doc.current_club.get(person)
                    if cur is None and len(stayed) == 1:
                        cur = doc.current_club[person] = next(iter(stayed))
                    named = [m.canonical for m in clubs_all if m.canonical and m.canonical != cur and m.canonical not in stayed
                             and not _CLUB_SPEAKS.match(doc.text[m.end:m.end + 40])]  # "X announced that ...": X speaks
                    if not named or _STAY_CUE.search(text):
                        # he stays: off for every club after him; "turned down X's approach" is off for X alone
                        stays.append((cl, s, person, named))
                    for club in dict.fromkeys(named):
                        _emit(out, doc, s, cl, club, person, OFF, ppl)
                        if topic_club is None:
                            topic_club = (club, si)  # a story that opens with a refusal is still about that club
                continue
            sellers = {doc.current_club.get(p) for p in people}
            # with several clubs in a clause, a club anyone in it is at is a selling club, not a suitor
            clause_current = {doc.current_club.get(m.canonical or "") for m in s.of("person") if a <= m.start < b}
            if len(set(clubs)) > 1:
                clubs = [c for c in clubs if c not in clause_current] or clubs
            only: dict[str, str] = {}
            per_club = _per_club_stages(
                text, cl, [m for m in clubs_all if a <= m.start < b and m.canonical not in sellers], ppl, only
            ) if off is None else None
            for person in dict.fromkeys(people):
                current = doc.current_club.get(person)
                for club in dict.fromkeys(clubs):
                    # a KB club is a snapshot: the text announcing the move there wins ("X have appointed Y")
                    stale = club == current and person in doc.kb_current and stage == "done" and off is None and any(
                        pm.canonical == person and _RX_PAIR_CLAIMS_8.search(doc.text[max(a, pm.start - 40):pm.start])
                        and _RX_PAIR_CLAIMS_9.match(doc.text[pm.end:pm.end + 30])
                        for pm in ppl)
                    if (club == current and not stale) or club in doc.former.get(person, ()) or only.get(club, person) != person:
                        continue
                    st = OFF if off == "club" else stage
                    if per_club is not None:
                        st = per_club.get(club)
                    if st is None:
                        continue
                    _emit(out, doc, s, cl, club, person, _announced(cl, club, st), ppl)
                    topic_club = (club, si)
                    last_pair = (club, person, si)
    doc.claims = out
    doc.stays = stays
    doc.doubts = doubts


def stay_claims(doc: ArticleDoc) -> None:
    """A person staying put (`doc.stays`) is an off claim against every club pursuing them in the article."""
    out = doc.claims
    pursuing: dict[str, set[str]] = {}
    for claim in out:
        pursuing.setdefault(claim.person, set()).add(claim.club)
    for cl, s, person, named in doc.stays:
        for club in sorted(pursuing.get(person, set())):
            if club not in named and club != doc.current_club.get(person):
                _emit(out, doc, s, cl, club, person, OFF, [])


def source_doubt(doc: ArticleDoc) -> None:
    """Article-level certainty: a source that doubts a move elsewhere in the article (`doc.doubts`) makes its claims
    on that move doubtful, and one doubtful claim of a source makes its other claims on the same move doubtful."""
    for claim in doc.claims:
        if claim.stage != OFF and any(claim.person == p or not p and claim.source.key() == k and (not cs or claim.club in cs)
                                      for p, k, cs in doc.doubts if claim.source.key() == k):
            claim.certainty = "doubtful"  # the source doubts that move elsewhere in the article
    doc.claims = _propagate_doubt(doc.claims)


_NAME_PARTICLES = word_set("name-particles")


def _name_at_end(item: str) -> str | None:
    """The capitalised name that ends a list item: 'former Chelsea goalkeeper Willy Caballero' -> Willy Caballero."""
    words = item.strip(" .,;:”\"’'()").split()
    name: list[str] = []
    for w in reversed(words):
        if w[:1].isupper() and not w.isupper() or w.lower() in _NAME_PARTICLES and name:
            name.insert(0, w)
        else:
            break
    while name and name[0].lower() in _NAME_PARTICLES:
        name.pop(0)
    return " ".join(name) if 2 <= len(name) <= 4 else None


# the patterns of _staff_list(), compiled once: those that encode English are data (data/patterns.jsonl, patterns.py)
_RX_STAFF_LIST_1 = re.compile(r"([A-Z][\w’'-]+)['’]s\s")
_RX_STAFF_LIST_2 = rx("staff_list.joins")
_RX_STAFF_LIST_3 = rx("staff_list.pronoun_subject")
_RX_STAFF_LIST_4 = rx("staff_list.item_separator")
_RX_STAFF_LIST_5 = rx("staff_list.list_end")


def _staff_list(doc: ArticleDoc, s: Sentence, cl: Clause, sl: re.Match[str], out: list[ClaimRecord], stage: str | None,
                last_person: str | None, topic: str | None) -> bool:
    """Staff named with a manager's move: 'he will be joined by a coaching team comprising A, B and C' (the named
    follow the cue), 'X will also join Y's staff' (the named stand before it). Their club is the one the clause
    names, else the club the manager is moving to. Returns whether any claim came of it."""
    a, b = cl.start, cl.end
    in_clause = [m for m in s.of("person") if a <= m.start < b]
    cue_at = a + sl.start()
    hm = _RX_STAFF_LIST_1.search(sl.group(0))
    host = next((m.canonical for m in in_clause if hm and m.start >= cue_at and hm.group(1) in m.text), None)
    if host is None and _RX_STAFF_LIST_3.search(cl.text[:sl.start()]):
        host = last_person
    if _RX_STAFF_LIST_2.search(sl.group(0)):
        names = [m.canonical for m in in_clause if m.end <= cue_at and m.canonical != host and m.role == "target"
                 and m.canonical]
        lead = _name_at_end(cl.text[:sl.start()])
        if not names and lead and not any(m.kind == "club" and m.end <= cue_at and lead in m.text for m in s.mentions):
            names = [lead]  # a name the statistical model missed: "..., while A B joins as goalkeeping coach"
    else:
        if sl.groupdict().get("names"):  # "bring in A and B as his assistants"
            tail, pos = sl.group("names"), a + sl.start("names")
        else:
            tail = _RX_STAFF_LIST_5.split(cl.text[sl.end():])[0]
            pos = a + sl.end()
        names = []
        spans = [(m.start, m.end, m.canonical) for m in s.mentions if m.canonical]
        for item in _RX_STAFF_LIST_4.split(tail):
            start = pos
            pos += len(item)
            if _RX_STAFF_LIST_4.fullmatch(item):
                continue
            club_or_person = [c for ms, me, c in spans if start <= ms < pos]
            name = _name_at_end(item)
            if name is None:
                continue
            known = [m.canonical for m in in_clause if start <= m.start < pos and m.canonical and name.endswith(m.text)]
            if any(name in c or c in name for c in club_or_person if c not in known):
                continue  # a club, not a person
            names.append(known[0] if known else name)
    names = [n for n in dict.fromkeys(names) if n and n != host]
    if not names:
        return False
    clubs = [m.canonical for m in s.of("club") if a <= m.start < b and m.role == "" and m.canonical]
    club = clubs[0] if clubs else (doc.person_topic.get(host or "") or topic)
    if club is None:
        return False
    st = stage if stage in ("advanced", "agreement", "done") else "agreement"
    for name in names:
        doc.titled_role[name] = "staff"
        if club != doc.current_club.get(name):
            _emit(out, doc, s, cl, club, name, _announced(cl, club, st), [])
    return True


def _announced(cl: Clause, club: str, stage: str) -> str:
    """A club confirming that someone will join it: the move is official."""
    if stage == "agreement" and cl.kind == "party" and cl.factive and cl.source is not None \
            and cl.source.journalist is None and cl.source.outlet == club and _certainty(cl, stage) == "firm":
        return "done"
    return stage


_VACANCY = rx("pair_claims.vacancy")


def _emit(out: list[ClaimRecord], doc: ArticleDoc, s: Sentence, cl: Clause, club: str, person: str, stage: str,
          ppl: list[Mention]) -> None:
    if cl.kind != "party" and cl.source is not None and cl.source.journalist == person:
        return  # a reporter is never the subject of his own report
    if stage != OFF:
        doc.club_topic[club] = person
        doc.person_topic[person] = club
    kclub = get_kb().clubs.get(club)
    if kclub is not None and kclub.national and _role(person, s, next((p for p in ppl if p.canonical == person), None),
                                                        doc) == "player":
        return  # national teams call players up; they do not sign them
    out.append(_claim(doc, s, cl, club, person, stage, ppl))
    if cl.kind == "party" and cl.factive and cl.source != doc.own_source:
        # "X has confirmed he will stay": the party's claim, and the article's own statement of fact
        c = _claim(doc, s, cl, club, person, stage, ppl)
        c.source = doc.own_source
        out.append(c)


def _claim(doc: ArticleDoc, s: Sentence, cl: Clause, club: str, person: str, stage: str, ppl: list[Mention]) -> ClaimRecord:
    m = next((p for p in ppl if p.canonical == person), None)
    return ClaimRecord(
        club=club, person=person, role=_role(person, s, m, doc), stage=stage,
        source=cl.source or doc.own_source, certainty=_certainty(cl, stage),
        evidence=cl.text.strip(" ,;"), start=cl.start + (len(cl.text) - len(cl.text.lstrip(" ,;"))),
        end=cl.start + len(cl.text.rstrip(" ,;")), date=doc.date,
    )


def _propagate_doubt(out: list[ClaimRecord]) -> list[ClaimRecord]:
    """A source that casts doubt on a move casts it on all its claims about that move."""
    doubtful = {(c.club, c.person, c.source.key()) for c in out if c.certainty == "doubtful" and c.stage != OFF}
    for c in out:
        if (c.club, c.person, c.source.key()) in doubtful and c.stage != OFF:
            c.certainty = "doubtful"
    return out
