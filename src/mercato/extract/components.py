"""Extraction components. Each takes the ArticleDoc and adds to it; pipeline.py runs them in order.

segment      -> doc.sentences
mentions     -> sentence.mentions (KB phrase matches + statistical PERSON entities)
resolve      -> canonical names for people across the article, descriptors, current clubs
attribution  -> sentence.source (who makes the claims in that sentence)
claims       -> doc.claims
"""

from __future__ import annotations

import re

from mercato.extract.doc import ArticleDoc, Mention, Sentence
from mercato.extract.lexicon import get_lexicon
from mercato.extract.nlp import get_matcher, get_nlp, get_tokenizer
from mercato.kb import get_kb, normalise
from mercato.records import OFF, ClaimRecord, Source, stage_rank

# -- segment -----------------------------------------------------------------------------------

_SENT_END = re.compile(r"(?<=[.!?…])([\"”’)]*)\s+(?=[\"“‘(]?[A-Z0-9🚨])|\n+")


def segment(doc: ArticleDoc) -> None:
    text = doc.text
    paragraph = 0
    pos = 0
    for m in _SENT_END.finditer(text + "\n"):
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

_TRIGGER = re.compile(r"\b(manager|coach|boss|job|sign|talks|deal|move|transfer|appoint)", re.IGNORECASE)


def mentions(doc: ArticleDoc) -> None:
    kb = get_kb()
    tok = get_tokenizer()
    matcher = get_matcher()
    tdoc = tok(doc.text)
    spans = []
    for match_id, s, e in matcher(tdoc):
        spans.append((tok.vocab.strings[match_id], tdoc[s:e]))
    # longest match wins where matches overlap
    spans.sort(key=lambda x: (x[1].start_char, -(x[1].end_char - x[1].start_char)))
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for label, span in spans:
        if any(span.start_char < te and span.end_char > ts for ts, te in taken):
            continue
        text = span.text
        if label == "CLUB":
            # a bare lowercase nickname like "city" or "united" is not a club
            if text[0].islower() and not text.lower().startswith("the "):
                continue
            if text.lower() in {"city", "united", "forest", "villa", "sporting", "star", "paris"}:
                continue
            found.append(Mention("club", text, span.start_char, span.end_char, kb.club(text), True))
        elif label == "KBPERSON":
            if not text[0].isupper():
                continue
            found.append(Mention("person", text, span.start_char, span.end_char, kb.person(text), True))
        elif label == "OUTLET":
            if not text[0].isupper() and text not in {"kicker"}:
                continue
            found.append(Mention("outlet", text, span.start_char, span.end_char, kb.outlet(text), True))
        elif label == "JOURNALIST":
            found.append(Mention("journalist", text, span.start_char, span.end_char, kb.journalist(text), True))
        taken.append((span.start_char, span.end_char))
    by_sentence(doc, found)
    # statistical NER for people not in the KB, only in sentences that can carry a claim
    nlp = get_nlp()
    todo = [s for s in doc.sentences if s.of("club") or (_TRIGGER.search(s.text) and len(s.text) < 600)]
    for sent, sdoc in zip(todo, nlp.pipe([s.text for s in todo], batch_size=64), strict=True):
        sent.spacy_doc = sdoc
        for ent in sdoc.ents:
            if ent.label_ != "PERSON":
                continue
            s, e = sent.start + ent.start_char, sent.start + ent.end_char
            if any(m.start < e and m.end > s for m in sent.mentions):
                continue
            name = _clean_person(ent.text)
            if not name or kb.club(name) or kb.outlet(name):
                continue
            sent.mentions.append(Mention("person", name, s, s + len(name), kb.person(name) or name, False))
        sent.mentions.sort(key=lambda m: m.start)


def _clean_person(text: str) -> str:
    t = re.sub(r"[’']s$", "", text.strip()).strip(" ,.;:\"“”‘’")
    if not t or not t[0].isupper() or len(t) < 3 or "@" in t or any(ch.isdigit() for ch in t):
        return ""
    return t


def by_sentence(doc: ArticleDoc, found: list[Mention]) -> None:
    i = 0
    for m in sorted(found, key=lambda m: m.start):
        while i < len(doc.sentences) and doc.sentences[i].end <= m.start:
            i += 1
        if i < len(doc.sentences) and doc.sentences[i].start <= m.start:
            doc.sentences[i].mentions.append(m)


# -- resolve -----------------------------------------------------------------------------------

_DESCRIPTOR = re.compile(
    r"\b[Tt]he (?:(\d{2})-year-old|([A-Z][a-z]+(?:man)?)(?: (?:coach|manager|boss|tactician|head coach))?)\b"
)
_CURRENT_CLUB_BEFORE = re.compile(r"(?:’|')s?\s*$|\s(?:boss|manager|head coach|coach|midfielder|striker|defender)\s*$")


def resolve(doc: ArticleDoc) -> None:
    """Canonical person names across the article; descriptors; the clubs people are at now."""
    kb = get_kb()
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
    # descriptors ("the Spaniard", "the 42-year-old") -> the person they describe
    people_order: list[str] = []
    for s in doc.sentences:
        for m in s.of("person"):
            people_order.append(m.canonical or m.text)
        for dm in _DESCRIPTOR.finditer(s.text):
            target = _describe(dm.group(1), dm.group(2), people_order, doc)
            if target:
                st = s.start + dm.start()
                s.mentions.append(Mention("person", dm.group(0), st, s.start + dm.end(), target, False))
        s.mentions.sort(key=lambda m: m.start)
        for m in s.of("person"):
            if m.canonical and m.canonical not in people_order:
                people_order.append(m.canonical)
    # current clubs: KB first, then "<Club>'s <Person>" / "<Club> boss <Person>" in the text
    for s in doc.sentences:
        clubs = s.of("club")
        for m in s.of("person"):
            p = kb.people.get(m.canonical or "")
            if p and p.club and m.canonical:
                doc.current_club.setdefault(m.canonical, p.club)
            for c in clubs:
                if c.end <= m.start and m.start - c.end <= 14:
                    between = doc.text[c.end:m.start]
                    if _CURRENT_CLUB_BEFORE.search(between) or between.strip() in ("’s", "'s", "‘s"):
                        doc.current_club[m.canonical or m.text] = c.canonical or c.text


def _describe(age: str | None, word: str | None, order: list[str], doc: ArticleDoc) -> str | None:
    kb = get_kb()
    recent = list(dict.fromkeys(reversed(order)))
    if age:
        for name in recent:
            p = kb.people.get(name)
            if p and p.age_on(doc.date) == int(age):
                return name
        return recent[0] if recent else None
    if word:
        for name in recent:
            p = kb.people.get(name)
            if p and any(word.lower() == n.lower() for n in p.nationality):
                return name
    return None


# -- attribution -------------------------------------------------------------------------------

_BYLINE = re.compile(r"[—–-]\s*([A-Z][\w.’' -]+?)\s*\(@(\w+)\)")
_ACCORDING = re.compile(r"\b(?:according to|per|as (?:first )?reported by|reports? from|via|told)\s+", re.I)
_UNNAMED_FRAME = re.compile(
    r"\b(?:reports?|journalists?|sources?|media|newspapers?|outlets?)\b[^.]{0,40}?\b(?:claim|suggest|say|report|state|indicate|believe)s?\b"
    r"|\b(?:reportedly|it is (?:claimed|understood|believed|reported|said)|it has been (?:claimed|reported)|reports? (?:emerged|suggest))",
    re.I,
)
_CARRY = re.compile(r"^(?:He|She|They|The journalist|The reporter|The outlet)\b[^.]{0,20}\b(?:adds?|added|also|went on|continued|claims?|says?|reports?|reveals?)", re.I)


def attribution(doc: ArticleDoc) -> None:
    lex = get_lexicon()
    kb = get_kb()
    prev: Sentence | None = None
    byline_paras: dict[int, Source] = {}
    for s in doc.sentences:
        bm = _BYLINE.search(s.text)
        if bm:
            name = kb.journalist_handle.get(bm.group(2).lower()) or kb.journalist(bm.group(1)) or bm.group(1).strip()
            byline_paras[s.paragraph] = Source(journalist=name, outlet=None)
    for s in doc.sentences:
        src: Source | None = None
        kind = "own"
        text = s.text
        journalists = s.of("journalist")
        outlets = s.of("outlet")
        reporting = lex.reporting.search(text)
        if s.paragraph in byline_paras:
            src, kind = byline_paras[s.paragraph], "named"
        elif (journalists or outlets) and (reporting or _ACCORDING.search(text)):
            j = journalists[0].canonical if journalists else None
            o = outlets[0].canonical if outlets else None
            if j and not o:
                kj = kb.journalists.get(j)
                o = kj.outlet if kj else None
            src, kind = Source(journalist=j, outlet=o), "named"
        elif _UNNAMED_FRAME.search(text):
            src, kind = Source(None, None), "unnamed"
        elif prev is not None and prev.source_kind in ("named", "unnamed") and (
            _CARRY.search(text) or _mentions_prev_journalist(s, prev)
        ):
            src, kind = prev.source, "carried"
        if src is None:
            src, kind = doc.own_source, "own"
        s.source, s.source_kind = src, kind
        prev = s


def _mentions_prev_journalist(s: Sentence, prev: Sentence) -> bool:
    if prev.source is None or not prev.source.journalist:
        return False
    last = prev.source.journalist.split()[-1]
    return bool(re.search(rf"\b{re.escape(last)}\b", s.text))


# -- claims ------------------------------------------------------------------------------------

_MANAGER_CONTEXT = re.compile(r"\b(manager|head coach|coach|boss|managerial|dugout|hot seat|successor|replace)", re.I)
_STAY = re.compile(r"\b(?:stay(?:s|ing)?|remain(?:s|ing)?|continue(?:s)?(?: being)?)\b[^.]{0,40}?\b(?:at|with|as)\b", re.I)


def _stage(text: str) -> str | None:
    lex = get_lexicon()
    best: str | None = None
    for stage, pat in lex.stage_patterns.items():
        if pat.search(text) and (best is None or stage_rank(stage) > stage_rank(best)):
            best = stage
    return best


def _certainty(text: str) -> str:
    lex = get_lexicon()
    if lex.doubt.search(text):
        return "doubtful"
    if lex.hedge.search(text) and not lex.firm.search(text):
        return "hedged"
    return "firm"


def _role(person: str, text: str, doc: ArticleDoc) -> str:
    kb = get_kb()
    lex = get_lexicon()
    if lex.roles["staff"].search(text):
        return "staff"
    p = kb.people.get(person)
    if p and p.roles:
        return p.roles[0]
    if lex.roles["manager"].search(text) or _MANAGER_CONTEXT.search(doc.text[:2000]):
        return "manager"
    return "player"


def claims(doc: ArticleDoc) -> None:
    pursuing: dict[str, set[str]] = {}
    out: list[ClaimRecord] = []
    last_person: str | None = None
    for s in doc.sentences:
        clubs = list(dict.fromkeys(c.canonical for c in s.of("club") if c.canonical))
        people = list(dict.fromkeys(p.canonical for p in s.of("person") if p.canonical))
        journalists = {j.canonical for j in s.of("journalist")}
        people = [p for p in people if p not in journalists and (s.source is None or p != s.source.journalist)]
        if not people and clubs and last_person and re.search(r"\b(him|he|his)\b", s.text, re.I):
            people = [last_person]
        if people:
            last_person = people[0]
        if not clubs or not people:
            continue
        stage = _stage(s.text)
        stays = _STAY.search(s.text)
        for person in people:
            current = doc.current_club.get(person)
            for club in clubs:
                if club == current:
                    continue
                st = stage
                if st is None:
                    continue
                if stays and st != OFF:
                    st = OFF
                pursuing.setdefault(person, set()).add(club)
                out.append(
                    ClaimRecord(
                        club=club, person=person, role=_role(person, s.text, doc), stage=st,
                        source=s.source or doc.own_source, certainty=_certainty(s.text),
                        evidence=s.text, start=s.start, end=s.end, date=doc.date,
                    )
                )
    # a person staying at their current club is an off claim against every pursuing club
    for s in doc.sentences:
        if not _STAY.search(s.text):
            continue
        for person in {p.canonical for p in s.of("person") if p.canonical}:
            for club in pursuing.get(person, set()):
                out.append(
                    ClaimRecord(
                        club=club, person=person, role=_role(person, s.text, doc), stage=OFF,
                        source=s.source or doc.own_source, certainty=_certainty(s.text),
                        evidence=s.text, start=s.start, end=s.end, date=doc.date,
                    )
                )
    doc.claims = out
