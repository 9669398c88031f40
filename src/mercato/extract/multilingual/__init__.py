"""extract for German, Spanish, Italian, French and Portuguese: cue data per language (data/<lang>.json), KB names
as each language writes them, spaCy blank tokenizers. `extract.pipeline` sends an article here by its `lang`."""

from mercato.extract.multilingual.cues import LANGS
from mercato.extract.multilingual.extractor import VERSION, extract_multilingual

__all__ = ["LANGS", "VERSION", "extract_multilingual"]
