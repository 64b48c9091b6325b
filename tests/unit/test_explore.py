import pytest

from briefings.explore import (
    ALL,
    explorer,
    facts_html,
    filter_facts,
    indicator_options,
    region_options,
    role_options,
    selection_html,
    theme_options,
)


def test_filters_combine(fb):
    rows = filter_facts(fb, "zhejiang", ALL, "little_giant_firms_count", "result")
    assert rows.value.tolist() == [1432]
    assert set(filter_facts(fb, ALL, "smart_factories", ALL, "target").theme) == {"smart_factories"}
    assert filter_facts(fb, "hebei").empty


def test_rows_show_whole_escaped_quotes(fb):
    rows = filter_facts(fb, "shanghai", ALL, "municipal_demo_smart_factories_count", ALL)
    html = facts_html(rows)
    assert all(q in html for q in rows.quote) and "4 matching facts" in html


def test_regions_named_in_both_languages_measure_only_included(tiny_fb):
    assert region_options(tiny_fb) == [
        (ALL, ALL),
        ("Shanghai · 上海市", "shanghai"),
        ("Zhejiang · 浙江省", "zhejiang"),
        ("Hebei · 河北省", "hebei"),
    ]  # the world has nothing to show


def test_themes_and_indicators_by_name(tiny_fb):
    assert theme_options(tiny_fb)[1:] == [
        ("Smart factories · 智能工厂", "smart_factories"),
        ("Industrial growth · 工业增长", "industrial_growth"),
        ("Talent and jobs · 人才与就业", "talent_and_jobs"),
    ]
    assert indicator_options(filter_facts(tiny_fb, "shanghai"))[1:] == [
        ("Smart factories", "factories_count"),
        ("Value-added growth", "growth_pct"),
    ]
    assert role_options(tiny_fb) == [ALL, "target", "result"]


def test_measure_only_region_shows_its_measures(tiny_fb):
    html = selection_html(tiny_fb, "河北")
    assert "No matching facts" in html and "2 matching measures" in html and "培育工程师" in html
    assert "培育工程师" not in selection_html(tiny_fb, "hebei", "smart_factories")
    assert "matching measures" not in selection_html(tiny_fb, "shanghai", ALL, ALL, "target")


def test_explorer_starts_from_the_parameters(tiny_fb):
    box = explorer(tiny_fb, region="上海", theme="smart_factories", indicator="factories_count", role="target")
    (region, theme), (indicator, role) = (row.children for row in box.children[:2])
    assert (region.value, theme.value, indicator.value, role.value) == (
        "shanghai",
        "smart_factories",
        "factories_count",
        "target",
    )
    assert region.label == "Shanghai · 上海市" and theme.label == "Smart factories · 智能工厂"
    region.value = "zhejiang"  # Zhejiang has no target: the indicator choice falls back to all
    assert indicator.value == ALL


def test_explorer_rejects_an_unknown_choice_in_one_line(tiny_fb):
    with pytest.raises(ValueError, match=r"^unknown theme 'robots': use one of \(all\), smart_factories"):
        explorer(tiny_fb, theme="robots")
