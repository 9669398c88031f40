"""kb: the knowledge base (clubs, outlets, journalists, people), kept as data files in kb/data.

Loaded once per process; pure lookups, no I/O beyond the package's own data files. Every stage asks
`names.py` how names compare (folding, clubs' canonical names, the one fuzzy policy) and `outlets.py`
which outlet a name, domain or account is.
"""

from mercato.kb.base import KnowledgeBase, get_kb, normalise
from mercato.kb.outlets import outlet_from_domain_or_name

__all__ = ["KnowledgeBase", "get_kb", "normalise", "outlet_from_domain_or_name"]
