"""The calls our notebooks make: each shows one piece of the briefing as HTML output."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from . import charts, compare, data, progress, scorecard
from .data import period_end_year
from .i18n import check_lang
from .payload import FIGURE_MIME, SUMMARY_MIME
from .publish import EDITION_SUFFIX
from .regions import resolve_region
from .report import (
    FIGURES_HREF,
    Context,
    data_text,
    en,
    esc,
    facts_table,
    figure,
    heading,
    headlines,
    measures_table,
    pace,
    plan_title,
    plans_table,
    quote_cell,
    role_rows,
    table,
    zh,
)
from .system import peak_memory_mb


def open_region(region: str, lang: str = "en", figures_dir: str | Path = "") -> Context:
    """Resolve the region parameter, load the validated fact base cut down to what the briefing draws on
    (the region, its peers and their rows: ``data.scope``) and prepare charts."""
    lang = check_lang(lang)
    fb = data.load()
    region_id = resolve_region(region, fb.regions)
    fb = data.scope(fb, region_id)
    charts.setup_matplotlib()
    fdir = Path(figures_dir) if figures_dir else None  # by default a run writes no files
    return Context(fb, region_id, lang, fdir, FIGURES_HREF)


EMPTY = '<p class="empty">'
_pending: list[str] = []
"""A subheading waiting for its content: a part with nothing to show is left out, heading and all, so a
briefing is as long as its content."""


def show(html: str, files: dict | None = None) -> None:
    """Display HTML (with chart or table ``files`` travelling in the output); a subheading goes out only
    with content, and a 'there is none' line never does."""
    if not html:
        return
    if html.startswith(EMPTY) or html.startswith(("<h2", "<h3")):
        _pending.clear()
    if html.startswith(EMPTY):
        return
    html = "".join(_pending) + html
    _pending.clear()
    if files is None:
        display(HTML(html))
    else:
        display({"text/html": html, FIGURE_MIME: files}, raw=True)


def say(html: str) -> None:
    """Display one line in place of a part that has nothing else (its subheading is left out)."""
    _pending.clear()
    display(HTML(html))


def show_chart(ctx: Context, chart, empty_key: str = "") -> None:
    """Display a chart as a captioned figure, its files travelling with the output; or say there is none."""
    if chart is None:
        if empty_key:
            show(f'<p class="empty">{esc(ctx.tr(empty_key, region=ctx.name))}</p>')
        return
    html_text, files = figure(ctx, chart)
    show(html_text, files)


# --- Front and back matter ---------------------------------------------------------------------------


def title(ctx: Context) -> None:
    """Title block: the region in both languages and what the briefing is."""
    r = ctx.region
    other = r.name_zh if ctx.lang == "en" else r.name_en
    show(
        f'<header class="title-block"><p class="kicker">{esc(ctx.tr("title.kicker"))}</p>'
        f'<h1 id="title">{esc(ctx.name)} '
        f'<span class="alt-name" lang="{"zh-Hans" if ctx.lang == "en" else "en"}">{esc(other)}</span></h1>'
        f'<p class="subtitle">{esc(ctx.tr("title.subtitle"))}</p>'
        f'<p class="edition" data-as-of="{esc(ctx.as_of)}">'
        f"{esc(ctx.tr('title.as_of', as_of=ctx.period(ctx.as_of[:7])))}"
        f'<!--VERSION--></p><p class="lang-link"><!--LANG-LINK--></p></header>'
    )


def front_matter(ctx: Context) -> None:
    """Title, page one (key messages and the scorecard, ``scorecard.page_one``), then the contents."""
    title(ctx)
    show(
        scorecard.page_one(ctx)
        + f'<nav class="toc" id="contents" aria-label="{esc(ctx.tr("toc.title"))}"><h2 class="toc-title">'
        f"{esc(ctx.tr('toc.title'))}</h2><!--TOC--></nav>"
    )


def back_matter(ctx: Context) -> None:
    sources(ctx)
    method(ctx)
    quality(ctx)


def section(ctx: Context, name: str) -> None:
    """A numbered part of the briefing: its heading and a one-paragraph introduction."""
    show(heading(ctx, name) + f'<p class="intro">{esc(ctx.tr(f"section.{name}.intro", region=ctx.name))}</p>')


def subheading(ctx: Context, key: str) -> None:
    """A part's subheading, shown with the part's first content (never alone)."""
    _pending[:] = [f'<h3 id="{esc(key.replace(".", "-"))}">{esc(ctx.tr(f"sub.{key}"))}</h3>']


# --- Part 1: curated tables --------------------------------------------------------------------------


def facts(ctx: Context, role: str) -> None:
    """The table of one role (``target``, ``result``…); says so when the region has none."""
    show(facts_table(ctx, role))


PART_IDS = {"recommendation": "not-adopted", "ranking": "rankings", "structure": "document-parts"}  # anchors


def role_part(ctx: Context, role: str) -> None:
    """Heading, one-line introduction and table of one role, only where the region has such numbers."""
    if role_rows(ctx, role).empty:
        return
    show(
        f'<h3 id="{PART_IDS.get(role, role)}">{esc(ctx.tr(f"sub.{role}"))}</h3>'
        f'<p class="intro">{esc(ctx.tr(f"curated.intro.{role}", region=ctx.name))}</p>' + facts_table(ctx, role)
    )


def money(ctx: Context) -> None:
    """Money and instruments: funds, credit, support caps and eligibility thresholds, where the region has any."""
    rows = role_rows(ctx, "instrument")
    if rows.empty:
        return
    body = []
    for r in rows.itertuples():
        doc = plan_title(ctx, r.plan)
        body.append(
            [
                esc(ctx.indicator(r.indicator_id)),
                f'<span class="num">{esc(ctx.value(r.value, r.indicator_id, r.qualifier))}</span>',
                esc(ctx.period(r.period) + ("*" if r.is_period_inferred else "")),
                doc,
                quote_cell(r.quote),
                ctx.source_link(r.source_id) + f' <span class="id">{esc(r.obs_id)}</span>',
            ]
        )
    keys = ["instrument", "value", "stated", "plan", "quote", "source"]
    show(
        f'<h3 id="money">{esc(ctx.tr("sub.money"))}</h3>'
        f'<p class="intro">{esc(ctx.tr("curated.intro.instrument", region=ctx.name))}</p>'
        + table(
            ctx,
            ctx.tr("curated.caption.instrument", region=ctx.name, n=len(rows)),
            [ctx.tr(f"col.{c}") for c in keys],
            body,
            classes=keys,
        )
    )


def plans(ctx: Context) -> None:
    show(plans_table(ctx))


def measures(ctx: Context) -> None:
    show(measures_table(ctx))


# --- Part 2: regional comparison ---------------------------------------------------------------------


def peer_context(ctx: Context) -> None:
    """Generated sentences comparing the region with peers on comparable numbers, and the peer chart."""
    sentences = compare.peer_sentences(ctx.fb, ctx.region_id, ctx.lang)
    if not sentences:
        show(f'<p class="empty">{esc(ctx.tr("cmp.none", region=ctx.name))}</p>')
        return
    show('<ul class="peer-sentences">' + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>")
    show_chart(ctx, charts.peer_bars(ctx.fb, compare.comparable_pairs(ctx.fb, ctx.region_id), ctx.region_id, ctx.lang))


def side_by_side(ctx: Context) -> None:
    """Numbers that look alike but must not share an axis, each with the real reason (a stock against a
    flow, an aggregate, one firm's figure, a different definition or period): the few most informative
    pairs in the table, every pair in its CSV."""
    pairs = compare.side_by_side_pairs(ctx.fb, ctx.region_id)
    if pairs.empty:
        show(f'<p class="empty">{esc(ctx.tr("cmp.no_side_by_side", region=ctx.name))}</p>')
        return
    rows = []
    for p in pairs[pairs.shown].itertuples():
        same = p.indicator_id == p.indicator_id_peer
        peer_ind = "" if same else f"{ctx.indicator(p.indicator_id_peer)} "
        rows.append(
            [
                esc(ctx.indicator(p.indicator_id)),
                esc(ctx.tr(f"role.{p.role}")),
                esc(f"{ctx.value(p.value, p.indicator_id, p.qualifier)} ({ctx.when(p.period, p.obs_id)})"),
                esc(
                    f"{ctx.region_name(p.region_id_peer)}: {peer_ind}"
                    f"{ctx.value(p.value_peer, p.indicator_id_peer, p.qualifier_peer)}"
                    f" ({ctx.when(p.period_peer, p.obs_id_peer)})"
                ),
                esc(
                    ctx.tr(
                        f"cmp.reason.{p.reason}",
                        a=ctx.period(p.period),
                        b=ctx.period(p.period_peer),
                        region=ctx.name,
                        peer=ctx.region_name(p.region_id_peer),
                    )
                ),
            ]
        )
    keys = ["indicator", "role", "region_value", "peer_value", "difference"]
    csv_name = f"side-by-side{EDITION_SUFFIX[ctx.lang]}.csv"
    note = ctx.tr("cmp.side_by_side.note", shown=len(rows), n=len(pairs))
    html_text = table(
        ctx,
        ctx.tr("cmp.side_by_side.caption", region=ctx.name),
        [ctx.tr(f"col.{c}") for c in keys],
        rows,
        classes=keys,
    ) + (
        f'<p class="note">{esc(note)} <a href="{esc(ctx.figures_href)}/{esc(csv_name)}">'
        f"{esc(ctx.tr('figure.data'))}</a></p>"
    )
    show(html_text, {"files": {csv_name: pairs.to_csv(index=False)}})


def growth(ctx: Context) -> None:
    show_chart(
        ctx,
        charts.growth_dots(ctx.fb, compare.growth_panels(ctx.fb, ctx.region_id), ctx.region_id, ctx.lang),
        "cmp.no_growth",
    )


def clusters(ctx: Context) -> None:
    """Cluster-building numbers across regions: a table, not a chart, since their definitions and periods
    differ (never drawn on one axis); the region's own rows first."""
    c = compare.cluster_targets(ctx.fb, ctx.region_id)
    if c.empty or ctx.region_id not in set(c.region_id):
        show(f'<p class="empty">{esc(ctx.tr("cmp.no_clusters", region=ctx.name))}</p>')
        return
    c = c.assign(own=c.region_id != ctx.region_id).sort_values(["own", "region_id", "indicator_id", "period"])
    inferred = ctx.fb.observations.is_period_inferred
    rows = [
        [
            esc(ctx.region_name(r.region_id)),
            esc(ctx.indicator(r.indicator_id)),
            esc(ctx.tr(f"role.{r.role}")),
            esc(ctx.period(r.period) + ("*" if inferred[r.obs_id] else "")),
            f'<span class="num">{esc(ctx.value(r.value, r.indicator_id, r.qualifier))}</span>',
            ctx.source_link(r.source_id),
        ]
        for r in c.itertuples()
    ]
    keys = ["region", "indicator", "role", "period", "value", "source"]
    show(
        table(
            ctx,
            ctx.tr("cmp.clusters.caption", region=ctx.name),
            [ctx.tr(f"col.{k}") for k in keys],
            rows,
            classes=keys,
        )
        + (f'<p class="note">{esc(ctx.tr("curated.inferred_note"))}</p>' if inferred[c.obs_id].any() else "")
    )


def themes(ctx: Context) -> None:
    """The region × theme matrix of measures and facts, and the region's own measures by theme."""
    show_chart(ctx, charts.theme_heatmap(ctx.fb, compare.theme_matrix(ctx.fb, ctx.region_id), ctx.region_id, ctx.lang))
    m = ctx.measures
    if ctx.obs.empty and not m.empty:
        rows = [
            [
                esc(ctx.fb.themes.loc[th, f"name_{ctx.lang}"]),
                esc(str(len(g))),
                esc("; ".join(g.summary_en)) if ctx.lang == "en" else "<br>".join(quote_cell(q) for q in g.quote),
            ]
            for th, g in m.groupby("theme")
        ]
        keys = ["theme", "count", "summary"]
        show(
            table(
                ctx,
                ctx.tr("cmp.measures_by_theme", region=ctx.name),
                [ctx.tr(f"col.{c}") for c in keys],
                rows,
                classes=keys,
            )
        )


# --- Part 3: targets versus baseline -----------------------------------------------------------------


def _status_cell(ctx: Context, status: str) -> str:
    return f'<span class="status status-{esc(status)}">{esc(ctx.tr(f"status.{status}"))}</span>'


def progress_table(ctx: Context) -> None:
    """Every adopted target with a baseline and a deadline: the arithmetic and the status."""
    a = progress.assess_region(ctx.fb, ctx.region_id)
    a = a[~a.status.isin(progress.NOT_ASSESSED)]
    if a.empty:
        say(f'<p class="note">{esc(ctx.tr("progress.none", region=ctx.name))}</p>')
        return
    rows = []
    for r in a.itertuples():
        ind = r.indicator_id
        rows.append(
            [
                esc(ctx.indicator(ind)),
                esc(
                    f"{ctx.value(r.target_value, ind, r.target_qualifier)} "
                    f"({ctx.when(r.target_period, r.target_obs_id)})"
                ),
                esc(
                    f"{ctx.value(r.latest_value, ind, ctx.fb.observations.loc[r.latest_obs_id, 'qualifier'])} "
                    f"({ctx.when(r.latest_period, r.latest_obs_id)})"
                ),
                esc("–" if math.isnan(r.share_of_target_pct) else f"{r.share_of_target_pct:.0f}%"),
                esc(ctx.value(r.gap_remaining, ind) if r.gap_remaining > 0 else "–"),
                esc(f"{r.years_left:.1f}" if r.years_left > 0 else ctx.tr("progress.passed")),
                esc(pace(ctx, r.required_rate, r.is_linear, ind)),
                esc(pace(ctx, r.actual_rate, r.is_linear, ind)),
                esc("–" if math.isnan(r.projected_value) else ctx.value(r.projected_value, ind)),
                _status_cell(ctx, r.status),
                ctx.source_link(r.source_id),
            ]
        )
    keys = [
        "indicator",
        "target",
        "latest",
        "share",
        "gap",
        "years_left",
        "required",
        "actual_pace",
        "projected",
        "status",
        "source",
    ]
    show(
        table(
            ctx,
            ctx.tr("progress.caption", region=ctx.name, n=len(a)),
            [ctx.tr(f"col.{c}") for c in keys],
            rows,
            css="progress",
            classes=keys,
        )
    )
    show_chart(ctx, charts.progress_dumbbell(ctx.fb, a, ctx.region_id, ctx.lang))


def trajectories(ctx: Context) -> None:
    """A trajectory chart for every indicator of the region with results and adopted targets."""
    obs = ctx.obs[data.has_period(ctx.obs)]
    inds = [i for i in obs.indicator_id.unique() if {"result", "target"} <= set(obs[obs.indicator_id == i].role)]
    shown = 0
    for ind in sorted(inds):
        chart = charts.trajectory(ctx.fb, ctx.region_id, ind, ctx.lang)
        show_chart(ctx, chart)
        shown += chart is not None
    if not shown:
        show(f'<p class="empty">{esc(ctx.tr("progress.no_series", region=ctx.name))}</p>')


def plan_succession(ctx: Context) -> None:
    """Successive plans' targets for the same indicator, and how each target moved."""
    s = progress.plan_succession(ctx.fb, ctx.region_id)
    if s.empty:
        show(f'<p class="empty">{esc(ctx.tr("progress.no_succession", region=ctx.name))}</p>')
        return
    rows = []
    for r in s.itertuples():
        change = (
            "–"
            if pd.isna(r.change_from_previous)
            else (("+" if r.change_from_previous > 0 else "") + ctx.value(r.change_from_previous, r.indicator_id))
        )
        rows.append(
            [
                esc(ctx.indicator(r.indicator_id)),
                plan_title(ctx, r.plan),
                esc(ctx.when(r.target_period, r.obs_id)),
                esc(ctx.value(r.target_value, r.indicator_id, r.target_qualifier)),
                esc(change),
                ctx.source_link(r.source_id),
            ]
        )
    keys = ["indicator", "plan", "target_year", "target", "change", "source"]
    show(
        table(
            ctx,
            ctx.tr("progress.succession.caption", region=ctx.name),
            [ctx.tr(f"col.{c}") for c in keys],
            rows,
            classes=keys,
        )
    )


def no_baseline(ctx: Context) -> None:
    """Adopted targets with no result in the sources or no deadline: listed with the reason, never dropped."""
    a = progress.assess_region(ctx.fb, ctx.region_id)
    a = a[a.status.isin(progress.NOT_ASSESSED)]
    if a.empty:
        show(f'<p class="empty">{esc(ctx.tr("progress.all_have_baseline"))}</p>')
        return
    rows = [
        [
            esc(ctx.indicator(r.indicator_id)),
            esc(ctx.value(r.target_value, r.indicator_id, r.target_qualifier)),
            esc(ctx.when(r.target_period, r.target_obs_id)),
            plan_title(ctx, r.plan),
            _status_cell(ctx, r.status),
            quote_cell(r.quote),
            ctx.source_link(r.source_id),
        ]
        for r in a.itertuples()
    ]
    keys = ["indicator", "target", "target_year", "plan", "why", "quote", "source"]
    show(
        table(
            ctx,
            ctx.tr("progress.no_baseline.caption", region=ctx.name, n=len(a)),
            [ctx.tr(f"col.{c}") for c in keys],
            rows,
            classes=keys,
        )
    )


# --- Back matter -------------------------------------------------------------------------------------


def sources(ctx: Context) -> None:
    items = []
    for s in ctx.cited_sources.itertuples():
        basis = (
            esc(ctx.tr("sources.stated"))
            if s.published_basis == "stated"
            else esc(ctx.tr("sources.inferred")) + f" ({data_text(ctx, s, 'published_basis', 'inferred: ')})"
        )
        title = zh(s.title_zh) + (f" — {esc(s.title_en)}" if ctx.lang == "en" else "")
        items.append(
            f'<li id="src-{esc(s.source_id)}"><span class="ref">[{ctx.source_numbers[s.source_id]}]</span> '
            f"<strong>{esc(s.source_id)}</strong>: {title}. "
            f"{en(s.publisher) if ctx.lang == 'zh' else esc(s.publisher)}, {esc(s.published)} ({basis}). "
            f'<span class="file">seeds/{esc(s.file)}</span></li>'
        )
    show(
        heading(ctx, "sources")
        + f'<p>{esc(ctx.tr("section.sources.intro"))}</p><ol class="sources">'
        + "".join(items)
        + "</ol>"
    )


def method(ctx: Context) -> None:
    paras = "".join(
        f"<p>{esc(ctx.tr(f'method.{k}'))}</p>"
        for k in ("facts", "roles", "periods", "status", "rates", "messages", "comparability", "charts")
    )
    thresholds = "".join(
        f"<li>{esc(ctx.tr(f'status.{s}'))}: {esc(ctx.tr(f'method.rule.{s}'))}</li>" for s in progress.STATUSES
    )
    show(heading(ctx, "method") + paras + f'<ul class="rules">{thresholds}</ul>')


def quality(ctx: Context) -> None:
    items = "".join(
        f"<li>{ctx.source_link(s.source_id)} <strong>{esc(s.source_id)}</strong>: {data_text(ctx, s, 'notes')}</li>"
        for s in ctx.cited_sources.itertuples()
    )
    inferred = ctx.obs.is_period_inferred.sum()
    show(
        heading(ctx, "quality") + f'<p>{esc(ctx.tr("section.quality.intro"))}</p><ul class="quality">{items}</ul>'
        f"<p>{esc(ctx.tr('quality.inferred', n=inferred, region=ctx.name))}</p>"
    )


def record_summary(ctx: Context) -> None:
    """Hand the build this briefing's summary for the index (hidden from readers)."""
    r = ctx.region
    summary = {
        "region": ctx.region_id,
        "lang": ctx.lang,
        "name_en": r.name_en,
        "name_zh": r.name_zh,
        "headlines": [[label, value] for label, value in headlines(ctx.fb, ctx.region_id, ctx.lang)],
    }
    display({"text/plain": "", SUMMARY_MIME: summary}, raw=True)


def record_metrics() -> None:
    """Print the kernel's peak memory as JSON (read by the build; hidden from readers)."""
    import json

    print(json.dumps({"kernel_peak_rss_mb": round(peak_memory_mb(), 1)}))


__all__ = [name for name in dir() if not name.startswith("_")] + ["period_end_year"]
