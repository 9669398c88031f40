"""HTTP(S) fetching for feeds and pages: timeouts, retries with back-off, redirects, clear errors.

Every failure becomes an IngestError naming the URL and the problem (never a stack trace), so a
bad feed or page never stops a batch or the `watch` loop.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from mercato import __version__
from mercato.ingest.errors import IngestError
from mercato.ingest.files import MAX_BYTES

log = logging.getLogger("mercato.fetch")

USER_AGENT = f"mercato/{__version__} (+https://github.com/; football rumour intelligence)"
TIMEOUT_S = float(os.environ.get("MERCATO_HTTP_TIMEOUT", 15))
RETRIES = int(os.environ.get("MERCATO_HTTP_RETRIES", 3))
BACKOFF_S = float(os.environ.get("MERCATO_HTTP_BACKOFF", 1.0))
MAX_REDIRECTS = 10
# retried: the server is busy or briefly broken; any other status is final
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass
class Fetched:
    url: str  # the final URL, after redirects
    status: int
    content: bytes
    content_type: str
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    retries: int | None = None,
    backoff: float | None = None,
    max_bytes: int | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET `url`, following redirects; retry timeouts, connection errors and 5xx/429 with back-off.

    Raises IngestError (naming the URL) when it gives up. A 304 (when etag/last_modified are given)
    comes back with not_modified=True and no content.
    """
    timeout = TIMEOUT_S if timeout is None else timeout
    retries = RETRIES if retries is None else retries
    backoff = BACKOFF_S if backoff is None else backoff
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own = client is None
    http = client or httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout)
    try:
        attempt = 0
        while True:
            attempt += 1
            problem: str
            try:
                resp = _get(http, url, headers, timeout, max_bytes)
            except httpx.TimeoutException:
                problem = f"timed out after {timeout:g} s"
            except httpx.TooManyRedirects:
                raise IngestError(url, f"too many redirects (more than {MAX_REDIRECTS})") from None
            except httpx.UnsupportedProtocol as exc:
                raise IngestError(url, f"unsupported URL ({exc})") from None
            except httpx.InvalidURL as exc:
                raise IngestError(url, f"invalid URL ({exc})") from None
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {exc or 'no detail'})"
            else:
                if resp.status == 304:
                    return resp
                if 200 <= resp.status < 300:
                    if resp.url != url:
                        log.info("%s: redirected to %s", url, resp.url)
                    return resp
                if resp.status not in RETRY_STATUSES:
                    raise IngestError(url, f"HTTP {resp.status} {_reason(resp.status)}")
                problem = f"HTTP {resp.status} {_reason(resp.status)}"
            if attempt > retries:
                tries = "try" if attempt == 1 else "tries"
                raise IngestError(url, f"{problem}; gave up after {attempt} {tries}")
            wait = backoff * (2 ** (attempt - 1))
            log.warning("%s: %s; retry %d of %d in %.1f s", url, problem, attempt, retries, wait)
            sleep(wait)
    finally:
        if own:
            http.close()


def _get(http: httpx.Client, url: str, headers: dict[str, str], timeout: float, max_bytes: int) -> Fetched:
    with http.stream("GET", url, headers=headers, timeout=timeout) as resp:
        if resp.status_code == 304 or not (200 <= resp.status_code < 300):
            return Fetched(str(resp.url), resp.status_code, b"", resp.headers.get("content-type", ""),
                           not_modified=resp.status_code == 304)
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise IngestError(url, f"response too large ({int(declared) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        chunks: list[bytes] = []
        size = 0
        for chunk in resp.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise IngestError(url, f"response too large (over {max_bytes / 1e6:.0f} MB)")
            chunks.append(chunk)
        return Fetched(
            url=str(resp.url), status=resp.status_code, content=b"".join(chunks),
            content_type=resp.headers.get("content-type", ""),
            etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
        )


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def decode_html(data: bytes, content_type: str = "") -> str:
    """Bytes of a page -> text: the charset the server declared, else UTF-8, else Windows-1252."""
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    for enc in (charset, "utf-8-sig", "cp1252"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")
