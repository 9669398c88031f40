"""Response bodies as compact UTF-8 JSON (dates as ISO strings), shared by the routes, the response cache and
the listing indexes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")


def _default(o: Any) -> Any:
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    if isinstance(o, set | tuple):
        return list(o)
    return str(o)
