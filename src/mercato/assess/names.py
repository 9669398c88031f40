"""Canonical keys for people within one run, and URL-safe slugs for stories and sources.

Claims arrive with names as the extractor wrote them ("Kompany", "Vincent Kompany",
"Duje Caleta-Car", "Duje Caleta Car"). Stories and outcomes must agree on one key per person and
per club, so every name goes through here: clubs through the knowledge base (`mercato.kb.names`, where
folding and the fuzzy policy live, re-exported here as `fold` and `club_key`), people through a
per-run resolver that folds surnames and near-identical spellings into the most used full name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from mercato.kb.base import get_kb, normalise
from mercato.kb.names import fold, same_name


def slug(*parts: str) -> str:
    return "--".join(_slug_part(p) for p in parts)


@lru_cache(maxsize=200_000)
def _slug_part(p: str) -> str:
    return normalise(p).replace(" ", "-") or "x"


# words the extractor sometimes leaves in front of a name ("Frenchman Adrien Rabiot", "Defender Diogo Dalot")
_DESCRIPTORS = frozenset({
    "defender", "midfielder", "striker", "forward", "winger", "goalkeeper", "keeper", "full back", "fullback",
    "centre back", "center back", "left back", "right back", "wing back", "playmaker", "captain", "manager", "boss",
    "coach", "teenager", "youngster", "veteran", "former", "ex", "star", "attacker", "frenchman", "dutchman",
    "spaniard", "englishman", "scotsman", "welshman", "irishman", "dane", "swede", "pole", "finn", "belgian",
    "international", "wonderkid",
})


def strip_descriptors(key: str) -> str:
    """A folded name without leading descriptor words (positions, demonyms): "frenchman adrien rabiot" ->
    "adrien rabiot". Only while two words at least remain."""
    kb = get_kb()
    toks = key.split()
    while len(toks) > 2 and (toks[0] in _DESCRIPTORS or toks[0] in kb.demonyms):
        toks = toks[1:]
    return " ".join(toks)


def _prefix_first(a: str, b: str) -> bool:
    """Same surname, and one first name shortens the other ("emi buendia" / "emiliano buendia")."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb) or len(ta) < 2 or ta[1:] != tb[1:]:
        return False
    fa, fb = ta[0], tb[0]
    short, long_ = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return len(short) >= 3 and short != long_ and long_.startswith(short)


def _shorter_form(short: list[str], long_: list[str]) -> bool:
    return long_[-len(short):] == short or (short[0] == long_[0] and short[-1] == long_[-1])


class PersonResolver:
    """Folds spellings of one person into one name, learnt from the names seen in one run.

    - case, accents and punctuation are ignored ("Caleta-Car" = "Caleta Car", "Ødegaard" = "Odegaard");
    - the knowledge base's aliases map to its canonical name ("Slott" -> "Arne Slot");
    - a lone surname maps to the one multi-word name ending with it, when exactly one does;
    - two full names one by the fuzzy policy of `mercato.kb.names` (ratio >= SAME_NAME), sharing a surname
      initial, are one person (the spelling used more often wins).
    """

    def __init__(self, names: Iterable[str], clubs: dict[str, set[str]] | None = None) -> None:
        """names: every name seen; clubs (optional): name -> clubs it is linked with, the context that
        lets a short first name join the full one ("Emi Buendia" and "Emiliano Buendia", both Aston Villa)."""
        kb = get_kb()
        counts: Counter[str] = Counter()
        display: dict[str, Counter[str]] = {}
        ctx: dict[str, set[str]] = {}
        for n, cs in (clubs or {}).items():
            ctx.setdefault(strip_descriptors(fold(n)), set()).update(cs)
        for n in names:
            k = strip_descriptors(fold(n))
            if not k:
                continue
            counts[k] += 1
            drop = len(fold(n).split()) - len(k.split())
            shown = " ".join(n.split()[drop:]) if drop > 0 and len(n.split()) > drop else n
            display.setdefault(k, Counter())[shown] += 1
        self._map: dict[str, str] = {}
        canon: dict[str, str] = {}
        for k in counts:
            kb_name = kb.person(k)
            canon[k] = fold(kb_name) if kb_name else k
            if kb_name:
                display.setdefault(canon[k], Counter())[kb_name] += 1000
        multi = sorted(k for k in {canon[k] for k in counts} if " " in k)
        by_last: dict[str, list[str]] = {}
        for k in multi:
            by_last.setdefault(k.rsplit(" ", 1)[1], []).append(k)
        # fuzzy merge of full names (within the same surname initial, to stay fast)
        totals: Counter[str] = Counter()
        for k, n_seen in counts.items():
            totals[canon[k]] += n_seen
        ordered = sorted(multi, key=lambda k: (-totals[k], k))  # deterministic: most used spelling first
        merged: dict[str, str] = {}
        buckets: dict[str, list[str]] = {}
        for k in ordered:
            last = k.rsplit(" ", 1)[1]
            bucket = buckets.setdefault(last[:1], [])
            target = None
            for other in bucket:
                if abs(len(other) - len(k)) <= 4 and same_name(k, other):
                    target = other
                    break
                if _prefix_first(k, other) and (not ctx or ctx.get(k, set()) & ctx.get(other, set())):
                    target = other
                    break
            if target is None:
                bucket.append(k)
                merged[k] = k
            else:
                merged[k] = target
        for k in counts:
            c = canon[k]
            if " " not in c:
                cands = {merged.get(x, x) for x in by_last.get(c, [])}
                if len(cands) == 1:
                    c = cands.pop()
            else:
                # a shorter form of one longer name: "de gea" / "david de gea", "pape sarr" / "pape matar sarr"
                toks = c.split()
                longer = {merged.get(x, x) for x in by_last.get(toks[-1], [])
                          if len(x.split()) > len(toks) and _shorter_form(toks, x.split())
                          and (not ctx or ctx.get(k, set()) & ctx.get(x, set()))}
                if len(longer) == 1:
                    c = longer.pop()
            c = merged.get(c, c)
            self._map[k] = c
        self._display: dict[str, str] = {}
        for c in self._map.values():
            self._display.setdefault(c, "")
        pooled: dict[str, Counter[str]] = {}
        for k, c in self._map.items():
            pooled.setdefault(c, Counter()).update(display.get(k, Counter()))
        for c in pooled:
            if c in display and c not in self._map:  # the knowledge base's spelling, never seen itself
                pooled[c].update(display[c])
        for c, cnt in pooled.items():
            # prefer the most frequent multi-word spelling
            best = sorted(cnt.items(), key=lambda kv: (" " not in kv[0], -kv[1], kv[0]))
            self._display[c] = best[0][0] if best else c

    def key(self, name: str) -> str:
        k = strip_descriptors(fold(name))
        return self._map.get(k, k)

    def roles(self, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Each person's one role between player and manager: the knowledge base's, else the one most
        of his claims give (a player is never a manager candidate). Keyed by `key`."""
        kb = get_kb()
        tally: dict[str, Counter[str]] = {}
        for name, role in pairs:
            if role in ("player", "manager"):
                tally.setdefault(self.key(name), Counter())[role] += 1
        out: dict[str, str] = {}
        for k, cnt in tally.items():
            p = kb.people.get(kb.person(self._display.get(k, k)) or "")
            if p is not None and p.roles and ("manager" in p.roles) != ("player" in p.roles):
                out[k] = "manager" if "manager" in p.roles else "player"
            else:
                out[k] = "manager" if cnt["manager"] > cnt["player"] else "player"
        return out

    def name(self, name: str) -> str:
        k = self.key(name)
        return self._display.get(k, self._display.get(self._map.get(k, k), name))
