"""Findings: the statements a reader would put in a summary, each resting on named observations, and the
salience rule that orders them (the method section states it; ``method.salience`` in the catalogues).

The rule, over data attributes only (an indicator's ``tier``, ``relation`` and ``relates_to``; a result's
role, period and value; a target's assessment):

* salience = the weight of the finding's kind (``KIND_WEIGHT``) + the weight of its main indicator's tier
  (``TIER_WEIGHT``: headline 3, sector 2, detail 1) + 1 where the finding is stronger of its kind (a target
  with a result to measure it against; a benchmark outside the region — the national rate, the world
  average; a first place), − 2 for a target with no deadline stated (a goal with no date ranks below results);
* findings are ranked by salience, ties in the order of ``FINDING_KINDS`` and then of the records;
* page one takes them in that order, at most one per indicator, none whose records it already shows, at
  most ``MAX_PER_THEME`` per theme and ``MAX_PER_KIND`` per kind, up to ``PAGE_ONE_MAX``; if fewer than
  ``PAGE_ONE_MIN`` pass, the next ones are added regardless of theme and kind (the region's policy
  measures among them: they come to page one only then).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .. import compare, progress
from ..periods import date_time, is_filled, period_sort_key, period_time
from ..schema_derived import FINDING_KINDS

KIND_WEIGHT = {
    "old_sources": 10,
    "plan_step": 5,
    "no_figures": 8,
    "target": 4,
    "benchmark": 4,
    "ranking": 4,
    "fastest": 4,
    "deadline_passed": 4,
    "streak": 3,
    "contradiction": 3,
    "money": 3,
    "peer": 3,
    "result": 2,
    "measures": 1,
}
TIER_WEIGHT = {"headline": 3, "sector": 2, "detail": 1}
UNTIERED = ("no_figures", "measures")
"""Kinds about the region as a whole: their salience is the kind's weight alone."""
BENCHMARKS = ("change_previous", "gap_national", "gap_indicator", "ratio_world", "contribution")
OUTSIDE = ("gap_national", "ratio_world")
SECONDARY = (*BENCHMARKS, "streak", "rank", "share")
"""Relations whose numbers are said with the number they relate to, never as findings of their own."""
PAGE_ONE_MAX, PAGE_ONE_MIN, MAX_PER_THEME, MAX_PER_KIND = 5, 3, 2, 2
NO_DEADLINE_PENALTY = 2.0
FASTEST_MIN, FASTEST_SHOWN = 3, 3
NAMED = 3
"""How many targets a finding about many targets names."""
COLUMNS = [
    "finding_id",
    "region_id",
    "rank",
    "is_page_one",
    "kind",
    "theme",
    "indicator_id",
    "tier",
    "record_ids",
    "salience",
]


@dataclass
class Finding:
    """One candidate statement: its kind, the records it rests on (main first) and its main indicator."""

    kind: str
    record_ids: list[str]
    indicator_id: str = ""
    bonus: float = 0.0
    tiers: list[str] = field(default_factory=list)


class RegionFacts:
    """One region's rows, as the finding rules read them."""

    def __init__(self, fb, region_id: str, assessed: pd.DataFrame, flags: pd.DataFrame) -> None:
        self.fb, self.region_id = fb, region_id
        self.ind = fb.indicators
        self.obs = fb.observations[fb.observations.region_id == region_id]
        self.results = self.obs[(self.obs.role == "result") & self.obs.period.map(is_filled).astype(bool)]
        self.assessed = assessed[assessed.region_id == region_id]
        self.flags = flags[flags.region_id == region_id]

    def related(self, obs_row, relations: tuple[str, ...]) -> pd.DataFrame:
        """The region's results of the same period that relate to this row's indicator by ``relations``."""
        r = self.results[self.results.period == obs_row.period]
        rel = r.indicator_id.map(self.ind.relation)
        to = r.indicator_id.map(self.ind.relates_to)
        return r[rel.isin(relations) & (to == obs_row.indicator_id)]

    def base_result(self, obs_row) -> list[str]:
        """The result of the indicator this row relates to, in the same period (if the text gives it)."""
        to = self.ind.relates_to.get(obs_row.indicator_id)
        base = self.results[(self.results.indicator_id == to) & (self.results.period == obs_row.period)]
        return list(base.obs_id[:1])

    def root(self, indicator_id: str) -> str:
        """The aggregate an indicator is ultimately a component of (itself if none)."""
        seen = {indicator_id}
        while self.ind.relation.get(indicator_id) == "component":
            indicator_id = self.ind.relates_to[indicator_id]
            if indicator_id in seen:
                break
            seen.add(indicator_id)
        return indicator_id


def _targets(rf: RegionFacts) -> list[Finding]:
    """Each indicator's target with the latest deadline, and where it stands."""
    a = rf.assessed[~rf.assessed.status.isin(("outcome_unknown",))]
    if a.empty:
        return []
    t = rf.obs.loc[a.target_obs_id]
    a = a.assign(_t=t.period.map(period_sort_key).values)
    a = a.assign(_t=a._t.where(a._t != float("inf"), -1.0))
    out = []
    for ind, g in a.sort_values(["_t", "target_obs_id"]).groupby("indicator_id", sort=False):
        r = g.iloc[-1]
        latest = [r.latest_obs_id] if is_filled(r.latest_obs_id) else []
        bonus = 1.0 if latest else -NO_DEADLINE_PENALTY if r.status == "no_deadline" else 0.0
        out.append(Finding("target", [r.target_obs_id, *latest], ind, bonus=bonus))
    return out


def _no_figures(rf: RegionFacts) -> list[Finding]:
    a = rf.assessed[rf.assessed.status == "no_baseline"]
    if len(a) < 2 or 2 * len(a) <= len(rf.assessed):  # most of the region's targets
        return []
    tiers = a.indicator_id.map(rf.ind.tier).map(TIER_WEIGHT)
    ids = list(a.assign(_w=tiers.values).sort_values(["_w", "target_obs_id"], ascending=[False, True]).target_obs_id)
    return [Finding("no_figures", ids[:NAMED])]  # the targets it names; the count is the assessments'


def _plan_steps(rf: RegionFacts) -> list[Finding]:
    s = progress.plan_succession(rf.fb, rf.region_id)
    out = []
    for ind, g in s.groupby("indicator_id", sort=False):
        if g.plan.nunique() < 2:
            continue
        last = rf.assessed[rf.assessed.target_obs_id == g.obs_id.iloc[-1]]
        latest = [x for x in last.latest_obs_id if is_filled(x)]
        out.append(Finding("plan_step", [*g.obs_id, *latest], ind))
    return out


def _benchmarks(rf: RegionFacts) -> list[Finding]:
    out = []
    for r in rf.results.itertuples():
        rel = rf.related(r, BENCHMARKS)
        if rel.empty:
            continue
        outside = rel.indicator_id.map(rf.ind.relation).isin(OUTSIDE).any()
        order = rel.indicator_id.map(rf.ind.relation).map(BENCHMARKS.index)
        ids = list(rel.assign(_o=order.values).sort_values(["_o", "obs_id"]).obs_id)
        out.append(Finding("benchmark", [r.obs_id, *ids], r.indicator_id, bonus=1.0 if outside else 0.0))
    return out


def _rankings(rf: RegionFacts) -> list[Finding]:
    ranks = rf.obs[rf.obs.role == "ranking"]
    out = []
    for (_, value), g in ranks.groupby(["period", "value"], sort=False):
        ids = [i for r in g.itertuples() for i in (r.obs_id, *rf.base_result(r))]
        tiers = list(g.indicator_id.map(rf.ind.tier))
        out.append(Finding("ranking", ids, g.indicator_id.iloc[0], bonus=1.0 if value == 1 else 0.0, tiers=tiers))
    return out


def _fastest(rf: RegionFacts) -> list[Finding]:
    r = rf.results
    kind, tier, rel = (r.indicator_id.map(getattr(rf.ind, c)) for c in ("kind", "tier", "relation"))
    parts = r[(kind == "growth_rate") & (tier == "sector") & (rel == "component")]
    out = []
    for (root, period), g in parts.groupby([parts.indicator_id.map(rf.root), "period"], sort=False):
        if len(g) < FASTEST_MIN:
            continue
        top = g.sort_values(["value", "obs_id"], ascending=[False, True]).head(FASTEST_SHOWN)
        whole = r[(r.indicator_id == root) & (r.period == period)].obs_id[:1]
        out.append(Finding("fastest", [*top.obs_id, *whole], top.indicator_id.iloc[0]))
    return out


def _streaks(rf: RegionFacts) -> list[Finding]:
    s = rf.results[rf.results.indicator_id.map(rf.ind.relation) == "streak"]
    return [Finding("streak", [r.obs_id, *rf.base_result(r)], r.indicator_id) for r in s.itertuples()]


def _deadlines(rf: RegionFacts) -> list[Finding]:
    a = rf.assessed[rf.assessed.status == "outcome_unknown"]
    if a.empty:
        return []
    tiers = list(a.indicator_id.map(rf.ind.tier))
    return [Finding("deadline_passed", list(a.target_obs_id), a.indicator_id.iloc[0], tiers=tiers)]


def _old_sources(rf: RegionFacts) -> list[Finding]:
    """Targets due after the region's latest source but before the fact base's latest date, with no result
    after their deadline: the region's sources are too old to say whether they were met."""
    horizon = rf.fb.latest_facts_date
    a = rf.assessed[rf.assessed.target_obs_id.map(lambda o: is_filled(rf.obs.period.get(o)))]
    if not horizon or a.empty:
        return []
    due = a.target_obs_id.map(lambda o: period_time(rf.obs.period[o]))
    stale = a[(due > a.as_of.map(date_time)) & (due <= date_time(horizon)) & ~a.status.str.startswith("met")]
    if stale.empty:
        return []
    tiers = list(stale.indicator_id.map(rf.ind.tier))
    return [Finding("old_sources", list(stale.target_obs_id), stale.indicator_id.iloc[0], tiers=tiers)]


def _contradictions(rf: RegionFacts) -> list[Finding]:
    return [
        Finding("contradiction", [f.obs_id, f.other_obs_id], rf.obs.indicator_id[f.obs_id])
        for f in rf.flags.itertuples()
    ]


def _money(rf: RegionFacts) -> list[Finding]:
    inst = rf.obs[(rf.obs.role == "instrument") & (rf.obs.indicator_id.map(rf.ind.unit) == "yuan")]
    if inst.empty:
        return []
    pick = inst.sort_values(["value", "obs_id"], ascending=[False, True]).iloc[0]
    return [Finding("money", [pick.obs_id], pick.indicator_id)]


def _peers(rf: RegionFacts) -> list[Finding]:
    pairs = compare.comparable_pairs(rf.fb, rf.region_id)
    if pairs.empty:
        return []
    pairs = pairs.assign(_w=pairs.indicator_id.map(rf.ind.tier).map(TIER_WEIGHT))
    p = pairs.sort_values(["_w", "obs_id", "obs_id_peer"], ascending=[False, True, True]).iloc[0]
    return [Finding("peer", [p.obs_id, p.obs_id_peer], p.indicator_id)]


def _results(rf: RegionFacts) -> list[Finding]:
    ind = rf.results.indicator_id
    said_of_another = ind.map(rf.ind.relation).isin(SECONDARY)  # a change, gap, rank… is said with its base
    r = rf.results[(ind.map(rf.ind.tier) == "headline") & ~said_of_another]
    r = r.assign(_t=r.period.map(period_time)).sort_values(["_t", "obs_id"])
    return [Finding("result", [g.obs_id.iloc[-1]], ind) for ind, g in r.groupby("indicator_id", sort=False)]


def _measures(rf: RegionFacts) -> list[Finding]:
    m = rf.fb.measures[rf.fb.measures.region_id == rf.region_id]
    if m.empty:
        return []
    top = m.theme.value_counts(sort=True).index
    ordered = m.assign(_o=m.theme.map(list(top).index)).sort_values(["_o", "measure_id"])
    return [Finding("measures", list(ordered.measure_id[:3]))]


RULES = (
    _old_sources,
    _plan_steps,
    _no_figures,
    _targets,
    _benchmarks,
    _rankings,
    _fastest,
    _deadlines,
    _streaks,
    _contradictions,
    _money,
    _peers,
    _results,
    _measures,
)


def salience(f: Finding, indicators: pd.DataFrame) -> float:
    """Kind weight + tier weight (the best tier among the finding's indicators) + the finding's bonus."""
    if f.kind in UNTIERED:
        return float(KIND_WEIGHT[f.kind])
    tiers = f.tiers or [indicators.tier.get(f.indicator_id, "detail")]
    return KIND_WEIGHT[f.kind] + max(TIER_WEIGHT.get(t, 0) for t in tiers) + f.bonus


def choose(ranked: list[tuple[Finding, str]]) -> list[int]:
    """Positions of ``ranked`` (finding, theme) that page one shows, in order (the rule above). A finding
    whose records page one already shows adds nothing and is passed over; measures come only where fewer
    than ``PAGE_ONE_MIN`` findings on numbers pass."""
    picked: list[int] = []
    used, shown, themes, kinds = set(), set(), Counter(), Counter()

    def fits(f: Finding) -> bool:
        return not (f.indicator_id and f.indicator_id in used) and not set(f.record_ids) <= shown

    def take(i: int, f: Finding, theme: str) -> None:
        picked.append(i)
        used.add(f.indicator_id)
        shown.update(f.record_ids)
        themes[theme] += 1
        kinds[f.kind] += 1

    for i, (f, theme) in enumerate(ranked):
        if len(picked) == PAGE_ONE_MAX:
            break
        if f.kind != "measures" and fits(f) and themes[theme] < MAX_PER_THEME and kinds[f.kind] < MAX_PER_KIND:
            take(i, f, theme)
    for i, (f, theme) in enumerate(ranked):
        if len(picked) >= PAGE_ONE_MIN:
            break
        if i not in picked and fits(f):
            take(i, f, theme)
    return picked


def region_findings(fb, region_id: str, assessed: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Every finding of one region, ranked; the page-one choice marked."""
    rf = RegionFacts(fb, region_id, assessed, flags)
    found = [f for rule in RULES for f in rule(rf)]
    kinds = list(FINDING_KINDS)

    def theme(f: Finding) -> str:
        if f.indicator_id:
            return str(fb.indicators.theme[f.indicator_id])
        m = fb.measures.theme.reindex(f.record_ids).dropna()
        return str(m.iloc[0]) if not m.empty else ""

    scored = sorted(
        ((salience(f, fb.indicators), f) for f in found),
        key=lambda sf: (-sf[0], kinds.index(sf[1].kind), sf[1].record_ids),
    )
    ranked = [(f, theme(f)) for _, f in scored]
    page_one = choose(ranked)
    order = page_one + [i for i in range(len(ranked)) if i not in page_one]
    rows = []
    for rank, i in enumerate(order, start=1):
        f, th = ranked[i]
        rows.append(
            [
                f"{region_id}-{rank:02d}",
                region_id,
                rank,
                i in page_one,
                f.kind,
                th,
                f.indicator_id or None,
                fb.indicators.tier.get(f.indicator_id) if f.indicator_id else None,
                " ".join(f.record_ids),
                scored[i][0],
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def findings(fb, assessed: pd.DataFrame, flags: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """The findings of every region in ``regions``."""
    frames = [region_findings(fb, r, assessed, flags) for r in regions]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
