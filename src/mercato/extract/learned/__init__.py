"""The learned claim extractor: the rules propose, a model trained on the annotations decides.

    segment -> mentions -> resolve -> attribution -> rule claims   (mercato.extract.components)
    -> candidates + features                                       (learned.candidates)
    -> claim / stage / certainty heads                             (learned.model)
    -> claims, one per (club, person, role, source), strongest     (decode, here)

Train with `python -m mercato.extract.learned.train` (fixed seed); the weights ship in learned/weights/.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mercato.extract.doc import ArticleDoc
from mercato.extract.learned.candidates import Candidate, process, unit_features
from mercato.extract.learned.model import ClaimModel, get_model
from mercato.records import CERTAINTY_RANK, ClaimRecord, stage_rank

DONE_EVIDENCE = ("cue:done", "scue:done", "r:stage=done", "r:src_stage=done")


def predict(model: ClaimModel, cands: Sequence[Candidate]) -> tuple[np.ndarray, list[str], list[str], list[str]]:
    """P(claim), stage, certainty and role of each candidate (the role the rules gave, unless the model has a role head).

    A factorised model (`source` head present): P(the pair makes a claim in this sentence) from the pair's own
    features, and the source chosen among the pair's candidate sources: the likeliest always, another where the
    source head gives it `source_threshold` or more. A joint model scores each (pair, source) candidate at once."""
    if not cands:
        return np.zeros(0), [], [], []
    fast = all(c.unit_feats is not None for c in cands)  # made by `generate`: each unit's features looked up once
    if fast:
        rows, unit_rows, at = model.unit_matrices(list(cands))
    else:
        rows = model.matrix([c.features for c in cands])
    if "source" in model.heads:
        if not fast:
            reps: dict[tuple[str, str, int], Candidate] = {}
            for c in cands:
                reps.setdefault(c.unit, c)  # the unit's features are the same in each of its candidates
            at = {k: i for i, k in enumerate(reps)}
            unit_rows = model.matrix([unit_features(c.features) for c in reps.values()])
        p_by_unit = model.heads["claim"].proba(unit_rows)[:, 1]
        p_unit = np.array([p_by_unit[at[c.unit]] for c in cands])
        p_src = model.heads["source"].proba(rows)[:, 1]
        best: dict[tuple[str, str, int], int] = {}
        for i, c in enumerate(cands):
            k = c.unit
            if k not in best or p_src[i] > p_src[best[k]]:
                best[k] = i
        chosen = set(best.values())
        t_src = float(model.meta.get("source_threshold", 0.5))
        p = np.array([p_unit[i] if i in chosen or p_src[i] >= t_src else 0.0 for i in range(len(cands))])
    else:
        p = model.heads["claim"].proba(rows)[:, 1]
    roles = [c.role for c in cands]
    if "role" in model.heads:  # the role the rules gave is a feature; the role head decides
        ro = model.heads["role"]
        roles = [ro.classes[i] for i in ro.scores(rows).argmax(axis=1)]
    st, ce = model.heads["stage"], model.heads["certainty"]
    sc = st.scores(rows)
    if model.meta.get("done_needs_cue", True) and "done" in st.classes:
        # `done` only where the text says so: a completion cue in the sentence, or the rules read `done` for the pair
        j = st.classes.index("done")
        for i, c in enumerate(cands):
            if not any(k in c.features for k in DONE_EVIDENCE):
                sc[i, j] = -np.inf
    stages = [st.classes[i] for i in sc.argmax(axis=1)]
    certs = [ce.classes[i] for i in ce.scores(rows).argmax(axis=1)]
    return p, stages, certs, roles


def decode(doc: ArticleDoc, cands: Sequence[Candidate], p: np.ndarray, stages: list[str], certs: list[str],
           threshold: float = 0.5, roles: list[str] | None = None) -> list[ClaimRecord]:
    """Claims of the candidates the model accepts, one per (club, person, role, source): the strongest stage,
    at equal stage the firmest (the spec's deduplication), evidence the candidate's clause."""
    best: dict[tuple, tuple[tuple[int, int, float], ClaimRecord]] = {}
    for i, (c, pc, stage, cert) in enumerate(zip(cands, p, stages, certs, strict=True)):
        if pc < threshold:
            continue
        role = roles[i] if roles is not None else c.role
        cl = c.clause
        lead = len(cl.text) - len(cl.text.lstrip(" ,;"))
        rec = ClaimRecord(club=c.club, person=c.person, role=role, stage=stage, source=c.source, certainty=cert,
                          evidence=cl.text.strip(" ,;"), start=cl.start + lead, end=cl.start + len(cl.text.rstrip(" ,;")),
                          date=doc.date, extra={"p": round(float(pc), 3)})
        key = (c.club, c.person, role, c.source_key)
        rank = (stage_rank(stage), CERTAINTY_RANK.get(cert, -1), float(pc))
        if key not in best or rank > best[key][0]:
            best[key] = (rank, rec)
    return [rec for _, rec in best.values()]


def learned_claims(doc: ArticleDoc, model: ClaimModel | None = None) -> list[ClaimRecord]:
    model = model or get_model()
    # a model trained with the dependency-parse features (train --parse) needs them; MERCATO_LEARNED_PARSE=1 forces them
    cands = process(doc, model.meta.get("outlets"), True if model.meta.get("parse") else None)
    p, stages, certs, roles = predict(model, cands)
    return decode(doc, cands, p, stages, certs, model.threshold, roles)


__all__ = ["Candidate", "ClaimModel", "decode", "get_model", "learned_claims", "predict", "process"]
