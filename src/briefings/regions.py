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
        spellings = [row["region_id"], row["name_en"], row["name_zh"], *(row.get("aliases") or "").split("|")]
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
