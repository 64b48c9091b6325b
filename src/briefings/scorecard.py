"""Page one's scorecard and the words for a target's status, rendered from the derived assessments.

The scorecard lists every adopted target the sources let us assess (a deadline and at least one result for
the same indicator): the latest result against the target, the pace required a year from the briefing's
as-of date, the pace the plans imply between successive targets of the same indicator, and the status in
words that name the row's own numbers. Page one's findings come before it (``statements``).
"""

from __future__ import annotations

import math

import pandas as pd

from . import progress
from .document import Table, run
from .periods import is_filled, period_end_year, period_time
from .report import Context, _join, status_in_sentence, table


def scorecard(ctx: Context) -> pd.DataFrame:
    """One row per assessable adopted target, grouped by indicator (latest deadline first)."""
    a = ctx.assessed
    a = a[~a.status.isin(progress.NOT_ASSESSED)].copy()
    a["_t"] = a.target_period.map(period_time)
    a["_last"] = a.groupby("indicator_id")._t.transform("max")
    a = a.sort_values(["_last", "indicator_id", "_t"], ascending=[False, True, True])
    return a.drop(columns=["_t", "_last"]).reset_index(drop=True)


# --- Words -------------------------------------------------------------------------------------------


def when(ctx: Context, period: str, inferred: bool) -> str:
    return ctx.period(period) + ("*" if inferred else "")


def goal_text(ctx: Context, value: float, indicator_id: str, qualifier: str, period: str, inferred: bool) -> str:
    """A target as a reader writes it: '500 by 2027*', or '4 (no deadline stated)'."""
    key = "scorecard.target" if is_filled(period) else "scorecard.target_open"
    return ctx.tr(key, value=ctx.value(value, indicator_id, qualifier), period=when(ctx, period, inferred))


def time_left(ctx: Context, years: float) -> str:
    """Time to a deadline as a reader says it: 'about 5 months' below a year, else '2.6 years'."""
    if years < 1:
        return ctx.tr("time.months", n=max(1, round(years * 12)))
    return ctx.tr("time.years", n=round(years, 1))


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
    """The pace required from the latest result to the target, over the years left from the as-of date."""
    rate = math.nan if r.is_linear else r.required_rate
    return step_pace(ctx, r.required_step, rate, r.indicator_id, r.is_linear, short)


def implied_pace(ctx: Context, r, short: bool = False) -> str:
    """The pace the plans imply from the previous target of the same indicator to this one."""
    prev = r.previous_target_obs_id
    if not is_filled(prev):
        return "–"
    rate = math.nan if r.is_linear else r.implied_rate
    return ctx.tr(
        "scorecard.between",
        pace=step_pace(ctx, r.implied_step, rate, r.indicator_id, r.is_linear, short),
        start=period_end_year(ctx.fb.observations.period[prev]),
        end=period_end_year(r.target_period),
    )


def latest_text(ctx: Context, r) -> str:
    return ctx.value(r.latest_value, r.indicator_id, r.latest_qualifier)


def target_text(ctx: Context, r) -> str:
    return goal_text(ctx, r.target_value, r.indicator_id, r.target_qualifier, r.target_period, r.target_inferred)


def status_words(ctx: Context, r) -> str:
    """The status of one target in words that name its own numbers: '426 (2024*) against 500 by 2027:
    needs +25 a year; one result, so no trend'; 'met by 2023; the sources give no result for 2021'."""
    latest = latest_text(ctx, r) if not pd.isna(r.latest_value) else ""
    return ctx.tr(
        f"scorecard.words.{r.status}",
        met=ctx.value(r.met_value, r.indicator_id, r.met_qualifier) if is_filled(r.met_period) else "",
        met_period=ctx.period(r.met_period) if is_filled(r.met_period) else "",
        deadline=ctx.period(r.target_period),
        latest=latest,
        latest_period=when(ctx, r.latest_period, r.latest_inferred) if latest else "",
        target=target_text(ctx, r),
        left=time_left(ctx, r.years_left) if r.years_left > 0 else "",
        required=required_pace(ctx, r),
        ratio="" if math.isnan(r.pace_ratio) else f"{r.pace_ratio * 100:.0f}",
    )


def status_sentence(ctx: Context, a: pd.DataFrame) -> str:
    """'Status of the 28 adopted targets: 2 met since the deadline, 5 insufficient data and 21 …'."""
    counts = a.status.value_counts()
    parts = [
        ctx.tr("findings.status_part", n=counts[s], status=status_in_sentence(ctx, s))
        for s in progress.STATUSES
        if s in counts
    ]
    return ctx.tr("findings.status", n=len(a), parts=_join(ctx, parts))


# --- Page one ----------------------------------------------------------------------------------------


def scorecard_table(ctx: Context) -> Table | None:
    """The scorecard as a captioned table with its note (``None`` when no target can be assessed)."""
    card = scorecard(ctx)
    if card.empty:
        return None
    rows = [
        [
            ctx.indicator(r.indicator_id),
            ctx.tr("scorecard.latest", value=latest_text(ctx, r), period=when(ctx, r.latest_period, r.latest_inferred)),
            run("num", target_text(ctx, r)),
            required_pace(ctx, r, short=True) if r.years_left > 0 else "–",
            implied_pace(ctx, r, short=True),
            run("words", r.status, status_words(ctx, r)),
            ctx.source_link(r.source_id),
        ]
        for r in card.itertuples()
    ]
    keys = ["indicator", "latest", "target", "required_year", "plans_pace", "status", "source"]
    notes = [ctx.tr("scorecard.pace_note", as_of=ctx.period(ctx.as_of[:7]))]
    if card.latest_inferred.any() or card.target_inferred.any():
        notes.append(ctx.tr("curated.inferred_note"))
    return table(
        ctx,
        ctx.tr("scorecard.caption", region=ctx.name, n=len(card), total=len(ctx.assessed)),
        [ctx.tr(f"col.{c}") for c in keys],
        rows,
        css="scorecard",
        classes=keys,
        roles=["text", "number", "number", "number", "number", "quote", "citation"],  # the status is a phrase
        note=" ".join(notes),
    )
