"""The fact base as pandas DataFrames, for notebooks and scripts.

    from briefings import api

    api.regions()                  # every region, its names and how many facts and measures it has
    api.facts("Zhejiang")          # every number with its quote and source (slug, English or Chinese name)
    api.measures("河北")            # the qualitative policy measures
    api.assessments("shanghai")    # each target against its latest result: gap, time left, pace, status
    api.comparisons("shanghai")    # the region's numbers beside its peers', and on what basis

Each function takes an optional ``fb`` (a loaded :class:`~briefings.data.FactBase`); by default the
validated fact base in ``data/`` is loaded (cached by the inputs' hash). The columns of ``data/`` are
passed through as they are (see ``data/README.md``), with the names of regions, indicators and themes
joined on in both languages. The frames are copies: changing them changes nothing in ``data/``.
"""

from __future__ import annotations

import pandas as pd

from . import compare, data, progress
from .periods import by_time
from .regions import resolve_region

COMPARISON_BASES = ("comparable", "different_period", "related_definition")


def _fb(fb: data.FactBase | None) -> data.FactBase:
    return fb if fb is not None else data.load()


def _names(fb: data.FactBase, table: str, key: str, prefix: str) -> pd.DataFrame:
    """``name_en``/``name_zh`` of a table as ``<prefix>_en``/``<prefix>_zh``, indexed by its key."""
    names = fb.table(table).set_index(key)[["name_en", "name_zh"]]
    return names.rename(columns={"name_en": f"{prefix}_en", "name_zh": f"{prefix}_zh"})


def _with_region_names(
    fb: data.FactBase, df: pd.DataFrame, column: str = "region_id", prefix: str = "region"
) -> pd.DataFrame:
    return df.join(_names(fb, "regions", "region_id", prefix), on=column)


def _pick(fb: data.FactBase, df: pd.DataFrame, region: str | None) -> pd.DataFrame:
    """Rows of ``df`` for one region (any accepted spelling), or all rows when ``region`` is None."""
    if region is None:
        return df
    return df[df.region_id == resolve_region(region, fb.regions)]


def regions(fb: data.FactBase | None = None) -> pd.DataFrame:
    """Every region of ``regions.csv`` with the number of facts (numbers) and measures the sources hold."""
    fb = _fb(fb)
    out = fb.regions.reset_index(drop=True)
    out["facts"] = out.region_id.map(fb.observations.region_id.value_counts()).fillna(0).astype(int)
    out["measures"] = out.region_id.map(fb.measures.region_id.value_counts()).fillna(0).astype(int)
    return out


def facts(region: str | None = None, fb: data.FactBase | None = None) -> pd.DataFrame:
    """Every number about ``region`` (all regions when None): the rows of ``observations.csv`` with the
    region's, indicator's and theme's names, the indicator's unit and theme, and the plan's title."""
    fb = _fb(fb)
    ind = fb.indicators[["name_en", "name_zh", "unit", "theme"]].rename(
        columns={"name_en": "indicator_en", "name_zh": "indicator_zh"}
    )
    obs = _pick(fb, fb.observations, region).join(ind, on="indicator_id")
    obs = obs.join(_names(fb, "themes", "theme_id", "theme"), on="theme")
    obs = obs.join(
        fb.plans.set_index("plan_id")[["title_zh", "title_en"]].rename(
            columns={"title_zh": "plan_title_zh", "title_en": "plan_title_en"}
        ),
        on="plan",
    )
    obs = _with_region_names(fb, obs)
    return obs.sort_values(["region_id", "theme", "indicator_id", "period", "obs_id"], key=by_time).reset_index(
        drop=True
    )


def measures(region: str | None = None, fb: data.FactBase | None = None) -> pd.DataFrame:
    """The qualitative policy measures of ``region`` (all regions when None), with theme and region names."""
    fb = _fb(fb)
    m = _pick(fb, fb.measures, region).join(_names(fb, "themes", "theme_id", "theme"), on="theme")
    m = _with_region_names(fb, m)
    return m.sort_values(["region_id", "theme", "measure_id"]).reset_index(drop=True)


def assessments(region: str, fb: data.FactBase | None = None) -> pd.DataFrame:
    """Each target of ``region`` against its baseline (the method is in ``briefings.progress``): share of
    the target reached, gap, years left, pace required and achieved, projection and status."""
    fb = _fb(fb)
    region_id = resolve_region(region, fb.regions)
    a = progress.assess_region(fb, region_id)
    a.insert(1, "region_id", region_id)
    names = fb.indicators[["name_en", "name_zh"]].rename(columns={"name_en": "indicator_en", "name_zh": "indicator_zh"})
    return a.join(names, on="indicator_id")


def comparisons(region: str, fb: data.FactBase | None = None) -> pd.DataFrame:
    """The region's numbers beside its peers' (the rule is in ``briefings.compare``). ``basis`` says how
    they relate: ``comparable`` (same indicator, same period: may share an axis), ``different_period``
    or ``related_definition`` (side by side only, the difference stated)."""
    fb = _fb(fb)
    region_id = resolve_region(region, fb.regions)
    parts = zip(
        COMPARISON_BASES,
        (
            compare.comparable_pairs(fb, region_id),
            compare.differing_periods(fb, region_id),
            compare.related_indicators(fb, region_id),
        ),
    )
    frames = [df.assign(basis=basis) for basis, df in parts if not df.empty]
    if not frames:
        return pd.DataFrame(columns=["basis", "region_id", "indicator_id", "region_id_peer"])
    out = pd.concat(frames, ignore_index=True)
    out = out[["basis", *[c for c in out.columns if c != "basis"]]]
    out = _with_region_names(fb, out, "region_id_peer", "peer")
    names = fb.indicators[["name_en"]]
    out = out.join(names.rename(columns={"name_en": "indicator_en"}), on="indicator_id")
    if "indicator_id_peer" in out:
        out = out.join(names.rename(columns={"name_en": "indicator_peer_en"}), on="indicator_id_peer")
    return out.reset_index(drop=True)


__all__ = ["regions", "facts", "measures", "assessments", "comparisons"]
