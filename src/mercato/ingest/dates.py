"""Date parsing for every ingest format: ISO first, then common English forms, then dateparser."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y", "%Y/%m/%d")


@lru_cache(maxsize=4096)
def parse_date(value: str) -> dt.date:
    """Parse a date string; raise ValueError with the offending value if it cannot be read."""
    s = (value or "").strip()
    if not s:
        raise ValueError("missing date")
    m = _ISO.match(s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise ValueError(f"date {value!r} does not parse ({exc})") from None
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    import dateparser

    parsed = dateparser.parse(
        s,
        languages=["en", "de", "it", "es", "fr", "pt"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    if parsed is None:
        raise ValueError(f"date {value!r} does not parse")
    return parsed.date()
