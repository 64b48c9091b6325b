"""The chosen region beside its peers, like for like.

Comparability rule: two numbers share an axis only when they measure the same indicator (same
definition and unit), have the same role (both results or both adopted targets) and cover the same period
(the same year, the same months of the same year, or the same target year). Recommendations,
instruments, structure counts and rankings, and targets with no deadline stated, are never compared. Numbers of the same
indicator over different periods, and numbers of related indicators (same theme and unit, different
definitions), stand side by side with the difference stated, never on one axis.
"""

from __future__ import annotations

import math

import pandas as pd

from .data import FactBase, has_period
from .i18n import format_period, locale, t
from .numbers import format_value

CLUSTER_GROUP = "cluster_counts"
COMPARED_ROLES = ("result", "target")


def comparable_obs(fb: FactBase) -> pd.DataFrame:
    """Observations that may be compared across regions: results and adopted targets with a period, not the world."""
    obs = fb.observations
    return obs[(obs.region_id != "world") & obs.role.isin(COMPARED_ROLES) & has_period(obs)]


def comparable_pairs(fb: FactBase, region_id: str) -> pd.DataFrame:
    """Pairs (chosen region, peer) of numbers that may share an axis under the comparability rule."""
    obs = comparable_obs(fb)
    own = obs[obs.region_id == region_id]
    peers = obs[obs.region_id != region_id]
    pairs = own.merge(peers, on=["indicator_id", "role", "period"], suffixes=("", "_peer"))
    return pairs[
        [
            "indicator_id",
            "role",
            "period",
            "region_id",
            "value",
            "qualifier",
            "obs_id",
            "source_id",
            "region_id_peer",
            "value_peer",
            "qualifier_peer",
            "obs_id_peer",
            "source_id_peer",
        ]
    ]


def differing_periods(fb: FactBase, region_id: str) -> pd.DataFrame:
    """Same indicator and role, different periods: shown side by side with the difference stated."""
    obs = comparable_obs(fb)
    own = obs[obs.region_id == region_id]
    peers = obs[obs.region_id != region_id]
    pairs = own.merge(peers, on=["indicator_id", "role"], suffixes=("", "_peer"))
    pairs = pairs[pairs.period != pairs.period_peer]
    return pairs[
        [
            "indicator_id",
            "role",
            "region_id",
            "period",
            "value",
            "qualifier",
            "obs_id",
            "region_id_peer",
            "period_peer",
            "value_peer",
            "qualifier_peer",
            "obs_id_peer",
        ]
    ]


def related_indicators(fb: FactBase, region_id: str) -> pd.DataFrame:
    """Different indicators of one comparison group held by the region and a peer (not comparable)."""
    obs = comparable_obs(fb).join(fb.indicators[["comparison_group", "unit"]], on="indicator_id")
    obs = obs[obs.comparison_group.notna()]
    own = obs[obs.region_id == region_id]
    peers = obs[(obs.region_id != region_id) & ~obs.indicator_id.isin(own.indicator_id)]
    pairs = own.merge(peers, on=["comparison_group", "role"], suffixes=("", "_peer"))
    return pairs[
        [
            "comparison_group",
            "role",
            "region_id",
            "indicator_id",
            "period",
            "value",
            "obs_id",
            "region_id_peer",
            "indicator_id_peer",
            "period_peer",
            "value_peer",
            "obs_id_peer",
        ]
    ]


def ratio_phrase(a: float, b: float, lang: str = "") -> str:
    """How ``a`` stands to ``b`` in words: 'about twice', 'about 3.1 times', '12% more than'…"""
    if b == 0 or math.isnan(a) or math.isnan(b):
        return t("cmp.ratio.undefined", lang)
    r = a / b
    if 0.95 <= r <= 1.05:
        return t("cmp.ratio.same", lang)
    if r >= 1.5:
        if abs(r - 2) <= 0.1:
            return t("cmp.ratio.twice", lang)
        if abs(r - 3) <= 0.15:
            return t("cmp.ratio.thrice", lang)
        return t("cmp.ratio.times", lang, r=f"{r:.1f}")
    if r > 1:
        return t("cmp.ratio.more", lang, pct=f"{(r - 1) * 100:.0f}")
    if r <= 0.55 and abs(1 / r - 2) <= 0.1:
        return t("cmp.ratio.half", lang)
    return t("cmp.ratio.less", lang, pct=f"{(1 - r) * 100:.0f}")


def peer_sentences(fb: FactBase, region_id: str, lang: str = "") -> list[str]:
    """Sentences of peer context for every comparable pair, with the arithmetic spelled out."""
    out = []
    for p in comparable_pairs(fb, region_id).itertuples():
        ind = fb.indicators.loc[p.indicator_id]
        loc = locale(lang)
        name = ind[loc.column("name", ind.index)]
        me, peer = (loc.pick(fb.regions, p.region_id), loc.pick(fb.regions, p.region_id_peer))
        fmt = lambda v, q, unit=ind.unit: (t(f"qual.{q}", lang) if q != "=" else "") + format_value(v, unit, lang)  # noqa: E731
        period = format_period(p.period, lang)
        if ind.unit in ("%", "pp"):
            diff = p.value_peer - p.value
            key = "cmp.sentence.pct_same" if abs(diff) < 1e-9 else "cmp.sentence.pct"
            out.append(
                t(
                    key,
                    lang,
                    peer=peer,
                    region=me,
                    indicator=name,
                    role=t(f"role.{p.role}", lang),
                    period=period,
                    value_peer=fmt(p.value_peer, p.qualifier_peer),
                    value=fmt(p.value, p.qualifier),
                    diff=format_value(abs(diff), "pp", lang),
                    direction=t("cmp.higher" if diff > 0 else "cmp.lower", lang),
                )
            )
        else:
            out.append(
                t(
                    "cmp.sentence.level",
                    lang,
                    verb=t(f"cmp.verb.{p.role}", lang),
                    peer=peer,
                    region=me,
                    indicator=name,
                    role=t(f"role.{p.role}", lang),
                    period=period,
                    value_peer=fmt(p.value_peer, p.qualifier_peer),
                    value=fmt(p.value, p.qualifier),
                    ratio=ratio_phrase(p.value_peer, p.value, lang),
                )
            )
    return out


def theme_matrix(fb: FactBase) -> pd.DataFrame:
    """Region × theme counts of policy measures and quantified facts (rows: regions with any)."""
    meas = fb.measures.groupby(["region_id", "theme"]).size()
    obs = fb.observations.join(fb.indicators.theme, on="indicator_id").groupby(["region_id", "theme"]).size()
    both = meas.add(obs, fill_value=0).unstack(fill_value=0).astype(int)
    both = both.drop(index=[r for r in ("world",) if r in both.index])
    themes = [th for th in fb.themes.index if th in both.columns]
    regions = [r for r in fb.regions.index if r in both.index]
    return both.loc[regions, themes]


def cluster_targets(fb: FactBase) -> pd.DataFrame:
    """Every cluster-building number (adopted targets and results) across regions, side by side."""
    inds = fb.indicators.index[fb.indicators.comparison_group == CLUSTER_GROUP]
    obs = fb.observations[fb.observations.indicator_id.isin(inds) & fb.observations.role.isin(COMPARED_ROLES)]
    return obs.sort_values(["region_id", "indicator_id", "period"])[
        ["region_id", "indicator_id", "role", "period", "value", "qualifier", "source_id", "obs_id"]
    ].reset_index(drop=True)


def growth_panels(fb: FactBase) -> pd.DataFrame:
    """Reported growth rates (indicators ending ``_growth_pct``) by indicator and period, for small multiples."""
    obs = comparable_obs(fb)
    g = obs[obs.indicator_id.str.endswith("_growth_pct") & (obs.role == "result")]
    return g.sort_values(["indicator_id", "period", "region_id"])[
        ["indicator_id", "period", "region_id", "value", "qualifier", "source_id", "obs_id"]
    ].reset_index(drop=True)
