"""Charts: each returns the figure and exactly the data it plots, with alt text and its sources."""

from __future__ import annotations

import base64
import math
import warnings
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .data import FactBase, has_period  # noqa: E402
from .i18n import format_period, locale, t  # noqa: E402
from .numbers import format_value  # noqa: E402
from .progress import period_time, project  # noqa: E402

CJK_FONT = "Noto Sans CJK SC"
# Okabe–Ito palette: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
HIGHLIGHT, PEER, MUTED = "#0072B2", "#B8B8B8", "#6E6E6E"
STATUS_COLOURS = {
    "achieved": "#0072B2",
    "on_track": "#009E73",
    "acceleration_needed": "#E69F00",
    "limited_progress": "#D55E00",
    "deterioration": "#CC79A7",
    "insufficient_data": "#8C8C8C",
    "no_baseline": "#C8C8C8",
    "no_deadline": "#C8C8C8",
}


class GlyphMissingError(RuntimeError):
    """A chart would draw empty boxes: the CJK font is missing."""


def setup_matplotlib() -> None:
    """Vector SVG with real text, drawn in Noto Sans CJK SC; a missing glyph is an error, not a warning."""
    from matplotlib import font_manager

    try:
        font_manager.findfont(CJK_FONT, fallback_to_default=False)
    except ValueError:
        raise GlyphMissingError(
            f"font {CJK_FONT!r} not found: install it with `apt-get install fonts-noto-cjk`, then "
            "rebuild matplotlib's font cache (`make setup`)"
        ) from None
    plt.rcParams.update(
        {
            "font.family": [CJK_FONT],
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


def progress_dumbbell(fb: FactBase, assessed: pd.DataFrame, region_id: str, lang: str) -> Chart | None:
    """Latest actual as a share of each target (baseline → latest), coloured by status."""
    rows = assessed[assessed.status != "no_baseline"].copy()
    if rows.empty:
        return None
    rows["label"] = [f"{_label(fb, r.indicator_id, lang)} ({r.target_period})" for r in rows.itertuples()]
    rows["baseline_share_pct"] = rows.baseline_value / rows.target_value * 100
    fig, ax = plt.subplots(figsize=(7.2, 0.55 * len(rows) + 1.2))
    for y, r in enumerate(rows.itertuples()):
        colour = STATUS_COLOURS[r.status]
        if r.n_actuals > 1:
            ax.plot([r.baseline_share_pct, r.share_of_target_pct], [y, y], color=colour, lw=2)
            ax.scatter([r.baseline_share_pct], [y], color="white", edgecolor=colour, zorder=3, s=30)
        unit = fb.indicators.loc[r.indicator_id, "unit"]
        tip(
            ax.scatter([r.share_of_target_pct], [y], color=colour, zorder=3, s=40),
            _point_tip(
                locale(lang).pick(fb.indicators, r.indicator_id),
                f"{format_value(r.latest_value, unit, lang)} ({r.share_of_target_pct:.0f}%)",
                format_period(r.latest_period, lang),
                r.source_id,
                lang,
            ),
        )
        ax.text(
            max(r.share_of_target_pct, 100) + 4,
            y,
            t(f"status.{r.status}", lang),
            va="center",
            fontsize=8,
            color="#333333",
        )
    ax.axvline(100, color="#333333", lw=1, ls="--")
    ax.set_yticks(range(len(rows)), rows.label, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(160, rows.share_of_target_pct.max() * 1.35))
    ax.set_xlabel(t("chart.progress.xlabel", lang))
    ax.set_title(t("chart.progress.title", lang, region=_region(fb, region_id, lang)), loc="left")
    fig.tight_layout()
    data = rows[
        [
            "target_obs_id",
            "indicator_id",
            "target_period",
            "target_value",
            "target_qualifier",
            "baseline_period",
            "baseline_value",
            "latest_period",
            "latest_value",
            "share_of_target_pct",
            "status",
        ]
    ]
    alt = t(
        "chart.progress.alt",
        lang,
        region=_region(fb, region_id, lang),
        n=len(rows),
        achieved=(rows.status == "achieved").sum(),
    )
    return Chart("progress", fig, data, alt, t("chart.progress.caption", lang), sorted(set(assessed.source_id)))


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
        linear = unit in ("%", "pp") or first.value <= 0
        rate = (latest.value - first.value) / years if linear else (latest.value / first.value) ** (1 / years) - 1
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
    group = fb.indicators.loc[indicator_id, "comparison_group"]
    if unit != "count" and isinstance(group, str):  # densities and rates: related measures for context
        related = fb.indicators.index[(fb.indicators.comparison_group == group) & (fb.indicators.index != indicator_id)]
        ctx_rows = obs[(obs.region_id == region_id) & obs.indicator_id.isin(related) & (obs.role == "result")]
        for r in ctx_rows.itertuples():
            tm = period_time(r.period)
            tip(
                ax.plot([tm], [r.value], "s", color=MUTED, label=t("chart.series.related", lang), zorder=2)[0],
                _point_tip(
                    locale(lang).pick(fb.indicators, r.indicator_id),
                    format_value(r.value, unit, lang),
                    format_period(r.period, lang),
                    r.source_id,
                    lang,
                ),
            )
            ax.annotate(
                f"{locale(lang).pick(fb.indicators, r.indicator_id)}: {format_value(r.value, unit, lang)}",
                (tm, r.value),
                fontsize=7,
                xytext=(4, -10),
                textcoords="offset points",
                color=MUTED,
            )
            rows.append(dict(series="related", time=tm, period=r.period, value=r.value, obs_id=r.obs_id, plan=""))
        data = pd.DataFrame(rows)
    name = locale(lang).pick(fb.indicators, indicator_id)
    for part, marker, colour, series in ((acts, "o", HIGHLIGHT, "actual"), (tgts, "D", OKABE_ITO[3], "target")):
        for r in part.itertuples():
            tip(
                ax.plot([r.time], [r.value], marker, color=colour, label=t(f"chart.series.{series}", lang), zorder=3)[
                    0
                ],
                _point_tip(
                    f"{name} ({t(f'chart.series.{series}', lang)})",
                    format_value(r.value, unit, lang),
                    format_period(r.period, lang),
                    r.source_id,
                    lang,
                ),
            )
    for r in s.itertuples():
        ax.annotate(
            format_value(r.value, unit, lang) + f" ({r.period})",
            (r.time, r.value),
            fontsize=7,
            xytext=(4, 5),
            textcoords="offset points",
        )
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    ax.legend(uniq.values(), uniq.keys(), fontsize=7, frameon=False, loc="upper left")
    ax.set_ylim(0, data.value.max() * 1.2)
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
        actuals="; ".join(f"{format_value(r.value, unit, lang)} ({r.period})" for r in acts.itertuples()),
        targets="; ".join(f"{format_value(r.value, unit, lang)} ({r.period})" for r in tgts.itertuples()),
    )
    cap = t("chart.trajectory.caption", lang) + ("" if len(acts) >= 2 else " " + t("chart.trajectory.no_trend", lang))
    return Chart(f"trajectory-{indicator_id}", fig, data, alt, cap, sorted(set(s.source_id)))


def _panels(n: int, height: float) -> tuple[plt.Figure, list]:
    """A grid of up to three columns for ``n`` small multiples; unused panels hidden."""
    cols = min(3, n)
    fig, axes = plt.subplots(math.ceil(n / cols), cols, figsize=(7.2, height * math.ceil(n / cols)), squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:n]


def _region_bars(ax, fb: FactBase, part: pd.DataFrame, region_id: str, lang: str, unit: str) -> None:
    """Horizontal bars, one per region, the chosen region highlighted; each bar's tooltip gives its number."""
    names = [_region(fb, r, lang) for r in part.region_id]
    bars = ax.barh(names, part.value, color=[HIGHLIGHT if r == region_id else PEER for r in part.region_id])
    for bar, name, r in zip(bars, names, part.itertuples()):
        tip(bar, _point_tip(name, format_value(r.value, unit, lang), format_period(r.period, lang), r.source_id, lang))
    ax.tick_params(labelsize=7)


def peer_bars(fb: FactBase, pairs: pd.DataFrame, region_id: str, lang: str) -> Chart | None:
    """Small multiples: one panel per comparable indicator, role and period; the chosen region highlighted."""
    if pairs.empty:
        return None
    keys = pairs[["indicator_id", "role", "period"]].drop_duplicates().head(9)
    obs = fb.observations
    n = len(keys)
    fig, axes = _panels(n, 2.4)
    rows = []
    for ax, k in zip(axes, keys.itertuples()):
        part = obs[
            (obs.indicator_id == k.indicator_id)
            & (obs.role == k.role)
            & (obs.period == k.period)
            & (obs.region_id != "world")
        ].sort_values("value")
        unit = fb.indicators.loc[k.indicator_id, "unit"]
        _region_bars(ax, fb, part, region_id, lang, unit)
        for y, v in enumerate(part.value):
            ax.text(v, y, " " + format_value(v, unit, lang), va="center", fontsize=7)
        ax.set_xlim(0, part.value.max() * 1.45)
        ax.set_title(
            f"{_label(fb, k.indicator_id, lang, 30)}\n{t(f'role.{k.role}', lang)}, {format_period(k.period, lang)}",
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


def growth_multiples(fb: FactBase, panels: pd.DataFrame, region_id: str, lang: str) -> Chart | None:
    """Growth rates in small multiples, one panel per indicator and period, each labelled with its period."""
    if panels.empty:
        return None
    own_inds = set(panels[panels.region_id == region_id].indicator_id)
    if not own_inds:
        return None
    groups = panels[panels.indicator_id.isin(own_inds)]
    keys = groups[["indicator_id", "period"]].drop_duplicates()
    # Prefer panels that hold the chosen region, then those shared by several regions.
    keys = (
        keys.assign(
            own=[
                (
                    (groups.indicator_id == k.indicator_id)
                    & (groups.period == k.period)
                    & (groups.region_id == region_id)
                ).any()
                for k in keys.itertuples()
            ]
        )
        .sort_values("own", ascending=False)
        .head(12)
    )
    n = len(keys)
    fig, axes = _panels(n, 1.9)
    rows = []
    for ax, k in zip(axes, keys.itertuples()):
        part = panels[(panels.indicator_id == k.indicator_id) & (panels.period == k.period)]
        _region_bars(ax, fb, part, region_id, lang, "%")
        for y, v in enumerate(part.value):
            ax.text(v, y, f" {v:g}%", va="center", fontsize=7)
        ax.set_xlim(min(0, part.value.min() * 1.2), max(1, part.value.max() * 1.5))
        ax.set_title(
            f"{_label(fb, k.indicator_id, lang, 30)}\n"
            f"{t('chart.growth.period', lang, period=format_period(k.period, lang))}",
            fontsize=7,
            loc="left",
        )
        rows += part.to_dict("records")
    fig.tight_layout()
    data = pd.DataFrame(rows)
    alt = t("chart.growth.alt", lang, n=n)
    return Chart("growth", fig, data, alt, t("chart.growth.caption", lang), sorted(set(data.source_id)))


def theme_heatmap(fb: FactBase, matrix: pd.DataFrame, region_id: str, lang: str) -> Chart:
    """Region × theme matrix of policy measures and facts; the chosen region's row is outlined."""
    import seaborn as sns

    rows = [_region(fb, r, lang) for r in matrix.index]
    cols = [locale(lang).pick(fb.themes, c) for c in matrix.columns]
    fig, ax = plt.subplots(figsize=(7.4, 0.32 * len(rows) + 2.4))
    sns.heatmap(
        pd.DataFrame(matrix.values, index=rows, columns=cols),
        cmap="Blues",
        annot=True,
        fmt="d",
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
    fig.tight_layout()
    data = matrix.reset_index().melt(id_vars="region_id", var_name="theme", value_name="n_items")
    own = matrix.loc[region_id] if region_id in matrix.index else pd.Series(dtype=int)
    top = ", ".join(locale(lang).pick(fb.themes, th) for th in own[own > 0].sort_values(ascending=False).index[:3])
    alt = t("chart.themes.alt", lang, region=_region(fb, region_id, lang), top=top or "–")
    return Chart("themes", fig, data, alt, t("chart.themes.caption", lang), sorted(set(fb.measures.source_id)))


def cluster_chart(fb: FactBase, clusters: pd.DataFrame, region_id: str, lang: str) -> Chart | None:
    """Cluster-building numbers side by side: one bar per region and indicator, labelled with role and period."""
    if clusters.empty or region_id not in set(clusters.region_id):
        return None
    c = clusters.copy()
    c["label"] = [f"{_region(fb, r.region_id, lang)} · {_label(fb, r.indicator_id, lang, 60)}" for r in c.itertuples()]
    fig, ax = plt.subplots(figsize=(7.2, 0.36 * len(c) + 1.2))
    colours = [HIGHLIGHT if r == region_id else PEER for r in c.region_id]
    bars = ax.barh(range(len(c)), c.value, color=colours, hatch=None)
    for bar, r in zip(bars, c.itertuples()):
        unit = fb.indicators.loc[r.indicator_id, "unit"]
        q = "" if r.qualifier == "=" else t(f"qual.{r.qualifier}", lang)
        tip(
            bar,
            _point_tip(
                f"{_region(fb, r.region_id, lang)} · {locale(lang).pick(fb.indicators, r.indicator_id)}",
                q + format_value(r.value, unit, lang),
                format_period(r.period, lang),
                r.source_id,
                lang,
            ),
        )
    for y, r in enumerate(c.itertuples()):
        q = "" if r.qualifier == "=" else t(f"qual.{r.qualifier}", lang)
        ax.text(
            r.value,
            y,
            f" {q}{r.value:g} · {t(f'role.{r.role}', lang)} {format_period(r.period, lang)}",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(range(len(c)), c.label, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, c.value.max() * 1.6)
    ax.set_xlabel(t("chart.clusters.xlabel", lang))
    fig.tight_layout()
    data = c.drop(columns="label")
    alt = t("chart.clusters.alt", lang, n=len(c), regions=c.region_id.nunique())
    return Chart("clusters", fig, data, alt, t("chart.clusters.caption", lang), sorted(set(c.source_id)))
