"""Targets against baselines: how far along, the pace required, the pace achieved, and a status.

Method (after the UN SDG progress chart and Open SDG):

* Only adopted targets (``role == "target"``) are assessed; recommendations, instruments, structure
  counts and rankings never are. A target with no deadline stated is listed as ``no_deadline``.
* The *baseline* is the earliest result for the same region and indicator that ends before the
  target year; the *latest* result is the most recent one. With no result, the status is
  ``no_baseline``.
* A target is ``achieved`` when the latest result dated at or before its deadline meets it (direction
  from ``higher_is_better``; ``>`` and ``≥`` targets must be reached, a ``~`` target is met within 5%).
  Met only by a result dated after the deadline, it is ``met_late`` when a result dated at or before the
  deadline fell short, and ``met_since`` when the sources give no result by the deadline ("met by 2023;
  the sources give no result for 2021");
  with the deadline passed (at the briefing's as-of date) and a result at or after it short of the
  target, ``not_met``; with no result since the deadline, ``outcome_unknown``.
* Years left and the pace required count from the briefing's as-of date (the latest date that the sources
  of the region's own facts stand at, ``derive.dates``): one time base for every count of years.
* With one actual only, there is no trend: ``insufficient_data`` (the pace required is still shown).
* With two or more, the actual annual rate (baseline → latest) is compared with the rate required
  (baseline → target in the target year). Levels (counts, money, density) use compound rates; shares,
  growth rates and values at or below zero use linear rates (units per year).
  ratio = actual ÷ required: ≥ 0.95 ``on_track``; 0.60–0.95 ``acceleration_needed``;
  0–0.60 ``limited_progress``; < 0 ``deterioration``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .data import FactBase, has_period
from .periods import date_time, is_filled, period_time
from .schema import DIFFERENCE_KINDS, STATUSES

NOT_ASSESSED = ("no_baseline", "no_deadline")  # listed, never assessed
STATUS_GROUPS = {
    "met": ("achieved", "met_late", "met_since"),
    "on_track": ("on_track",),
    "behind": ("acceleration_needed", "limited_progress", "deterioration", "not_met"),
    "unknown": ("outcome_unknown", "insufficient_data", "no_baseline", "no_deadline"),
}
"""How the index counts a region's targets: met, on track, behind, or unknown from the sources."""
ON_TRACK, ACCELERATE, LIMITED = 0.95, 0.60, 0.0
APPROX_TOLERANCE = 0.05


def classify(ratio: float) -> str:
    """Status from the ratio of actual to required pace (Open SDG thresholds)."""
    if ratio >= ON_TRACK:
        return "on_track"
    if ratio >= ACCELERATE:
        return "acceleration_needed"
    if ratio >= LIMITED:
        return "limited_progress"
    return "deterioration"


def meets(actual: float, target: float, qualifier: str, higher_is_better: bool) -> bool:
    """Whether an actual value meets a target with its qualifier and direction."""
    if qualifier == "~":
        if abs(actual - target) <= APPROX_TOLERANCE * abs(target):
            return True
    if higher_is_better:
        return actual > target if qualifier == ">" else actual >= target
    return actual < target if qualifier == "<" else actual <= target


def is_linear(kind: str, *values: float) -> bool:
    """Whether paces are linear (units a year): shares, rates and point changes, or any value at or below
    zero; otherwise compound. The one pace rule: assessments and charts both ask it."""
    return kind in DIFFERENCE_KINDS or min(values) <= 0


def annual_rate(start: float, end: float, years: float, linear: bool) -> float:
    """Annual rate between two values: compound (fraction per year) or linear (units per year)."""
    if years <= 0:
        return math.nan
    if linear:
        return (end - start) / years
    return (end / start) ** (1 / years) - 1


def project(value: float, rate: float, years: float, linear: bool) -> float:
    """Value after ``years`` at ``rate``."""
    return value + rate * years if linear else value * (1 + rate) ** years


@dataclass(frozen=True)
class Assessment:
    """The arithmetic and status of one target."""

    target_obs_id: str
    status: str
    baseline_obs_id: str = ""
    baseline_value: float = math.nan
    baseline_period: str = ""
    latest_obs_id: str = ""
    latest_value: float = math.nan
    latest_period: str = ""
    n_results: int = 0
    has_result_by_deadline: bool = False
    share_of_target_pct: float = math.nan
    gap_remaining: float = math.nan
    years_left: float = math.nan
    is_linear: bool = False
    required_step: float = math.nan
    required_rate: float = math.nan
    actual_rate: float = math.nan
    pace_ratio: float = math.nan
    projected_value: float = math.nan
    is_deadline_passed: bool = False
    met_obs_id: str = ""
    met_period: str = ""


def assess(
    target: pd.Series, actuals: pd.DataFrame, kind: str, higher_is_better: bool, as_of: str | None = None
) -> Assessment:
    """Assess one target row against the result rows of the same region and indicator (of ``kind``:
    percentages and point changes are projected linearly, other kinds at their compound rate).

    ``as_of`` (a date) is when the briefing stands: years left and the pace required count from it, and a
    deadline at or before it has passed. Without it, the latest result's date stands in.
    """
    if not is_filled(target.period):
        return Assessment(target.obs_id, "no_deadline")
    t_time = period_time(target.period)
    if actuals.empty:
        now = date_time(as_of) if as_of else math.nan
        return Assessment(target.obs_id, "no_baseline", years_left=t_time - now, is_deadline_passed=bool(t_time <= now))
    acts = actuals.assign(_t=actuals.period.map(period_time)).sort_values(["_t", "obs_id"])
    before = acts[acts._t < t_time]
    baseline = before.iloc[0] if not before.empty else acts.iloc[0]
    latest = acts.iloc[-1]
    linear = is_linear(kind, baseline.value, latest.value, target.value)
    gap = target.value - latest.value
    now = date_time(as_of) if as_of else latest._t
    years_left = t_time - now
    on_time = acts[acts._t <= t_time]
    common = dict(
        baseline_obs_id=baseline.obs_id,
        baseline_value=baseline.value,
        baseline_period=baseline.period,
        latest_obs_id=latest.obs_id,
        latest_value=latest.value,
        latest_period=latest.period,
        n_results=len(acts),
        has_result_by_deadline=not on_time.empty,
        gap_remaining=gap,
        years_left=years_left,
        share_of_target_pct=latest.value / target.value * 100 if target.value else math.nan,
        is_linear=linear,
        is_deadline_passed=years_left <= 0,
        required_step=gap / years_left if years_left > 0 else math.nan,
        required_rate=annual_rate(latest.value, target.value, years_left, linear) if years_left > 0 else math.nan,
    )

    def met(row: pd.Series) -> bool:
        return meets(row.value, target.value, target.qualifier, higher_is_better)

    if not on_time.empty and met(on_time.iloc[-1]):
        last = on_time.iloc[-1]
        return Assessment(target.obs_id, "achieved", met_obs_id=last.obs_id, met_period=last.period, **common)
    late = acts[(acts._t > t_time) & acts.apply(met, axis=1)]
    if met(latest) and not late.empty:
        # "met late" needs a result by the deadline that fell short; without one, the sources cannot say
        status = "met_late" if not on_time.empty else "met_since"
        first = late.iloc[0]
        return Assessment(target.obs_id, status, met_obs_id=first.obs_id, met_period=first.period, **common)
    if years_left <= 0:
        status = "not_met" if latest._t >= t_time else "outcome_unknown"
        return Assessment(target.obs_id, status, **common)
    if len(acts) < 2 or latest._t <= baseline._t:
        return Assessment(target.obs_id, "insufficient_data", **common)
    actual_rate = annual_rate(baseline.value, latest.value, latest._t - baseline._t, linear)
    required = annual_rate(baseline.value, target.value, t_time - baseline._t, linear)
    if not required or math.isnan(required):
        return Assessment(target.obs_id, "insufficient_data", **common)
    ratio = actual_rate / required
    projected = project(latest.value, actual_rate, max(years_left, 0), linear)
    return Assessment(
        target.obs_id, classify(ratio), actual_rate=actual_rate, pace_ratio=ratio, projected_value=projected, **common
    )


def targets(fb: FactBase, region_id: str) -> pd.DataFrame:
    """The region's adopted targets: the one set that every count, table and assessment of targets uses."""
    obs = fb.observations
    return obs[(obs.region_id == region_id) & (obs.role == "target")]


def assess_region(fb: FactBase, region_id: str, as_of: str | None = None) -> pd.DataFrame:
    """One row per adopted target of the region, with its plan, arithmetic and status.

    Years left count from ``as_of`` (default: the region's as-of date, ``dates.region_as_of``)."""
    from .dates import region_as_of

    when = as_of or (region_as_of(fb, region_id) or (None,))[0]
    obs = fb.observations[fb.observations.region_id == region_id]
    rows = []
    for _, target in targets(fb, region_id).iterrows():
        ind = fb.indicators.loc[target.indicator_id]
        actuals = obs[(obs.role == "result") & (obs.indicator_id == target.indicator_id)]
        a = assess(target, actuals, ind.kind, bool(ind.higher_is_better), when)
        rows.append(
            {
                **a.__dict__,
                "indicator_id": target.indicator_id,
                "unit": ind.unit,
                "target_value": target.value,
                "target_qualifier": target.qualifier,
                "target_period": target.period,
                "plan": target.plan,
                "source_id": target.source_id,
                "quote": target.quote,
            }
        )
    cols = [
        "target_obs_id",
        "indicator_id",
        "unit",
        "plan",
        "target_value",
        "target_qualifier",
        "target_period",
        *[f for f in Assessment.__dataclass_fields__ if f != "target_obs_id"],
        "source_id",
        "quote",
    ]
    df = pd.DataFrame(rows, columns=cols)
    order = {s: i for i, s in enumerate(STATUSES)}
    return df.sort_values(
        ["status", "indicator_id", "target_period"], key=lambda s: s.map(order) if s.name == "status" else s
    ).reset_index(drop=True)


SUCCESSION_COLUMNS = [
    "indicator_id",
    "plan",
    "target_period",
    "target_value",
    "target_qualifier",
    "change_from_previous",
    "source_id",
    "obs_id",
]


def plan_succession(fb: FactBase, region_id: str) -> pd.DataFrame:
    """Adopted targets with a deadline for the same indicator set by successive plans, and how each moved."""
    obs = targets(fb, region_id)
    obs = obs[has_period(obs)]
    multi = obs.groupby("indicator_id").plan.nunique()
    obs = obs[obs.indicator_id.isin(multi[multi > 1].index)].copy()
    if obs.empty:
        return pd.DataFrame(columns=SUCCESSION_COLUMNS)
    obs["_t"] = obs.period.map(period_time)
    obs = obs.sort_values(["indicator_id", "_t", "plan"])
    obs["change_from_previous"] = obs.groupby("indicator_id").value.diff()
    renamed = {"period": "target_period", "value": "target_value", "qualifier": "target_qualifier"}
    return obs.rename(columns=renamed)[SUCCESSION_COLUMNS].reset_index(drop=True)
