"""What one briefing draws on: its region, the region's peers, and the rows and seed texts they hold.

Declared once and used twice: the notebooks see a fact base cut down to this scope (``data.scope``), and the
build hashes exactly these rows into the briefing's key (``build.BriefingKeys``). A change anywhere else
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


class Scopes:
    """The scope of any region of ``tables``, with the rows indexed once: choosing is linear in the rows of
    the scope, not of the fact base, so keying every briefing of 330 regions stays quick."""

    def __init__(self, tables: Mapping[str, list[Row]]) -> None:
        self.tables = tables
        self.by_region: dict[str, dict[str, list[int]]] = {}
        for name in ("observations", "measures", "plans"):
            index: dict[str, list[int]] = {}
            for i, row in enumerate(tables[name]):
                index.setdefault(row["region_id"], []).append(i)
            self.by_region[name] = index
        self.plan_at = {row["plan_id"]: i for i, row in enumerate(tables["plans"])}
        self.groups: dict[str, list[str]] = {}
        for row in tables["regions"]:
            if row.get("peer_group"):
                self.groups.setdefault(row["peer_group"], []).append(row["region_id"])
        self.group_of = {row["region_id"]: row.get("peer_group") or "" for row in tables["regions"]}
        self.position = {name: {row[KEYS[name]]: i for i, row in enumerate(tables[name])} for name in SCOPED}

    def regions(self, region_id: str) -> list[str]:
        """The region and its peers, as ``regions_in_scope``."""
        group = self.group_of.get(region_id, "")
        return [region_id, *(r for r in self.groups.get(group, []) if r != region_id)] if group else [region_id]

    def select(self, region_id: str) -> dict[str, list[str]]:
        """Keys of the rows of each scoped table that a briefing of ``region_id`` draws on, in file order."""
        ids = self.regions(region_id)
        rows = {
            name: sorted(i for r in ids for i in self.by_region[name].get(r, []))
            for name in ("observations", "measures", "plans")
        }
        obs = [self.tables["observations"][i] for i in rows["observations"]]
        meas = [self.tables["measures"][i] for i in rows["measures"]]
        named = {self.plan_at[r["plan"]] for r in obs if r.get("plan") and r["plan"] in self.plan_at}
        plans = [self.tables["plans"][i] for i in sorted(set(rows["plans"]) | named)]
        regions = set(ids) | {r["region_id"] for r in plans}
        sources = {r["source_id"] for part in (obs, meas, plans) for r in part}
        pos = self.position
        return {
            "regions": sorted((r for r in regions if r in pos["regions"]), key=pos["regions"].__getitem__),
            "plans": [r["plan_id"] for r in plans],
            "observations": [r["obs_id"] for r in obs],
            "measures": [r["measure_id"] for r in meas],
            "sources": sorted((s for s in sources if s in pos["sources"]), key=pos["sources"].__getitem__),
        }


def select(tables: Mapping[str, list[Row]], region_id: str) -> dict[str, list[str]]:
    """Keys of the rows of each scoped table that a briefing of ``region_id`` draws on, in file order.

    Observations and measures of the region and its peers; the plans these regions issued or their numbers
    belong to; the regions of those plans; the sources any of these rows quote.
    """
    return Scopes(tables).select(region_id)
