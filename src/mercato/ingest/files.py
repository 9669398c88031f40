"""What every reader shares: the size limit, loading a file's bytes or text, URL and value clean-up.
(An outlet's name comes from the knowledge base: `mercato.kb.outlets.outlet_from_domain_or_name`.)"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mercato.ingest.errors import IngestError
from mercato.ingest.language import normalise_lang

MAX_BYTES = int(os.environ.get("MERCATO_MAX_BYTES", 25 * 1024 * 1024))


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def load_bytes(path: Path) -> bytes:
    """A file's bytes, or an IngestError naming the file (missing, not a file, empty, too large)."""
    where = str(path)
    if not path.exists():
        raise IngestError(where, "no such file")
    if not path.is_file():
        raise IngestError(where, "not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(where, "empty file")
    if size > MAX_BYTES:
        raise IngestError(where, f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB)")
    return path.read_bytes()


def load_text(path: Path) -> str:
    """A file's text (UTF-8, BOM allowed), or an IngestError naming the file and the problem."""
    where = str(path)
    data = load_bytes(path)
    if b"\x00" in data[:8192]:
        raise IngestError(where, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(where, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if not text.strip():
        raise IngestError(where, "empty file (only whitespace)")
    return text


def clean(value: Any) -> str | None:
    """A header or column value, or None for blanks and the usual placeholders ('unknown', 'n/a')."""
    if value is None:
        return None
    s = str(value).strip()
    if not s or s.lower() in {"unknown", "none", "null", "n/a"}:
        return None
    return s


def lang_code(value: Any) -> str | None:
    """A language given by a header or column -> its ISO 639-1 code (ValueError if unknown)."""
    v = clean(value)
    return normalise_lang(v) if v else None
