"""An honest development figure for the other languages: what was learnt or tuned on the 22 development articles is
chosen without the article it is scored on.

    .venv/bin/python bench/languages_honest.py [--labels silver|second] [--switches ML_X ...] [--json OUT]

Plain: the extractor as shipped (defaults of every `ML_*` switch, every name of kb/data/person_names.json), scored
on the non-blind non-English development articles (mercato.evaluate.languages; the blind ones of
annotations/blind/MANIFEST.json are never read).

Honest, leave-one-article-out (loo): each article is extracted
  - without the person names only its own labels contributed (person_names.json `dev`), and
  - with every `ML_*` design switch set as the OTHER 21 articles prefer it: a switch leaves its default only where
    the alternative has the higher claim F1 on them (each switch judged alone, the others at their defaults).
Honest, by language (lang): the same, but the switches are chosen on the articles of the four other languages only.

With `--by-lemma` a lemma cue (`<fichar>` in the data) is held out only where none of its forms fires in another
article (the default counts each form apart). With `--keep-lexicon` the lemma lexicon entries (ids `<lang>-lex-*`,
written from general knowledge of the language and of transfer reporting, not from these articles) are never held
out; the phrase-level cues still are.

The hand-written cue data (data/<lang>.json, nicknames) cannot be held out: it was written from these articles, so
even the honest figures are optimistic for unseen articles. Each configuration runs in this process (the module is
reloaded with the switch set in the environment), so nothing here changes production behaviour.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import cast  # noqa: E402

from mercato.evaluate.languages import DevArticle, dev_articles, labels  # noqa: E402
from mercato.evaluate.scorer import Claim, Score, score  # noqa: E402
from mercato.extract.multilingual.cues import CueSet  # noqa: E402

# each switch with its alternatives; the first value is the shipped default
SWITCHES: dict[str, tuple[str, ...]] = {
    "ML_CARRY": ("paragraph", "reportive", "article"),
    "ML_CLUB_FALLBACK": ("1", "0"),
    "ML_PAIRING": ("segment", "window"),
    "ML_PER_CLAUSE": ("1", "0"),
    "ML_PARTY_QUOTES": ("1", "0"),
    "ML_BACKREF": ("1", "0"),
    "ML_DESCRIPTORS": ("1", "0"),
    "ML_REPORTIVE_CARRY": ("1", "0"),
    "ML_OWNER_OF": ("1", "0"),
    "ML_ROLE_WORDS_SPLIT": ("1", "0"),
    "ML_AFTER_DONE": ("1", "0"),
    "ML_CLUB_LISTS": ("1", "0"),
    "ML_LONE_SURNAMES": ("role", "0", "role+freq"),
    "ML_OBJECT_NAMES": ("1", "0"),
    "ML_ROLE_GAP": ("2", "1"),
    "ML_CLUB_REF": ("1", "0"),
    "ML_NOT_NAME_CLUBS": ("1", "0"),
    "ML_CLUB_REF_MENTION": ("1", "0"),
    "ML_OUTLET_OF": ("1", "0"),
    "ML_CLUB_GENITIVE": ("1", "0"),
    "ML_OFFICIAL_AFTER": ("1", "0"),
    "ML_FRAME_OUTLETS": ("1", "0"),
    "ML_RELAY_ORIGIN": ("1", "0"),
    "ML_ANNOUNCE_MOVE": ("1", "0"),
    "ML_ROLE_ADJECTIVES": ("1", "0"),
    "ML_CUE_WORDS_SPLIT": ("1", "0"),
    "ML_NICKNAMES": ("1", "0"),
    "ML_REGISTER_NAMES": ("1", "0"),
    "ML_DEV_NAMES": ("0", "1"),
    "ML_NAMES_DATED": ("1", "0"),
    "ML_SAME_VARIANTS": ("1", "0"),
    "ML_DATED_CLUB": ("1", "0"),
    "ML_SURNAME_RUNS": ("1", "0"),
    "ML_PREV_CLUB": ("0", "1"),
    "ML_UNCUED": ("1", "0"),
    "ML_NAMES_ROLES": ("1", "0"),
    "ML_ARTICLE_CLUB": ("0", "1"),
    "ML_HEADLINE_PERSON": ("0", "1"),
    "ML_CITY_CLUBS": ("1", "0"),
}

Config = tuple[tuple[str, str], ...]  # the switches away from their defaults


def _defaults() -> dict[str, str]:
    from mercato.extract.multilingual import extractor

    return {k: str(v[0]) for k, v in SWITCHES.items()} | {"_version": extractor.VERSION}


CueUse = dict[tuple[str, tuple[str, ...]], set[str]]  # (entry id, cue words) -> the development articles it fires in


def cue_use(arts: list[DevArticle]) -> dict[str, CueUse]:
    """Per language, which development articles each cue of data/<lang>.json fires in."""
    from mercato.extract.multilingual.cues import _word_ok, get_cues
    from mercato.extract.multilingual.text import sentences, tokenizer

    out: dict[str, CueUse] = {}
    for a in arts:
        use = out.setdefault(a.lang, {})
        cues = get_cues(a.lang)
        doc = tokenizer(a.lang)(a.record.text)
        for s in sentences(doc):
            words = [t.lower_ for t in doc[s.start:s.end]]
            for h in cues.find(words):
                for pat in h.entry.cues:
                    if len(pat) == h.end - h.start and all(_word_ok(p, w) for p, w in zip(pat, words[h.start:h.end],
                                                                                        strict=True)):
                        use.setdefault((h.entry.id, pat), set()).add(a.id)
    return out


def by_lemma(uses: dict[str, CueUse]) -> dict[str, CueUse]:
    """The articles a cue fires in, counted over every form of the cue as written (`<fichar>`: "ficha", "fichó"...):
    a lemma that fires in two articles, in whatever forms, is general and not held out from either."""
    from mercato.extract.multilingual.cues import get_cues

    out: dict[str, CueUse] = {}
    for lang, u in uses.items():
        source = {(e.id, c): s for e in get_cues(lang).entries for c, s in zip(e.cues, e.sources, strict=True)}
        union: dict[tuple[str, str], set[str]] = {}
        for (eid, pat), ids in u.items():
            union.setdefault((eid, source.get((eid, pat), " ".join(pat))), set()).update(ids)
        out[lang] = {(eid, pat): union[(eid, source.get((eid, pat), " ".join(pat)))] for (eid, pat) in u}
    return out


def cues_without(lang: str, drop: set[tuple[str, tuple[str, ...]]]) -> CueSet:
    """The language's cue set without the cues in `drop` (an entry left with none goes)."""
    from dataclasses import replace

    from mercato.extract.multilingual.cues import get_cues

    out = CueSet(lang=lang)
    for e in get_cues(lang).entries:
        keep = [(c, s) for c, s in zip(e.cues, e.sources or e.cues, strict=True) if (e.id, c) not in drop]
        if keep:
            out.add(replace(e, cues=tuple(c for c, _ in keep),
                            sources=tuple(cast(str, s) for _, s in keep) if e.sources else ()))
    return out


def run_config(arts: list[DevArticle], config: Config,
               uses: dict[str, CueUse] | None = None) -> tuple[dict[str, list[Claim]], dict[str, list[Claim]]]:
    """Claims per article under `config`: (plain, held out: without the person names only its own labels give and,
    with `uses`, without the cues that fire in no other development article)."""
    saved = {k: os.environ.get(k) for k in {*SWITCHES, *(k for k, _ in config)}}
    try:
        for k in SWITCHES:
            os.environ.pop(k, None)
        for k, v in config:
            os.environ[k] = v
        from mercato.extract.multilingual import extractor

        mod = importlib.reload(extractor)
        exs: dict[str, object] = {}
        plain: dict[str, list[Claim]] = {}
        held: dict[str, list[Claim]] = {}
        for a in arts:
            ex = exs.get(a.lang)
            if ex is None:
                ex = exs[a.lang] = mod.MultilingualExtractor(a.lang)
            assert isinstance(ex, mod.MultilingualExtractor)
            ex.held_out = frozenset()
            plain[a.id] = [c.to_json() for c in ex(a.record)]
            ex.held_out = frozenset({a.id})
            full_cues = ex.cues
            if uses is not None:
                ex.cues = cues_without(a.lang, {k for k, v in uses.get(a.lang, {}).items() if v == {a.id}})
            held[a.id] = [c.to_json() for c in ex(a.record)]
            ex.cues = full_cues
        return plain, held
    finally:
        for k, old in saved.items():
            if old is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = old
        from mercato.extract.multilingual import extractor as ex_mod

        importlib.reload(ex_mod)


def _f1(pred: dict[str, list[Claim]], gold: dict[str, list[Claim]], ids: list[str]) -> float:
    return score({i: pred[i] for i in ids}, {i: gold[i] for i in ids}).f1


def honest(arts: list[DevArticle], gold: dict[str, list[Claim]], switches: list[str],
           cache: dict[Config, tuple[dict[str, list[Claim]], dict[str, list[Claim]]]],
           pool: Callable[[DevArticle], list[str]],
           uses: dict[str, CueUse] | None = None) -> tuple[dict[str, list[Claim]], dict[str, Config]]:
    """Each article's claims with the switches chosen on `pool(article)` (articles it is not among)."""
    def get(config: Config) -> tuple[dict[str, list[Claim]], dict[str, list[Claim]]]:
        if config not in cache:
            print(f"  running {dict(config) or 'defaults'}", file=sys.stderr)
            cache[config] = run_config(arts, config, uses)
        return cache[config]

    base = get(())[1]
    out: dict[str, list[Claim]] = {}
    chosen: dict[str, Config] = {}
    for a in arts:
        ids = pool(a)
        picks: list[tuple[str, str]] = []
        for sw in switches:
            best_v, best_f = SWITCHES[sw][0], _f1(base, gold, ids)
            for alt in SWITCHES[sw][1:]:
                f = _f1(get(((sw, alt),))[1], gold, ids)
                if f > best_f + 1e-9:
                    best_v, best_f = alt, f
            if best_v != SWITCHES[sw][0]:
                picks.append((sw, best_v))
        config = tuple(sorted(picks))
        chosen[a.id] = config
        out[a.id] = get(config)[1][a.id]
    return out, chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", choices=("silver", "second"), default="silver")
    ap.add_argument("--switches", nargs="*", default=list(SWITCHES), help="the switches tuned (default all)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--keep-lexicon", action="store_true",
                    help="never hold out the lemma lexicon entries (ids '<lang>-lex-*'): they were written from general "
                         "knowledge of the language, not from these articles")
    ap.add_argument("--by-lemma", action="store_true",
                    help="hold out a lemma cue (<fichar>) only where none of its forms fires in another article")
    args = ap.parse_args(argv)
    arts = dev_articles()
    gold = {a.id: labels(a.id, args.labels) for a in arts}
    langs = sorted({a.lang for a in arts})
    cache: dict[Config, tuple[dict[str, list[Claim]], dict[str, list[Claim]]]] = {}
    plain = cache.setdefault((), run_config(arts, ()))[0]
    others = {a.id: [b.id for b in arts if b.id != a.id] for a in arts}
    other_langs = {a.id: [b.id for b in arts if b.lang != a.lang] for a in arts}
    loo, loo_cfg = honest(arts, gold, args.switches, cache, lambda a: others[a.id])
    by_lang, lang_cfg = honest(arts, gold, args.switches, cache, lambda a: other_langs[a.id])
    uses = cue_use(arts)
    if args.by_lemma:
        uses = by_lemma(uses)
    if args.keep_lexicon:
        uses = {lang: {k: v for k, v in u.items() if "-lex-" not in k[0]} for lang, u in uses.items()}
    n_cues = {lang: sum(1 for v in u.values() if len(v) == 1) for lang, u in uses.items()}
    ccache: dict[Config, tuple[dict[str, list[Claim]], dict[str, list[Claim]]]] = {}
    c_loo, c_cfg = honest(arts, gold, args.switches, ccache, lambda a: others[a.id], uses)
    c_lang, _ = honest(arts, gold, args.switches, ccache, lambda a: other_langs[a.id], uses)
    rows: dict[str, dict[str, Score]] = {}
    for name, pred in (("plain", plain), ("names held out", cache[()][1]), ("loo", loo), ("lang", by_lang),
                       ("cues held out", ccache[()][1]), ("cues+loo", c_loo), ("cues+lang", c_lang)):
        rows[name] = {lang: score({a.id: pred[a.id] for a in arts if a.lang == lang},
                                  {a.id: gold[a.id] for a in arts if a.lang == lang}) for lang in langs}
        rows[name]["all"] = score(pred, gold)
    print(f"== labels: {args.labels}; claim F1 (pair F1) per language")
    print(f"{'measure':16s} " + " ".join(f"{x:>13s}" for x in [*langs, "all"]))
    for name, r in rows.items():
        print(f"{name:16s} " + " ".join(f"{r[x].f1:.3f} ({r[x].pair_f1:.3f})" for x in [*langs, "all"]))
    flips: dict[str, int] = {}
    for cfg in loo_cfg.values():
        for k, v in cfg:
            flips[f"{k}={v}"] = flips.get(f"{k}={v}", 0) + 1
    print("switches the other 21 articles move from the default (loo; articles): "
          + (", ".join(f"{k} {n}" for k, n in sorted(flips.items())) or "none"))
    lflips = {f"{lang}: " + ",".join(f"{k}={v}" for k, v in lang_cfg[next(a.id for a in arts if a.lang == lang)])
              for lang in langs}
    print("switches the other languages choose (lang): " + "; ".join(sorted(lflips)))
    print("cues that fire in one development article only (held out from it in the cues rows): "
          + ", ".join(f"{lang} {n}" for lang, n in sorted(n_cues.items())))
    cflips: dict[str, int] = {}
    for cfg in c_cfg.values():
        for k, v in cfg:
            cflips[f"{k}={v}"] = cflips.get(f"{k}={v}", 0) + 1
    print("switches moved from the default with cues held out (cues+loo; articles): "
          + (", ".join(f"{k} {n}" for k, n in sorted(cflips.items())) or "none"))
    all_ids = [a.id for a in arts]
    single = {f"{k}={v}": round(_f1(cache[((k, v),)][1], gold, all_ids) - rows["names held out"]["all"].f1, 3)
              for k, vs in SWITCHES.items() if k in args.switches for v in vs[1:] if ((k, v),) in cache}
    print("each alternative alone, all 22 articles, names held out (F1 change): "
          + ", ".join(f"{k} {d:+.3f}" for k, d in sorted(single.items(), key=lambda kv: kv[1])))
    csingle = {f"{k}={v}": round(_f1(ccache[((k, v),)][1], gold, all_ids) - rows["cues held out"]["all"].f1, 3)
               for k, vs in SWITCHES.items() if k in args.switches for v in vs[1:] if ((k, v),) in ccache}
    print("each alternative alone, all 22 articles, names and cues held out (F1 change): "
          + ", ".join(f"{k} {d:+.3f}" for k, d in sorted(csingle.items(), key=lambda kv: kv[1])))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"labels": args.labels, "figures": {n: {x: s.as_dict() for x, s in r.items()} for n, r in rows.items()},
                       "loo_switches": flips, "single": single, "single_cues_held_out": csingle}, fh, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
