"""Turn what a user types into a region id, or stop with one line naming the closest regions."""

from __future__ import annotations

import difflib
import re

import pandas as pd


class RegionError(ValueError):
    """The region parameter names no known region."""


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().casefold())


def region_names(regions: pd.DataFrame) -> dict[str, str]:
    """Every accepted spelling (normalised) mapped to its region id."""
    names: dict[str, str] = {}
    for row in regions.itertuples():
        spellings = [row.region_id, row.name_en, row.name_zh, *(row.aliases or "").split("|")]
        for s in spellings:
            if s and s.strip():
                names.setdefault(_norm(s), row.region_id)
    return names


def resolve_region(text: object, regions: pd.DataFrame) -> str:
    """Return the region id for a slug, an English name in any case, or a Chinese name or alias."""
    if not isinstance(text, str) or not text.strip():
        raise RegionError("region is empty: give one of " + ", ".join(regions.region_id[:6]) +
                          " … (run `briefings regions` for the list)")
    names = region_names(regions)
    key = _norm(text)
    if key in names:
        return names[key]
    shown = text if len(text) <= 40 else text[:37] + "..."
    shown = shown.encode("unicode_escape").decode("ascii") if not shown.isprintable() else shown
    close = difflib.get_close_matches(key, list(names), n=6, cutoff=0.5)
    ids = list(dict.fromkeys(names[c] for c in close))[:3]
    hint = f"did you mean {', '.join(ids)}?" if ids else "valid regions: " + ", ".join(regions.region_id)
    raise RegionError(f"unknown region {shown!r}: {hint} (run `briefings regions` for the list)")
