"""Transfer windows: which window a claim speaks of, and when that window has closed.

A claim speaks of the window of its date, or of the next one for talk between windows:
- February to August: that summer's window (season Y), closed on 1 September;
- September to December: the January window after it and, for talk this far ahead, the summer
  after that (seasons Y and Y+1: a register's season S holds the summer of S and the January of
  S+1), closed on 1 September of Y+1;
- January: that January window only (season Y-1), closed on 1 February - for a player; an
  appointment (manager, staff) is not bound to a window, so January talk of one runs to the summer.
A `done` claim reports a move already made, so it speaks of the window it was made in as well: one dated
in February (the month after the January deadline, when January's signings are still being announced and
reported) speaks of that January window too (seasons Y-1 and Y); one dated September to December already
speaks of the summer just closed (season Y).
"""

from __future__ import annotations

import datetime as dt


def seasons(t: dt.date) -> list[int]:
    """The register seasons a claim dated t speaks of."""
    if 2 <= t.month <= 8:
        return [t.year]
    if t.month >= 9:
        return [t.year, t.year + 1]
    return [t.year - 1]


def claim_seasons(t: dt.date, stage: str) -> list[int]:
    """The register seasons a claim dated t at this stage speaks of: `seasons(t)`, and for a completed move
    (`done`) reported in February, the January window just closed (season Y-1) too. ("The Reds have completed
    the signing of Kaide Gordon from Derby", 6 February 2021: a January-window signing, which a register of
    season 2021 - summer 2021 and January 2022 - would not list.)"""
    if stage == "done" and t.month == 2:
        return [t.year - 1, t.year]
    return seasons(t)


def window_close(t: dt.date, role: str = "player") -> dt.date:
    """When the window a claim dated t speaks of has closed (its outcome is public then).

    A manager or a member of staff is appointed whenever a job falls vacant, not in a registration
    window: January talk of an appointment runs to the summer (Kovac, talked of for Dortmund on 30
    January 2025 and appointed on 2 February, is the same talk)."""
    if 2 <= t.month <= 8:
        return dt.date(t.year, 9, 1)
    if t.month >= 9:
        return dt.date(t.year + 1, 9, 1)
    return dt.date(t.year, 2, 1) if role == "player" else dt.date(t.year, 9, 1)


def season_close(season: int, claimed: dt.date) -> dt.date:
    """When a move found in a register season became public, for claims from `claimed` on: the summer
    of the season (1 September) unless the claims speak of its January window (1 February): talk in
    January, or a completed move reported in the February after it (`claim_seasons`)."""
    if claimed.month <= 2 and claimed.year == season + 1:
        return dt.date(season + 1, 2, 1)
    return dt.date(season, 9, 1)


def window_of(t: dt.date) -> str:
    """The window a claim dated t speaks of, as a label ("2021-summer", "2022-winter"): February to August
    that summer's; September to January the January window after it (for talk between windows)."""
    if 2 <= t.month <= 8:
        return f"{t.year}-summer"
    return f"{t.year + 1 if t.month >= 9 else t.year}-winter"


def window_label(key: str) -> str:
    """"2021-summer" -> "summer 2021"."""
    year, _, part = key.partition("-")
    return f"{part} {year}" if part else key
