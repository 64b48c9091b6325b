"""Charts that cannot mislead: no lengths compared across axes of different scales, one comparable set per panel."""

from __future__ import annotations

from types import SimpleNamespace

import matplotlib.pyplot as plt
import pytest
from matplotlib.container import BarContainer

from briefings import charts, compare


def _bar_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_visible() and any(isinstance(c, BarContainer) for c in ax.containers)]


def lengths_compared_across_axes(fig) -> bool:
    """True when bars sit in more than one panel and the panels' scales along the bars differ (lengths not
    comparable): the x scale for horizontal bars, the y scale for vertical ones."""
    axes = _bar_axes(fig)

    def scale(ax):
        horizontal = any(getattr(c, "orientation", "") == "horizontal" for c in ax.containers)
        return ("x", ax.get_xlim()) if horizontal else ("y", ax.get_ylim())

    return len(axes) > 1 and len({scale(ax) for ax in axes}) > 1


def _all_charts(fb, region: str, lang: str = "en"):
    yield charts.peer_bars(fb, compare.comparable_pairs(fb, region), region, lang)
    yield charts.fastest_growth(fb, compare.growth_families(fb, region), region, lang)
    yield charts.theme_heatmap(fb, compare.theme_matrix(fb), region, lang)
    for ind in sorted(set(fb.observations[fb.observations.region_id == region].indicator_id)):
        yield charts.trajectory(fb, region, ind, lang)


def test_the_check_catches_bars_on_different_scales():
    fig, (a, b) = plt.subplots(1, 2)
    a.barh(["Henan"], [6.9])
    b.barh(["Henan"], [299.7])
    a.set_xlim(0, 10)
    b.set_xlim(0, 400)
    assert lengths_compared_across_axes(fig)
    b.set_xlim(0, 10)
    assert not lengths_compared_across_axes(fig)
    plt.close(fig)


@pytest.mark.parametrize("region", ["shanghai", "zhejiang", "henan"])
def test_no_chart_compares_lengths_across_axes(fb, region):
    charts.setup_matplotlib()
    for chart in _all_charts(fb, region):
        if chart is None:
            continue
        assert not lengths_compared_across_axes(chart.fig), chart.name
        plt.close(chart.fig)


def test_what_grew_fastest_ranks_a_regions_own_sectors_on_one_axis_against_the_whole(fb):
    fam = compare.growth_families(fb, "henan")
    va = fam[fam.family == "industrial_value_added_growth_pct"]
    parts = va[~va.is_whole]
    assert list(parts.value) == sorted(parts.value, reverse=True) and parts.value.iloc[0] == 56.6
    assert list(va[va.is_whole].value) == [6.9]  # the benchmark the text gives: industry as a whole
    assert compare.growth_families(fb, "zhejiang").empty  # no parts of one aggregate: no chart
    charts.setup_matplotlib()
    chart = charts.fastest_growth(fb, fam, "henan", "en")
    axes = _bar_axes(chart.fig)
    assert len(axes) >= 2 and len({ax.get_xlim() for ax in axes}) == 1  # panels share the axis
    assert all(len(ax.patches) >= 2 for ax in axes)  # no panel of a single bar
    assert "%" in axes[-1].get_xlabel()
    plt.close(chart.fig)


def test_single_points_make_no_chart(fb):
    charts.setup_matplotlib()
    obs = fb.observations
    lone = obs[(obs.role == "result")].groupby(["region_id", "indicator_id"]).filter(lambda g: len(g) == 1)
    no_target = lone[
        ~lone.set_index(["region_id", "indicator_id"]).index.isin(
            obs[obs.role == "target"].set_index(["region_id", "indicator_id"]).index
        )
    ]
    r = no_target.iloc[0]
    assert charts.trajectory(fb, r.region_id, r.indicator_id, "en") is None


def test_peer_panels_each_hold_one_comparable_set(fb):
    charts.setup_matplotlib()
    pairs = compare.comparable_pairs(fb, "shanghai")
    chart = charts.peer_bars(fb, pairs, "shanghai", "en")
    visible = [ax for ax in chart.fig.axes if ax.get_visible()]
    assert len(visible) == len(chart.data[["indicator_id", "role", "period"]].drop_duplicates())
    plt.close(chart.fig)


def test_theme_matrix_says_what_it_counts_and_fits_a_page_at_30_regions(fb):
    import pandas as pd

    charts.setup_matplotlib()
    themes = list(fb.themes.index[:12])
    regions = pd.DataFrame(
        {"name_en": [f"Region {i}" for i in range(30)], "name_zh": [f"地区{i}" for i in range(30)]},
        index=[f"r{i}" for i in range(30)],
    )
    matrix = pd.DataFrame([[(i * j) % 4 for j in range(len(themes))] for i in range(30)], index=regions.index)
    matrix.columns = themes
    matrix.index.name = "region_id"
    small = SimpleNamespace(
        regions=regions,
        themes=fb.themes,
        observations=fb.observations.iloc[0:0],
        measures=fb.measures.iloc[0:0],
    )
    chart = charts.theme_heatmap(small, matrix, "r0", "en")
    width, height = chart.fig.get_size_inches()
    assert height <= 10.5  # an A4 page's printable height
    ax = chart.fig.axes[0]
    assert "policy measures and numbers" in ax.get_title(loc="left") and "not of policy effort" in chart.caption
    assert all(t.get_text() for t in ax.texts if t.get_text()) and not any(t.get_text() == "0" for t in ax.texts)
    plt.close(chart.fig)


def test_a_related_measure_of_another_definition_is_stated_not_plotted(fb):
    from briefings.schema import CONTEXT_KINDS

    ind = fb.indicators
    stated = 0
    for (region, indicator), _ in fb.observations.groupby(["region_id", "indicator_id"]):
        if ind.loc[indicator, "kind"] not in CONTEXT_KINDS or not isinstance(
            ind.loc[indicator, "comparison_group"], str
        ):
            continue
        chart = charts.trajectory(fb, region, indicator, "en")
        if chart is None:
            continue
        assert set(chart.data.series) <= {"actual", "target", "required path", "trend path"}
        stated += "a related measure of another definition" in chart.caption
        plt.close(chart.fig)
    assert stated  # the fact base has one (robot density in key industries, beside all industries)


def test_chinese_chart_text_names_the_simplified_chinese_face_alone(fb):
    import io
    import re

    chart = charts.peer_bars(fb, compare.comparable_pairs(fb, "shanghai"), "shanghai", "zh")
    charts.settle_fonts(chart.fig)
    buf = io.StringIO()
    chart.fig.savefig(buf, format="svg")
    plt.close(chart.fig)

    texts = re.findall(r"font-family: ([^;\"]+)[^>]*>([^<]+)<", buf.getvalue())
    chinese = [(family, text) for family, text in texts if re.search(r"[\u4e00-\u9fff]", text)]
    assert chinese and all(family == "'Noto Sans CJK SC'" for family, _ in chinese)
    assert ">10000<" in buf.getvalue() and ">10,000<" not in buf.getvalue()  # ticks as the Chinese text: 1000家


def test_ticks_write_numbers_as_the_edition_does(fb):
    chart = charts.peer_bars(fb, compare.comparable_pairs(fb, "shanghai"), "shanghai", "en")
    ticks = [label.get_text() for ax in chart.fig.axes for label in ax.get_xticklabels()]
    plt.close(chart.fig)
    assert "10,000" in ticks and "10000" not in ticks
