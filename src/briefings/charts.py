"""Charts: each returns the figure and exactly the data it plots, with alt text and its sources."""

from __future__ import annotations

import base64
import math
import re
import warnings
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .data import FactBase, has_period  # noqa: E402
from .i18n import format_period, join, locale, t  # noqa: E402
from .numbers import format_number, format_tick, format_value, measure_word  # noqa: E402
from .periods import period_time  # noqa: E402
from .progress import annual_rate, is_linear, project  # noqa: E402
from .schema import CONTEXT_KINDS  # noqa: E402

CJK_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Noto Sans"
# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
HIGHLIGHT, PEER, MUTED = "#0072B2", "#B8B8B8", "#6E6E6E"
CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
LABEL_GROUND = {"bbox": {"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85}, "zorder": 5}
"""A data label on a white ground, above the lines: a dashed pace line never runs through the number."""


class GlyphMissingError(RuntimeError):
    """A chart would draw empty boxes: the CJK font is missing."""


def setup_matplotlib() -> None:
    """Vector SVG with real text, drawn in Noto Sans CJK SC; a missing glyph is an error, not a warning."""
    from matplotlib import font_manager

    for family, package in ((LATIN_FONT, "fonts-noto-core"), (CJK_FONT, "fonts-noto-cjk")):
        try:
            font_manager.findfont(family, fallback_to_default=False)
        except ValueError:
            raise GlyphMissingError(
                f"font {family!r} not found: install it with `apt-get install {package}`, then "
                "rebuild matplotlib's font cache (`make setup`)"
            ) from None
    plt.rcParams.update(
        {
            "font.family": [LATIN_FONT, CJK_FONT],  # Latin in Noto Sans, Chinese in Noto Sans CJK, as the text
            "svg.fonttype": "none",
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "font.size": 9,
            "svg.hashsalt": "briefings",
            "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
        }
    )
    warnings.filterwarnings("error", message=r"Glyph .* missing", category=UserWarning)


@dataclass
class Chart:
    """A figure, the rows it plots, and what a reader needs to trust it."""

    name: str
    fig: plt.Figure
    data: pd.DataFrame
    alt: str
    caption: str
    sources: list[str] = field(default_factory=list)


TIP_PREFIX = "tip-"


def settle_fonts(fig: plt.Figure) -> None:
    """Every text with a Chinese character names Noto Sans CJK SC alone: the SVG's font list would otherwise
    leave the choice of face to the renderer, and Typst takes the collection's first (the Japanese forms of
    ：and “”)."""
    for text in fig.findobj(matplotlib.text.Text):
        if CJK_CHAR.search(text.get_text()):
            text.set_fontfamily([CJK_FONT])


def tick_numbers(axis, unit: str, lang: str) -> None:
    """Tick labels as the labels and the text write numbers (10,000 in English, 10000 in Chinese)."""
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: format_tick(x, unit, lang)))


def tip(artist, text: str):
    """Mark a drawn data point with its tooltip; the SVG export turns the mark into a native <title>."""
    artist.set_gid(TIP_PREFIX + base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("="))
    return artist


def tip_text(gid: str) -> str | None:
    """The tooltip a :func:`tip` mark carries, or None for any other id."""
    if not gid.startswith(TIP_PREFIX):
        return None
    code = gid[len(TIP_PREFIX) :]
    return base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)).decode("utf-8")


def _point_tip(label: str, value: str, period: str, source: str, lang: str) -> str:
    return t("chart.tip", lang, label=label, value=value, period=period, source=source)


def _label(fb: FactBase, indicator_id: str, lang: str, width: int = 34) -> str:
    import textwrap

    name = locale(lang).pick(fb.indicators, indicator_id)
    return "\n".join(textwrap.wrap(name, int(width * locale(lang).label_width)))


def _region(fb: FactBase, region_id: str, lang: str) -> str:
    return locale(lang).pick(fb.regions, region_id)


def _point(r, unit: str, lang: str) -> str:
    """A point of a chart in words: '177 (2023)', '177（2023年）'."""
    return t("chart.point", lang, value=format_value(r.value, unit, lang), period=format_period(r.period, lang))


def trajectory(fb: FactBase, region_id: str, indicator_id: str, lang: str) -> Chart | None:
    """Results and successive adopted targets over time, with the trend path beside the required path."""
    obs = fb.observations
    s = obs[
        (obs.region_id == region_id)
        & (obs.indicator_id == indicator_id)
        & obs.role.isin(("result", "target"))
        & has_period(obs)
    ].copy()
    acts, tgts = s[s.role == "result"], s[s.role == "target"]
    if acts.empty or tgts.empty or len(s) < 2:
        return None
    unit = fb.indicators.loc[indicator_id, "unit"]
    s["time"] = s.period.map(period_time)
    acts, tgts = s[s.role == "result"].sort_values("time"), s[s.role == "target"].sort_values("time")
    latest = acts.iloc[-1]
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    rows = [
        dict(series="actual", time=r.time, period=r.period, value=r.value, obs_id=r.obs_id, plan="")
        for r in acts.itertuples()
    ]
    rows += [
        dict(series="target", time=r.time, period=r.period, value=r.value, obs_id=r.obs_id, plan=r.plan)
        for r in tgts.itertuples()
    ]
    future = tgts[tgts.time > latest.time]
    for r in future.itertuples():
        rows += [
            dict(
                series="required path",
                time=latest.time,
                period=latest.period,
                value=latest.value,
                obs_id=latest.obs_id,
                plan=r.plan,
            ),
            dict(series="required path", time=r.time, period=r.period, value=r.value, obs_id=r.obs_id, plan=r.plan),
        ]
    if len(acts) >= 2 and not future.empty:
        first = acts.iloc[0]
        years = latest.time - first.time
        kind = fb.indicators.loc[indicator_id, "kind"]
        linear = is_linear(kind, first.value, latest.value, *future.value)
        rate = annual_rate(first.value, latest.value, years, linear)
        horizon = future.time.max()
        rows += [
            dict(
                series="trend path",
                time=latest.time,
                period=latest.period,
                value=latest.value,
                obs_id=latest.obs_id,
                plan="",
            ),
            dict(
                series="trend path",
                time=horizon,
                period=str(int(horizon)),
                value=project(latest.value, rate, horizon - latest.time, linear),
                obs_id="",
                plan="",
            ),
        ]
    data = pd.DataFrame(rows)
    for series, style in (
        ("required path", dict(color=OKABE_ITO[1], ls="--", lw=1.5)),
        ("trend path", dict(color=OKABE_ITO[2], lw=1.5)),
    ):
        part = data[data.series == series]
        for _plan, seg in part.groupby("plan", sort=False):
            ax.plot(seg.time, seg.value, label=t(f"chart.series.{series.replace(' ', '_')}", lang), **style)
    related = _related_measures(fb, region_id, indicator_id, unit, lang)
    name = locale(lang).pick(fb.indicators, indicator_id)
    for part, marker, colour, series in ((acts, "o", HIGHLIGHT, "actual"), (tgts, "D", OKABE_ITO[3], "target")):
        for r in part.itertuples():
            tip(
                ax.plot([r.time], [r.value], marker, color=colour, label=t(f"chart.series.{series}", lang), zorder=3)[
                    0
                ],
                _point_tip(
                    t("chart.series_of", lang, name=name, series=t(f"chart.series.{series}", lang)),
                    format_value(r.value, unit, lang),
                    format_period(r.period, lang),
                    r.source_id,
                    lang,
                ),
            )
    for r in s.itertuples():
        ax.annotate(
            t(
                "chart.point",
                lang,
                value=format_number(r.value, unit, lang, r.qualifier, measure_word(fb.indicators, indicator_id, lang)),
                period=format_period(r.period, lang) + ("*" if r.is_period_inferred else ""),
            ),
            (r.time, r.value),
            fontsize=7,
            xytext=(4, 5),
            textcoords="offset points",
            **LABEL_GROUND,
        )
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    # below the plot, where no point or label can be: on it, a legend would sit over the data it explains
    ax.legend(
        uniq.values(),
        uniq.keys(),
        fontsize=7,
        frameon=False,
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
        ncol=len(uniq),
    )
    ax.set_ylim(0, data.value.max() * 1.2)
    tick_numbers(ax.yaxis, unit, lang)
    ax.set_xlim(math.floor(s.time.min()) - 0.5, math.ceil(s.time.max()) + 1)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel(t(f"unit.{unit}", lang))
    ax.set_title(_label(fb, indicator_id, lang, 80), loc="left")
    fig.tight_layout()
    alt = t(
        "chart.trajectory.alt",
        lang,
        indicator=name,
        region=_region(fb, region_id, lang),
        actuals=join([_point(r, unit, lang) for r in acts.itertuples()], lang),
        targets=join([_point(r, unit, lang) for r in tgts.itertuples()], lang),
    )
    cap = t("chart.trajectory.caption", lang)
    if len(acts) < 2:
        cap += t("finding.sentence_join", lang) + t("chart.trajectory.no_trend", lang)
    if related:
        cap += t("finding.sentence_join", lang) + t("chart.trajectory.related", lang, measures=join(related, lang))
    return Chart(f"trajectory-{indicator_id}", fig, data, alt, cap, sorted(set(s.source_id)))


def _related_measures(fb: FactBase, region_id: str, indicator_id: str, unit: str, lang: str) -> list[str]:
    """The region's results for related indicators of another definition (all industries beside key
    industries), as the caption states them: they never share the chart's axis (see the method)."""
    group = fb.indicators.loc[indicator_id, "comparison_group"]
    if fb.indicators.loc[indicator_id, "kind"] not in CONTEXT_KINDS or not isinstance(group, str):
        return []
    obs = fb.observations
    related = fb.indicators.index[(fb.indicators.comparison_group == group) & (fb.indicators.index != indicator_id)]
    rows = obs[(obs.region_id == region_id) & obs.indicator_id.isin(related) & (obs.role == "result")]
    return [
        t(
            "chart.point",
            lang,
            value=t(
                "chart.labelled",
                lang,
                name=locale(lang).pick(fb.indicators, r.indicator_id),
                value=format_value(r.value, unit, lang),
            ),
            period=format_period(r.period, lang) + ("*" if r.is_period_inferred else ""),
        )
        for r in rows.itertuples()
    ]


def _panels(n: int, height: float) -> tuple[plt.Figure, list]:
    """A grid of up to three columns for ``n`` small multiples; unused panels hidden."""
    cols = min(3, n)
    fig, axes = plt.subplots(math.ceil(n / cols), cols, figsize=(7.2, height * math.ceil(n / cols)), squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n]


def _value_label(fb: FactBase, r, unit: str, lang: str) -> str:
    """A plotted number as the briefing writes it: its qualifier, value and unit, and * for an inferred period."""
    inferred = bool(fb.observations.loc[r.obs_id, "is_period_inferred"]) if r.obs_id in fb.observations.index else False
    measure = measure_word(fb.indicators, getattr(r, "indicator_id", ""), lang)
    return format_number(r.value, unit, lang, r.qualifier, measure) + ("*" if inferred else "")


def _region_dots(ax, fb: FactBase, part: pd.DataFrame, y: float, region_id: str, lang: str, unit: str) -> None:
    """One row of a dot plot: a dot per region at its value, labelled, the chosen region highlighted."""
    for i, r in enumerate(part.sort_values("value").itertuples()):
        own = r.region_id == region_id
        name = _region(fb, r.region_id, lang)
        dot = ax.scatter([r.value], [y], s=46 if own else 30, color=HIGHLIGHT if own else PEER, zorder=4 if own else 3)
        tip(dot, _point_tip(name, format_value(r.value, unit, lang), format_period(r.period, lang), r.source_id, lang))
        ax.annotate(
            f"{name} {_value_label(fb, r, unit, lang)}",
            (r.value, y),
            xytext=(0, 7 if i % 2 == 0 else -11),
            textcoords="offset points",
            ha="center",
            fontsize=7,
            fontweight="bold" if own else "normal",
            color="#222222" if own else MUTED,
        )


def _padded_limits(values: pd.Series) -> tuple[float, float]:
    lo, hi = min(0.0, float(values.min())), max(0.0, float(values.max()))
    pad = (hi - lo) * 0.15 or 1.0
    return lo - pad, hi + pad


def _same_key(pairs: pd.DataFrame, k) -> pd.Series:
    """Rows of ``pairs`` of the indicator, role and period of ``k``."""
    return (pairs.indicator_id == k.indicator_id) & (pairs.role == k.role) & (pairs.period == k.period)


def peer_panels(fb: FactBase, pairs: pd.DataFrame, region_id: str) -> list[tuple[object, pd.DataFrame]]:
    """The panels of the peer chart: each key (indicator, role, period) with the rows it plots, at most nine."""
    keys = pairs[["indicator_id", "role", "period"]].drop_duplicates().head(9)
    obs = fb.observations
    return [
        (
            k,
            obs[
                (obs.indicator_id == k.indicator_id)
                & (obs.role == k.role)
                & (obs.period == k.period)
                & obs.region_id.isin({region_id, *pairs.region_id_peer[_same_key(pairs, k)]})
            ].sort_values("value"),
        )
        for k in keys.itertuples()
    ]


def theme_sources(fb: FactBase, matrix: pd.DataFrame) -> list[str]:
    """The sources the theme heat map counts: every text with a measure or a number of a region it shows."""
    shown = [*fb.measures.source_id[fb.measures.region_id.isin(matrix.index)]]
    shown += [*fb.observations.source_id[fb.observations.region_id.isin(matrix.index)]]
    return sorted(set(shown))


def peer_bars(fb: FactBase, pairs: pd.DataFrame, region_id: str, lang: str) -> Chart | None:
    """Comparable numbers as labelled dots, one panel per indicator, role and period (dots, not bars: the
    panels have their own scales, so no length is compared across them); the chosen region highlighted."""
    if pairs.empty:
        return None
    panels = peer_panels(fb, pairs, region_id)
    n = len(panels)
    fig, axes = _panels(n, 1.6)
    rows = []
    for ax, (k, part) in zip(axes, panels):
        unit = fb.indicators.loc[k.indicator_id, "unit"]
        _region_dots(ax, fb, part, 0, region_id, lang, unit)
        ax.set_xlim(*_padded_limits(part.value))
        tick_numbers(ax.xaxis, unit, lang)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(labelsize=7)
        ax.set_xlabel(t(f"unit.{unit}", lang), fontsize=7)
        ax.set_title(
            _label(fb, k.indicator_id, lang, 30)
            + "\n"
            + t("chart.peers.panel", lang, role=t(f"role.{k.role}", lang), period=format_period(k.period, lang)),
            fontsize=8,
            loc="left",
        )
        rows += [
            dict(
                indicator_id=k.indicator_id,
                role=k.role,
                period=k.period,
                region_id=r.region_id,
                value=r.value,
                qualifier=r.qualifier,
                obs_id=r.obs_id,
                source_id=r.source_id,
            )
            for r in part.itertuples()
        ]
    fig.tight_layout()
    data = pd.DataFrame(rows)
    alt = t("chart.peers.alt", lang, region=_region(fb, region_id, lang), n=n)
    return Chart("peers", fig, data, alt, t("chart.peers.caption", lang), sorted(set(data.source_id)))


def fastest_growth(fb: FactBase, families: pd.DataFrame, region_id: str, lang: str) -> Chart | None:
    """What grew fastest: the region's own sectors ranked on one axis within each aggregate they are parts
    of, the aggregate's own rate (the benchmark the text gives) as a dashed line; panels share the axis."""
    keys = families[["family", "period"]].drop_duplicates().head(3)
    if keys.empty:
        return None
    n_rows = [
        int(((families.family == k.family) & (families.period == k.period) & ~families.is_whole).sum())
        for k in keys.itertuples()
    ]
    fig, axes = plt.subplots(
        len(keys),
        1,
        figsize=(7.2, 0.32 * sum(n_rows) + 1.2 * len(keys)),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": n_rows},
    )
    rows = []
    for ax, k in zip(axes[:, 0], keys.itertuples()):
        fam = families[(families.family == k.family) & (families.period == k.period)]
        parts, whole = fam[~fam.is_whole], fam[fam.is_whole]
        for y, r in enumerate(parts.itertuples()):
            bar = ax.barh([y], [r.value], color=PEER, height=0.6)
            tip(
                bar.patches[0],
                _point_tip(
                    locale(lang).pick(fb.indicators, r.indicator_id),
                    format_value(r.value, "%", lang),
                    format_period(r.period, lang),
                    r.source_id,
                    lang,
                ),
            )
            ax.annotate(
                _value_label(fb, r, "%", lang),
                (max(r.value, 0), y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                **LABEL_GROUND,
            )
        for r in whole.itertuples():
            line = ax.axvline(r.value, color=HIGHLIGHT, ls="--", lw=1.2)
            tip(
                line,
                _point_tip(
                    locale(lang).pick(fb.indicators, r.indicator_id),
                    format_value(r.value, "%", lang),
                    format_period(r.period, lang),
                    r.source_id,
                    lang,
                ),
            )
            ax.annotate(
                t(
                    "chart.growth.whole",
                    lang,
                    name=_label(fb, r.indicator_id, lang, 40),
                    value=_value_label(fb, r, "%", lang),
                ),
                (r.value, len(parts) - 0.4),
                xytext=(3, 0),
                textcoords="offset points",
                fontsize=7,
                color=HIGHLIGHT,
                va="bottom",
            )
        ax.set_yticks(range(len(parts)), [_label(fb, i, lang, 44) for i in parts.indicator_id], fontsize=7)
        ax.set_ylim(len(parts) - 0.2 + (0.6 if not whole.empty else 0), -0.6)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_title(
            t("chart.growth.panel", lang, name=_label(fb, k.family, lang, 60), period=format_period(k.period, lang)),
            fontsize=8,
            loc="left",
        )
        ax.tick_params(axis="x", labelsize=7)
        rows += fam.assign(region_id=region_id).to_dict("records")
    data = pd.DataFrame(rows)
    axes[-1, 0].set_xlim(*_padded_limits(data.value))
    axes[-1, 0].set_xlabel(t("chart.growth.xlabel", lang))
    fig.tight_layout()
    alt = t("chart.growth.alt", lang, region=_region(fb, region_id, lang), n=len(keys))
    return Chart("growth", fig, data, alt, t("chart.growth.caption", lang), sorted(set(data.source_id)))


def _source_texts(fb: FactBase) -> dict[str, int]:
    """How many source texts state anything (a number or a measure) about each region."""
    both = pd.concat([fb.observations[["region_id", "source_id"]], fb.measures[["region_id", "source_id"]]])
    return both.drop_duplicates().groupby("region_id").size().to_dict()


def theme_heatmap(fb: FactBase, matrix: pd.DataFrame, region_id: str, lang: str) -> Chart:
    """Region × theme matrix of policy measures and facts; the chosen region's row is outlined."""
    import seaborn as sns

    texts = _source_texts(fb)
    rows = [_region(fb, r, lang) for r in matrix.index]
    ylabels = [t("chart.themes.row", lang, region=name, n=texts.get(r, 0)) for r, name in zip(matrix.index, rows)]
    cols = [locale(lang).pick(fb.themes, c) for c in matrix.columns]
    # Readable at 30 regions: a row a quarter of an inch; empty cells left blank.
    fig, ax = plt.subplots(figsize=(7.4, 0.26 * len(rows) + 2.3))
    sns.heatmap(
        pd.DataFrame(matrix.values, index=ylabels, columns=cols),
        cmap="Blues",
        annot=matrix.map(lambda v: str(v) if v else "").values,
        fmt="",
        annot_kws={"fontsize": 6},
        cbar=False,
        linewidths=0.5,
        linecolor="white",
        ax=ax,
    )
    for text, (r, c) in zip(ax.texts, [(r, c) for r in range(len(rows)) for c in range(len(cols))]):
        tip(text, t("chart.themes.tip", lang, region=rows[r], theme=cols[c], n=int(matrix.values[r, c])))
    if region_id in matrix.index:
        y = list(matrix.index).index(region_id)
        ax.add_patch(plt.Rectangle((0, y), len(cols), 1, fill=False, edgecolor=OKABE_ITO[3], lw=2))
        ax.get_yticklabels()[y].set_fontweight("bold")
    ax.tick_params(labelsize=7)
    plt.setp(ax.get_xticklabels(), rotation=50, ha="right")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(t("chart.themes.title", lang), loc="left", fontsize=9)
    fig.tight_layout()
    data = matrix.reset_index().melt(id_vars="region_id", var_name="theme", value_name="n_items")
    own = matrix.loc[region_id] if region_id in matrix.index else pd.Series(dtype=int)
    top = join([locale(lang).pick(fb.themes, th) for th in own[own > 0].sort_values(ascending=False).index[:3]], lang)
    alt = t("chart.themes.alt", lang, region=_region(fb, region_id, lang), top=top or "–")
    return Chart("themes", fig, data, alt, t("chart.themes.caption", lang), theme_sources(fb, matrix))
