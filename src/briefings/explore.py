"""Browse the fact base without writing code: widgets over region, theme, indicator and role."""

from __future__ import annotations

import pandas as pd

from . import data
from .numbers import format_value
from .report import esc
from .schema import ROLES

ALL = "(all)"


def filter_facts(fb: data.FactBase, region: str = ALL, theme: str = ALL, indicator: str = ALL,
                 role: str = ALL) -> pd.DataFrame:
    """Observations matching the choices, with indicator names, units and themes joined on."""
    obs = fb.observations.join(fb.indicators[["name_en", "name_zh", "unit", "theme"]], on="indicator_id")
    for column, choice in (("region_id", region), ("theme", theme), ("indicator_id", indicator), ("role", role)):
        if choice != ALL:
            obs = obs[obs[column] == choice]
    return obs.sort_values(["region_id", "indicator_id", "period"])


def facts_html(rows: pd.DataFrame, limit: int = 200) -> str:
    """The matching rows as an HTML table with whole quotes."""
    if rows.empty:
        return "<p>No matching facts.</p>"
    body = "".join(
        f"<tr><td>{esc(r.region_id)}</td><td>{esc(r.name_en)}<br>{esc(r.name_zh)}</td><td>{esc(r.role)}</td>"
        f"<td>{esc(r.period if data.is_filled(r.period) else 'no deadline')}</td><td>{esc(('' if r.qualifier == '=' else r.qualifier) + format_value(r.value, r.unit))}</td>"
        f'<td lang="zh-Hans">{esc(r.quote)}</td><td>{esc(r.source_id)} · {esc(r.obs_id)}</td></tr>'
        for r in rows.head(limit).itertuples())
    more = f"<p>Showing {limit} of {len(rows)} rows.</p>" if len(rows) > limit else ""
    return (f"<table><caption>{len(rows)} matching facts</caption><thead><tr><th>Region</th><th>Indicator</th>"
            f"<th>Role</th><th>Period</th><th>Value</th><th>Quote</th><th>Source</th></tr></thead>"
            f"<tbody>{body}</tbody></table>{more}")


def chart(rows: pd.DataFrame):
    """One indicator: its values by region and period; otherwise the number of facts per theme."""
    import matplotlib.pyplot as plt

    from .charts import OKABE_ITO, setup_matplotlib

    setup_matplotlib()
    fig, ax = plt.subplots(figsize=(7, 3))
    if rows.empty:
        ax.text(0.5, 0.5, "No matching facts", ha="center", va="center")
        ax.set_axis_off()
    elif rows.indicator_id.nunique() == 1:
        labels = [f"{r.region_id} {r.role} {r.period if data.is_filled(r.period) else 'no deadline'}" for r in rows.itertuples()]
        colours = {role: OKABE_ITO[i] for i, role in enumerate(ROLES)}
        ax.barh(labels, rows.value, color=[colours[r] for r in rows.role])
        ax.set_title(f"{rows.name_en.iloc[0]} ({rows.unit.iloc[0]})", loc="left")
    else:
        counts = rows.theme.value_counts()
        ax.barh(counts.index, counts.values, color=OKABE_ITO[0])
        ax.set_title("Matching facts by theme", loc="left")
    fig.tight_layout()
    return fig


def explorer(fb: data.FactBase | None = None):
    """An interactive browser: four dropdowns, the matching rows with quotes, and a chart."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    fb = fb or data.load()
    used = fb.observations
    region = w.Dropdown(options=[ALL, *sorted(used.region_id.unique())], description="Region")
    theme = w.Dropdown(options=[ALL, *sorted(fb.indicators.loc[used.indicator_id.unique()].theme.unique())],
                       description="Theme")
    indicator = w.Dropdown(options=[ALL, *sorted(used.indicator_id.unique())], description="Indicator")
    role = w.ToggleButtons(options=[ALL, *ROLES], description="Role")

    def narrow(_=None):
        rows = filter_facts(fb, region.value, theme.value, ALL, role.value)
        keep = indicator.value
        indicator.options = [ALL, *sorted(rows.indicator_id.unique())]
        indicator.value = keep if keep in indicator.options else ALL

    def show(region, theme, indicator, role):
        rows = filter_facts(fb, region, theme, indicator, role)
        fig = chart(rows)
        display(fig)
        plt.close(fig)
        display(HTML(facts_html(rows)))

    for control in (region, theme, role):
        control.observe(narrow, names="value")
    out = w.interactive_output(show, {"region": region, "theme": theme, "indicator": indicator, "role": role})
    return w.VBox([w.HBox([region, theme]), w.HBox([indicator, role]), out])
