"""evaluate: score an extractor against hand-made gold, by the rules at the end of spec/claims.md."""

from mercato.evaluate.scorer import Score, dedupe, load_gold, score

__all__ = ["Score", "dedupe", "load_gold", "score"]
