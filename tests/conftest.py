from __future__ import annotations

import os
from pathlib import Path

import pytest

from mercato.config import ENV_EXTRACTOR, shared_dir

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_dir()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"../shared not found at {SHARED} (set MERCATO_SHARED)")
    return SHARED


def _pg_url() -> str | None:
    return os.environ.get("MERCATO_TEST_PG_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path) -> str:
    """A fresh database on each backend: a real SQLite file, and a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mercato.db'}"  # a generator fixture must yield, not return
        return
    base = _pg_url()
    if not base:
        if os.environ.get("CI"):
            pytest.fail("MERCATO_TEST_PG_URL is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set MERCATO_TEST_PG_URL)")
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'mercato.db'}"


# --- a real HTTP server on 127.0.0.1 serving tests/fixtures/web (feeds, pages), no outside network ---

WEB_FIXTURES = ROOT / "tests" / "fixtures" / "web"


@pytest.fixture
def web_server():
    """Serves tests/fixtures/web with routes for the failure modes a crawler meets:

    /static/NAME            the file (Content-Type by suffix)
    /redirect/NAME          301 -> /static/NAME
    /status/CODE            an empty response with that status
    /slow/NAME?delay=S      waits S seconds, then the file
    /flaky/NAME?fail=N      503 for the first N requests, then the file
    /live                   the n-th request gets server.live[n] (a feed that changes between polls)
    server.url(path) gives the full URL; server.hits lists the paths requested.
    """
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlparse

    types = {".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
             ".html": "text/html; charset=utf-8", ".txt": "text/plain"}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def _send(self, code: int, body: bytes = b"", ctype: str = "text/plain", extra: dict | None = None):
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _file(self, name: str):
            path = WEB_FIXTURES / name
            if not path.is_file() or path.resolve().parent != WEB_FIXTURES.resolve():
                return self._send(404, b"not found")
            return self._send(200, path.read_bytes(), types.get(path.suffix, "application/octet-stream"))

        def do_GET(self):
            u = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(u.query).items()}
            server.hits.append(u.path)
            parts = u.path.strip("/").split("/", 1)
            kind, arg = parts[0], (parts[1] if len(parts) > 1 else "")
            if kind == "static":
                return self._file(arg)
            if kind == "redirect":
                return self._send(301, b"", extra={"Location": f"/static/{arg}"})
            if kind == "status":
                return self._send(int(arg), f"status {arg}".encode())
            if kind == "slow":
                time.sleep(float(q.get("delay", 2)))
                return self._file(arg)
            if kind == "flaky":
                n = server.counts.get(u.path, 0)
                server.counts[u.path] = n + 1
                if n < int(q.get("fail", 1)):
                    return self._send(503, b"busy")
                return self._file(arg)
            if kind == "live":  # the n-th request gets server.live[n] (the last one from then on)
                n = server.counts.get("/live", 0)
                server.counts["/live"] = n + 1
                return self._send(200, server.live[min(n, len(server.live) - 1)], "application/rss+xml")
            return self._send(404, b"no such route")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hits = []
    server.counts = {}
    server.live = [b""]
    server.url = lambda path: f"http://127.0.0.1:{server.server_address[1]}/{path.lstrip('/')}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fast_http(monkeypatch):
    """Short timeouts and back-off so the failure-mode tests take well under a second each."""
    import mercato.ingest.fetch as fetch

    monkeypatch.setattr(fetch, "TIMEOUT_S", 0.5)
    monkeypatch.setattr(fetch, "RETRIES", 2)
    monkeypatch.setattr(fetch, "BACKOFF_S", 0.05)
    return fetch


@pytest.fixture(autouse=True)
def _extractor_choice_stays_in_its_test():
    """`--extractor` sets MERCATO_EXTRACTOR for the process (so that worker processes inherit it); CliRunner runs
    commands in the test process, so a test that passes `--extractor rules` would otherwise leave every later
    test on the rules engine (it did: test_scale stored rules-0.8 claims after test_eval_components)."""
    before = os.environ.get(ENV_EXTRACTOR)
    yield
    if before is None:
        os.environ.pop(ENV_EXTRACTOR, None)
    else:
        os.environ[ENV_EXTRACTOR] = before
