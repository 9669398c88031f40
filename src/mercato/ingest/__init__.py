"""ingest: files (and, later, feeds and pages) -> ArticleRecord.

May touch: the file system and the network. Never the database: `store` writes what ingest yields.
"""

from mercato.ingest.errors import IngestError
from mercato.ingest.readers import MAX_BYTES, iter_paths, read_path

__all__ = ["IngestError", "MAX_BYTES", "iter_paths", "read_path"]
