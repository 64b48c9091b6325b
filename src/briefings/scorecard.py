"""Page one: where a region stands against its adopted targets, and the key messages.

The scorecard lists every adopted target the sources let us assess (a deadline and at least one result
for the same indicator): the latest result and its date, the target and its deadline, the share reached,
the pace required a year, the pace the plans imply between successive targets of the same indicator,
and the status in words.

Key messages are chosen by a written rule (the method section states it, ``method.messages``), in this
order, at most five:

1. the indicator whose targets moved across the most successive plans: the targets, the latest result
   and the yearly pace the plans imply between the last two targets;
2. up to two other indicators with a target still open: the latest deadline first (the region's current
   ambition), then the one furthest from its target; where no target can be assessed, the adopted
   targets that have no result to measure them against;
3. money and instruments: the largest sum the sources state;
4. the first sound peer comparison (same indicator, role and period), or else the most informative
   pair that must not share an axis, with the reason;
5. what the sources cannot tell (always given, last): targets not assessed, inferred periods.

A region without adopted targets gets what its sources contain instead: the counts of its numbers and
measures, and its policy themes.
"""

from __future__ import annotations

import math

import pandas as pd

from . import compare, progress
from .data import has_period, period_end_year
from .report import Context, _join, counts_sentence, status_in_sentence, table
from .templating import Markup, inline

MAX_MESSAGES = 5
OPEN_TARGET_MESSAGES = 2


# --- Arithmetic --------------------------------------------------------------------------------------


def successive_paces(fb, region_id: str) -> pd.DataFrame:
    """For each adopted target with a deadline, the previous target of the same indicator (an earlier
    deadline) and the yearly pace implied between the two: ``step`` in units a year and ``rate``
    compound (fraction a year, for levels)."""
    obs = progress.targets(fb, region_id)
    obs = obs[has_period(obs)].copy()
    cols = ["target_obs_id", "previous_value", "previous_period", "implied_step", "implied_rate"]
    if obs.empty:
        return pd.DataFrame(columns=cols)
    obs["_t"] = obs.period.map(progress.period_time)
    rows = []
    for _, g in obs.sort_values(["indicator_id", "_t", "obs_id"]).groupby("indicator_id"):
        prev = None
        for _, r in g.iterrows():
            if prev is not None and r._t > prev._t:
                years = r._t - prev._t
                step = (r.value - prev.value) / years
                rate = progress.annual_rate(prev.value, r.value, years, False) if prev.value > 0 < r.value else math.nan
                rows.append([r.obs_id, prev.value, prev.period, step, rate])
            if prev is None or r._t > prev._t:
                prev = r
    return pd.DataFrame(rows, columns=cols)


def scorecard(fb, region_id: str, as_of: str | None = None) -> pd.DataFrame:
    """One row per assessable adopted target, grouped by indicator (latest deadline first), with the
    pace the plans imply from the previous target of the same indicator."""
    a = progress.assess_region(fb, region_id, as_of)
    a = a[~a.status.isin(progress.NOT_ASSESSED)]
    a = a.merge(successive_paces(fb, region_id), on="target_obs_id", how="left")
    obs = fb.observations
    a["latest_qualifier"] = a.latest_obs_id.map(obs.qualifier)
    a["latest_inferred"] = a.latest_obs_id.map(obs.is_period_inferred).fillna(False).astype(bool)
    a["target_inferred"] = a.target_obs_id.map(obs.is_period_inferred).fillna(False).astype(bool)
    a["_t"] = a.target_period.map(progress.period_time)
    a["_last"] = a.groupby("indicator_id")._t.transform("max")
    a = a.sort_values(["_last", "indicator_id", "_t"], ascending=[False, True, True])
    return a.drop(columns=["_t", "_last"]).reset_index(drop=True)


# --- Words -------------------------------------------------------------------------------------------


def _when(ctx: Context, period: str, inferred: bool) -> str:
    return ctx.period(period) + ("*" if inferred else "")


def goal_text(ctx: Context, value: float, indicator_id: str, qualifier: str, period: str, inferred: bool) -> str:
    """A target as a reader writes it: '500 by 2027*', or '4 (no deadline stated)'."""
    key = "scorecard.target" if isinstance(period, str) and period else "scorecard.target_open"
    return ctx.tr(key, value=ctx.value(value, indicator_id, qualifier), period=_when(ctx, period, inferred))


def step_pace(ctx: Context, step: float, rate: float, indicator_id: str, linear: bool, short: bool = False) -> str:
    """A yearly pace as a reader writes it: '+150 a year (58.1% compound)', or '+1.5 pp a year';
    ``short`` for a table whose header says 'a year': '+150 (58.1%)'."""
    if step is None or (isinstance(step, float) and math.isnan(step)):
        return "–"
    sign = "+" if step > 0 else ""
    text = sign + ctx.value(step, indicator_id)
    if linear or rate is None or math.isnan(rate):
        return text if short else ctx.tr("scorecard.step", step=text)
    key = "scorecard.step_short" if short else "scorecard.step_compound"
    return ctx.tr(key, step=text, rate=f"{rate * 100:.1f}")


def required_pace(ctx: Context, r, short: bool = False) -> str:
    """The pace required from the latest result to the target, in units and (for levels) compound."""
    if math.isnan(r.required_rate):
        return "–"
    years = progress.period_time(r.target_period) - progress.period_time(r.latest_period)
    step = (r.target_value - r.latest_value) / years
    rate = math.nan if r.is_linear else r.required_rate
    return step_pace(ctx, step, rate, r.indicator_id, r.is_linear, short)


def implied_pace(ctx: Context, r, short: bool = False) -> str:
    """The pace the plans imply from the previous target of the same indicator to this one."""
    if pd.isna(r.previous_period):
        return "–"
    rate = math.nan if r.is_linear else r.implied_rate
    return ctx.tr(
        "scorecard.between",
        pace=step_pace(ctx, r.implied_step, rate, r.indicator_id, r.is_linear, short),
        start=period_end_year(r.previous_period),
        end=period_end_year(r.target_period),
    )


def status_words(ctx: Context, r) -> str:
    """The status of one target in words: 'met by 2023 (deadline 2021)', 'one result only: no trend'."""
    ratio = "" if math.isnan(r.pace_ratio) else f"{r.pace_ratio * 100:.0f}"
    return ctx.tr(
        f"scorecard.words.{r.status}",
        met_period=ctx.period(r.met_period) if r.met_period else "",
        deadline=ctx.period(r.target_period),
        latest=latest_text(ctx, r),
        latest_period=ctx.period(r.latest_period),
        years=round(max(r.years_left, 0), 1),
        ratio=ratio,
    )


def latest_text(ctx: Context, r) -> str:
    return ctx.value(r.latest_value, r.indicator_id, r.latest_qualifier)


def target_text(ctx: Context, r) -> str:
    return goal_text(ctx, r.target_value, r.indicator_id, r.target_qualifier, r.target_period, r.target_inferred)


# --- Key messages ------------------------------------------------------------------------------------


def _succession_message(ctx: Context, card: pd.DataFrame) -> tuple[str, str] | None:
    """Rule 1: the indicator whose targets moved across the most plans, with the pace they imply."""
    s = progress.plan_succession(ctx.fb, ctx.region_id)
    s = s[s.indicator_id.isin(card.indicator_id)]
    if s.empty:
        return None
    n_plans = s.groupby("indicator_id").plan.nunique()
    ind = n_plans.sort_values(ascending=False, kind="stable").index[0]
    rows = card[card.indicator_id == ind]
    last = rows.iloc[-1]
    obs = ctx.fb.observations
    targets = [
        goal_text(
            ctx, t.target_value, ind, t.target_qualifier, t.target_period, bool(obs.loc[t.obs_id, "is_period_inferred"])
        )
        for t in s[s.indicator_id == ind].itertuples()
    ]
    text = ctx.tr(
        "scorecard.msg.succession",
        indicator=ctx.indicator(ind),
        n=int(n_plans[ind]),
        targets=_join(ctx, targets),
        latest=latest_text(ctx, last),
        latest_period=_when(ctx, last.latest_period, last.latest_inferred),
        pace=step_pace(ctx, last.implied_step, last.implied_rate, ind, last.is_linear),
        start=period_end_year(last.previous_period),
        end=period_end_year(last.target_period),
    )
    return text, ind


def _open_target_messages(ctx: Context, card: pd.DataFrame, skip: set[str]) -> list[str]:
    """Rule 2: indicators with a target still open, latest deadline first, then furthest from target."""
    open_ = card[~card.is_target_year_passed & ~card.indicator_id.isin(skip)].copy()
    if open_.empty:
        return []
    open_["_t"] = open_.target_period.map(progress.period_time)
    open_ = open_.sort_values(["_t", "share_of_target_pct"], ascending=[False, True])
    out = []
    for r in open_.drop_duplicates("indicator_id").head(OPEN_TARGET_MESSAGES).itertuples():
        out.append(
            ctx.tr(
                "scorecard.msg.open",
                indicator=ctx.indicator(r.indicator_id),
                latest=latest_text(ctx, r),
                latest_period=_when(ctx, r.latest_period, r.latest_inferred),
                target=target_text(ctx, r),
                share=f"{r.share_of_target_pct:.0f}",
                required=required_pace(ctx, r),
                status=status_words(ctx, r),
            )
        )
    return out


def _unassessed_targets_message(ctx: Context) -> str | None:
    """Rule 2, where no target can be assessed: the adopted targets with the latest deadlines."""
    t = progress.targets(ctx.fb, ctx.region_id)
    if t.empty:
        return None
    t = t.assign(_t=t.period.map(lambda p: progress.period_time(p) if isinstance(p, str) and p else 0.0))
    picks = t.sort_values(["_t", "obs_id"], ascending=[False, True]).head(3)
    items = [
        ctx.tr(
            "scorecard.named_target",
            indicator=ctx.indicator(r.indicator_id),
            target=goal_text(ctx, r.value, r.indicator_id, r.qualifier, r.period, bool(r.is_period_inferred)),
        )
        for r in picks.itertuples()
    ]
    return ctx.tr("scorecard.msg.unassessed_targets", region=ctx.name, n=len(t), targets=_join(ctx, items))


def _money_message(ctx: Context) -> str | None:
    """Rule 3: the largest sum of money the sources state for the region."""
    inst = ctx.obs[ctx.obs.role == "instrument"]
    if inst.empty:
        return None
    money = inst[inst.indicator_id.map(ctx.fb.indicators.unit) == "yuan"]
    pick = (money if not money.empty else inst).sort_values(["value", "obs_id"], ascending=[False, True]).iloc[0]
    return ctx.tr(
        "scorecard.msg.money",
        region=ctx.name,
        n=len(inst),
        indicator=ctx.indicator(pick.indicator_id),
        value=ctx.value(pick.value, pick.indicator_id, pick.qualifier),
        period=_when(ctx, pick.period, bool(pick.is_period_inferred)),
    )


def _peer_message(ctx: Context) -> list[str]:
    """Rule 4: the first comparable peer number, the region as subject; else the most informative pair that
    must not share an axis, with the reason."""
    peers = compare.peer_sentences(ctx.fb, ctx.region_id, ctx.lang, own_first=True)[:1]
    if peers:
        return peers
    pairs = compare.side_by_side_pairs(ctx.fb, ctx.region_id)
    if pairs.empty:
        return []
    p = pairs.iloc[0]
    return [
        ctx.tr(
            "scorecard.msg.side_by_side",
            region=ctx.name,
            indicator=ctx.indicator(p.indicator_id),
            value=ctx.value(p.value, p.indicator_id, p.qualifier),
            period=ctx.when(p.period, p.obs_id),
            peer=ctx.region_name(p.region_id_peer),
            peer_indicator=ctx.indicator(p.indicator_id_peer),
            peer_value=ctx.value(p.value_peer, p.indicator_id_peer, p.qualifier_peer),
            peer_period=ctx.when(p.period_peer, p.obs_id_peer),
            reason=ctx.tr(
                f"cmp.reason.{p.reason}",
                a=ctx.period(p.period),
                b=ctx.period(p.period_peer),
                region=ctx.name,
                peer=ctx.region_name(p.region_id_peer),
            ),
        )
    ]


def _caveat_message(ctx: Context, a: pd.DataFrame) -> str | None:
    """Rule 5: what the sources cannot tell."""
    unassessed = int(a.status.isin(progress.NOT_ASSESSED).sum())
    inferred = int(ctx.obs.is_period_inferred.sum())
    if not unassessed and not inferred:
        return None
    return ctx.tr(
        "scorecard.msg.caveats",
        n=unassessed,
        total=len(a),
        inferred=inferred,
        numbers=len(ctx.obs),
    )


def _contents_messages(ctx: Context, counts: bool = True) -> list[str]:
    """What the sources contain: the counts of numbers and measures, the policy themes, the latest results."""
    obs, meas = ctx.obs, ctx.measures
    out = [counts_sentence(ctx, len(set(obs.source_id) | set(meas.source_id)))] if counts else []
    if not meas.empty:
        themes = meas.theme.value_counts()
        names = [ctx.theme(th) for th in themes.index[:4]]
        key = "findings.qualitative" if obs.empty else "scorecard.msg.themes"
        out.append(ctx.tr(key, region=ctx.name, themes=_join(ctx, names)))
    results = obs[(obs.role == "result") & has_period(obs)]
    if not results.empty:
        latest = results.sort_values(["period", "obs_id"], ascending=[False, True]).head(3)
        items = [
            ctx.tr(
                "scorecard.named_result",
                indicator=ctx.indicator(r.indicator_id),
                value=ctx.value(r.value, r.indicator_id, r.qualifier),
                period=_when(ctx, r.period, bool(r.is_period_inferred)),
            )
            for r in latest.itertuples()
        ]
        out.append(ctx.tr("scorecard.msg.results", region=ctx.name, n=len(results), results=_join(ctx, items)))
    return out


def key_messages(ctx: Context) -> list[str]:
    """Three to five messages, chosen by the rule in this module's docstring (and the method section)."""
    a = progress.assess_region(ctx.fb, ctx.region_id)
    peers = _peer_message(ctx)
    if a.empty:
        return (_contents_messages(ctx) + peers)[:MAX_MESSAGES]
    card = scorecard(ctx.fb, ctx.region_id)
    out: list[str | None] = []
    skip: set[str] = set()
    succession = _succession_message(ctx, card)
    if succession:
        out.append(succession[0])
        skip.add(succession[1])
    out += _open_target_messages(ctx, card, skip)
    if card.empty:  # no target can be assessed: what the targets and the sources are
        out.append(_unassessed_targets_message(ctx))
        out += _contents_messages(ctx, counts=False)[-1:]
    out += [_money_message(ctx), *peers]
    caveat = _caveat_message(ctx, a)
    body = [m for m in out if m][: MAX_MESSAGES - (caveat is not None)]
    return body + ([caveat] if caveat else [])


# --- Page one ----------------------------------------------------------------------------------------


def status_sentence(ctx: Context, a: pd.DataFrame) -> str:
    """'Status of the 28 adopted targets: 2 met after the deadline, 5 insufficient data and 21 …'."""
    counts = a.status.value_counts()
    parts = [
        ctx.tr("findings.status_part", n=counts[s], status=status_in_sentence(ctx, s))
        for s in progress.STATUSES
        if s in counts
    ]
    return ctx.tr("findings.status", n=len(a), parts=_join(ctx, parts))


def sources_note(ctx: Context) -> list[str]:
    """What the sources hold about the region, and the status of all its adopted targets (one count)."""
    obs, meas = ctx.obs, ctx.measures
    out = [counts_sentence(ctx, len(set(obs.source_id) | set(meas.source_id)))]
    a = progress.assess_region(ctx.fb, ctx.region_id)
    if not a.empty:
        out.append(status_sentence(ctx, a))
    return out


def scorecard_table(ctx: Context) -> Markup:
    """The scorecard as a captioned table with its note ('' when no target can be assessed)."""
    card = scorecard(ctx.fb, ctx.region_id)
    if card.empty:
        return Markup("")
    rows = [
        [
            ctx.indicator(r.indicator_id),
            ctx.tr(
                "scorecard.latest", value=latest_text(ctx, r), period=_when(ctx, r.latest_period, r.latest_inferred)
            ),
            inline("num", target_text(ctx, r)),
            "–" if math.isnan(r.share_of_target_pct) else f"{r.share_of_target_pct:.0f}%",
            required_pace(ctx, r, short=True),
            implied_pace(ctx, r, short=True),
            inline("words", r.status, status_words(ctx, r)),
            ctx.source_link(r.source_id),
        ]
        for r in card.itertuples()
    ]
    keys = ["indicator", "latest", "target", "share", "required_year", "plans_pace", "status", "source"]
    total = len(progress.targets(ctx.fb, ctx.region_id))
    notes = [ctx.tr("scorecard.pace_note")]
    if card.latest_inferred.any() or card.target_inferred.any():
        notes.append(ctx.tr("curated.inferred_note"))
    return table(
        ctx,
        ctx.tr("scorecard.caption", region=ctx.name, n=len(card), total=total),
        [ctx.tr(f"col.{c}") for c in keys],
        rows,
        css="scorecard",
        classes=keys,
        note=" ".join(notes),
    )
