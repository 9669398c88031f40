"""The Dask engine: same claims as the local engine, to Parquet and to the store, spaCy loaded once per worker."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from mercato.extract import EXTRACTOR_VERSION, extract_article, read_article
from mercato.scale import extract_on_cluster, read_articles
from mercato.scale.engine import StoreSink, chunk_size_for, dask_client, model_loads
from mercato.serve.cli import app
from mercato.store import Database
from mercato.store.models import Affiliation, Article, Claim
from mercato.store.repo import count

runner = CliRunner()


def key(d: dict) -> tuple:
    return (d["article"], d["club"], d["person"], d["role"], d["stage"], d["certainty"], d["start"], d["end"])


@pytest.fixture(scope="module")
def client():
    with dask_client(2) as c:
        c.wait_for_workers(2)
        yield c


@pytest.fixture(scope="module")
def corpus(shared):
    arts, errs = read_articles([shared / "corpus/articles"])
    assert not errs and len(arts) == 18
    return arts


def test_chunks_balance_but_stay_big_enough():
    assert chunk_size_for(5981, 2) == 187  # sixteen chunks per worker
    assert chunk_size_for(18, 2) == 20  # never tiny
    assert chunk_size_for(10**6, 2) == 500  # never huge


def test_cluster_gives_the_local_engines_claims_and_loads_spacy_once_per_worker(client, corpus):
    got: list[dict] = []
    seen: list[str] = []

    def sink(arts, claims):
        for a, cs in zip(arts, claims, strict=True):
            seen.append(a.content_hash)
            got.extend(c.to_json(article=a.origin) for c in cs)

    report = extract_on_cluster(client, corpus, sink, chunk_size=3)
    assert report.chunks == 6 and report.articles == 18 and report.workers == 2
    assert sorted(seen) == sorted(a.content_hash for a in corpus)  # every article exactly once
    local = [c.to_json(article=a.origin) for a in corpus for c in extract_article(a)]
    assert got and sorted(map(key, got)) == sorted(map(key, local))
    assert report.claims == len(local)
    loads = client.run(model_loads)
    assert len(loads) == 2 and all(n == 1 for n in loads.values()), loads  # six chunks, one load per worker


def test_store_sink_stores_once_and_fills_in_articles_stored_without_claims(client, corpus, any_db_url):
    db = Database(any_db_url)
    # two articles were ingested earlier without extraction: the cluster run must give them claims
    r = runner.invoke(app, ["ingest", corpus[0].origin, corpus[1].origin, "--no-extract", "--db", any_db_url])
    assert r.exit_code == 0, r.output
    sink = StoreSink(db)
    extract_on_cluster(client, corpus, sink, chunk_size=4)
    assert (sink.stored, sink.updated) == (16, 2)
    n_claims = count(db, Claim)
    assert n_claims == sum(len(extract_article(a)) for a in corpus)
    n_aff = count(db, Affiliation)  # what each article states about clubs is kept too
    assert n_aff > 0 and n_aff == sum(len(read_article(a).affiliations) for a in corpus)
    again = StoreSink(db)
    extract_on_cluster(client, corpus, again, chunk_size=7)
    assert (again.stored, again.updated) == (0, 0)  # a re-run adds nothing
    assert count(db, Article) == 18 and count(db, Claim) == n_claims and count(db, Affiliation) == n_aff
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Article.extracted_with != EXTRACTOR_VERSION)) == 0
    db.engine.dispose()


def test_cli_dask_engine_to_parquet_and_database(shared, tmp_path):
    import pandas as pd

    out = tmp_path / "claims.parquet"
    url = f"sqlite:///{tmp_path / 'm.db'}"
    folder = str(shared / "corpus/articles")
    r = runner.invoke(app, ["extract", folder, "--engine", "dask", "--workers", "2", "--out", str(out), "--db", url])
    assert r.exit_code == 0, r.output
    assert "on 2 worker(s)" in r.output and "stored 18 new article(s)" in r.output
    df = pd.read_parquet(out)
    local = runner.invoke(app, ["extract", folder, "--format", "jsonl"])
    rows = [json.loads(ln) for ln in local.output.splitlines() if ln.startswith("{")]
    assert len(df) == len(rows) == count(Database(url), Claim)
    assert sorted(map(key, df.to_dict("records"))) == sorted(map(key, rows))
    assert not (tmp_path / "claims.parquet.partial").exists()


def test_unsupported_engine_and_bad_options_are_one_line(tmp_path):
    r = runner.invoke(app, ["extract", str(tmp_path), "--engine", "ray"])
    assert r.exit_code == 2 and "Ray is not supported" in r.output
    r = runner.invoke(app, ["extract", str(tmp_path), "--engine", "dask", "--out", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and "expected a .parquet file" in r.output


def test_cli_on_an_existing_cluster_by_scheduler_address(client, shared):
    # the same path a multi-machine cluster takes: connect to a running scheduler, use its workers
    folder = str(shared / "corpus/articles")
    r = runner.invoke(app, ["extract", folder, "--engine", "dask", "--scheduler", client.scheduler.address])
    assert r.exit_code == 0, r.output
    assert "on 2 worker(s)" in r.output
    got = [json.loads(ln) for ln in r.output.splitlines() if ln.startswith("{")]
    local = runner.invoke(app, ["extract", folder, "--format", "jsonl"])
    rows = [json.loads(ln) for ln in local.output.splitlines() if ln.startswith("{")]
    assert got and sorted(map(key, got)) == sorted(map(key, rows))
    assert len(client.scheduler_info()["workers"]) == 2  # the cluster outlives the command: not ours to close
