"""The learned claim extractor: the rules propose, a model trained on the annotations decides.

    segment -> mentions -> resolve -> attribution -> rule claims   (mercato.extract.components; the statistical
                                                                    entity recogniser only for texts shorter than
                                                                    the model's `ner_max_chars`)
    -> candidates + features                                       (learned.candidates)
    -> claim / stage / certainty heads                             (learned.model)
    -> claims, one per (club, person, role, source), strongest     (decode, here)

Train with `python -m mercato.extract.learned.train` (fixed seed); the weights ship in learned/weights/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned.candidates import (
    SHORT,
    Candidate,
    feature_settings,
    ident,
    process,
    process_units,
    unit_features,
)
from mercato.extract.learned.model import ClaimModel, get_model
from mercato.records import CERTAINTY_RANK, ClaimRecord, stage_rank

# what lets the stage head read `done`: a completion cue of the rules' lexicon in the clause or sentence, the rules'
# reading, the spec's words of a completed move (extract/data/stage_features.jsonl, kind done) in the clause or anywhere
# in a gossip item or post
DONE_EVIDENCE = ("cue:done", "scue:done", "r:stage=done", "r:src_stage=done", "st:short=done", "st:done_clause",
                 "st:short_done_word")


def predict(model: ClaimModel, cands: Sequence[Candidate], chars: int | None = None
            ) -> tuple[np.ndarray, list[str], list[str], list[str]]:
    """P(claim), stage, certainty and role of each candidate (`predict_full` without the stage's confidence)."""
    p, stages, certs, roles, _ = predict_full(model, cands, chars)
    return p, stages, certs, roles


def predict_full(model: ClaimModel, cands: Sequence[Candidate], chars: int | None = None
                 ) -> tuple[np.ndarray, list[str], list[str], list[str], np.ndarray]:
    """P(claim), stage, certainty and role of each candidate (the role the rules gave, unless the model has a role
    head), and P(claim) x P(its stage) (what `decode` picks by where the model's `stage_pick` says so)
    (`predict_dist` without the stage head's distribution)."""
    p, stages, certs, roles, pick, _ = predict_dist(model, cands, chars)
    return p, stages, certs, roles, pick


def predict_dist(model: ClaimModel, cands: Sequence[Candidate], chars: int | None = None,
                 scored: dict[tuple[str, str, int], tuple[float, list[int]]] | None = None
                 ) -> tuple[np.ndarray, list[str], list[str], list[str], np.ndarray, np.ndarray]:
    """`predict_full`, and each candidate's distribution over the stage head's classes (one row per candidate; a
    `done` the text gives no evidence for has probability 0), which the `ladder` stage pick reads.
    `chars`: the length of the document's text (a model may decide short texts otherwise, `ClaimModel.claim_proba`).

    A factorised model (`source` head present): P(the pair makes a claim in this sentence) from the pair's own
    features, and the source chosen among the pair's candidate sources: the likeliest always, another where the
    source head gives it `source_threshold` or more. A joint model scores each (pair, source) candidate at once.
    `scored`: what `maybe_claims` filled for these candidates' units (their P(claim) and rows), used where it covers
    every unit."""
    if not cands:
        return np.zeros(0), [], [], [], np.zeros(0), np.zeros((0, len(model.heads["stage"].classes)))
    fast = all(c.unit_feats is not None for c in cands)  # made by `generate`: each unit's features looked up once
    known = scored if fast and scored and all(c.unit in scored for c in cands) else None
    if fast:  # every head linear: the rows' sums of weights, each unit's summed once (identical scores)
        summed = model.unit_sums(list(cands), {u: ind for u, (_, ind) in known.items()} if known else None)
        rows, unit_rows, at = summed if summed is not None else model.unit_matrices(list(cands))
    else:
        rows = model.matrix([c.features for c in cands])
    if "source" in model.heads:
        if not fast:
            reps: dict[tuple[str, str, int], Candidate] = {}
            for c in cands:
                reps.setdefault(c.unit, c)  # the unit's features are the same in each of its candidates
            at = {k: i for i, k in enumerate(reps)}
            unit_rows = model.matrix([unit_features(c.features) for c in reps.values()])
        if known is not None:  # maybe_claims scored these units' rows already
            p_unit = np.array([known[c.unit][0] for c in cands])
        else:
            p_by_unit = model.claim_proba(unit_rows, chars)
            p_unit = np.array([p_by_unit[at[c.unit]] for c in cands])
        p_src = model.heads["source"].proba(rows)[:, 1]
        best: dict[tuple[str, str, int], int] = {}
        for i, c in enumerate(cands):
            k = c.unit
            if k not in best or p_src[i] > p_src[best[k]]:
                best[k] = i
        chosen = set(best.values())
        t_src = float(model.meta.get("source_threshold", 0.5))
        if chars is not None and chars >= SHORT and model.meta.get("source_threshold_long") is not None:
            t_src = float(model.meta["source_threshold_long"])  # long documents (articles) may have their own
        p = np.array([p_unit[i] if i in chosen or p_src[i] >= t_src else 0.0 for i in range(len(cands))])
    else:
        p = model.claim_proba(rows, chars)
    roles = [c.role for c in cands]
    if "role" in model.heads:  # the role the rules gave is a feature; the role head decides
        ro = model.heads["role"]
        roles = [ro.classes[i] for i in ro.scores(rows).argmax(axis=1)]
    st, ce = model.heads["stage"], model.heads["certainty"]
    sc = st.scores(rows)
    if model.meta.get("done_needs_cue", True) and "done" in st.classes:
        # `done` only where the text says so: a completion cue in the sentence (anywhere in a gossip item or post), or the
        # rules read `done` for the pair
        j = st.classes.index("done")
        for i, c in enumerate(cands):
            if c.features.keys().isdisjoint(DONE_EVIDENCE):
                sc[i, j] = -np.inf
    best_st = sc.argmax(axis=1)
    stages = [st.classes[i] for i in best_st]
    certs = [ce.classes[i] for i in ce.scores(rows).argmax(axis=1)]
    z = sc - sc.max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        ez = np.exp(z)
        total = ez.sum(axis=1, keepdims=True)
        p_stage = 1.0 / total[:, 0]  # the softmax of the chosen (largest) score
        dist = np.nan_to_num(ez / total)
    return p, stages, certs, roles, p * np.nan_to_num(p_stage), dist


def rules_stages(cands: Sequence[Candidate]) -> dict[tuple, str]:
    """The rules' strongest stage for each claim they made, by (club, person, role, source key)."""
    out: dict[tuple, str] = {}
    for c in cands:
        for rc, key in zip(c.rule_claims, c.rule_sources, strict=True):
            k = (rc.club, rc.person, rc.role, ident(key))  # keyed as `decode` keys its claims
            if k not in out or stage_rank(rc.stage) > stage_rank(out[k]):
                out[k] = rc.stage
    return out


STAGE_PICKS = ("strongest", "confident", "ladder")


def stage_pick(how: str, long: bool) -> str:
    """The stage pick (one of STAGE_PICKS) a model's `stage_pick` setting gives a long or a short document: one pick
    for both, "confident-long" (confident for long documents, strongest for short ones: the earlier setting), or
    "LONG/SHORT" ("confident/ladder")."""
    if how == "confident-long":
        return "confident" if long else "strongest"
    if "/" in how:
        a, b = how.split("/", 1)
        return a if long else b
    return how


def pick_options(model: ClaimModel, doc: ArticleDoc, cands: Sequence[Candidate], pick: np.ndarray,
                 dist: np.ndarray | None = None, every: Sequence[Candidate] | None = None) -> dict:
    """`decode`'s keyword arguments for the model's stage decision on a document (`stage_pick`, `rules_stage`,
    `ladder_at`); `dist`: the candidates' stage distributions (`predict_dist`), which the ladder pick needs.
    `every`: all the document's candidates where `cands` are some of them (the rules' stages are read from all)."""
    long = len(doc.text) >= SHORT
    how = stage_pick(model.meta.get("stage_pick", "strongest"), long)
    backoff = model.meta.get("rules_stage", "none")
    ladder = None
    if how == "ladder" and dist is not None:
        ladder = (dist, model.heads["stage"].classes, float(model.meta.get("ladder_at", 0.5)))
    out: dict = {"pick": pick if how == "confident" else None,
                 "rules": rules_stages(cands if every is None else every) if backoff == "all" or (backoff == "long" and long) else None}
    if ladder is not None:
        out["ladder"] = ladder
    return out


def long_offset(model: ClaimModel, doc: ArticleDoc) -> float:
    """How much higher (or lower) P(claim) must be for a claim in a long document (an article) than in a short one
    (a gossip item, a post): the model's `long_offset`, chosen by cross-validation (train --threshold-long)."""
    return float(model.meta.get("long_offset", 0.0)) if len(doc.text) >= SHORT else 0.0


def ladder_stage(dist: np.ndarray, classes: list[str], at: float) -> str:
    """The stage of a claim from its accepted mentions' stage distributions (rows of `dist`), as the spec's
    deduplication reads a claim (its strongest mention's stage), under the model's uncertainty: the strongest stage
    s such that P(some mention is at s or stronger) = 1 - prod(1 - P(mention >= s)) reaches `at`."""
    order = sorted(range(len(classes)), key=lambda j: stage_rank(classes[j]))
    at_least = np.cumsum(dist[:, order[::-1]], axis=1)[:, ::-1]  # column k: P(mention >= the k-th weakest stage)
    some = 1.0 - np.prod(1.0 - np.clip(at_least, 0.0, 1.0), axis=0)
    ok = [k for k in range(len(order)) if some[k] >= at]
    return classes[order[ok[-1] if ok else 0]]


def decode(doc: ArticleDoc, cands: Sequence[Candidate], p: np.ndarray, stages: list[str], certs: list[str],
           threshold: float = 0.5, roles: list[str] | None = None, pick: np.ndarray | None = None,
           rules: dict[tuple, str] | None = None, ladder: tuple[np.ndarray, list[str], float] | None = None
           ) -> list[ClaimRecord]:
    """Claims of the candidates the model accepts, one per (club, person, role, source): the strongest stage,
    at equal stage the firmest (the spec's deduplication), evidence the candidate's clause.

    With `pick` (P(claim) x P(stage) of each candidate), the claim is the accepted candidate the model is surest of
    instead: one mention read too strong no longer decides the claim (measured by cross-validation, see train.py).
    With `ladder` (the candidates' stage distributions, their classes and a level: `ladder_stage`), the claim's stage
    is read from all its accepted candidates' distributions together.
    With `rules` (`rules_stages`), a claim the rules made too takes the rules' stage."""
    best: dict[tuple, tuple[tuple[float, ...], ClaimRecord]] = {}
    members: dict[tuple, list[int]] = {}
    for i, (c, pc, stage, cert) in enumerate(zip(cands, p, stages, certs, strict=True)):
        if pc < threshold:
            continue
        role = roles[i] if roles is not None else c.role
        cl = c.clause
        lead = len(cl.text) - len(cl.text.lstrip(" ,;"))
        rec = ClaimRecord(club=c.club, person=c.person, role=role, stage=stage, source=c.source, certainty=cert,
                          evidence=cl.text.strip(" ,;"), start=cl.start + lead, end=cl.start + len(cl.text.rstrip(" ,;")),
                          date=doc.date, extra={"p": round(float(pc), 3)})
        key = (c.club, c.person, role, ident(c.source_key))  # one claim per source, as the scorer tells them apart
        rank: tuple[float, ...] = (float(pick[i]),) if pick is not None else (
            stage_rank(stage), CERTAINTY_RANK.get(cert, -1), float(pc))
        members.setdefault(key, []).append(i)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, rec)
    if ladder is not None:
        dist, classes, at = ladder
        for key, (_, rec) in best.items():
            rec.stage = ladder_stage(dist[members[key]], classes, at)
    if rules:
        for key, (_, rec) in best.items():
            if (got := rules.get(key)) is not None:
                rec.stage = got
    return [rec for _, rec in best.values()]


class FeatureSettingsError(RuntimeError):
    """The model was trained under other feature switches than this process has."""


def check_settings(model: ClaimModel) -> None:
    """Raise FeatureSettingsError where the model's features were made under other switches than this process's
    (`candidates.feature_settings`): its weights would be read against features that do not exist or mean nothing.
    A model saved before the settings were kept is not checked."""
    kept = model.meta.get("feature_settings")
    if kept is None:
        return
    now = feature_settings()
    if kept != now:
        diff = "; ".join(f"{k}: trained with {','.join(kept.get(k, [])) or '(none)'}, now {','.join(v) or '(none)'}"
                         for k, v in now.items() if kept.get(k) != v)
        raise FeatureSettingsError(f"the learned model was trained under other feature switches ({diff}): set "
                                   "MERCATO_LEARNED_GENERATORS / _PAIRFEATS / _SRCFEATS as it was trained, or retrain "
                                   "(python -m mercato.extract.learned.train)")


def learned_claims(doc: ArticleDoc, model: ClaimModel | None = None) -> list[ClaimRecord]:
    model = model or get_model()
    check_settings(model)
    # a model trained with the dependency-parse features (train --parse) needs them; MERCATO_LEARNED_PARSE=1 forces them
    # a model trained without the entity recogniser on long texts (train --ner-max-chars) reads them without it too
    limit = model.meta.get("ner_max_chars")
    units, finish = process_units(doc, model.meta.get("outlets"), True if model.meta.get("parse") else None,
                                  limit is None or len(doc.text) < int(limit))
    threshold = model.threshold + long_offset(model, doc)
    scored: dict[tuple[str, str, int], tuple[float, list[int]]] = {}
    cands = finish(maybe_claims(model, units, threshold, len(doc.text), scored))
    p, stages, certs, roles, pick, dist = predict_dist(model, cands, len(doc.text), scored)
    # the rules' stages from every unit (a unit's candidates carry its rules' claims alike)
    return decode(doc, cands, p, stages, certs, threshold, roles, **pick_options(model, doc, cands, pick, dist, units))


def maybe_claims(model: ClaimModel, cands: Sequence[Candidate], threshold: float, chars: int | None = None,
                 scored: dict[tuple[str, str, int], tuple[float, list[int]]] | None = None) -> list[Candidate]:
    """The candidates whose unit a factorised model may accept: `predict_dist` gives a candidate P(claim) of its
    (club, person, sentence) unit, from the unit's features alone, or 0, and `decode` drops it below `threshold`; so
    the units below it (about 5 in 6 in English articles) never need their source options' candidates nor their
    features (about a quarter of the learned extractor's time). The same claims as making and scoring them all
    (bench/extract_regression.py --extractor learned: 0 texts changed); a unit within a hair of the threshold is kept,
    whatever the summation order. A joint model (no source head) keeps every candidate.
    `scored`: a dict given here is filled with each kept unit's P(claim) and its row's vocabulary indices, which
    `predict_dist` then reads instead of computing them again: the same rows of the same matrix, so the same numbers."""
    if "source" not in model.heads or not cands or any(c.unit_feats is None for c in cands):
        return list(cands)
    units: dict[tuple[str, str, int], list[int]] = {}
    for c in cands:
        if c.unit not in units:
            units[c.unit] = model.indices(c.unit_feats)  # type: ignore[arg-type]
    p_unit = model.claim_proba(model.rows(list(units.values())), chars)
    keep = {u for u, pu in zip(units, p_unit, strict=True) if pu >= threshold - 1e-6}
    if scored is not None:
        scored.update((u, (pu, units[u])) for u, pu in zip(units, p_unit, strict=True) if u in keep)
    return [c for c in cands if c.unit in keep]


__all__ = ["Candidate", "ClaimModel", "decode", "get_model", "learned_claims", "maybe_claims", "predict",
           "predict_dist", "predict_full", "process"]
