"""Periods and dates, the one place that reads them (a leaf module: it imports nothing of the package).

A period is ``2023`` (a year), ``2023-03`` (a month), ``2023-01..10`` (months of a year) or ``2024..2027``
(a span of years). On the time axis a period stands at its end, in years: ``2023`` is 2023.0 (the end of
2023) and ``2023-01..10`` is 2022.83, so a period of months sorts before the year it belongs to. A date
(``2024``, ``2024-05``, ``2024-05-15``) is put on the same axis by :func:`date_time`: every count of years
(years left, paces) uses this one time base.
"""

from __future__ import annotations

import re


def is_filled(value: object) -> bool:
    """Whether a cell holds text (a period, a plan): not empty, not missing."""
    return isinstance(value, str) and value != ""


def period_bounds(period: str) -> tuple[int, int, int, int]:
    """(start_year, start_month, end_year, end_month) of a period string."""
    if m := re.fullmatch(r"(\d{4})\.\.(\d{4})", period):
        return int(m[1]), 1, int(m[2]), 12
    if m := re.fullmatch(r"(\d{4})-(\d{2})\.\.(\d{2})", period):
        return int(m[1]), int(m[2]), int(m[1]), int(m[3])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        return int(m[1]), int(m[2]), int(m[1]), int(m[2])
    if m := re.fullmatch(r"(\d{4})", period):
        return int(m[1]), 1, int(m[1]), 12
    raise ValueError(f"unreadable period {period!r}")


def period_end_year(period: str) -> int:
    """The year in which a period ends."""
    return period_bounds(period)[2]


def period_time(period: str) -> float:
    """A period as a point in time: its end, in years (``2023`` → 2023.0, ``2023-01..10`` → 2022.83)."""
    _, _, end_year, end_month = period_bounds(period)
    return end_year - 1 + end_month / 12


def period_sort_key(period: object) -> float:
    """Sort key that orders periods as time (by their end); a missing period (no deadline) sorts last."""
    return period_time(period) if is_filled(period) else float("inf")


def by_time(column):
    """A ``sort_values`` key that orders a ``period`` column as time and leaves other columns as they are."""
    return column.map(period_sort_key) if column.name == "period" else column


def date_time(date: str) -> float:
    """A date (``2024``, ``2024-03`` or ``2024-03-15``) on the scale of :func:`period_time`: years, where
    ``2024.0`` is the end of 2024 (so 15 March 2024 is about 2023.2, and the year ``2024`` its end)."""
    parts = [int(p) for p in str(date).split("-")]
    if len(parts) == 1:
        return float(parts[0])
    year, month, day = (parts + [15])[:3]
    return year - 1 + (month - 1) / 12 + min(day, 30) / 360
