"""scale: the extract stage run on a Dask cluster (local processes, or a scheduler's workers).

ingest's readers run here in the client; articles travel to workers in chunks, each worker process
loads the spaCy model and the KB once and extracts its chunks; claims come back and are written to
Parquet or to the store. May touch: the cluster, the output file, the database (through `store`).
"""

from mercato.scale.engine import ENGINES, ScaleReport, extract_on_cluster, read_articles

__all__ = ["ENGINES", "ScaleReport", "extract_on_cluster", "read_articles"]
