"""Date parsing for every ingest format: ISO first, then common English forms, then dateparser.

Only explicit dates (a day, a month and a year written out) are read: a relative word ("yesterday",
"2 days ago") or a bare timestamp would be stored as the day of the ingest, not of the article."""

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
        # absolute-time only: no relative words, no timestamps
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"], "PARSERS": ["absolute-time"]},
    )
    if parsed is None:
        raise ValueError(f"date {value!r} does not parse: give an explicit date (2021-02-01, 1 February 2021); "
                         "relative dates such as 'yesterday' are not read")
    return parsed.date()


FUTURE_TOLERANCE = dt.timedelta(days=1)  # time zones: an article dated tomorrow somewhere is fine


def future_problem(day: dt.date, today: dt.date | None = None) -> str | None:
    """Why a date cannot be an article's (it is after today, beyond a day's tolerance), else None."""
    today = today or dt.date.today()
    if day > today + FUTURE_TOLERANCE:
        return f"date {day.isoformat()} is in the future (today is {today.isoformat()}); not stored"
    return None
