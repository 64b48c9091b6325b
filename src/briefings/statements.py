"""Findings in words: each kind of finding (``derive.findings``) as a sentence of the edition's language,
built from the rows it rests on, with a citation of each source it draws on.

Every number printed here is a value of ``data/observations.csv`` (or the arithmetic of the derived
assessments); the catalogue holds the words (``finding.*``).
"""

from __future__ import annotations

import pandas as pd

from .document import Rich
from .i18n import catalogue, in_sentence
from .numbers import multiple_words
from .periods import is_filled
from .report import Context, _join
from .scorecard import goal_text, status_words, step_pace, when


def _obs(ctx: Context, ids: list[str]) -> pd.DataFrame:
    return ctx.fb.observations.loc[[i for i in ids if i in ctx.fb.observations.index]]


def _value(ctx: Context, r) -> str:
    return ctx.value(r.value, r.indicator_id, r.qualifier)


def _when(ctx: Context, r) -> str:
    return when(ctx, r.period, bool(r.is_period_inferred))


def _goal(ctx: Context, r) -> str:
    return goal_text(ctx, r.value, r.indicator_id, r.qualifier, r.period, bool(r.is_period_inferred))


def _named_goal(ctx: Context, r) -> str:
    """A target named inside a sentence: 'industry share of GDP at least 25% by 2027'."""
    name = in_sentence(ctx.indicator(r.indicator_id), ctx.lang)
    return ctx.tr("scorecard.named_target", indicator=name, target=_goal(ctx, r))


def _named_value(ctx: Context, r, inner: bool = True) -> str:
    """'industrial value-added growth 6.9%' (lower case inside a sentence where the language has cases)."""
    name = ctx.indicator(r.indicator_id)
    return ctx.tr("finding.named_value", indicator=in_sentence(name, ctx.lang) if inner else name, value=_value(ctx, r))


def _then(ctx: Context, text: str, more: str) -> str:
    """Two sentences of one finding, joined as the edition's language joins sentences."""
    return text + ctx.tr("finding.sentence_join") + more


def _assessment(ctx: Context, target_obs_id: str):
    a = ctx.assessed[ctx.assessed.target_obs_id == target_obs_id]
    return next(a.itertuples()) if not a.empty else None


def _old_sources(ctx: Context, rows: pd.DataFrame) -> str:
    deadlines = sorted({ctx.period(p) for p in rows.period})
    return ctx.tr(
        "finding.old_sources",
        region=ctx.name,
        as_of=ctx.period(ctx.as_of[:7]),
        n=len(rows),
        deadlines=_join(ctx, deadlines),
        targets=_join(ctx, [_named_goal(ctx, r) for r in rows.head(3).itertuples()]),
    )


def _plan_step(ctx: Context, rows: pd.DataFrame) -> str:
    targets = rows[rows.role == "target"]
    latest = rows[rows.role == "result"]
    a = _assessment(ctx, targets.obs_id.iloc[-1])
    text = ctx.tr(
        "finding.plan_step",
        indicator=ctx.indicator(targets.indicator_id.iloc[0]),
        n=targets.plan.nunique(),
        targets=_join(ctx, [_goal(ctx, r) for r in targets.itertuples()]),
    )
    if a is not None and is_filled(a.previous_target_obs_id):
        prev = ctx.fb.observations.loc[a.previous_target_obs_id]
        pace = step_pace(ctx, a.implied_step, a.implied_rate, a.indicator_id, a.is_linear)
        text += ctx.tr("finding.sentence_join") + ctx.tr(
            "finding.plan_pace", pace=pace, start=ctx.period(prev.period), end=ctx.period(a.target_period)
        )
    if not latest.empty:
        r = latest.iloc[-1]
        text = _then(ctx, text, ctx.tr("finding.latest", value=_value(ctx, r), period=_when(ctx, r)))
    return text


def _target(ctx: Context, rows: pd.DataFrame) -> str:
    t = rows.iloc[0]
    a = _assessment(ctx, t.obs_id)
    if a is None or a.status in ("no_baseline", "no_deadline"):
        return ctx.tr("finding.target_no_figure", indicator=ctx.indicator(t.indicator_id), target=_goal(ctx, t))
    return ctx.tr("finding.target", indicator=ctx.indicator(t.indicator_id), status=status_words(ctx, a))


def _no_figures(ctx: Context, rows: pd.DataFrame) -> str:
    return ctx.tr(
        "finding.no_figures",
        region=ctx.name,
        n=int((ctx.assessed.status == "no_baseline").sum()),
        total=len(ctx.assessed),
        targets=_join(ctx, [_named_goal(ctx, r) for r in rows.head(3).itertuples()]),
    )


def _clause(ctx: Context, r) -> str:
    relation = ctx.fb.indicators.relation[r.indicator_id]
    size = ctx.value(abs(r.value), r.indicator_id, r.qualifier)
    direction = "up" if r.value >= 0 else "down"
    return ctx.tr(
        f"finding.clause.{relation}.{direction}",
        value=size,
        multiple=multiple_words(abs(r.value), r.qualifier, ctx.lang),
        indicator=in_sentence(ctx.indicator(r.indicator_id), ctx.lang),
    )


def _clauses(ctx: Context, clauses: list[str]) -> str:
    """Clauses of one sentence, joined as the edition joins clauses (not as it joins the items of a list)."""
    if len(clauses) <= 1:
        return "".join(clauses)
    return ctx.tr("finding.clause_sep").join(clauses[:-1]) + ctx.tr("finding.clause_last") + clauses[-1]


def _benchmark(ctx: Context, rows: pd.DataFrame) -> str:
    main, related = rows.iloc[0], rows.iloc[1:]
    return ctx.tr(
        "finding.benchmark",
        indicator=ctx.indicator(main.indicator_id),
        value=_value(ctx, main),
        period=_when(ctx, main),
        clauses=_clauses(ctx, [_clause(ctx, r) for r in related.itertuples()]),
    )


def _rank_words(ctx: Context, rank: int) -> str:
    """'first', 'third', 'No. 12' / 第一、第三、第12: the catalogue's word for a small rank, else its pattern."""
    key = f"finding.rank.{rank}"
    return ctx.tr(key) if key in catalogue(ctx.lang) else ctx.tr("finding.rank.n", n=rank)


def _ranking(ctx: Context, rows: pd.DataFrame) -> str:
    """'Shanghai ranks first among Chinese cities for national demonstration smart factories (19) and … (2023)':
    the ranks of one finding grouped by rank and scope, each naming what is ranked, with its count."""
    ranks = rows[rows.role == "ranking"]
    base = rows[rows.role == "result"]
    groups: dict[tuple[int, str], list[str]] = {}
    for r in ranks.itertuples():
        subject = ctx.fb.indicators.relates_to[r.indicator_id]
        has_subject = isinstance(subject, str) and subject in ctx.fb.indicators.index
        name = in_sentence(ctx.indicator(subject if has_subject else r.indicator_id), ctx.lang)
        b = base[base.indicator_id == subject] if has_subject else base.iloc[:0]
        item = ctx.tr("finding.rank_item", name=name, value=_value(ctx, b.iloc[0])) if not b.empty else name
        scope = ctx.loc.pick(ctx.fb.indicators, r.indicator_id, "rank_scope")
        groups.setdefault((int(r.value), scope if isinstance(scope, str) else ""), []).append(item)
    clauses = [
        ctx.tr(
            "finding.rank_clause" if len(items) == 1 else "finding.rank_clause_all",
            rank=_rank_words(ctx, rank),
            scope=scope,
            items=_join(ctx, items),
        )
        for (rank, scope), items in groups.items()
    ]
    return ctx.tr("finding.ranking", region=ctx.name, clauses=_clauses(ctx, clauses), period=_when(ctx, ranks.iloc[0]))


def _fastest(ctx: Context, rows: pd.DataFrame) -> str:
    growth = rows[rows.indicator_id.map(ctx.fb.indicators.relation) == "component"]
    whole = rows.drop(growth.index)

    def item(r) -> str:  # '56.6% growth of value added of …' / '…增加值增速56.6%'
        name = in_sentence(ctx.indicator(r.indicator_id), ctx.lang)
        return ctx.tr("finding.fastest_item", indicator=name, value=_value(ctx, r))

    text = ctx.tr(
        "finding.fastest",
        period=_when(ctx, growth.iloc[0]),
        items=_join(ctx, [item(r) for r in growth.itertuples()]),
    )
    if not whole.empty:
        text += ctx.tr("finding.sentence_join") + ctx.tr("finding.fastest_whole", whole=item(whole.iloc[0]))
    return text


def _streak(ctx: Context, rows: pd.DataFrame) -> str:
    streak, base = rows.iloc[0], rows.iloc[1] if len(rows) > 1 else None
    named = {"streak": ctx.indicator(streak.indicator_id), "streak_value": _value(ctx, streak)}
    if base is None:
        return ctx.tr("finding.streak", **named, period=_when(ctx, streak))
    named["streak"] = in_sentence(named["streak"], ctx.lang)
    return ctx.tr(
        "finding.streak_with",
        **named,
        indicator=ctx.indicator(base.indicator_id),
        value=_value(ctx, base),
        period=_when(ctx, base),
    )


def _deadline_passed(ctx: Context, rows: pd.DataFrame) -> str:
    return ctx.tr(
        "finding.deadline_passed",
        n=len(rows),
        as_of=ctx.period(ctx.as_of[:7]),
        targets=_join(ctx, [_named_goal(ctx, r) for r in rows.head(3).itertuples()]),
    )


def _contradiction(ctx: Context, rows: pd.DataFrame) -> str:
    later, earlier = rows.iloc[0], rows.iloc[1]
    return ctx.tr(
        "finding.contradiction",
        indicator=ctx.indicator(later.indicator_id),
        value=_value(ctx, later),
        period=_when(ctx, later),
        earlier=_value(ctx, earlier),
        earlier_period=_when(ctx, earlier),
    )


def _money(ctx: Context, rows: pd.DataFrame) -> str:  # an amount in yuan: a count is never a sum
    r = rows.iloc[0]
    return ctx.tr("finding.money", region=ctx.name, item=_named_value(ctx, r), period=_when(ctx, r))


def _peer(ctx: Context, rows: pd.DataFrame) -> str:
    own, peer = rows.iloc[0], rows.iloc[1]
    return ctx.tr(
        "finding.peer",
        indicator=ctx.indicator(own.indicator_id),
        region=ctx.name,
        value=_value(ctx, own),
        peer=ctx.region_name(peer.region_id),
        peer_value=_value(ctx, peer),
        period=_when(ctx, own),
    )


def _result(ctx: Context, rows: pd.DataFrame) -> str:
    r = rows.iloc[0]
    return ctx.tr("finding.result", indicator=ctx.indicator(r.indicator_id), value=_value(ctx, r), period=_when(ctx, r))


TEXT = {
    "old_sources": _old_sources,
    "plan_step": _plan_step,
    "target": _target,
    "no_figures": _no_figures,
    "benchmark": _benchmark,
    "ranking": _ranking,
    "fastest": _fastest,
    "streak": _streak,
    "deadline_passed": _deadline_passed,
    "contradiction": _contradiction,
    "money": _money,
    "peer": _peer,
    "result": _result,
}


def _measures(ctx: Context, ids: list[str]) -> str:
    m = ctx.fb.measures.loc[ids]
    all_m = ctx.measures
    themes = [in_sentence(ctx.theme(t), ctx.lang) for t in all_m.theme.value_counts().index[:3]]
    texts = [(ctx.loc.pick(m, i, "summary") if ctx.loc.translations else m.quote[i]).rstrip(".。") for i in ids[:2]]
    said = ctx.tr("finding.said_join").join(ctx.tr("finding.said", text=x) for x in texts)
    key = "finding.measures" if ctx.obs.empty else "finding.measures_also"
    key += "_one" if len(all_m) == 1 else ""
    return ctx.tr(key, region=ctx.name, n=len(all_m), themes=_join(ctx, themes), said=said)


def finding_text(ctx: Context, f, cite: bool = True) -> Rich:
    """One finding as a sentence, each source it rests on cited after it (``cite``)."""
    ids = f.record_ids.split()
    if f.kind == "measures":
        text, sources = _measures(ctx, ids), list(dict.fromkeys(ctx.fb.measures.source_id[ids]))
    else:
        rows = _obs(ctx, ids)
        text, sources = TEXT[f.kind](ctx, rows), list(dict.fromkeys(rows.source_id))
    if not cite:
        return Rich.of(text)
    cites = Rich().join(ctx.source_link(s) for s in sorted(sources, key=ctx.source_numbers.__getitem__))
    return Rich.of(text) + " " + cites


def page_one(ctx: Context, cite: bool = True) -> list[Rich]:
    """The findings page one shows, most salient first."""
    return [finding_text(ctx, f, cite) for f in ctx.findings[ctx.findings.is_page_one].itertuples()]
