"""The chosen region beside its peers, like for like.

Peers: a region is compared only with the other members of its peer group (``regions.csv``), which share its
level: never a city with a province, nor a province with the country or economic region containing it. A
region without a peer group is compared with none. Every cross-region table holds the region and at most
``TOP_PEERS`` peers (the largest values first), so no briefing grows with the number of regions.

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
from .i18n import format_period, in_sentence, locale, t
from .numbers import format_number, format_value, measure_word
from .regions import peers as peers_of
from .schema import CLUSTER_THEME, DIFFERENCE_KINDS, LEVEL_RANKS

COMPARED_ROLES = ("result", "target")
PAIR_COLUMNS = [
    "indicator_id",
    "period",
    "value",
    "qualifier",
    "obs_id",
    "region_id_peer",
    "indicator_id_peer",
    "period_peer",
    "value_peer",
    "qualifier_peer",
    "obs_id_peer",
]
"""A number of the region and a peer's number set beside it (related indicators and side-by-side pairs)."""
TOP_PEERS = 6
"""At most this many peers in a cross-region chart or table: the region and the top few of its peer group."""


def peer_ids(fb: FactBase, region_id: str) -> list[str]:
    """The regions ``region_id`` is compared with: its peer group, without itself."""
    return peers_of(fb.regions.astype(object).where(fb.regions.notna(), ""), region_id)


def _grouped(fb: FactBase) -> pd.Index:
    """Regions that belong to a peer group (the others, the world for one, are compared with none)."""
    return fb.regions.index[fb.regions.peer_group.map(lambda g: isinstance(g, str) and g != "")]


def top_peers(
    df: pd.DataFrame, by: list[str], region_id: str, region_col: str = "region_id", value: str = "value"
) -> pd.DataFrame:
    """The rows of the region and, within each ``by`` group, those of at most ``TOP_PEERS`` peers: the
    peers with the largest ``value`` (ties in file order)."""
    others = df[df[region_col] != region_id]
    if others.empty:
        return df
    keys = [*by, region_col]
    best = others.groupby(keys, sort=False)[value].max().reset_index()
    best = best.sort_values(value, ascending=False, kind="stable")
    best = best.groupby(by, sort=False).head(TOP_PEERS) if by else best.head(TOP_PEERS)
    keep = set(map(tuple, best[keys].values.tolist()))
    chosen = pd.Series([tuple(k) in keep for k in df[keys].values.tolist()], index=df.index, dtype=bool)
    return df[(df[region_col] == region_id) | chosen]


def comparable_obs(fb: FactBase, region_id: str | None = None) -> pd.DataFrame:
    """Observations that may be compared across regions: results and adopted targets with a period, of regions
    in a peer group (of ``region_id`` and its peers when given)."""
    obs = fb.observations
    regions = [region_id, *peer_ids(fb, region_id)] if region_id else _grouped(fb)
    return obs[obs.region_id.isin(regions) & obs.role.isin(COMPARED_ROLES) & has_period(obs)]


def comparable_pairs(fb: FactBase, region_id: str) -> pd.DataFrame:
    """Pairs (chosen region, peer) of numbers that may share an axis under the comparability rule."""
    obs = comparable_obs(fb, region_id)
    own = obs[obs.region_id == region_id]
    peers = obs[obs.region_id != region_id]
    pairs = own.merge(peers, on=["indicator_id", "role", "period"], suffixes=("", "_peer"))
    pairs = top_peers(pairs, ["indicator_id", "role", "period"], region_id, "region_id_peer")
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
    obs = comparable_obs(fb, region_id)
    own = obs[obs.region_id == region_id]
    peers = obs[obs.region_id != region_id]
    pairs = own.merge(peers, on=["indicator_id", "role"], suffixes=("", "_peer"))
    pairs = pairs[pairs.period != pairs.period_peer]
    pairs = top_peers(pairs, ["indicator_id", "role"], region_id, "region_id_peer", "value_peer")
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
    obs = comparable_obs(fb, region_id).join(fb.indicators[["comparison_group", "unit"]], on="indicator_id")
    obs = obs[obs.comparison_group.notna()]
    own = obs[obs.region_id == region_id]
    peers = obs[(obs.region_id != region_id) & ~obs.indicator_id.isin(own.indicator_id)]
    pairs = own.merge(peers, on=["comparison_group", "role"], suffixes=("", "_peer"))
    pairs = top_peers(pairs, ["comparison_group", "role"], region_id, "region_id_peer", "value_peer")
    return pairs[["comparison_group", "role", "region_id", *PAIR_COLUMNS]]


def ratio_phrase(a: float, b: float, lang: str = "", region: str = "", value: str = "") -> str:
    """How ``a`` stands to ``b`` (``region``'s ``value``) in words: 'about twice Shanghai's 710',
    '与上海市（超过9800家）大致相当', '12% more than …'."""
    words = dict(region=region, value=value)
    if b == 0 or math.isnan(a) or math.isnan(b):
        return t("cmp.ratio.undefined", lang, **words)
    r = a / b
    if 0.95 <= r <= 1.05:
        return t("cmp.ratio.same", lang, **words)
    if r >= 1.5:
        if abs(r - 2) <= 0.1:
            return t("cmp.ratio.twice", lang, **words)
        if abs(r - 3) <= 0.15:
            return t("cmp.ratio.thrice", lang, **words)
        return t("cmp.ratio.times", lang, r=f"{r:.1f}", **words)
    if r > 1:
        return t("cmp.ratio.more", lang, pct=f"{(r - 1) * 100:.0f}", **words)
    if r <= 0.55 and abs(1 / r - 2) <= 0.1:
        return t("cmp.ratio.half", lang, **words)
    return t("cmp.ratio.less", lang, pct=f"{(1 - r) * 100:.0f}", **words)


def peer_sentences(fb: FactBase, region_id: str, lang: str = "", own_first: bool = False) -> list[str]:
    """Sentences of peer context for every comparable pair, with the arithmetic spelled out; ``own_first``
    makes the region the subject ('Shanghai reports 710 …, about half Zhejiang's 1,432')."""
    out = []
    obs = fb.observations
    inferred = dict(zip(obs.obs_id, obs.is_period_inferred)) if "is_period_inferred" in obs else {}
    for p in comparable_pairs(fb, region_id).itertuples():
        ind = fb.indicators.loc[p.indicator_id]
        loc = locale(lang)
        name = ind[loc.column("name", ind.index)]
        me, peer = (loc.pick(fb.regions, p.region_id), loc.pick(fb.regions, p.region_id_peer))
        if own_first:
            me, peer = peer, me
            p = p._replace(
                value=p.value_peer, value_peer=p.value, qualifier=p.qualifier_peer, qualifier_peer=p.qualifier
            )
        measure = measure_word(fb.indicators, p.indicator_id, lang)
        fmt = lambda v, q, unit=ind.unit, measure=measure: format_number(v, unit, lang, q, measure)  # noqa: E731
        period = format_period(p.period, lang) + ("*" if inferred.get(p.obs_id) or inferred.get(p.obs_id_peer) else "")
        if ind.kind in DIFFERENCE_KINDS:
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
                    indicator_in_sentence=in_sentence(name, lang),
                    role=t(f"role.{p.role}", lang),
                    period=period,
                    value_peer=fmt(p.value_peer, p.qualifier_peer),
                    value=fmt(p.value, p.qualifier),
                    ratio=ratio_phrase(p.value_peer, p.value, lang, me, fmt(p.value, p.qualifier)),
                )
            )
    return out


THEME_ROWS = 12
"""The theme matrix's rows: the peer group's regions with the most items, the same in each of its briefings."""


def theme_matrix(fb: FactBase, region_id: str | None = None) -> pd.DataFrame:
    """Region × theme counts of policy measures and quantified facts (rows: regions in a peer group with any;
    given ``region_id``, the ``THEME_ROWS`` regions of its peer group with the most — the same rows in every
    briefing of the group — and the region itself after them if it is not among them; columns: their themes)."""
    regions = [region_id, *peer_ids(fb, region_id)] if region_id else list(_grouped(fb))
    meas = fb.measures[fb.measures.region_id.isin(regions)].groupby(["region_id", "theme"]).size()
    obs = fb.observations[fb.observations.region_id.isin(regions)]
    obs = obs.join(fb.indicators.theme, on="indicator_id").groupby(["region_id", "theme"]).size()
    both = meas.add(obs, fill_value=0).unstack(fill_value=0).astype(int)
    order = [r for r in fb.regions.index if r in both.index]
    if region_id and not both.empty:
        totals = both.sum(axis=1).loc[order]
        top = list(totals.sort_values(ascending=False, kind="stable").index[:THEME_ROWS])
        order = [r for r in order if r in top] + (
            [region_id] if region_id in both.index and region_id not in top else []
        )
        both = both.loc[order]
        both = both.loc[:, both.sum() > 0]
    themes = [th for th in fb.themes.index if th in both.columns]
    return both.loc[order, themes]


def cluster_targets(fb: FactBase, region_id: str | None = None) -> pd.DataFrame:
    """Cluster-building numbers (adopted targets and results: the counts of the cluster theme's comparison
    groups) of the regions in a peer group, side by side; given ``region_id``, of the region and top peers."""
    ind = fb.indicators
    inds = ind.index[(ind.theme == CLUSTER_THEME) & ind.comparison_group.notna() & (ind.kind == "count")]
    obs = fb.observations
    regions = [region_id, *peer_ids(fb, region_id)] if region_id else _grouped(fb)
    obs = obs[obs.indicator_id.isin(inds) & obs.role.isin(COMPARED_ROLES) & obs.region_id.isin(regions)]
    if region_id:
        obs = top_peers(obs, ["indicator_id"], region_id)
    return obs.sort_values(["region_id", "indicator_id", "period"])[
        ["region_id", "indicator_id", "role", "period", "value", "qualifier", "source_id", "obs_id"]
    ].reset_index(drop=True)


def growth_families(fb: FactBase, region_id: str) -> pd.DataFrame:
    """The region's own growth rates grouped by the aggregate they are parts of (``relation`` = component,
    followed to its root): one family per aggregate and period with at least two parts, the aggregate's own
    rate (``is_whole``) where the text gives it. What grew fastest is read within a family only."""
    ind = fb.indicators
    obs = fb.observations
    r = obs[(obs.region_id == region_id) & (obs.role == "result") & has_period(obs)]
    r = r[r.indicator_id.map(ind.kind) == "growth_rate"]

    def root(i: str) -> str:
        seen = {i}
        while ind.relation.get(i) == "component" and ind.relates_to[i] not in seen:
            i = ind.relates_to[i]
            seen.add(i)
        return i

    r = r.assign(family=r.indicator_id.map(root), is_whole=r.indicator_id.map(ind.relation) != "component")
    r = r[~r.is_whole | r.indicator_id.eq(r.family)]
    parts = r[~r.is_whole].groupby(["family", "period"]).size()
    keep = set(parts[parts >= 2].index)
    r = r[pd.Series([k in keep for k in zip(r.family, r.period)], index=r.index, dtype=bool)]
    cols = ["family", "period", "indicator_id", "value", "qualifier", "source_id", "obs_id", "is_whole"]
    return r.sort_values(["family", "period", "is_whole", "value"], ascending=[True, True, False, False])[
        cols
    ].reset_index(drop=True)


REASONS = ("period", "definition", "stock_flow", "aggregate_contains", "aggregate", "firm")
"""Why two numbers stand side by side and not on one axis, most informative first."""
SIDE_BY_SIDE_SHOWN = 8


def _contains(fb: FactBase, outer: str, inner: str) -> bool:
    """Whether region ``outer`` contains ``inner`` (through ``regions.parent``, where the data has it)."""
    if "parent" not in fb.regions.columns:
        return False
    seen, cur = set(), inner
    while isinstance(cur, str) and cur and cur not in seen and cur in fb.regions.index:
        seen.add(cur)
        cur = fb.regions.loc[cur, "parent"]
        if cur == outer:
            return True
    return False


def pair_reason(fb: FactBase, region_id: str, peer_id: str, indicator_id: str, indicator_peer: str) -> str:
    """The real reason two numbers are not on one axis: an aggregate (containing the region, where the data
    says so), one firm's figure against a region's, a stock against a flow, different definitions, or
    (same indicator) different periods. Returns ``aggregate`` / ``aggregate_contains``, ``firm``,
    ``stock_flow``, ``definition`` or ``period``."""
    if _contains(fb, peer_id, region_id):
        return "aggregate_contains"
    ranks = fb.regions.level.map(LEVEL_RANKS)
    if ranks.get(peer_id, math.inf) < ranks.get(region_id, -math.inf):  # a level above: it adds up several regions
        return "aggregate"
    basis = fb.indicators.basis if "basis" in fb.indicators.columns else pd.Series(dtype=str)
    own, other = basis.get(indicator_id), basis.get(indicator_peer)
    if "firm" in (own, other) and own != other:
        return "firm"
    if {own, other} == {"stock", "flow"}:
        return "stock_flow"
    return "period" if indicator_id == indicator_peer else "definition"


def side_by_side_pairs(fb: FactBase, region_id: str) -> pd.DataFrame:
    """Every pair of the region's numbers with a peer's that look alike but must not share an axis, with
    the reason, most informative first (``rank``: the few to show come first, one per peer and group)."""
    per = differing_periods(fb, region_id).assign(indicator_id_peer=lambda d: d.indicator_id)
    rel = related_indicators(fb, region_id)
    cols = [PAIR_COLUMNS[0], "role", *PAIR_COLUMNS[1:]]
    pairs = pd.concat([per[cols], rel[cols]], ignore_index=True) if len(per) or len(rel) else pd.DataFrame(columns=cols)
    if pairs.empty:
        return pairs.assign(reason=[], shown=[])
    pairs["reason"] = [
        pair_reason(fb, region_id, p.region_id_peer, p.indicator_id, p.indicator_id_peer) for p in pairs.itertuples()
    ]
    order = {r: i for i, r in enumerate(REASONS)}
    groups = fb.indicators.comparison_group
    group = [g if isinstance(g, str) else i for i, g in zip(pairs.indicator_id, pairs.indicator_id.map(groups))]
    pairs = pairs.assign(_o=pairs.reason.map(order), _g=group).sort_values(["_o", "region_id_peer", "indicator_id"])
    # The few shown: one pair per peer, indicator group and reason, taking each reason in turn.
    first = ~pairs.duplicated(["region_id_peer", "_g", "reason"])
    pairs["_k"] = first.groupby(pairs.reason).cumsum().where(first, 10**6)
    pairs = pairs.sort_values(["_k", "_o"], kind="stable")
    pairs["shown"] = first & (first.cumsum() <= SIDE_BY_SIDE_SHOWN)
    return pairs.drop(columns=["_o", "_g", "_k"]).reset_index(drop=True)


def comparison_sources(fb: FactBase, region_id: str) -> set[str]:
    """The sources the comparison part of ``region_id``'s briefing cites: its peer chart, its cluster table and
    its theme heat map (the side-by-side table cites none; the growth chart shows the region's own rows)."""
    from .charts import peer_panels, theme_sources

    used: set[str] = set()
    pairs = comparable_pairs(fb, region_id)
    if peer_sentences(fb, region_id) and not pairs.empty:
        for _, part in peer_panels(fb, pairs, region_id):
            used |= set(part.source_id)
    c = cluster_targets(fb, region_id)
    if not c.empty and region_id in set(c.region_id):
        used |= set(c.source_id)
    used |= set(theme_sources(fb, theme_matrix(fb, region_id)))
    return used
