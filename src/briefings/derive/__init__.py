"""The derive step: load → validate → **derive** → render.

Assessments of every adopted target, flags on results, findings and each region's dates are computed once
from the validated fact base into tables declared in ``schema_derived`` and validated against them. The
build publishes them in ``reports/data/derived/``; a briefing's kernel derives them once from the fact base
cut to its scope (the same rows for its region: a test proves it) and its sections only render them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import progress
from ..csvtext import DataError
from ..dates import region_as_of
from ..schema import pandera_schema
from ..schema_derived import DERIVED, DERIVED_ORDER
from .assessments import assessments, result_flags
from .findings import findings

NOTE_MAX_MEASURES = 2
"""A region with no number and at most this many measures gets a one-page note."""


@dataclass(frozen=True)
class Derived:
    """The derived tables, one DataFrame each, as declared in ``schema_derived``."""

    region_dates: pd.DataFrame
    assessments: pd.DataFrame
    result_flags: pd.DataFrame
    findings: pd.DataFrame

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def region(self, region_id: str) -> pd.Series | None:
        """The region's row of ``region_dates`` (None for a region without facts)."""
        rows = self.region_dates[self.region_dates.region_id == region_id]
        return rows.iloc[0] if not rows.empty else None


def region_dates(fb, assessed: pd.DataFrame) -> pd.DataFrame:
    """One row per region with facts: its as-of date, counts, what its targets come to, whether a note."""
    rows = []
    for region_id in fb.regions.region_id:
        as_of = region_as_of(fb, region_id)
        if as_of is None:
            continue
        n_obs = int((fb.observations.region_id == region_id).sum())
        n_meas = int((fb.measures.region_id == region_id).sum())
        status = assessed.status[assessed.region_id == region_id]
        groups = {g: int(status.isin(s).sum()) for g, s in progress.STATUS_GROUPS.items()}
        rows.append(
            [
                region_id,
                as_of[0],
                as_of[1],
                n_obs,
                n_meas,
                len(status),
                *groups.values(),
                n_obs == 0 and n_meas <= NOTE_MAX_MEASURES,
            ]
        )
    return pd.DataFrame(rows, columns=[c.name for c in DERIVED["region_dates"].columns])


def derive(fb, regions: list[str] | None = None) -> Derived:
    """Every derived table from a validated fact base; findings for ``regions`` (default: every region
    with facts). Raises ``DataError`` when a table breaks its declared schema."""
    assessed = assessments(fb)
    flags = result_flags(fb)
    dates = region_dates(fb, assessed)
    wanted = list(dates.region_id) if regions is None else regions
    out = Derived(dates, assessed, flags, findings(fb, assessed, flags, wanted))
    validate(out)
    return out


def derive_region(fb, region_id: str) -> Derived:
    """``derive(fb, [region_id])`` for a briefing's cut of the fact base (``data.scope``), kept in
    ``build/cache/`` under the cut's ``cache_key``: the two editions of a region derive once. A fact base
    without a key (not the project's) is derived every time."""
    import pickle

    from .. import paths

    if not fb.cache_key:
        return derive(fb, [region_id])
    cache = paths.BUILD_DIR / "cache" / f"scope-derived-{fb.cache_key}.pkl"
    try:
        kept = pickle.loads(cache.read_bytes())
        if isinstance(kept, Derived):
            return kept
    except Exception:  # noqa: BLE001 - absent or damaged: derived again
        pass
    out = derive(fb, [region_id])
    try:
        paths.atomic_write(cache, pickle.dumps(out))
    except OSError:
        pass  # a cache only
    return out


def validate(derived: Derived) -> None:
    """Check every derived table against its declaration; one line per problem."""
    import pandera.pandas as pa

    problems = []
    for name in DERIVED_ORDER:
        df = derived.table(name)
        try:
            pandera_schema(DERIVED[name]).validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            for case in exc.failure_cases.itertuples():
                problems.append(
                    f"derived table {name}, column {case.column}: fails {case.check} "
                    f"(value {case.failure_case!r}): a bug of the derive step, not of data/"
                )
    if problems:
        raise DataError(problems)


def assessed_rows(fb, assessed: pd.DataFrame, region_id: str) -> pd.DataFrame:
    """The region's assessments with the rows they name joined on, for rendering: the target's value,
    qualifier, period, plan, source and quote; the baseline's, latest result's and meeting result's value and
    period. Ordered by status (the order of ``progress.STATUSES``), indicator and deadline."""
    a = assessed[assessed.region_id == region_id].copy()
    obs = fb.observations
    t = obs.loc[a.target_obs_id]
    for col in ("value", "qualifier", "period", "is_period_inferred"):
        a[f"target_{col}"] = t[col].values
    for col in ("plan", "source_id", "quote"):
        a[col] = t[col].values
    a["unit"] = a.indicator_id.map(fb.indicators.unit)
    for prefix in ("baseline", "latest", "met"):
        ids = a[f"{prefix}_obs_id"]
        has = ids.map(lambda x: isinstance(x, str) and x != "")
        for col in ("value", "qualifier", "period", "is_period_inferred"):
            a[f"{prefix}_{col}"] = [obs.at[i, col] if h else None for i, h in zip(ids, has, strict=True)]
    a["latest_inferred"] = a.latest_is_period_inferred.fillna(False).astype(bool)
    a["target_inferred"] = a.target_is_period_inferred.fillna(False).astype(bool)
    a["latest_value"] = a.latest_value.astype(float)
    a["baseline_value"] = a.baseline_value.astype(float)
    a["gap_remaining"] = a.target_value - a.latest_value
    a["share_of_target_pct"] = a.latest_value / a.target_value.where(a.target_value != 0) * 100
    a["met_period"] = a.met_period.fillna("")
    order = {s: i for i, s in enumerate(progress.STATUSES)}
    return a.sort_values(
        ["status", "indicator_id", "target_period"],
        key=lambda s: s.map(order) if s.name == "status" else s.fillna(""),
    ).reset_index(drop=True)
