"""Browse the fact base without writing code: widgets over region, theme, indicator and role."""

from __future__ import annotations

import pandas as pd

from . import api, data
from .numbers import format_value
from .regions import resolve_region
from .report import text, zh
from .schema import TABLES
from .templating import Markup, inline, render

ALL = "(all)"


def region_options(fb: data.FactBase) -> list[tuple[str, str]]:
    """(label, region id) of every region with facts or measures, named in English and Chinese."""
    r = api.regions(fb)
    r = r[(r.facts + r.measures) > 0]
    return [(ALL, ALL), *((f"{x.name_en} · {x.name_zh}", x.region_id) for x in r.itertuples())]


def theme_options(fb: data.FactBase) -> list[tuple[str, str]]:
    """(label, theme id) of every theme that a fact or a measure belongs to, named, in the table's order."""
    used = set(fb.indicators.loc[fb.observations.indicator_id.unique()].theme) | set(fb.measures.theme)
    return [
        (ALL, ALL),
        *((f"{t.name_en} · {t.name_zh}", t.theme_id) for t in fb.themes.itertuples() if t.theme_id in used),
    ]


def indicator_options(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """(name, indicator id) of the indicators among ``rows`` (from :func:`filter_facts`), by name."""
    pairs = rows[["indicator_en", "indicator_id"]].drop_duplicates().sort_values(["indicator_en", "indicator_id"])
    return [(ALL, ALL), *pairs.itertuples(index=False, name=None)]


def role_options(fb: data.FactBase) -> list[str]:
    """The roles of the numbers the fact base holds, in the order the schema lists them."""
    column = TABLES["observations"].column("role")
    present = set(fb.observations.role)
    return [ALL, *(k for k in (column.isin or sorted(present)) if k in present)]


def _check(value: str, options: list, what: str) -> str:
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    if value not in values:
        raise ValueError(f"unknown {what} {value!r}: use one of {', '.join(map(str, values))}")
    return value


def _region(fb: data.FactBase, region: str) -> str:
    return region if region == ALL else resolve_region(region, fb.regions)


def filter_facts(
    fb: data.FactBase, region: str = ALL, theme: str = ALL, indicator: str = ALL, role: str = ALL
) -> pd.DataFrame:
    """Observations matching the choices, with region, indicator and theme names joined on (``api.facts``)."""
    obs = api.facts(None if region == ALL else region, fb)
    for column, choice in (("theme", theme), ("indicator_id", indicator), ("role", role)):
        if choice != ALL:
            obs = obs[obs[column] == choice]
    return obs


def filter_measures(fb: data.FactBase, region: str = ALL, theme: str = ALL) -> pd.DataFrame:
    """Policy measures matching the region and theme, with names joined on (``api.measures``)."""
    m = api.measures(None if region == ALL else region, fb)
    return m if theme == ALL else m[m.theme == theme]


def _names(first: str, second_zh: str) -> Markup:
    """An English name with the Chinese one under it."""
    return text(first) + inline("br") + zh(second_zh)


def facts_html(rows: pd.DataFrame, limit: int = 200) -> str:
    """The matching facts as an HTML table with whole quotes."""
    body = [
        [
            _names(r.region_en, r.region_zh),
            _names(r.indicator_en, r.indicator_zh),
            r.role,
            r.period if data.is_filled(r.period) else "no deadline",
            ("" if r.qualifier == "=" else r.qualifier) + format_value(r.value, r.unit),
            inline("glossed", text(r.quote), text(getattr(r, "quote_en", "")), True, "en", "no English gloss yet"),
            f"{r.source_id} · {r.obs_id}",
        ]
        for r in rows.head(limit).itertuples()
    ]
    return render(
        "explore_table",
        rows=body,
        empty="No matching facts.",
        caption=f"{len(rows)} matching facts",
        headers=["Region", "Indicator", "Kind", "Period", "Value", "Quote", "Source"],
        more=f"Showing {limit} of {len(rows)} facts." if len(rows) > limit else "",
    )


def measures_html(rows: pd.DataFrame, limit: int = 200) -> str:
    """The matching policy measures as an HTML table with whole quotes."""
    body = [
        [
            _names(r.region_en, r.region_zh),
            r.theme_en,
            r.summary_en,
            zh(r.quote),
            f"{r.source_id} · {r.measure_id}",
        ]
        for r in rows.head(limit).itertuples()
    ]
    return render(
        "explore_table",
        rows=body,
        empty="No matching measures.",
        caption=f"{len(rows)} matching measures",
        headers=["Region", "Theme", "Summary", "Quote", "Source"],
        more=f"Showing {limit} of {len(rows)} measures." if len(rows) > limit else "",
    )


def selection_html(
    fb: data.FactBase, region: str = ALL, theme: str = ALL, indicator: str = ALL, role: str = ALL
) -> str:
    """The facts of a selection and, unless an indicator or role narrows it to numbers, its measures."""
    region = _region(fb, region)
    html = facts_html(filter_facts(fb, region, theme, indicator, role))
    if indicator == ALL and role == ALL:
        html += measures_html(filter_measures(fb, region, theme))
    return html


def chart(rows: pd.DataFrame, measures: pd.DataFrame | None = None):
    """One indicator: its values by region and period; otherwise facts and measures per theme."""
    import matplotlib.pyplot as plt

    from .charts import OKABE_ITO, setup_matplotlib

    setup_matplotlib()
    measures = measures if measures is not None else pd.DataFrame(columns=["theme_en"])
    single = not rows.empty and rows.indicator_id.nunique() == 1
    bars = len(rows) if single else len(set(rows.theme_en) | set(measures.theme_en))
    fig, ax = plt.subplots(figsize=(7, min(8.0, max(2.5, 1.2 + 0.2 * bars))))
    if rows.empty and measures.empty:
        ax.text(0.5, 0.5, "Nothing matches", ha="center", va="center")
        ax.set_axis_off()
    elif single:
        colours = {k: OKABE_ITO[i % len(OKABE_ITO)] for i, k in enumerate(sorted(rows.role.unique()))}
        labels = [
            f"{r.region_en} {r.role} {r.period if data.is_filled(r.period) else 'no deadline'}"
            for r in rows.itertuples()
        ]
        ax.barh(labels, rows.value, color=[colours[k] for k in rows.role])
        ax.set_title(f"{rows.indicator_en.iloc[0]} ({rows.unit.iloc[0]})", loc="left")
    else:
        counts = pd.DataFrame({"facts": rows.theme_en.value_counts(), "measures": measures.theme_en.value_counts()})
        counts = counts.fillna(0).sort_values(["facts", "measures"])
        ax.barh(counts.index, counts.facts, color=OKABE_ITO[0], label="facts")
        ax.barh(counts.index, counts.measures, left=counts.facts, color=OKABE_ITO[1], label="measures")
        ax.set_title("Matching facts and measures by theme", loc="left")
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(1.0, 0.0))
    fig.tight_layout()
    return fig


def explorer(
    fb: data.FactBase | None = None, region: str = ALL, theme: str = ALL, indicator: str = ALL, role: str = ALL
):
    """An interactive browser starting at the given selection: four controls, a chart, and the matching
    facts and measures with their quotes."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    fb = fb or data.load()
    start_region = _check(_region(fb, region), region_options(fb), "region")
    region_w = w.Dropdown(options=region_options(fb), value=start_region, description="Region")
    theme_w = w.Dropdown(
        options=theme_options(fb), value=_check(theme, theme_options(fb), "theme"), description="Theme"
    )
    role_w = w.ToggleButtons(options=role_options(fb), value=_check(role, role_options(fb), "role"), description="Role")
    narrowed = indicator_options(filter_facts(fb, start_region, theme, ALL, role))
    indicator_w = w.Dropdown(options=narrowed, value=_check(indicator, narrowed, "indicator"), description="Indicator")

    def narrow(_=None) -> None:
        keep = indicator_w.value
        options = indicator_options(filter_facts(fb, region_w.value, theme_w.value, ALL, role_w.value))
        indicator_w.options = options
        indicator_w.value = keep if keep in [v for _, v in options] else ALL

    def show(region: str, theme: str, indicator: str, role: str) -> None:
        rows = filter_facts(fb, region, theme, indicator, role)
        measures = filter_measures(fb, region, theme) if indicator == ALL and role == ALL else None
        fig = chart(rows, measures)
        display(fig)
        plt.close(fig)
        display(HTML(selection_html(fb, region, theme, indicator, role)))

    for control in (region_w, theme_w, role_w):
        control.observe(narrow, names="value")
    out = w.interactive_output(show, {"region": region_w, "theme": theme_w, "indicator": indicator_w, "role": role_w})
    return w.VBox([w.HBox([region_w, theme_w]), w.HBox([indicator_w, role_w]), out])


def selection(fb: data.FactBase, region: str = ALL, theme: str = ALL, indicator: str = ALL, role: str = ALL):
    """The selection as static HTML, for readers of a saved notebook (no kernel needed)."""
    from IPython.display import HTML

    return HTML(selection_html(fb, region, theme, indicator, role))
