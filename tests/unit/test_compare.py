"""The comparability rule and the generated peer sentences."""

from __future__ import annotations

import pytest

from briefings import compare
from briefings.data import FactBase

from ..conftest import frame

REGIONS = """region_id,name_en,name_zh,level,parent,peer_group,aliases
shanghai,Shanghai,上海市,municipality,cn,provinces,
zhejiang,Zhejiang,浙江省,province,cn,provinces,
henan,Henan,河南省,province,cn,provinces,
cn,China,中国,country,world,countries,
world,World,全球,world,,,"""
INDICATORS = """indicator_id,name_en,name_zh,unit,theme,kind,higher_is_better,comparison_group,description
firms_count,Little giants,小巨人,count,sme_cultivation,count,true,,d
va_growth_pct,Value-added growth,增加值增速,%,industrial_growth,growth_rate,true,,d
demo_factories_count,Demo factories,示范工厂,count,smart_factories,count,true,sf,d
factory_projects_count,Factory projects,智能工厂项目,count,smart_factories,count,true,sf,d
plan_tasks_count,Tasks in a plan,任务,count,industrial_growth,count,false,,d"""
OBS = """obs_id,region_id,indicator_id,role,period,value,qualifier,source_id
o1,shanghai,firms_count,result,2023,710,=,s
o2,zhejiang,firms_count,result,2023,1432,=,s
o3,henan,va_growth_pct,result,2024-01..02,6.9,=,s
o4,zhejiang,va_growth_pct,result,2023-01..10,5.6,=,s
o5,shanghai,demo_factories_count,result,2023,177,=,s
o6,zhejiang,factory_projects_count,result,2023,166,=,s
o7,shanghai,plan_tasks_count,structure,2024,5,=,s
o8,zhejiang,plan_tasks_count,structure,2024,5,=,s
o9,world,firms_count,result,2023,9999,=,s
o10,henan,va_growth_pct,result,2023-01..10,4.0,=,s
o11,cn,firms_count,result,2023,12000,=,s"""


@pytest.fixture
def mini():
    themes = frame(
        "theme_id,name_en,name_zh\nsme_cultivation,SMEs,专精特新\nindustrial_growth,Growth,增长\n"
        "smart_factories,Smart factories,智能工厂",
        "theme_id",
    )
    return FactBase(
        sources=frame("source_id\ns", "source_id"),
        regions=frame(REGIONS, "region_id"),
        themes=themes,
        indicators=frame(INDICATORS, "indicator_id"),
        plans=frame("plan_id\np", "plan_id"),
        observations=frame(OBS, "obs_id"),
        measures=frame("measure_id,region_id,theme,summary_en,quote,source_id,is_adopted", "measure_id"),
    )


def test_same_indicator_role_and_period_is_comparable(mini):
    pairs = compare.comparable_pairs(mini, "shanghai")
    assert pairs[["indicator_id", "region_id_peer"]].values.tolist() == [["firms_count", "zhejiang"]]


def test_different_periods_are_side_by_side_not_comparable(mini):
    pairs = compare.comparable_pairs(mini, "henan")
    assert pairs[["indicator_id", "period", "region_id_peer"]].values.tolist() == [
        ["va_growth_pct", "2023-01..10", "zhejiang"]
    ]
    side = compare.differing_periods(mini, "henan")
    assert ["2024-01..02", "2023-01..10"] in side[["period", "period_peer"]].values.tolist()


def test_related_definitions_are_not_comparable(mini):
    assert compare.comparable_pairs(mini, "shanghai").indicator_id.tolist() == ["firms_count"]
    rel = compare.related_indicators(mini, "shanghai")
    assert rel[["indicator_id", "indicator_id_peer"]].values.tolist() == [
        ["demo_factories_count", "factory_projects_count"]
    ]


def test_structural_counts_and_other_levels_are_never_compared(mini):
    for region in ("shanghai", "zhejiang"):
        pairs = compare.comparable_pairs(mini, region)
        assert "plan_tasks_count" not in set(pairs.indicator_id)
        assert not {"world", "cn"} & set(pairs.region_id_peer)  # same indicator, role and period: other level
    assert compare.comparable_pairs(mini, "cn").empty and compare.comparable_pairs(mini, "world").empty


def test_level_sentence_with_ratio(mini):
    assert compare.peer_sentences(mini, "shanghai") == [
        "Zhejiang reports 1,432 for little giants (2023), about twice Shanghai's 710."
    ]
    assert compare.peer_sentences(mini, "shanghai", "zh") == ["浙江省2023年小巨人为1432，约为上海市（710）的两倍。"]


def test_percent_sentence_uses_percentage_points(mini):
    assert compare.peer_sentences(mini, "henan") == [
        "Value-added growth (Jan–Oct 2023): Zhejiang 5.6% against Henan's 4%, 1.6 pp higher."
    ]
    assert "1.6个百分点" in compare.peer_sentences(mini, "henan", "zh")[0]


@pytest.mark.parametrize(
    "a, b, phrase",
    [
        (1432, 710, "about twice X's b"),
        (300, 100, "about three times X's b"),
        (100, 100, "about the same as X's b"),
        (120, 100, "20% more than X's b"),
        (50, 100, "about half X's b"),
        (80, 100, "20% less than X's b"),
        (510, 100, "about 5.1 times X's b"),
    ],
)
def test_ratio_phrase(a, b, phrase):
    assert compare.ratio_phrase(a, b, "en", "X", "b") == phrase


def test_chinese_comparison_is_grammatical_with_qualifier_and_measure_word(fb):
    """'与上海市（超过9800家）大致相当': the qualifier and the measure word from data/ travel with the number."""
    obs = fb.observations
    row = obs[(obs.region_id == "shanghai") & (obs.indicator_id == "provincial_level_specialised_smes_count")].iloc[0]
    word = fb.indicators.loc[row.indicator_id, "measure_word_zh"]
    expected = f"与上海市（超过{row.value:.0f}{word}）大致相当"
    assert row.qualifier == ">" and any(expected in s for s in compare.peer_sentences(fb, "shanghai", "zh"))
    assert any(f"over {row.value:,.0f}" in s for s in compare.peer_sentences(fb, "shanghai", "en"))


def test_real_data_little_giants(fb):
    sentences = compare.peer_sentences(fb, "shanghai")
    assert any("Zhejiang reports 1,432" in s and "about twice Shanghai's 710" in s for s in sentences)


def test_theme_matrix_counts_measures_for_sparse_regions(fb):
    m = compare.theme_matrix(fb)
    assert m.loc["hebei"].sum() >= 5 and "world" not in m.index


def test_cluster_numbers_side_by_side(fb):
    c = compare.cluster_targets(fb)
    got = {(r.region_id, r.value) for r in c.itertuples()}
    assert {("zhejiang", 4), ("zhejiang", 15), ("jiangxi", 20), ("shanghai", 4), ("shanghai", 2)} <= got
    assert set(c.role) <= {"target", "result"}


def _with(mini, **tables):
    import dataclasses

    return dataclasses.replace(mini, **tables)


def test_side_by_side_gives_the_real_reason(mini):
    ind = frame(INDICATORS, "indicator_id").assign(basis="")
    ind.loc["demo_factories_count", "basis"] = "stock"
    ind.loc["factory_projects_count", "basis"] = "flow"
    fb = _with(mini, indicators=ind)
    pairs = compare.side_by_side_pairs(fb, "shanghai")
    row = pairs[pairs.indicator_id_peer == "factory_projects_count"].iloc[0]
    assert row.reason == "stock_flow" and row.shown
    assert compare.side_by_side_pairs(mini, "shanghai").reason.tolist() == ["definition"]  # no basis in data
    henan = compare.side_by_side_pairs(mini, "henan")
    assert set(henan.reason) == {"period"}
    ind.loc["factory_projects_count", "basis"] = "firm"
    assert compare.pair_reason(fb, "shanghai", "zhejiang", "demo_factories_count", "factory_projects_count") == "firm"


def test_an_aggregate_is_never_a_peer(mini):
    regions = frame(REGIONS + "\nyrd,Yangtze River Delta,长三角,economic region,", "region_id").assign(parent="")
    assert compare.pair_reason(_with(mini, regions=regions), "shanghai", "yrd", "a", "a") == "aggregate"
    regions.loc["shanghai", "parent"] = "yrd"
    assert compare.pair_reason(_with(mini, regions=regions), "shanghai", "yrd", "a", "a") == "aggregate_contains"
