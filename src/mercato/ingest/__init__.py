"""ingest: files, feeds and pages -> ArticleRecord.

Readers register the suffixes and content types they read (`registry.py`); `readers.py` loads them all
in one place and reads a path or URL with the one that fits.

May touch: the file system and the network. Never the database: `store` writes what ingest yields.
"""

from mercato.ingest.errors import IngestError
from mercato.ingest.readers import MAX_BYTES, iter_paths, read_path

__all__ = ["IngestError", "MAX_BYTES", "iter_paths", "read_path"]
