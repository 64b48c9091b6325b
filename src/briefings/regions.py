"""Turn what a user types into a region id, or stop with one line naming the closest regions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping


class RegionError(ValueError):
    """The region parameter names no known region."""


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


def _records(regions) -> list[Mapping[str, str]]:
    """Rows of regions.csv, from a DataFrame or any iterable of mappings (no pandas needed)."""
    return regions.to_dict("records") if hasattr(regions, "to_dict") else list(regions)


def region_names(regions: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Every accepted spelling (normalised) mapped to its region id."""
    names: dict[str, str] = {}
    for row in _records(regions):
        aliases = row.get("aliases")
        aliases = aliases if isinstance(aliases, str) else ""  # empty cells load as missing
        spellings = [row["region_id"], row["name_en"], row["name_zh"], *aliases.split("|")]
        for s in spellings:
            if not s or not s.strip():
                continue
            owner = names.setdefault(_norm(s), row["region_id"])
            if owner != row["region_id"]:
                a, b = sorted((owner, row["region_id"]))
                raise RegionError(
                    f"the name {s.strip()!r} stands for both {a} and {b} in data/regions.csv: "
                    "a name or alias may belong to one region only"
                )
    return names


def resolve_region(text: object, regions) -> str:
    """Return the region id for a slug, an English name in any case, or a Chinese name or alias."""
    ids = [r["region_id"] for r in _records(regions)]
    if not isinstance(text, str):
        raise RegionError(
            f"region must be a name (a slug, an English or a Chinese name such as shanghai, "
            f"Shanghai or 上海), not the {type(text).__name__} {text!r} "
            "(run `briefings regions` for the list)"
        )
    if not text.strip():
        raise RegionError(
            "region is empty: give one of " + ", ".join(ids[:6]) + " … (run `briefings regions` for the list)"
        )
    names = region_names(regions)
    key = _norm(text)
    if key in names:
        return names[key]
    shown = text if len(text) <= 40 else text[:37] + "..."
    shown = shown.encode("unicode_escape").decode("ascii") if not shown.isprintable() else shown
    close = difflib.get_close_matches(key, list(names), n=6, cutoff=0.5)
    close_ids = list(dict.fromkeys(names[c] for c in close))[:3]
    hint = f"did you mean {', '.join(close_ids)}?" if close_ids else "valid regions: " + ", ".join(ids)
    raise RegionError(f"unknown region {shown!r}: {hint} (run `briefings regions` for the list)")


def _level_rank(level: str) -> int:
    from .schema import LEVEL_RANKS

    return LEVEL_RANKS.get(level, -1)


def hierarchy_problems(regions) -> list[str]:
    """Parents and peer groups that break the hierarchy, one line each (row = CSV line, header is line 1).

    A parent must exist, rank above its child (a province's parent is a country, never a city) and lead to
    no cycle; the regions of one peer group share a level rank, so no peer contains another.
    """
    rows = _records(regions)
    by_id = {r["region_id"]: (i, r) for i, r in enumerate(rows)}
    problems: list[str] = []
    at = "data/regions.csv, row {}, column {}: ".format
    for i, r in enumerate(rows):
        parent = r.get("parent") or ""
        if not parent or parent not in by_id:
            continue  # unknown parents are reported with the other foreign keys
        p = by_id[parent][1]
        if _level_rank(p["level"]) >= _level_rank(r["level"]):
            problems.append(
                at(i + 2, "parent") + f"{r['region_id']} ({r['level']}) cannot lie within {parent} ({p['level']}): "
                "a parent's level must be above its child's"
            )
        seen, step = {r["region_id"]}, parent
        while step and step in by_id:
            if step in seen:
                problems.append(at(i + 2, "parent") + f"{r['region_id']} is its own ancestor (parents form a cycle)")
                break
            seen.add(step)
            step = by_id[step][1].get("parent") or ""
    groups: dict[str, list[tuple[int, Mapping[str, str]]]] = {}
    for i, r in enumerate(rows):
        if r.get("peer_group"):
            groups.setdefault(r["peer_group"], []).append((i, r))
    for group, members in groups.items():
        first = members[0][1]
        for i, r in members[1:]:
            if _level_rank(r["level"]) != _level_rank(first["level"]):
                problems.append(
                    at(i + 2, "peer_group")
                    + f"{r['region_id']} ({r['level']}) and {first['region_id']} ({first['level']}) share "
                    f"the peer group {group!r} but not a level: give them different peer groups"
                )
    return problems


def peers(regions, region_id: str) -> list[str]:
    """The regions a region is compared with: the other members of its peer group, in file order."""
    rows = _records(regions)
    group = next((r.get("peer_group") or "" for r in rows if r["region_id"] == region_id), "")
    return [r["region_id"] for r in rows if group and r.get("peer_group") == group and r["region_id"] != region_id]
