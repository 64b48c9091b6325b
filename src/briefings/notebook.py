"""The calls our notebooks make: each shows one piece of the briefing, a block of the document model
(``document.py``), as HTML output with the block's data beside it for the build."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from IPython.display import display

from . import charts, compare, data, progress, sections
from .data import period_end_year
from .document import Block as DocBlock
from .document import DataNote, Heading, ItemList, Paragraphs, Rich, Sources, Title, run
from .i18n import check_lang, format_date, langs, locale
from .payload import DOC_MIME, FIGURE_MIME, SECTION_MIME, SUMMARY_MIME
from .regions import resolve_region
from .report import (
    FIGURES_HREF,
    Context,
    counts_sentence,
    data_text,
    facts_table,
    figure,
    glossed_quote,
    measures_table,
    pace,
    plan_title,
    plans_table,
    quote_cell,
    role_rows,
    source_cell,
    table,
    text,
    zh,
)
from .scorecard import required_pace, scorecard_table, status_sentence, time_left
from .statements import page_one
from .system import peak_memory_mb

Block = DocBlock | tuple[DocBlock, dict]
"""What a section's function returns, in order: a block, or a block with the payload that travels with it."""


def open_region(region: str, lang: str = "", figures_dir: str | Path = "") -> Context:
    """Resolve the region parameter, load the validated fact base cut down to what the briefing draws on
    (the region, its peers and their rows: ``data.scope``) and prepare charts."""
    lang = check_lang(lang or langs()[0])
    fb = data.load()
    region_id = resolve_region(region, fb.regions)
    fb = data.scope(fb, region_id)
    charts.setup_matplotlib()
    fdir = Path(figures_dir) if figures_dir else None  # by default a run writes no files
    return Context(fb, region_id, lang, fdir, FIGURES_HREF)


def show(block: DocBlock, payload: dict | None = None) -> None:
    """Display a block as a cell output: its HTML for readers, its data (``DOC_MIME``) and any other payload
    for the build (``payload.py``) beside it."""
    display({"text/html": str(block.html()), DOC_MIME: block.data(), **(payload or {})}, raw=True)


def chart_block(ctx: Context, chart) -> list[Block]:
    """A chart as a captioned figure, its files travelling with the output; nothing when there is none."""
    if chart is None:
        return []
    block, files = figure(ctx, chart)
    return [(block, {FIGURE_MIME: files})]


class SectionError(KeyError):
    """A notebook asks for a section that is not declared."""

    def __str__(self) -> str:
        return str(self.args[0])


def section(ctx: Context, name: str) -> None:
    """Show one declared section (``sections.py``): its heading, introduction and body, in one call.

    An optional section (every sub-section) with nothing to show is left out, heading and all. The heading's
    output carries the section's id and heading text for the build, which makes the contents list from what
    was shown.
    """
    sec = sections.BY_ID.get(name)
    if sec is None:
        raise SectionError(f"unknown section {name!r}: declare it in briefings/sections.py")
    if ctx.is_note and not sec.in_note:  # a one-page note: its findings, measures and sources only
        return
    blocks = globals()[sec.builds](ctx, *sec.args)
    if not blocks and sec.optional:
        return
    title_text = ctx.tr(sec.heading, region=ctx.name)
    intro = ctx.tr(sec.intro, region=ctx.name) if sec.intro else ""
    head = Heading(level=sec.level, id=sec.id, title=title_text, intro=intro)
    show(head, {SECTION_MIME: {"id": sec.id, "title": title_text}})
    for item in blocks:
        block, payload = item if isinstance(item, tuple) else (item, None)
        show(block, payload)


def title_fields(ctx: Context) -> dict[str, str]:
    """What the title block shows: the region in this edition's language and its other name, what the
    briefing is, the data's as-of date (the build adds the version and the links to the other editions)."""
    return {
        "kicker": ctx.tr("title.kicker"),
        "name": ctx.name,
        "alt_name": ctx.region[ctx.loc.alt_name],
        "alt_lang": ctx.loc.alt_name_lang,
        "subtitle": ctx.tr("title.subtitle"),
        "as_of": ctx.as_of,
        "as_of_text": ctx.tr("title.as_of", as_of=ctx.period(ctx.as_of[:7])),
    }


# --- Front and back matter ---------------------------------------------------------------------------


def title(ctx: Context) -> None:
    """Title block (the build shows it with the version and the links to the other editions)."""
    show(Title(**title_fields(ctx)))


def back_matter(ctx: Context) -> None:
    """The sections after the parts: sources, method, data-quality notes."""
    for sec in sections.in_notebook(sections.BACK):
        section(ctx, sec.id)


def sources_note(ctx: Context) -> list[str]:
    """What the sources hold about the region and what its adopted targets come to (in the method section)."""
    out = [counts_sentence(ctx, len(set(ctx.obs.source_id) | set(ctx.measures.source_id)))]
    if not ctx.assessed.empty:
        out.append(status_sentence(ctx, ctx.assessed))
    return out


def findings(ctx: Context) -> list[Block]:
    """Page one: the most salient findings (``derive.findings``), in words with their sources."""
    return [ItemList(page_one(ctx), css="findings", ordered=True)]


def scorecard(ctx: Context) -> list[Block]:
    """Page one: every adopted target the sources let us assess."""
    card = scorecard_table(ctx)
    return [card] if card else []


def part_intro(ctx: Context) -> list[Block]:
    """A numbered part of the briefing: its heading and introduction say it all."""
    return []


def progress_intro(ctx: Context) -> list[Block]:
    """Part 3: where no target can be assessed, one line says so in place of its sub-sections."""
    a = ctx.assessed
    if a[~a.status.isin(progress.NOT_ASSESSED)].empty:
        return [Paragraphs([ctx.tr("progress.none", region=ctx.name)], css="note")]
    return []


# --- Part 1: curated tables --------------------------------------------------------------------------


def facts(ctx: Context, role: str) -> list[Block]:
    """The table of one role (``target``, ``result``…), only where the region has such numbers."""
    return [] if role_rows(ctx, role).empty else [facts_table(ctx, role)]


def money(ctx: Context) -> list[Block]:
    """Money and instruments: funds, credit, support caps and eligibility thresholds, where the region has any."""
    rows = role_rows(ctx, "instrument")
    if rows.empty:
        return []
    body = []
    for r in rows.itertuples():
        doc = plan_title(ctx, r.plan)
        body.append(
            [
                ctx.indicator(r.indicator_id),
                run("num", ctx.value(r.value, r.indicator_id, r.qualifier)),
                ctx.period(r.period) + ("*" if r.is_period_inferred else ""),
                doc,
                glossed_quote(ctx, r),
                source_cell(ctx, r.source_id, r.obs_id),
            ]
        )
    keys = ["instrument", "value", "stated", "plan", "quote", "source"]
    caption = ctx.tr("curated.caption.instrument", region=ctx.name, n=len(rows))
    return [table(ctx, caption, [ctx.tr(f"col.{c}") for c in keys], body, classes=keys)]


def plans(ctx: Context) -> list[Block]:
    return [plans_table(ctx)] if (ctx.fb.plans.region_id == ctx.region_id).any() else []


def measures(ctx: Context) -> list[Block]:
    return [measures_table(ctx)] if not ctx.measures.empty else []


# --- Part 2: regional comparison ---------------------------------------------------------------------


def peer_context(ctx: Context) -> list[Block]:
    """Generated sentences comparing the region with peers on comparable numbers, and the peer chart."""
    sentences = compare.peer_sentences(ctx.fb, ctx.region_id, ctx.lang)
    if not sentences:
        return []
    chart = charts.peer_bars(ctx.fb, compare.comparable_pairs(ctx.fb, ctx.region_id), ctx.region_id, ctx.lang)
    return [ItemList(sentences, css="peer-sentences"), *chart_block(ctx, chart)]


def side_by_side(ctx: Context) -> list[Block]:
    """Numbers that look alike but must not share an axis, each with the real reason (a stock against a
    flow, an aggregate, one firm's figure, a different definition or period): the few most informative
    pairs in the table, every pair in its CSV."""
    pairs = compare.side_by_side_pairs(ctx.fb, ctx.region_id)
    if pairs.empty:
        return []
    rows = []
    for p in pairs[pairs.shown].itertuples():
        same = p.indicator_id == p.indicator_id_peer
        rows.append(
            [
                ctx.indicator(p.indicator_id),
                ctx.tr(f"role.{p.role}"),
                ctx.tr(
                    "scorecard.latest",
                    value=ctx.value(p.value, p.indicator_id, p.qualifier),
                    period=ctx.when(p.period, p.obs_id),
                ),
                ctx.tr(
                    "cmp.peer_value" if same else "cmp.peer_value_other",
                    peer=ctx.region_name(p.region_id_peer),
                    indicator=ctx.indicator(p.indicator_id_peer),
                    value=ctx.value(p.value_peer, p.indicator_id_peer, p.qualifier_peer),
                    period=ctx.when(p.period_peer, p.obs_id_peer),
                ),
                ctx.tr(
                    f"cmp.reason.{p.reason}",
                    a=ctx.period(p.period),
                    b=ctx.period(p.period_peer),
                    region=ctx.name,
                    peer=ctx.region_name(p.region_id_peer),
                ),
            ]
        )
    keys = ["indicator", "role", "region_value", "peer_value", "difference"]
    csv_name = f"side-by-side{ctx.loc.suffix}.csv"
    caption = ctx.tr("cmp.side_by_side.caption", region=ctx.name)
    note = DataNote(
        ctx.tr("cmp.side_by_side.note", shown=len(rows), n=len(pairs)),
        f"{ctx.figures_href}/{csv_name}",
        ctx.tr("figure.data"),
    )
    files = {FIGURE_MIME: {"files": {csv_name: pairs.to_csv(index=False)}}}
    return [table(ctx, caption, [ctx.tr(f"col.{c}") for c in keys], rows, classes=keys), (note, files)]


def growth(ctx: Context) -> list[Block]:
    chart = charts.fastest_growth(ctx.fb, compare.growth_families(ctx.fb, ctx.region_id), ctx.region_id, ctx.lang)
    return chart_block(ctx, chart)


def clusters(ctx: Context) -> list[Block]:
    """Cluster-building numbers across regions: a table, not a chart, since their definitions and periods
    differ (never drawn on one axis); the region's own rows first."""
    c = compare.cluster_targets(ctx.fb, ctx.region_id)
    if c.empty or ctx.region_id not in set(c.region_id):
        return []
    c = c.assign(own=c.region_id != ctx.region_id).sort_values(["own", "region_id", "indicator_id", "period"])
    rows = [
        [
            ctx.region_name(r.region_id),
            ctx.indicator(r.indicator_id),
            ctx.tr(f"role.{r.role}"),
            ctx.when(r.period, r.obs_id),
            run("num", ctx.value(r.value, r.indicator_id, r.qualifier)),
            ctx.source_link(r.source_id),
        ]
        for r in c.itertuples()
    ]
    keys = ["region", "indicator", "role", "period", "value", "source"]
    inferred = ctx.fb.observations.is_period_inferred[c.obs_id].any()
    caption = ctx.tr("cmp.clusters.caption", region=ctx.name)
    note = ctx.tr("curated.inferred_note") if inferred else ""
    return [table(ctx, caption, [ctx.tr(f"col.{k}") for k in keys], rows, classes=keys, note=note)]


def themes(ctx: Context) -> list[Block]:
    """The region × theme matrix of measures and facts, and the region's own measures by theme."""
    matrix = compare.theme_matrix(ctx.fb, ctx.region_id)
    out = chart_block(ctx, charts.theme_heatmap(ctx.fb, matrix, ctx.region_id, ctx.lang))
    m = ctx.measures
    if ctx.obs.empty and not m.empty:
        rows = [
            [
                ctx.theme(th),
                str(len(g)),
                run("br").join(g.summary_en if ctx.loc.translations else (quote_cell(q) for q in g.quote)),
            ]
            for th, g in m.groupby("theme")
        ]
        keys = ["theme", "count", "summary"]
        caption = ctx.tr("cmp.measures_by_theme", region=ctx.name)
        out.append(table(ctx, caption, [ctx.tr(f"col.{c}") for c in keys], rows, classes=keys))
    return out


# --- Part 3: targets versus baseline -----------------------------------------------------------------


def _status_cell(ctx: Context, status: str) -> Rich:
    return run("status", status, ctx.tr(f"status.{status}"))


def progress_table(ctx: Context) -> list[Block]:
    """Every adopted target with a baseline and a deadline: the arithmetic and the status."""
    a = ctx.assessed
    a = a[~a.status.isin(progress.NOT_ASSESSED)]
    if a.empty:  # the part says so in one line (progress_intro)
        return []
    rows = []
    for r in a.itertuples():
        ind = r.indicator_id
        rows.append(
            [
                ctx.indicator(ind),
                ctx.tr(
                    "scorecard.latest",
                    value=ctx.value(r.target_value, ind, r.target_qualifier),
                    period=ctx.when(r.target_period, r.target_obs_id),
                ),
                ctx.tr(
                    "scorecard.latest",
                    value=ctx.value(r.latest_value, ind, r.latest_qualifier),
                    period=ctx.when(r.latest_period, r.latest_obs_id),
                ),
                ctx.value(r.gap_remaining, ind) if r.gap_remaining > 0 else "–",
                time_left(ctx, r.years_left) if r.years_left > 0 else ctx.tr("progress.passed"),
                required_pace(ctx, r, short=True) if r.years_left > 0 else "–",
                pace(ctx, r.actual_rate, r.is_linear, ind),
                "–" if math.isnan(r.projected_value) else ctx.value(r.projected_value, ind),
                _status_cell(ctx, r.status),
                ctx.source_link(r.source_id),
            ]
        )
    keys = [
        "indicator",
        "target",
        "latest",
        "gap",
        "years_left",
        "required",
        "actual_pace",
        "projected",
        "status",
        "source",
    ]
    caption = ctx.tr("progress.caption", region=ctx.name, n=len(a))
    return [
        table(ctx, caption, [ctx.tr(f"col.{c}") for c in keys], rows, css="progress", classes=keys),
    ]


def trajectories(ctx: Context) -> list[Block]:
    """A trajectory chart for every indicator of the region with results and adopted targets."""
    obs = ctx.obs[data.has_period(ctx.obs)]
    inds = [i for i in obs.indicator_id.unique() if {"result", "target"} <= set(obs[obs.indicator_id == i].role)]
    out: list[Block] = []
    for ind in sorted(inds):
        out += chart_block(ctx, charts.trajectory(ctx.fb, ctx.region_id, ind, ctx.lang))
    return out


def plan_succession(ctx: Context) -> list[Block]:
    """Successive plans' targets for the same indicator, and how each target moved."""
    s = progress.plan_succession(ctx.fb, ctx.region_id)
    if s.empty:
        return []
    rows = []
    for r in s.itertuples():
        change = (
            "–"
            if pd.isna(r.change_from_previous)
            else (("+" if r.change_from_previous > 0 else "") + ctx.value(r.change_from_previous, r.indicator_id))
        )
        rows.append(
            [
                ctx.indicator(r.indicator_id),
                plan_title(ctx, r.plan),
                ctx.when(r.target_period, r.obs_id),
                ctx.value(r.target_value, r.indicator_id, r.target_qualifier),
                change,
                ctx.source_link(r.source_id),
            ]
        )
    keys = ["indicator", "plan", "target_year", "target", "change", "source"]
    caption = ctx.tr("progress.succession.caption", region=ctx.name)
    return [table(ctx, caption, [ctx.tr(f"col.{c}") for c in keys], rows, classes=keys)]


def no_baseline(ctx: Context) -> list[Block]:
    """Adopted targets with no result in the sources or no deadline: listed with the reason, never dropped."""
    a = ctx.assessed
    a = a[a.status.isin(progress.NOT_ASSESSED)]
    if a.empty:
        return []
    rows = [
        [
            ctx.indicator(r.indicator_id),
            ctx.value(r.target_value, r.indicator_id, r.target_qualifier),
            ctx.when(r.target_period, r.target_obs_id),
            plan_title(ctx, r.plan),
            _status_cell(ctx, r.status),
            glossed_quote(ctx, ctx.fb.observations.loc[r.target_obs_id]),
            ctx.source_link(r.source_id),
        ]
        for r in a.itertuples()
    ]
    keys = ["indicator", "target", "target_year", "plan", "why", "quote", "source"]
    caption = ctx.tr("progress.no_baseline.caption", region=ctx.name, n=len(a))
    return [table(ctx, caption, [ctx.tr(f"col.{c}") for c in keys], rows, classes=keys)]


# --- Back matter -------------------------------------------------------------------------------------


def sources(ctx: Context) -> list[Block]:
    """The numbered list of the sources the briefing cites."""
    items = []
    for s in ctx.cited_sources.itertuples():

        def say(key: str, **values) -> Rich:  # a message around text from the data (which may be rich text)
            return Rich.format(ctx.tr(key), **values)

        basis = (
            say("sources.stated")
            if s.published_basis == "stated"
            else say("sources.inferred", why=data_text(ctx, s, "published_basis", "inferred: "))
        )
        if s.facts_date_basis.startswith("content:"):  # the content dates its facts otherwise: kept as data
            why = data_text(ctx, s, "facts_date_basis", "content: ")
            basis += say("sources.basis_join") + say("sources.facts_date", date=ctx.period(s.facts_date[:7]), why=why)
        entry = Rich.format(  # the edition's punctuation, from its catalogue
            ctx.tr("sources.entry"),
            title=zh(s.title_zh) + (" — " + text(s.title_en) if ctx.loc.translations else ""),
            publisher=text(s.publisher) if ctx.loc.translations else data_text(ctx, s, "publisher"),
            published=format_date(s.published, ctx.lang),
            basis=basis,
        )
        items.append({"id": s.source_id, "number": ctx.source_numbers[s.source_id], "entry": entry, "file": s.file})
    return [Sources(intro=ctx.tr("section.sources.intro"), sources=items, show_ids=ctx.loc.source_ids)]


def method(ctx: Context) -> list[Block]:
    """How the briefing is made; the statuses' rules follow the paragraph on statuses."""
    keys = ("facts", "roles", "periods", "status", "rates", "messages", "comparability", "charts")
    rules = [
        ctx.tr("method.rule_line", status=ctx.tr(f"status.{s}"), rule=ctx.tr(f"method.rule.{s}"))
        for s in progress.STATUSES
    ]
    cut = keys.index("status") + 1
    return [
        Paragraphs([*sources_note(ctx), *(ctx.tr(f"method.{k}") for k in keys[:cut])]),
        ItemList(rules, css="rules"),
        Paragraphs([ctx.tr(f"method.{k}") for k in keys[cut:]]),
    ]


def quality(ctx: Context) -> list[Block]:
    notes = [
        ctx.source_link(s.source_id)
        + " "
        + (run("strong", s.source_id) + ": " if ctx.loc.source_ids else "")
        + data_text(ctx, s, "notes")
        for s in ctx.cited_sources.itertuples()
    ]
    inferred = ctx.obs.is_period_inferred.sum()
    return [
        Paragraphs([ctx.tr("section.quality.intro")]),
        ItemList(notes, css="quality"),
        *([Paragraphs([ctx.tr("quality.inferred", n=inferred, region=ctx.name)])] if inferred else []),
    ]


def record_summary(ctx: Context) -> None:
    """Hand the build this briefing's summary for the index (hidden from readers)."""
    r = ctx.region
    summary = {
        "region": ctx.region_id,
        "lang": ctx.lang,
        "name": ctx.name,
        "alt_name": r[ctx.loc.alt_name],
        "names": list(dict.fromkeys(locale(lang).pick(ctx.fb.regions, ctx.region_id) for lang in langs())),
        "title": title_fields(ctx),
        "as_of": ctx.as_of,
        "is_note": ctx.is_note,
        "targets": {g: int(ctx.dates[f"n_{g}"]) for g in ("targets", *progress.STATUS_GROUPS)},
        "top_finding": str(next(iter(page_one(ctx, cite=False)), "")),
    }
    display({"text/plain": "", SUMMARY_MIME: summary}, raw=True)


def record_metrics() -> None:
    """Print the kernel's peak memory as JSON (read by the build; hidden from readers)."""
    import json

    print(json.dumps({"kernel_peak_rss_mb": round(peak_memory_mb(), 1)}))


__all__ = [name for name in dir() if not name.startswith("_")] + ["period_end_year"]
