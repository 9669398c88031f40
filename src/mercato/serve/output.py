"""Rendering helpers shared by CLI commands: Rich tables or JSON."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

# piped output (CI logs, `| less`) gets a readable width instead of Rich's 80-column fallback
_width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "140"))
console = Console(soft_wrap=True, width=_width)
err_console = Console(stderr=True, soft_wrap=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    console.print(t)


class LineProgress:
    """Progress for a stderr that is not a terminal (a pipe, a CI log): one line every `every` seconds
    ("ingest gossip.csv: 1200/5981 articles (20%), 41.3/s, about 1m 56s left"), none for a run that ends
    sooner. It answers the part of rich's Progress that ingest uses (add_task, update, advance)."""

    def __init__(self, every: float | None = None, stream: Any = None, unit: str = "articles") -> None:
        self.every = float(os.environ.get("MERCATO_PROGRESS_EVERY", 10)) if every is None else every
        self.stream = stream
        self.unit = unit
        self.clock = time.monotonic
        self.start = self.last = self.clock()
        self.description = ""
        self.total: float | None = None
        self.completed = 0.0

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None, **_: Any) -> int:
        self.description, self.total, self.completed = description, total, 0.0
        self.start = self.last = self.clock()
        return 0

    def update(self, task: int, *, description: str | None = None, total: float | None = None, **_: Any) -> None:
        if description is not None:
            self.description = description
        if total is not None:
            self.total = total

    def advance(self, task: int, advance: float = 1) -> None:
        self.completed += advance
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            (self.stream or sys.stderr).write(self.line(now) + "\n")
            (self.stream or sys.stderr).flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.completed / elapsed
        done = f"{self.completed:.0f}"
        if self.total:
            done += f"/{self.total:.0f} {self.unit} ({self.completed / self.total:.0%})"
        else:
            done += f" {self.unit}"
        out = f"{self.description}: {done}, {rate:.1f}/s, {_clock(elapsed)} elapsed"
        if self.total and rate > 0 and self.completed < self.total:
            out += f", about {_clock((self.total - self.completed) / rate)} left"
        return out


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}h {s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m {s % 60:02d}s" if s >= 60 else f"{s}s"
