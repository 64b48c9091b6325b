"""The public API: a region's facts, measures, assessments and comparisons as DataFrames."""

from __future__ import annotations

import pytest

from briefings import api
from briefings.regions import RegionError

from ..conftest import TINY_OBS


def test_facts_of_one_region_by_any_name(tiny_fb):
    for name in ("shanghai", "Shanghai", "上海", "沪"):
        f = api.facts(name, tiny_fb)
        assert sorted(f.obs_id) == ["o0001", "o0002", "o0003", "o0006"]
    f = api.facts("上海市", tiny_fb)
    row = f.set_index("obs_id").loc["o0003"]
    assert (row.indicator_en, row.indicator_zh, row.unit, row.theme_en) == (
        "Smart factories",
        "智能工厂",
        "count",
        "Smart factories",
    )
    assert (row.region_en, row.region_zh, row.plan_title_en, row.quote) == (
        "Shanghai",
        "上海市",
        "Action plan",
        "到2025年建成200家以上",
    )
    assert len(api.facts(None, tiny_fb)) == len(TINY_OBS.splitlines()) - 1


def test_facts_pass_every_data_column_through(tiny_fb):
    tiny_fb.observations = tiny_fb.observations.assign(
        role=["result", "result", "target", "result", "result", "ranking"]
    )
    f = api.facts("zhejiang", tiny_fb)
    assert set(tiny_fb.observations.columns) <= set(f.columns)
    assert f.role.tolist() == ["result", "result"]


def test_frames_are_copies(tiny_fb):
    f = api.facts("shanghai", tiny_fb)
    f["value"] = 0
    assert tiny_fb.observations.value.max() == 420


def test_unknown_region_is_one_line(tiny_fb):
    with pytest.raises(RegionError, match=r"^unknown region 'shanghia': did you mean shanghai") as exc:
        api.facts("shanghia", tiny_fb)
    assert "\n" not in str(exc.value)


def test_measures_and_measure_only_regions(tiny_fb):
    m = api.measures("河北", tiny_fb)
    assert m.measure_id.tolist() == ["m0002", "m0001"]  # by theme
    assert m.theme_en.tolist() == ["Smart factories", "Talent and jobs"]
    assert api.facts("hebei", tiny_fb).empty
    r = api.regions(tiny_fb).set_index("region_id")
    assert r.loc["hebei", ["facts", "measures"]].tolist() == [0, 2]
    assert r.loc["shanghai", ["facts", "measures"]].tolist() == [4, 1]
    assert r.loc["world", ["facts", "measures"]].tolist() == [0, 0]


def test_assessments(tiny_fb):
    a = api.assessments("Shanghai", tiny_fb)
    assert len(a) == 1
    row = a.iloc[0]
    assert (row.region_id, row.target_obs_id, row.indicator_en, row.status) == (
        "shanghai",
        "o0003",
        "Smart factories",
        "achieved",
    )
    assert row.latest_value == 210 and row.baseline_value == 100
    assert api.assessments("hebei", tiny_fb).empty


def test_comparisons_say_on_what_basis(tiny_fb):
    c = api.comparisons("shanghai", tiny_fb)
    same = c[c.basis == "comparable"]
    assert same[["period", "value", "value_peer", "peer_en"]].values.tolist() == [["2023", 210, 420, "Zhejiang"]]
    other = c[c.basis == "different_period"]
    assert sorted(other[["period", "period_peer"]].itertuples(index=False, name=None)) == [
        ("2021", "2022"),
        ("2021", "2023"),
        ("2023", "2022"),
    ]
    assert api.comparisons("hebei", tiny_fb).empty


def test_real_fact_base(fb):
    f = api.facts("zhejiang", fb)
    assert f[f.indicator_id == "little_giant_firms_count"].value.tolist() == [1432]
    a = api.assessments("shanghai", fb)
    assert "met_since" in set(a[a.indicator_id == "municipal_demo_smart_factories_count"].status)
    assert not api.measures("jiangsu", fb).empty
