"""When a region's facts stand: the date its sources' facts are about, not the date printed on a page.

Each source has a publication date and a ``facts_date`` (``data/sources.csv``): the two differ where the
content dates the facts otherwise (the seminar page dated 2025 describes a meeting of about 2015), and the
difference is kept as data. A region's as-of date is the latest ``facts_date`` among the sources of its own
observations and measures, never of all sources: years left, paces and "latest" all count from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .periods import date_time

if TYPE_CHECKING:  # pandas only for the annotations: the build's no-op path reads dates without it
    import pandas as pd


def own_source_ids(fb, region_id: str) -> list[str]:
    """The sources of the region's own numbers and measures, in the order of ``sources.csv``."""
    used = set(fb.observations.source_id[fb.observations.region_id == region_id])
    used |= set(fb.measures.source_id[fb.measures.region_id == region_id])
    return [s for s in fb.sources.source_id if s in used]


def region_as_of(fb, region_id: str) -> tuple[str, str] | None:
    """(date, source_id): the latest facts date among the region's own sources; None without any."""
    ids = own_source_ids(fb, region_id)
    if not ids:
        return None
    src = fb.sources.set_index("source_id", drop=False).loc[ids]
    order = src.facts_date.map(date_time)
    best = src.loc[order.sort_values(kind="stable").index[-1]]
    return str(best.facts_date), str(best.source_id)


def fact_base_as_of(sources: pd.DataFrame) -> str | None:
    """The latest facts date of any source: the time up to which the fact base as a whole can speak."""
    if sources.empty:
        return None
    dates = sources.facts_date
    return str(dates[dates.map(date_time).idxmax()])


def latest_date(dates: list[str]) -> str:
    """The latest of some facts dates (``""`` for none): what the build mixes into every briefing's key."""
    return max(dates, key=date_time, default="")


def date_conflicts(sources: pd.DataFrame) -> pd.DataFrame:
    """Sources whose content dates their facts otherwise than their printed date (kept as data)."""
    return sources[sources.facts_date_basis.str.startswith("content:")]
