"""Assessments of every adopted target and the flags on results: computed once from the fact base."""

from __future__ import annotations

import math

import pandas as pd

from .. import progress
from ..dates import region_as_of
from ..periods import is_filled, period_time

COLUMNS = [
    "target_obs_id",
    "region_id",
    "indicator_id",
    "status",
    "as_of",
    "years_left",
    "is_deadline_passed",
    "baseline_obs_id",
    "latest_obs_id",
    "n_results",
    "has_result_by_deadline",
    "met_obs_id",
    "is_linear",
    "required_step",
    "required_rate",
    "actual_rate",
    "pace_ratio",
    "projected_value",
    "previous_target_obs_id",
    "implied_step",
    "implied_rate",
]


def successive_paces(targets: pd.DataFrame) -> pd.DataFrame:
    """For each adopted target with a deadline, the target of the same indicator with the previous deadline
    and the yearly pace implied between the two: ``implied_step`` in units a year, ``implied_rate``
    compound (a fraction a year; levels above zero only)."""
    cols = ["target_obs_id", "previous_target_obs_id", "implied_step", "implied_rate"]
    obs = targets[targets.period.map(is_filled).astype(bool)]
    rows = []
    for _, g in obs.assign(_t=obs.period.map(period_time)).sort_values(["_t", "obs_id"]).groupby("indicator_id"):
        prev = None
        for _, r in g.iterrows():
            if prev is not None and r._t > prev._t:
                years = r._t - prev._t
                step = (r.value - prev.value) / years
                rate = progress.annual_rate(prev.value, r.value, years, False) if prev.value > 0 < r.value else math.nan
                rows.append([r.obs_id, prev.obs_id, step, rate])
            if prev is None or r._t > prev._t:
                prev = r
    return pd.DataFrame(rows, columns=cols)


def assessments(fb) -> pd.DataFrame:
    """One row per adopted target of every region, assessed from its region's as-of date."""
    frames = []
    for region_id in sorted(set(fb.observations.region_id[fb.observations.role == "target"])):
        as_of = region_as_of(fb, region_id)
        a = progress.assess_region(fb, region_id, as_of[0] if as_of else None)
        a = a.assign(region_id=region_id, as_of=as_of[0] if as_of else "")
        a = a.merge(successive_paces(progress.targets(fb, region_id)), on="target_obs_id", how="left")
        frames.append(a)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    for col in ("baseline_obs_id", "latest_obs_id", "met_obs_id", "previous_target_obs_id"):
        out[col] = out[col].where(out[col].map(is_filled).astype(bool), None)
    return out[COLUMNS].sort_values("target_obs_id").reset_index(drop=True)


def result_flags(fb) -> pd.DataFrame:
    """Results of a stock (``basis`` = stock) below an earlier result of the same region and indicator:
    the sources do not explain the fall, and the reader is told where the later one is shown."""
    obs = fb.observations
    stock = set(fb.indicators.index[fb.indicators.basis.fillna("") == "stock"])
    res = obs[(obs.role == "result") & obs.indicator_id.isin(stock) & obs.period.map(is_filled).astype(bool)]
    rows = []
    for (region_id, _), g in res.assign(_t=res.period.map(period_time)).groupby(["region_id", "indicator_id"]):
        g = g.sort_values(["_t", "obs_id"])
        for i in range(1, len(g)):
            later, earlier = g.iloc[i], g.iloc[:i]
            higher = earlier[(earlier._t < later._t) & (earlier.value > later.value)]
            if not higher.empty:
                rows.append([later.obs_id, region_id, "below_earlier", higher.iloc[-1].obs_id])
    return pd.DataFrame(rows, columns=["obs_id", "region_id", "flag", "other_obs_id"])
