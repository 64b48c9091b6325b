"""What one briefing draws on: its region, the region's peers, and the rows and seed texts they hold.

Declared once and used twice: the notebooks see a fact base cut down to this scope (``data.scope``), and the
build hashes exactly these rows into the briefing's key (``build.briefing_keys``). A change anywhere else
(another peer group, a region with no bearing on it) leaves the briefing as it is.
Works on plain rows (mappings of column to text) so that the build can decide what is fresh without pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .regions import peers

Row = Mapping[str, str]
SCOPED = ("regions", "plans", "observations", "measures", "sources")
"""Tables of which a briefing uses only some rows; the others (indicators, themes) it uses whole."""
KEYS = {"regions": "region_id", "plans": "plan_id", "observations": "obs_id", "measures": "measure_id"}
KEYS["sources"] = "source_id"


def regions_in_scope(regions: Iterable[Row], region_id: str) -> list[str]:
    """The region and its peers (the other members of its peer group): the regions a briefing compares."""
    return [region_id, *peers(regions, region_id)]


def select(tables: Mapping[str, list[Row]], region_id: str) -> dict[str, list[str]]:
    """Keys of the rows of each scoped table that a briefing of ``region_id`` draws on.

    Observations and measures of the region and its peers; the plans these regions issued or their numbers
    belong to; the regions of those plans; the sources any of these rows quote.
    """
    ids = set(regions_in_scope(tables["regions"], region_id))
    obs = [r for r in tables["observations"] if r["region_id"] in ids]
    meas = [r for r in tables["measures"] if r["region_id"] in ids]
    named = {r["plan"] for r in obs if r.get("plan")}
    plans = [r for r in tables["plans"] if r["region_id"] in ids or r["plan_id"] in named]
    regions = ids | {r["region_id"] for r in plans}
    sources = {r["source_id"] for rows in (obs, meas, plans) for r in rows}
    return {
        "regions": [r["region_id"] for r in tables["regions"] if r["region_id"] in regions],
        "plans": [r["plan_id"] for r in plans],
        "observations": [r["obs_id"] for r in obs],
        "measures": [r["measure_id"] for r in meas],
        "sources": [r["source_id"] for r in tables["sources"] if r["source_id"] in sources],
    }
