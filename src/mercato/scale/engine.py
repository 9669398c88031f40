"""Batch extraction on Dask: chunk articles, map chunks onto single-threaded worker processes."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.ingest.errors import IngestError
from mercato.records import ArticleRecord, ClaimRecord

log = logging.getLogger("mercato.scale")

ENGINES = ("dask",)  # Ray was considered and not chosen: see README, "Extraction on a cluster"


@dataclass
class ScaleReport:
    articles: int = 0
    claims: int = 0
    chunks: int = 0
    workers: int = 0
    seconds: float = 0.0
    stored: int = 0
    updated: int = 0
    errors: list[IngestError] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def read_articles(paths: Iterable[str | Path]) -> tuple[list[ArticleRecord], list[IngestError]]:
    """Run ingest's readers over files, folders and URLs (in the client: it is I/O, not CPU)."""
    from mercato.ingest import iter_paths, read_path

    ok: list[ArticleRecord] = []
    bad: list[IngestError] = []
    for path in iter_paths(paths):
        for item in read_path(path):
            (bad if isinstance(item, IngestError) else ok).append(item)  # type: ignore[arg-type]
    return ok, bad


def chunk_size_for(n: int, workers: int) -> int:
    """About sixteen chunks per worker (a short tail: the last chunk is a small share of each worker's
    work), but never tiny ones (scheduling overhead)."""
    if n <= 0:
        return 1
    return max(20, min(500, math.ceil(n / (max(1, workers) * 16))))


def chunked(items: Sequence[ArticleRecord], size: int) -> list[list[ArticleRecord]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# --- run on the workers ---------------------------------------------------------------------------


def warm_worker() -> int:
    """Load the spaCy model, phrase matcher and KB in this worker process (cached for its lifetime)."""
    import os

    from mercato.extract.nlp import get_matcher, get_nlp

    get_nlp()
    get_matcher()
    return os.getpid()


def model_loads() -> int:
    """How many times this worker process has loaded the spaCy model (1 after any work: it is cached)."""
    from mercato.extract.nlp import get_nlp

    return get_nlp.cache_info().misses


def extract_chunk(articles: list[ArticleRecord]) -> tuple[list[list[ClaimRecord]], list[dict[str, str]]]:
    """One chunk's claims, article by article, and the affiliations each article states (the extractor
    and model are cached per process; each article is read with the knowledge base's clubs of its date)."""
    from mercato.extract import read_article

    docs = [read_article(a) for a in articles]
    return [d.claims for d in docs], [d.affiliations for d in docs]


# --- the client side --------------------------------------------------------------------------------


@contextmanager
def dask_client(workers: int, scheduler: str | None = None) -> Iterator[Any]:
    """A client on `scheduler` (a running cluster), else on a LocalCluster of `workers` single-threaded
    worker processes on this machine."""
    from distributed import Client, LocalCluster

    if scheduler:
        client = Client(scheduler, timeout="30s")
        try:
            yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
        silence_logs=logging.ERROR, memory_limit=0,
    )
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def extract_on_cluster(
    client: Any,
    articles: Sequence[ArticleRecord],
    sink: Callable[[list[ArticleRecord], list[list[ClaimRecord]]], None],
    *,
    chunk_size: int | None = None,
    report: ScaleReport | None = None,
) -> ScaleReport:
    """Map chunks of `articles` over the cluster's workers; hand each finished chunk to `sink` as it
    arrives (in completion order), so the output grows while the cluster works."""
    from distributed import as_completed

    report = report or ScaleReport()
    nworkers = max(1, len(client.scheduler_info().get("workers", {})))
    report.workers = nworkers
    size = chunk_size or chunk_size_for(len(articles), nworkers)
    parts = chunked(articles, size)
    report.chunks = len(parts)
    t0 = time.perf_counter()
    futures = client.map(extract_chunk, parts, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    for fut, (claims, affiliations) in as_completed(futures, with_results=True):
        part = parts[index[fut.key]]
        sink(part, claims)
        keep = getattr(sink, "keep_affiliations", None)
        if keep is not None:  # a sink into the store keeps what each article states about clubs
            keep(part, affiliations)
        report.articles += len(part)
        report.claims += sum(len(c) for c in claims)
        fut.release()
    report.seconds = time.perf_counter() - t0
    return report


# --- sinks --------------------------------------------------------------------------------------------

PARQUET_COLUMNS = (
    "article", "content_hash", "article_date", "outlet", "author", "url", "title", "claim_date", "club",
    "person", "role", "stage", "journalist", "source_outlet", "certainty", "evidence", "start", "end",
)


class ParquetSink:
    """Claims to one Parquet file, a row group per chunk; written to FILE.partial, renamed at the end."""

    def __init__(self, out: Path) -> None:
        import pyarrow as pa

        self.out = Path(out)
        self.tmp = self.out.with_name(self.out.name + ".partial")
        self.schema = pa.schema([
            ("article", pa.string()), ("content_hash", pa.string()), ("article_date", pa.date32()),
            ("outlet", pa.string()), ("author", pa.string()), ("url", pa.string()), ("title", pa.string()),
            ("claim_date", pa.date32()), ("club", pa.string()), ("person", pa.string()), ("role", pa.string()),
            ("stage", pa.string()), ("journalist", pa.string()), ("source_outlet", pa.string()),
            ("certainty", pa.string()), ("evidence", pa.string()), ("start", pa.int32()), ("end", pa.int32()),
        ])
        self.writer: Any = None
        self.rows = 0

    def __call__(self, articles: list[ArticleRecord], claims: list[list[ClaimRecord]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        cols: dict[str, list[Any]] = {c: [] for c in PARQUET_COLUMNS}
        for art, cs in zip(articles, claims, strict=True):
            for c in cs:
                row = (art.origin, art.content_hash, art.date, art.outlet, art.author, art.url, art.title,
                       c.date or art.date, c.club, c.person, c.role, c.stage, c.source.journalist, c.source.outlet,
                       c.certainty, c.evidence, c.start, c.end)
                for name, value in zip(PARQUET_COLUMNS, row, strict=True):
                    cols[name].append(value)
        if self.writer is None:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.tmp, self.schema)
        if cols["club"]:
            self.writer.write_table(pa.table(cols, schema=self.schema))
            self.rows += len(cols["club"])

    def close(self, commit: bool = True) -> None:
        """Finish the file; a failed run (commit=False) leaves FILE.partial, never a truncated FILE."""
        import pyarrow.parquet as pq

        if not commit:
            if self.writer is not None:
                self.writer.close()
            return
        if self.writer is None:  # no chunk at all: still leave a valid, empty file
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.tmp, self.schema)
        self.writer.close()
        self.tmp.replace(self.out)


class StoreSink:
    """Claims straight into the database: new articles stored with their claims (each once, by content
    hash, a transaction per chunk); articles already stored without this extractor's claims get them."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.stored = 0
        self.updated = 0

    def __call__(self, articles: list[ArticleRecord], claims: list[list[ClaimRecord]]) -> None:
        from sqlalchemy import select

        from mercato.extract.pipeline import extractor_version
        from mercato.store.models import Article
        from mercato.store.repo import replace_claims, store_batch

        by_hash = {a.content_hash: (a, cs) for a, cs in zip(articles, claims, strict=True)}
        with self.db.session() as s:
            existing = {
                h: (i, v) for h, i, v in s.execute(
                    select(Article.content_hash, Article.id, Article.extracted_with)
                    .where(Article.content_hash.in_(list(by_hash)))
                )
            }
        new = [(a, cs) for h, (a, cs) in by_hash.items() if h not in existing]
        version_now = extractor_version()  # the one chosen ($MERCATO_EXTRACTOR), as serve.pipeline records it
        res = store_batch(self.db, new, version_now)
        self.stored += res.stored
        for h, (art_id, version) in existing.items():
            if version != version_now:
                replace_claims(self.db, art_id, by_hash[h][1], version_now)
                self.updated += 1

    def keep_affiliations(self, articles: list[ArticleRecord], affiliations: list[dict[str, str]]) -> None:
        from mercato.store.spells import article_ids_by_hash, store_affiliations

        with self.db.session() as s:
            ids = article_ids_by_hash(s, [a.content_hash for a in articles])
            for art, affs in zip(articles, affiliations, strict=True):
                if art.content_hash in ids:
                    store_affiliations(s, ids[art.content_hash], art.date, affs)
