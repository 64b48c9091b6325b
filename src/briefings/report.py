"""Pieces of a briefing, built from the fact base as blocks of the document model (``document.py``), which
the templates of ``templates/parts/`` render to HTML (autoescaped) and the Typst template to PDF."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import paths
from .cells import neutralise_csv
from .data import FactBase
from .document import Figure, Paragraphs, Rich, Table, run
from .i18n import format_date, format_period, in_sentence, join, locale, t
from .numbers import format_number, format_value, measure_word
from .periods import by_time
from .schema import GOAL_ROLES, ROLES


def text(value: object) -> str:
    """A value as text for a template (which escapes it); nothing for a missing value."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


@dataclass
class Context:
    """What every section of one region's briefing needs."""

    fb: FactBase
    region_id: str
    lang: str
    figures_dir: Path | None
    figures_href: str

    @property
    def region(self) -> pd.Series:
        return self.fb.regions.loc[self.region_id]

    @property
    def loc(self):
        """The edition's locale entry (``i18n.Locale``)."""
        return locale(self.lang)

    @property
    def name(self) -> str:
        return self.loc.pick(self.fb.regions, self.region_id)

    def theme(self, theme_id: str) -> str:
        return self.loc.pick(self.fb.themes, theme_id)

    @property
    def obs(self) -> pd.DataFrame:
        return self.fb.observations[self.fb.observations.region_id == self.region_id]

    @property
    def measures(self) -> pd.DataFrame:
        return self.fb.measures[self.fb.measures.region_id == self.region_id]

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def indicator(self, indicator_id: str) -> str:
        return self.loc.pick(self.fb.indicators, indicator_id)

    def unit(self, indicator_id: str) -> str:
        return self.fb.indicators.loc[indicator_id, "unit"]

    def value(self, value: float, indicator_id: str, qualifier: str = "=") -> str:
        """A number with its qualifier, unit and measure word: 'over 9,800', '超过9800家'."""
        measure = measure_word(self.fb.indicators, indicator_id, self.lang)
        return format_number(value, self.unit(indicator_id), self.lang, qualifier, measure)

    def region_name(self, region_id: str) -> str:
        return self.loc.pick(self.fb.regions, region_id)

    def period(self, period: str, inferred: bool = False) -> str:
        """A period as a reader writes it, with * when it is inferred."""
        return format_period(period, self.lang) + ("*" if inferred else "")

    def when(self, period: str, obs_id: str) -> str:
        """The period of observation ``obs_id``, with * when the text gives no year for it."""
        return self.period(period, bool(self.fb.observations.loc[obs_id, "is_period_inferred"]))

    @cached_property
    def cited_sources(self) -> pd.DataFrame:
        """The sources this briefing cites, and only those, in the order of ``sources.csv`` (their numbers in
        the list and in the citation marks): those of its page-one findings and its own measures; a full
        briefing adds its own numbers and plans and the peers' rows its comparison shows."""
        from .compare import comparison_sources

        f = self.findings[self.findings.is_page_one]
        ids = {i for r in f.record_ids for i in r.split()}
        obs, meas = self.fb.observations, self.fb.measures
        used = set(obs.source_id[obs.index.isin(ids)]) | set(meas.source_id[meas.index.isin(ids)])
        used |= set(self.measures.source_id)
        if not self.is_note:
            used |= set(self.obs.source_id) | set(self.fb.plans.source_id[self.fb.plans.region_id == self.region_id])
            used |= comparison_sources(self.fb, self.region_id)
        return self.fb.sources[self.fb.sources.source_id.isin(used)]

    @cached_property
    def derived(self):
        """The derived tables of this briefing's fact base (``briefings.derive``), computed once."""
        from .derive import derive_region

        return derive_region(self.fb, self.region_id)

    @cached_property
    def assessed(self) -> pd.DataFrame:
        """The region's assessed targets with the rows they name (``derive.assessed_rows``)."""
        from .derive import assessed_rows

        return assessed_rows(self.fb, self.derived.assessments, self.region_id)

    @cached_property
    def findings(self) -> pd.DataFrame:
        """The region's findings, most salient first."""
        f = self.derived.findings
        return f[f.region_id == self.region_id].sort_values("rank")

    @property
    def dates(self) -> pd.Series:
        """The region's row of ``region_dates``: its as-of date and the counts of its targets."""
        return self.derived.region(self.region_id)

    @property
    def is_note(self) -> bool:
        """A region with no number and one or two measures: a one-page note."""
        return bool(self.dates.is_note)

    @property
    def as_of(self) -> str:
        """The briefing's data as-of date: the latest date the sources of the region's own facts stand at."""
        return str(self.dates.as_of)

    @cached_property
    def source_numbers(self) -> dict[str, int]:
        """Each cited source's number in this briefing's list of sources (from 1)."""
        return {sid: n for n, sid in enumerate(self.cited_sources.source_id, start=1)}

    def source_link(self, source_id: str) -> Rich:
        """A short numbered mark, ``[2]``, linked to the source's entry in the Sources section."""
        return run("cite", source_id, self.source_numbers[source_id])

    def empty(self, key: str) -> Paragraphs:
        """The paragraph that says a section has nothing to show for the region."""
        return Paragraphs([self.tr(key, region=self.name)], css="empty")


def table(
    ctx: Context,
    caption: str,
    columns: list[str],
    rows: list[list[object]],
    css: str = "",
    widths: list[int] | None = None,
    classes: list[str] | None = None,
    note: str = "",
    roles: list[str] | None = None,
) -> Table:
    """A captioned table with a header row (in HTML, in a region that scrolls sideways on a narrow screen).

    Cells are text or rich text. ``classes`` names each column (``quote``, ``value``, ``source`` …): the
    stylesheet sizes it from its content, and its role (``COLUMN_ROLES``) sets its width and alignment in
    print (``roles`` gives them instead); ``widths`` (percent) fix widths instead. ``note`` is a line under
    the table.
    """
    classes = classes or []
    return Table(
        caption=caption,
        columns=columns,
        rows=rows,
        classes=classes,
        roles=roles or [COLUMN_ROLES.get(c, "text") for c in classes],
        css=css,
        widths=widths or [],
        note=note,
    )


COLUMN_ROLES = {
    "quote": "quote",
    "summary": "quote",
    "value": "number",
    "target": "number",
    "latest": "number",
    "gap": "number",
    "projected": "number",
    "required": "number",
    "actual_pace": "number",
    "count": "number",
    "change": "number",
    "period": "period",
    "deadline": "period",
    "stated": "period",
    "target_year": "period",
    "years": "period",
    "issued": "period",
    "years_left": "period",
    "source": "citation",
    "status": "status",
    "why": "status",
}
"""The role of each table column (by its key, ``col.<key>`` in the catalogues); any other is text."""


def quote_cell(quote: str) -> Rich:
    return run("quote", text(quote))


def glossed_quote(ctx: Context, row) -> Rich:
    """An observation's or plan's verbatim quote and, in an edition that shows the data's translations (its
    locale's ``translations``), the gloss in its language (``quote_en``…) under it, or the catalogue's
    ``gloss.missing`` for a row without one."""
    gloss = getattr(row, f"quote_{ctx.loc.data}", None)
    missing = ctx.tr("gloss.missing")
    return run("glossed", text(row.quote), text(gloss), ctx.loc.translations, ctx.loc.html_lang, missing)


def zh(value: str) -> Rich:
    """Chinese text from the data (titles, names), marked as such for readers and screen readers."""
    return run("chinese", text(value))


def en(value: str) -> Rich:
    """English text from the data (notes, publishers), marked as such in the Chinese edition."""
    return run("english", text(value))


def data_text(ctx: Context, row, column: str, strip: str = "") -> Rich | str:
    """Text from the data in the edition's language where the data has it (``notes_zh`` for the locale
    whose data suffix is ``zh``), else as stored (English, marked as such); ``strip`` is a prefix to drop."""
    local = getattr(row, f"{column}_{ctx.loc.data}", None)
    if isinstance(local, str) and local:
        return text(local)
    return en(str(getattr(row, column)).removeprefix(strip))


def plan_title(ctx: Context, plan_id: str) -> Rich | str:
    """A plan's name for the edition: in its language where the data has it, with the Chinese original."""
    if not isinstance(plan_id, str) or not plan_id or plan_id not in ctx.fb.plans.index:
        return "–"
    plan = ctx.fb.plans.loc[plan_id]
    title = plan.get(f"title_{ctx.loc.data}")
    if isinstance(title, str) and title and title != plan.title_zh:
        return run("translated", title, plan.title_zh)
    return zh(plan.title_zh)


def role_rows(ctx: Context, role: str) -> pd.DataFrame:
    """The region's observations of one role, with their theme, in reading order."""
    obs = ctx.obs[ctx.obs.role == role].join(ctx.fb.indicators[["theme"]], on="indicator_id")
    # periods as time (Jan–Oct 2023 before 2023); a goal with no deadline stated last
    return obs.sort_values(["theme", "indicator_id", "period", "obs_id"], key=by_time)


def source_cell(ctx: Context, source_id: str, record_id: str) -> Rich:
    """A table cell naming where a number comes from: the numbered source mark and the record's id."""
    return ctx.source_link(source_id) + " " + run("id", record_id)


def value_cell(ctx: Context, r) -> Rich:
    """A number as the table shows it, with the flag of a result the reader must not take at face value
    (``derive`` ``result_flags``: below an earlier result of the same stock)."""
    value = ctx.value(r.value, r.indicator_id, r.qualifier)
    flags = ctx.derived.result_flags
    flag = flags[flags.obs_id == r.obs_id]
    if flag.empty:
        return run("num", value)
    earlier = ctx.fb.observations.loc[flag.other_obs_id.iloc[0]]
    note = ctx.tr(
        f"finding.flag_{flag.flag.iloc[0]}",
        earlier=ctx.value(earlier.value, earlier.indicator_id, earlier.qualifier),
        earlier_period=ctx.when(earlier.period, earlier.obs_id),
    )
    return run("flagged", value, note)


def facts_table(ctx: Context, role: str) -> Table | Paragraphs:
    """Every number of one role of the region, with its quote and source, grouped by theme."""
    obs = role_rows(ctx, role)
    if obs.empty:
        return ctx.empty(f"curated.none.{role}")
    rows = []
    for r in obs.itertuples():
        period = ctx.period(r.period) + ("*" if r.is_period_inferred else "")
        rows.append(
            [
                ctx.indicator(r.indicator_id),
                ctx.theme(r.theme),
                period,
                value_cell(ctx, r),
                glossed_quote(ctx, r),
                source_cell(ctx, r.source_id, r.obs_id),
            ]
        )
    keys = ["indicator", "theme", "deadline" if role in GOAL_ROLES else "period", "value", "quote", "source"]
    return table(
        ctx,
        ctx.tr(f"curated.caption.{role}", region=ctx.name, n=len(obs)),
        [ctx.tr(f"col.{c}") for c in keys],
        rows,
        classes=keys,
        note=ctx.tr("curated.inferred_note") if obs.is_period_inferred.any() else "",
    )


def plans_table(ctx: Context) -> Table | Paragraphs:
    plans = ctx.fb.plans[ctx.fb.plans.region_id == ctx.region_id]
    if plans.empty:  # said, so that the section's heading never stands alone
        return ctx.empty("curated.none.plans")
    rows = [
        [
            zh(p.title_zh) + (run("br") + text(p.title_en) if ctx.loc.translations else ""),
            _years(p.start_year, p.end_year, ctx.lang),
            format_date(p.issued, ctx.lang),
            glossed_quote(ctx, p),
            ctx.source_link(p.source_id),
        ]
        for p in plans.itertuples()
    ]
    keys = ["plan", "years", "issued", "quote", "source"]
    # the years and the date of issue are left out where no plan of the region states them
    kept = [i for i, k in enumerate(keys) if k not in ("years", "issued") or any(str(r[i]) for r in rows)]
    return table(
        ctx,
        ctx.tr("curated.caption.plans", region=ctx.name, n=len(plans)),
        [ctx.tr(f"col.{keys[i]}") for i in kept],
        [[r[i] for i in kept] for r in rows],
        classes=[keys[i] for i in kept],
    )


def _years(start: object, end: object, lang: str) -> str:
    """A plan's years as the edition writes a span: 2022–2025 / 2022—2025年."""
    s = "" if pd.isna(start) else str(int(start))
    e = "" if pd.isna(end) else str(int(end))
    if not (s or e):
        return ""
    return format_period(f"{s}..{e}" if s and e and s != e else (e or s), lang)


def measures_table(ctx: Context) -> Table | Paragraphs:
    """The region's qualitative measures by theme; where a report only recommends some, a column says which."""
    m = ctx.measures.sort_values(["theme", "measure_id"])
    if m.empty:
        return ctx.empty("curated.none.measures")
    mixed = not m.is_adopted.all()
    rows = []
    for r in m.itertuples():
        row: list[object] = [ctx.theme(r.theme)]
        if mixed:
            row.append(ctx.tr("measure.adopted" if r.is_adopted else "measure.recommended"))
        if ctx.loc.translations:
            row.append(text(r.summary_en))
        row += [quote_cell(r.quote), ctx.source_link(r.source_id)]
        rows.append(row)
    summary = ["summary"] if ctx.loc.translations else []
    cols = ["theme"] + (["adoption"] if mixed else []) + summary + ["quote", "source"]
    caption = ctx.tr(
        "curated.caption.measures_recommended" if mixed else "curated.caption.measures",
        region=ctx.name,
        n=len(m),
        recommended=int((~m.is_adopted).sum()),
    )
    return table(ctx, caption, [ctx.tr(f"col.{c}") for c in cols], rows, classes=cols)


SVG_NS, XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"


def prepare_svg(svg: str, prefix: str, label: str) -> str:
    """A chart's SVG made ready to sit inline in a page, among other charts.

    Data points marked with :func:`charts.tip` get a native ``<title>`` tooltip; ids that something refers to
    (clip paths, markers) get ``prefix`` so that several charts can share one page, and the others go;
    matplotlib's metadata and page-wide ``<style>`` go; the root gets ``role="img"`` and ``label``.
    """
    from xml.etree import ElementTree as ET

    from .charts import tip_text

    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg.encode("utf-8"))
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    href = f"{{{XLINK_NS}}}href"
    referenced = {v[1:] for e in root.iter() for k, v in e.attrib.items() if k == href and v.startswith("#")}
    referenced |= {m for e in root.iter() for v in e.attrib.values() for m in re.findall(r"url\(#([^)]+)\)", v)}
    for e in root.iter():
        gid = e.attrib.pop("id", None)
        if gid is None:
            continue
        text = tip_text(gid)
        if text is not None:
            title = ET.Element(f"{{{SVG_NS}}}title")
            title.text = text
            e.insert(0, title)
        elif gid in referenced:
            e.set("id", f"{prefix}-{gid}")
    for e in root.iter():
        for k, v in list(e.attrib.items()):
            if k == href and v.startswith("#"):
                e.set(k, f"#{prefix}-{v[1:]}")
            elif "url(#" in v:
                e.set(k, re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", v))
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("aria-label", label)
    return ET.tostring(root, encoding="unicode")


def figure(ctx: Context, chart) -> tuple[Figure, dict]:
    """A captioned figure for a chart, and the chart's files (SVG and the CSV of what it plots).

    The files go to the build with the figure's output (see ``payload``); they are written to disk only
    when the notebook was given a ``figures_dir`` of its own.
    """
    import matplotlib.pyplot as plt

    suffix = ctx.loc.suffix
    from .charts import settle_fonts

    buf = io.StringIO()
    settle_fonts(chart.fig)
    chart.fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(chart.fig)
    svg = prepare_svg(buf.getvalue(), f"fig-{chart.name}", chart.alt)
    svg_name, csv_name = f"{chart.name}{suffix}.svg", f"{chart.name}{suffix}.csv"
    csv_text = chart.data.to_csv(index=False)
    if ctx.figures_dir is not None:
        paths.atomic_write(ctx.figures_dir / svg_name, svg.encode("utf-8"))
        # a notebook run by hand writes the chart's CSV for people: no cell may run as a formula
        paths.atomic_write(ctx.figures_dir / csv_name, neutralise_csv(csv_text.encode("utf-8")))
    block = Figure(
        fid=f"fig-{chart.name}",
        svg=svg,
        alt=chart.alt,
        credit=Rich.format(
            ctx.tr("figure.credit"),
            caption=chart.caption,
            sources=Rich.of(ctx.tr("figure.sources_join")).join(
                ctx.source_link(s) for s in sorted(chart.sources, key=ctx.source_numbers.__getitem__)
            ),
        ),
        href=f"{ctx.figures_href}/{csv_name}",
        data_label=ctx.tr("figure.data"),
    )
    return block, {"files": {svg_name: '<?xml version="1.0" encoding="utf-8"?>\n' + svg, csv_name: csv_text}}


# --- Page one: sentences -------------------------------------------------------------------------


def role_counts(obs: pd.DataFrame) -> dict[str, int]:
    """How many numbers of each role, in the order of the schema (roles with none left out)."""
    counts = obs.role.value_counts()
    return {role: int(counts[role]) for role in ROLES if role in counts}


def counts_sentence(ctx: Context, n_sources: int) -> str:
    """What the sources hold about the region, each role counted apart (targets are adopted targets only)."""
    obs, meas = ctx.obs, ctx.measures
    parts = _join(ctx, [ctx.tr(f"findings.role_part.{role}", n=n) for role, n in role_counts(obs).items()])
    recommended = int((~meas.is_adopted).sum())
    measures = ctx.tr(
        "findings.measures_recommended" if recommended else "findings.measures", n=len(meas), recommended=recommended
    )
    key = "findings.counts" if len(obs) else "findings.counts_none"
    return ctx.tr(key, region=ctx.name, n=len(obs), parts=parts, measures=measures, sources=n_sources)


def status_in_sentence(ctx: Context, status: str) -> str:
    """A status name as it reads inside a sentence (lower case in English)."""
    text = ctx.tr(f"status.{status}")
    return in_sentence(text, ctx.lang)


def pace(ctx: Context, rate: float, linear: bool, indicator_id: str) -> str:
    """An annual pace as a reader writes it: '29.6% a year (compound)' or '1.5 pp a year'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    if linear:
        return format_value(rate, ctx.unit(indicator_id), ctx.lang) + ctx.tr("per_year")
    return ctx.tr("rate.compound", rate=f"{rate * 100:.1f}")


def _join(ctx: Context, items: list[str]) -> str:
    return join(items, ctx.lang)


def region_has_facts(fb: FactBase, region_id: str) -> bool:
    return bool((fb.observations.region_id == region_id).any() or (fb.measures.region_id == region_id).any())


def buildable_regions(fb: FactBase) -> list[str]:
    """Regions with any observation or measure, in the order of ``regions.csv``."""
    return [r for r in fb.regions.index if region_has_facts(fb, r)]


FIGURES_HREF = "figures"
"""Where a briefing's chart files are, relative to the briefing: ``reports/<region>/figures/``."""
