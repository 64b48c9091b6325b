"""The derive step on tiny inline tables: dates, statuses, flags, findings and the salience rule."""

from __future__ import annotations

import pytest

from briefings import data
from briefings.csvtext import DataError
from briefings.data import FactBase
from briefings.dates import region_as_of
from briefings.derive import derive, validate
from briefings.derive.findings import PAGE_ONE_MAX

from ..conftest import frame

REGIONS = """region_id,name_en,name_zh,level,parent,peer_group,aliases
hx,Hx,河X,province,,provinces,
zx,Zx,浙X,province,,provinces,
rd,Rd,长X,economic region,,,"""

INDICATORS = """indicator_id,name_en,name_zh,unit,theme,kind,higher_is_better,comparison_group,description,basis,tier,relation,relates_to
inv_pct,Industrial investment growth,工业投资增速,%,investment_attraction,growth_rate,true,,d,,headline,,
inv_gap_pp,Gap to national,高于全国,pp,investment_attraction,pp_change,true,,d,,headline,gap_national,inv_pct
va_pct,Industrial value-added growth,工业增加值增速,%,industrial_growth,growth_rate,true,,d,,headline,,
va_change_pp,Change of growth,增速变化,pp,industrial_growth,pp_change,true,,d,,headline,change_previous,va_pct
auto_pct,Autos value added growth,汽车增加值增速,%,industrial_growth,growth_rate,true,,d,,sector,component,va_pct
it_pct,IT value added growth,信息技术增加值增速,%,industrial_growth,growth_rate,true,,d,,sector,component,va_pct
nev_pct,NEV value added growth,新能源汽车增加值增速,%,industrial_growth,growth_rate,true,,d,,sector,component,va_pct
trad_pct,Traditional value added growth,传统产业增加值增速,%,industrial_growth,growth_rate,true,,d,,sector,component,va_pct
base_count,5G base stations,5G基站,count,digital_infrastructure,count,true,,d,stock,sector,,
fund_yuan,Fund size,基金规模,yuan,industrial_finance,amount,true,,d,,sector,,
rules_count,Eligibility conditions,申报条件,count,industrial_clusters,count,true,,d,,detail,,
sf_count,Smart factories,智能工厂,count,smart_factories,count,true,,d,stock,headline,,"""

SOURCES = """source_id,published,facts_date,facts_date_basis
news,2024-04,2024-04,published
old,2019-06-27,2019-06-27,published
seminar,2025-08-11,2015,content: the text presents the 13th Five-Year Plan as the coming period"""

OBS = """obs_id,region_id,indicator_id,role,period,is_period_inferred,value,qualifier,source_id,plan,quote
o0001,hx,inv_pct,result,2024-01..02,true,19.7,=,news,,q
o0002,hx,inv_gap_pp,result,2024-01..02,true,7.8,=,news,,q
o0003,hx,va_pct,result,2024-01..02,true,6.9,=,news,,q
o0004,hx,va_change_pp,result,2024-01..02,true,1.9,=,news,,q
o0005,hx,auto_pct,result,2024-01..02,true,56.6,=,news,,q
o0006,hx,it_pct,result,2024-01..02,true,28.7,=,news,,q
o0007,hx,nev_pct,result,2024-01..02,true,27.8,=,news,,q
o0008,hx,trad_pct,result,2024-01..02,true,4.0,=,news,,q
o0009,hx,rules_count,instrument,2024,true,6,=,news,,q
o0010,zx,base_count,result,2023,false,77000,>,news,,q
o0011,zx,base_count,result,2024,true,69000,>,news,,q
o0012,zx,fund_yuan,instrument,2024,false,10000000000,=,news,,q
o0013,zx,sf_count,target,2021,false,100,=,old,p1,q
o0014,zx,sf_count,result,2023,false,177,=,news,,q
o0015,rd,sf_count,target,2021,false,1000,=,old,p2,q
o0016,zx,rules_count,result,2015,false,3,=,seminar,,q"""


def _fb(obs: str = OBS, measures: str = "") -> FactBase:
    meas = "measure_id,region_id,theme,summary_en,quote,source_id,is_adopted\n" + measures
    sources = frame(SOURCES, "source_id")
    return FactBase(
        sources=sources,
        regions=frame(REGIONS, "region_id"),
        themes=frame("theme_id,name_en,name_zh\nsmart_factories,Smart factories,智能工厂", "theme_id"),
        indicators=frame(INDICATORS, "indicator_id"),
        plans=frame(
            "plan_id,region_id,title_zh,title_en,source_id\np1,zx,计划,Plan,old\np2,rd,计划,Plan,old", "plan_id"
        ),
        observations=frame(obs, "obs_id"),
        measures=frame(meas, "measure_id"),
        latest_facts_date="2024-04",
    )


def _findings(d, region):
    f = d.findings[d.findings.region_id == region]
    return f.sort_values("rank")


def test_a_region_is_dated_by_its_own_sources_and_their_content_not_the_printed_date():
    fb = _fb()
    assert region_as_of(fb, "hx") == ("2024-04", "news")
    # zx quotes the seminar page (printed 2025-08-11, its facts of about 2015): it does not make zx newer
    assert region_as_of(fb, "zx") == ("2024-04", "news")
    assert region_as_of(fb, "rd") == ("2019-06-27", "old")
    only_seminar = _fb(OBS.split("\no0010")[0] + "\no0016,zx,rules_count,result,2015,false,3,=,seminar,,q")
    assert region_as_of(only_seminar, "zx") == ("2015", "seminar")


def test_met_since_without_a_result_by_the_deadline_and_met_late_with_one():
    d = derive(_fb())
    row = d.assessments.set_index("target_obs_id").loc["o0013"]
    assert row.status == "met_since" and not row.has_result_by_deadline and row.met_obs_id == "o0014"
    with_evidence = OBS + "\no0017,zx,sf_count,result,2020,false,80,=,old,,q"
    row = derive(_fb(with_evidence)).assessments.set_index("target_obs_id").loc["o0013"]
    assert row.status == "met_late" and row.has_result_by_deadline


def test_a_falling_stock_is_flagged_and_becomes_a_finding():
    d = derive(_fb())
    assert d.result_flags.to_dict("records") == [
        {"obs_id": "o0011", "region_id": "zx", "flag": "below_earlier", "other_obs_id": "o0010"}
    ]
    kinds = set(_findings(d, "zx").kind)
    assert "contradiction" in kinds
    rising = OBS.replace("o0011,zx,base_count,result,2024,true,69000", "o0011,zx,base_count,result,2024,true,79000")
    assert derive(_fb(rising)).result_flags.empty


def test_salience_puts_an_outside_benchmark_first_then_growth_then_the_fastest_sectors():
    f = _findings(derive(_fb()), "hx")
    top = f[f.is_page_one]
    assert list(top.kind[:3]) == ["benchmark", "benchmark", "fastest"]
    assert top.record_ids.iloc[0] == "o0001 o0002"  # 19.7%, 7.8 points above the national rate
    assert top.record_ids.iloc[2] == "o0005 o0006 o0007 o0003"  # autos, IT, NEVs; the whole's 6.9%
    assert list(top.salience) == sorted(top.salience, reverse=True)
    assert "money" not in set(f.kind)  # six eligibility conditions are a count, never a sum


def test_money_is_an_amount_in_yuan():
    f = _findings(derive(_fb()), "zx")
    money = f[f.kind == "money"]
    assert list(money.record_ids) == ["o0012"]


def test_sources_older_than_the_deadlines_are_said_first():
    f = _findings(derive(_fb()), "rd")
    assert f.kind.iloc[0] == "old_sources" and f.is_page_one.iloc[0] and f.record_ids.iloc[0] == "o0015"
    # the same target again adds nothing to page one
    assert not f[(f.kind == "target") & f.is_page_one].record_ids.isin(["o0015"]).any()


def test_page_one_is_varied_and_measures_only_fill_it():
    obs = OBS
    measures = "m0001,hx,smart_factories,Build smart factories.,建设智能工厂,news,true"
    f = _findings(derive(_fb(obs, measures)), "hx")
    top = f[f.is_page_one]
    assert 3 <= len(top) <= PAGE_ONE_MAX
    assert top.indicator_id.dropna().is_unique
    assert (top.theme.value_counts() <= 2).all() and (top.kind.value_counts() <= 2).all()
    assert "measures" not in set(top.kind)
    only_measures = _findings(
        derive(
            _fb(
                "obs_id,region_id,indicator_id,role,period,is_period_inferred,value,qualifier,source_id,plan,quote",
                measures,
            )
        ),
        "hx",
    )
    assert list(only_measures.kind) == ["measures"] and only_measures.is_page_one.all()


def test_region_dates_count_targets_and_mark_notes():
    measures = "m0001,hx,smart_factories,Build smart factories.,建设智能工厂,news,true"
    d = derive(_fb(OBS, measures))
    dates = d.region_dates.set_index("region_id")
    assert dates.loc["zx", "n_targets"] == 1 and dates.loc["zx", "n_met"] == 1
    assert dates.loc["rd", "n_unknown"] == 1 and not dates.is_note.any()
    note = derive(
        _fb(
            "obs_id,region_id,indicator_id,role,period,is_period_inferred,value,qualifier,source_id,plan,quote",
            measures,
        )
    ).region_dates.set_index("region_id")
    assert note.loc["hx", "is_note"]


def test_a_broken_derived_table_is_refused_in_one_line_per_problem():
    d = derive(_fb())
    broken = type(d)(d.region_dates, d.assessments.assign(status="perhaps"), d.result_flags, d.findings)
    with pytest.raises(DataError, match="derived table assessments, column status"):
        validate(broken)


def test_a_briefing_derives_from_its_scope_what_the_build_publishes_for_its_region(fb):
    whole = derive(fb)
    for region in ("henan", "shanghai", "yangtze-river-delta"):
        part = derive(data.scope(fb, region), [region])
        for name in ("assessments", "findings"):
            mine, theirs = (
                t.table(name)[t.table(name).region_id == region].reset_index(drop=True).astype(object)
                for t in (part, whole)
            )
            assert mine.where(mine.notna(), None).equals(theirs.where(theirs.notna(), None)), (region, name)
