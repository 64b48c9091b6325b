"""HTML pieces of a briefing, built from the fact base. All text from the data is escaped."""

from __future__ import annotations

import html
import io
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import paths, progress
from .data import FactBase, has_period
from .i18n import format_period, t
from .numbers import format_number, format_value, measure_word
from .schema import GOAL_ROLES, ROLES


def esc(value: object) -> str:
    """Escape any value for HTML text or attributes."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


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
    def name(self) -> str:
        return self.region[f"name_{self.lang}"]

    @property
    def obs(self) -> pd.DataFrame:
        return self.fb.observations[self.fb.observations.region_id == self.region_id]

    @property
    def measures(self) -> pd.DataFrame:
        return self.fb.measures[self.fb.measures.region_id == self.region_id]

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def indicator(self, indicator_id: str) -> str:
        return self.fb.indicators.loc[indicator_id, f"name_{self.lang}"]

    def unit(self, indicator_id: str) -> str:
        return self.fb.indicators.loc[indicator_id, "unit"]

    def value(self, value: float, indicator_id: str, qualifier: str = "=") -> str:
        """A number with its qualifier, unit and measure word: 'over 9,800', '超过9800家'."""
        measure = measure_word(self.fb.indicators, indicator_id, self.lang)
        return format_number(value, self.unit(indicator_id), self.lang, qualifier, measure)

    def region_name(self, region_id: str) -> str:
        return self.fb.regions.loc[region_id, f"name_{self.lang}"]

    def period(self, period: str, inferred: bool = False) -> str:
        """A period as a reader writes it, with * when it is inferred."""
        return format_period(period, self.lang) + ("*" if inferred else "")

    def when(self, period: str, obs_id: str) -> str:
        """The period of observation ``obs_id``, with * when the text gives no year for it."""
        return self.period(period, bool(self.fb.observations.loc[obs_id, "is_period_inferred"]))

    @cached_property
    def cited_sources(self) -> pd.DataFrame:
        """The sources this briefing cites, in the order of ``sources.csv``: its own and its peers' numbers and
        measures (the fact base a briefing reads holds the region and its peers only)."""
        used = set(self.obs.source_id) | set(self.fb.measures.source_id) | set(self.fb.observations.source_id)
        return self.fb.sources[self.fb.sources.source_id.isin(used)]

    @property
    def as_of(self) -> str:
        """The briefing's data as-of date: the latest publication date of the sources it cites."""
        return max(self.cited_sources.published)

    @cached_property
    def source_numbers(self) -> dict[str, int]:
        """Each cited source's number in this briefing's list of sources (from 1)."""
        return {sid: n for n, sid in enumerate(self.cited_sources.source_id, start=1)}

    def source_link(self, source_id: str) -> str:
        """A short numbered mark, ``[2]``, linked to the source's entry in the Sources section."""
        return (
            f'<a class="cite" href="#src-{esc(source_id)}" title="{esc(source_id)}">'
            f"[{self.source_numbers[source_id]}]</a>"
        )


def heading(ctx: Context, section: str, level: int = 2) -> str:
    return f'<h{level} id="{section}">{esc(ctx.tr(f"section.{section}.title", region=ctx.name))}</h{level}>'


def table(
    ctx: Context,
    caption: str,
    columns: list[str],
    rows: list[list[str]],
    css: str = "",
    widths: list[int] | None = None,
    classes: list[str] | None = None,
) -> str:
    """A captioned table with a header row, in a region that scrolls sideways on a narrow screen.

    Cells are HTML already escaped by the caller. ``classes`` names each column (``quote``, ``value``,
    ``source`` …) so that the stylesheet sizes it from its content; ``widths`` (percent) fix widths instead.
    """
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    kinds = [f' class="col-{esc(c)}"' for c in classes] if classes else [""] * len(columns)
    head = "".join(f'<th scope="col"{k}>{esc(c)}</th>' for c, k in zip(columns, kinds))
    body = "".join("<tr>" + "".join(f"<td{k}>{c}</td>" for c, k in zip(r, kinds)) + "</tr>" for r in rows)
    colgroup = f"<colgroup>{cols}</colgroup>" if cols else ""
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{esc(caption)}">'
        f'<table class="facts {css}"><caption>{esc(caption)}</caption>{colgroup}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def quote_cell(quote: str) -> str:
    return f'<q lang="zh-Hans">{esc(quote)}</q>'


def zh(text: str) -> str:
    """Chinese text from the data (titles, names), marked as such for readers and screen readers."""
    return f'<span lang="zh-Hans">{esc(text)}</span>'


def en(text: str) -> str:
    """English text from the data (notes, publishers), marked as such in the Chinese edition."""
    return f'<span lang="en">{esc(text)}</span>'


def data_text(ctx: Context, row, column: str, strip: str = "") -> str:
    """Text from the data in the edition's language where the data has it (``notes_zh``), else as stored
    (English, marked as such); ``strip`` is a prefix to drop ('inferred: ')."""
    local = getattr(row, f"{column}_{ctx.lang}", None)
    if isinstance(local, str) and local:
        return esc(local)
    return en(str(getattr(row, column)).removeprefix(strip))


def plan_title(ctx: Context, plan_id: str) -> str:
    """A plan's name for the edition: in its language where the data has it, with the Chinese original."""
    if not isinstance(plan_id, str) or not plan_id or plan_id not in ctx.fb.plans.index:
        return "–"
    plan = ctx.fb.plans.loc[plan_id]
    title = plan.get(f"title_{ctx.lang}")
    if isinstance(title, str) and title and title != plan.title_zh:
        return f"{esc(title)} ({zh(plan.title_zh)})"
    return zh(plan.title_zh)


def role_rows(ctx: Context, role: str) -> pd.DataFrame:
    """The region's observations of one role, with their theme, in reading order."""
    obs = ctx.obs[ctx.obs.role == role].join(ctx.fb.indicators[["theme"]], on="indicator_id")
    return obs.sort_values(["theme", "indicator_id", "period", "obs_id"], na_position="first")


def facts_table(ctx: Context, role: str) -> str:
    """Every number of one role of the region, with its quote and source, grouped by theme."""
    obs = role_rows(ctx, role)
    if obs.empty:
        return f'<p class="empty">{esc(ctx.tr(f"curated.none.{role}", region=ctx.name))}</p>'
    rows = []
    for r in obs.itertuples():
        period = ctx.period(r.period) + ("*" if r.is_period_inferred else "")
        rows.append(
            [
                esc(ctx.indicator(r.indicator_id)),
                esc(ctx.fb.themes.loc[r.theme, f"name_{ctx.lang}"]),
                esc(period),
                f'<span class="num">{esc(ctx.value(r.value, r.indicator_id, r.qualifier))}</span>',
                quote_cell(r.quote),
                ctx.source_link(r.source_id) + f' <span class="id">{esc(r.obs_id)}</span>',
            ]
        )
    keys = ["indicator", "theme", "deadline" if role in GOAL_ROLES else "period", "value", "quote", "source"]
    note = f'<p class="note">{esc(ctx.tr("curated.inferred_note"))}</p>' if obs.is_period_inferred.any() else ""
    return (
        table(
            ctx,
            ctx.tr(f"curated.caption.{role}", region=ctx.name, n=len(obs)),
            [ctx.tr(f"col.{c}") for c in keys],
            rows,
            classes=keys,
        )
        + note
    )


def plans_table(ctx: Context) -> str:
    plans = ctx.fb.plans[ctx.fb.plans.region_id == ctx.region_id]
    if plans.empty:  # said, so that the section's heading never stands alone
        return f'<p class="empty">{esc(ctx.tr("curated.none.plans", region=ctx.name))}</p>'
    rows = [
        [
            zh(p.title_zh) + (f"<br>{esc(p.title_en)}" if ctx.lang == "en" else ""),
            esc(_years(p.start_year, p.end_year)),
            esc(p.issued or ""),
            quote_cell(p.quote),
            ctx.source_link(p.source_id),
        ]
        for p in plans.itertuples()
    ]
    keys = ["plan", "years", "issued", "quote", "source"]
    return table(
        ctx,
        ctx.tr("curated.caption.plans", region=ctx.name, n=len(plans)),
        [ctx.tr(f"col.{c}") for c in keys],
        rows,
        classes=keys,
    )


def _years(start: object, end: object) -> str:
    s = "" if pd.isna(start) else str(int(start))
    e = "" if pd.isna(end) else str(int(end))
    return f"{s}–{e}" if s and e and s != e else (e or s)


def measures_table(ctx: Context) -> str:
    """The region's qualitative measures by theme; where a report only recommends some, a column says which."""
    m = ctx.measures.sort_values(["theme", "measure_id"])
    if m.empty:
        return f'<p class="empty">{esc(ctx.tr("curated.none.measures", region=ctx.name))}</p>'
    mixed = not m.is_adopted.all()
    rows = []
    for r in m.itertuples():
        row = [esc(ctx.fb.themes.loc[r.theme, f"name_{ctx.lang}"])]
        if mixed:
            row.append(esc(ctx.tr("measure.adopted" if r.is_adopted else "measure.recommended")))
        if ctx.lang == "en":
            row.append(esc(r.summary_en))
        row += [quote_cell(r.quote), ctx.source_link(r.source_id)]
        rows.append(row)
    cols = ["theme"] + (["adoption"] if mixed else []) + (["summary"] if ctx.lang == "en" else []) + ["quote", "source"]
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


def figure(ctx: Context, chart) -> tuple[str, dict]:
    """A captioned ``<figure>`` for a chart, and the chart's files (SVG and the CSV of what it plots).

    The files go to the build with the figure's output (see ``payload``); they are written to disk only
    when the notebook was given a ``figures_dir`` of its own.
    """
    import matplotlib.pyplot as plt

    suffix = "" if ctx.lang == "en" else f".{ctx.lang}"
    buf = io.StringIO()
    chart.fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(chart.fig)
    svg = prepare_svg(buf.getvalue(), f"fig-{chart.name}", chart.alt)
    svg_name, csv_name = f"{chart.name}{suffix}.svg", f"{chart.name}{suffix}.csv"
    csv_text = chart.data.to_csv(index=False)
    if ctx.figures_dir is not None:
        paths.atomic_write(ctx.figures_dir / svg_name, svg.encode("utf-8"))
        paths.atomic_write(ctx.figures_dir / csv_name, csv_text.encode("utf-8"))
    sources = ", ".join(ctx.source_link(s) for s in chart.sources)
    fid = f"fig-{esc(chart.name)}"
    html_text = (
        f'<figure class="chart" id="{fid}"><div class="chart-scroll" role="region" tabindex="0" '
        f'aria-labelledby="{fid}-caption">{svg}</div>'
        f'<figcaption id="{fid}-caption">{esc(chart.caption)} {esc(ctx.tr("figure.sources"))} {sources}. '
        f'<a href="{esc(ctx.figures_href)}/{esc(csv_name)}">{esc(ctx.tr("figure.data"))}</a></figcaption>'
        "</figure>"
    )
    return html_text, {"files": {svg_name: '<?xml version="1.0" encoding="utf-8"?>\n' + svg, csv_name: csv_text}}


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
    return text[0].lower() + text[1:] if ctx.lang == "en" else text


def pace(ctx: Context, rate: float, linear: bool, indicator_id: str) -> str:
    """An annual pace as a reader writes it: '29.6% a year (compound)' or '1.5 pp a year'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    if linear:
        return format_value(rate, ctx.unit(indicator_id), ctx.lang) + ctx.tr("per_year")
    return ctx.tr("rate.compound", rate=f"{rate * 100:.1f}")


def _join(ctx: Context, items: list[str]) -> str:
    items = [i for i in items if i]
    if ctx.lang == "zh":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def headlines(fb: FactBase, region_id: str, lang: str) -> list[tuple[str, str]]:
    """Two or three headline numbers for the index page: (label, value)."""
    obs = fb.observations[fb.observations.region_id == region_id]
    meas = fb.measures[fb.measures.region_id == region_id]
    out = [
        (t("index.facts", lang), str(len(obs))),
        (t("index.targets", lang), str(len(progress.targets(fb, region_id)))),
        (t("index.measures", lang), str(len(meas))),
    ]
    dated = obs[has_period(obs)]
    results = dated[dated.role == "result"].sort_values(["period", "obs_id"], ascending=[False, True])
    targets = dated[dated.role == "target"].sort_values(["period", "obs_id"], ascending=[False, True])
    pick = targets.iloc[0] if not targets.empty else (results.iloc[0] if not results.empty else None)
    if pick is not None:
        ind = fb.indicators.loc[pick.indicator_id]
        q = "" if pick.qualifier == "=" else t(f"qual.{pick.qualifier}", lang)
        label = f"{ind[f'name_{lang}']} ({t(f'role.{pick.role}', lang)}, {format_period(pick.period, lang)})"
        out.append((label, q + format_value(pick.value, ind.unit, lang)))
    return out


def region_has_facts(fb: FactBase, region_id: str) -> bool:
    return bool((fb.observations.region_id == region_id).any() or (fb.measures.region_id == region_id).any())


def buildable_regions(fb: FactBase) -> list[str]:
    """Regions with any observation or measure, in the order of ``regions.csv``."""
    return [r for r in fb.regions.index if region_has_facts(fb, r)]


FIGURES_HREF = "figures"
"""Where a briefing's chart files are, relative to the briefing: ``reports/<region>/figures/``."""
