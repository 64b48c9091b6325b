"""Classification rules: one test per rule on tiny inline tables, each passing and breaking, then the real data."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from briefings import data, rules

from ..conftest import frame

INDICATORS = """indicator_id,name_en,name_zh,unit,theme,higher_is_better,comparison_group,description
support_max_yuan,Support cap,支持上限,yuan,industrial_finance,true,,d
fund_yuan,Fund size,基金规模,yuan,industrial_finance,true,,d
investment_yuan,Investment,投资,yuan,investment_attraction,true,,d
conditions_count,Conditions,条件,count,industrial_clusters,false,,d
lookback_years_count,Look-back,回溯年数,count,safety,false,,d
plan_actions_count,Actions,行动,count,industrial_growth,false,,d
factories_count,Factories,工厂,count,smart_factories,true,,d
gain_pct,Gain,提升,%,smart_factories,true,,d
firm_gain_pct,One firm's gain,企业提升,%,smart_factories,true,,d
index_rank,Rank,排名,rank,computing_power,false,,d"""
PLANS = """plan_id,region_id,end_year
plan-a,shanghai,2027
plan-b,sichuan,
paper,shanghai,"""
SOURCES = """source_id,published
s1,2024-05
s2,2024-04"""
REGIONS = """region_id,name_zh,aliases
shanghai,上海市,上海|沪
sichuan,四川省,四川|川
jiangxi,江西省,江西|赣
hubei,湖北省,湖北|鄂
china,中国,全国|我国"""
OBS_HEAD = "obs_id,region_id,indicator_id,role,period,is_period_inferred,value_as_written,source_id,quote,plan\n"
MEASURES_HEAD = "measure_id,region_id,theme,summary_en,quote,source_id,is_adopted\n"


def text_frame(csv_text: str) -> pd.DataFrame:
    """Inline CSV read as the loader reads it: text stays text (``20`` as written), booleans are booleans."""
    df = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=False)
    for col in ("is_period_inferred", "is_adopted"):
        if col in df:
            df[col] = df[col].eq("true")
    return df


def tables(obs: str, measures: str = "") -> dict[str, pd.DataFrame]:
    """The tables a rule reads, from inline CSV rows of observations (and measures)."""
    return {
        "observations": text_frame(OBS_HEAD + obs),
        "measures": text_frame(MEASURES_HEAD + measures),
        "indicators": frame(INDICATORS),
        "plans": frame(PLANS),
        "sources": frame(SOURCES),
        "regions": frame(REGIONS),
    }


def broken(rule, obs: str, measures: str = "") -> list[str]:
    problems = rule(tables(obs, measures))
    assert all(re.match(r"data/(observations|measures)\.csv, row \d+, column \w+: ", p) for p in problems), problems
    return problems


def test_rank_unit_means_ranking():
    ok = "o1,shanghai,index_rank,ranking,2024,true,第一,s1,上海算力指数位列全国第一,\n"
    assert broken(rules.rank_unit_means_ranking, ok) == []
    as_result = ok.replace(",ranking,", ",result,")
    assert broken(rules.rank_unit_means_ranking, as_result) == [
        "data/observations.csv, row 2, column role: 'result' with unit 'rank'; a rank (第一, 首位) is a ranking "
        "in the unit 'rank', and only a rank is"
    ]
    rank_words_as_count = "o1,shanghai,factories_count,ranking,2024,true,第一,s1,数量居全国第一,\n"
    assert len(broken(rules.rank_unit_means_ranking, rank_words_as_count)) == 1


def test_indicator_keeps_its_role_in_every_region():
    sichuan = "o1,sichuan,conditions_count,instrument,2024,true,6,s1,申报以上四类集群需同时满足6项基本条件,plan-b\n"
    jiangxi = "o2,jiangxi,conditions_count,{role},2024,true,6,s2,等6个基本条件的同时,\n"
    assert broken(rules.indicator_keeps_its_role, sichuan + jiangxi.format(role="instrument")) == []
    problems = broken(rules.indicator_keeps_its_role, sichuan + jiangxi.format(role="result"))
    assert problems == [
        "data/observations.csv, row 3, column role: conditions_count is a instrument in row 2 "
        "(sichuan) but a result here; class the same statement the same way"
    ]


def test_goals_may_share_an_indicator_with_results():
    goal_and_result = (
        "o1,shanghai,factories_count,target,2027,true,500,s1,建设500家示范性智能工厂,plan-a\n"
        "o2,shanghai,factories_count,result,2023,true,177,s2,累计建成177家市级示范性智能工厂,\n"
    )
    assert broken(rules.indicator_keeps_its_role, goal_and_result) == []


def test_a_plan_either_adopts_or_recommends():
    paper = (
        "o1,shanghai,factories_count,recommendation,,false,30,s2,打造30个行业性工业互联网平台,paper\n"
        "o2,shanghai,factories_count,{role},,false,40,s2,梯度培育40家“工赋链主”企业,paper\n"
    )
    assert broken(rules.plan_either_adopts_or_recommends, paper.format(role="recommendation")) == []
    problems = broken(rules.plan_either_adopts_or_recommends, paper.format(role="target"))
    assert len(problems) == 1 and "the goals of paper are" in problems[0]


def test_an_inferred_deadline_is_the_end_year_of_its_plan():
    ok = "o1,shanghai,factories_count,target,2027,true,500,s1,建设500家示范性智能工厂,plan-a\n"
    assert broken(rules.inferred_deadline_comes_from_its_plan, ok) == []
    publication_year = ok.replace(",2027,", ",2024,")
    assert (
        "is not the end year of plan plan-a (2027)"
        in broken(rules.inferred_deadline_comes_from_its_plan, publication_year)[0]
    )
    undated_plan = "o1,sichuan,factories_count,target,2024,true,4,s1,打造4个集群,plan-b\n"
    assert "leave the period empty" in broken(rules.inferred_deadline_comes_from_its_plan, undated_plan)[0]
    no_deadline = "o1,sichuan,factories_count,target,,false,4,s1,打造4个集群,plan-b\n"
    assert broken(rules.inferred_deadline_comes_from_its_plan, no_deadline) == []


def test_a_stated_number_is_not_in_the_future():
    cap = "o1,shanghai,support_max_yuan,instrument,{period},true,2000万,s1,给予最高2000万元支持,plan-a\n"
    assert broken(rules.stated_numbers_are_not_in_the_future, cap.format(period="2024")) == []
    assert (
        "after its source was published (2024-05)"
        in broken(rules.stated_numbers_are_not_in_the_future, cap.format(period="2027"))[0]
    )
    same_year_later_month = "o1,shanghai,gain_pct,result,2024-06,false,5,s1,6月增长5%,\n"
    assert len(broken(rules.stated_numbers_are_not_in_the_future, same_year_later_month)) == 1
    goal = "o1,shanghai,factories_count,target,2027,false,500,s1,到2027年建设500家,plan-a\n"
    assert broken(rules.stated_numbers_are_not_in_the_future, goal) == []


@pytest.mark.parametrize(
    "written, quote",
    [
        ("五", "实施五大行动20条举措"),
        ("20", "实施五大行动20条举措"),
        ("10", "该方案明确了10个方面的重点任务"),
        ("7", "省财政厅等7部门联合印发"),
        ("六", "未来制造六大领域"),
        ("三", "面向“十三五”,工程将重点推进三方面工作"),
    ],
)
def test_a_count_of_a_documents_parts_is_structure(written, quote):
    row = f'o1,shanghai,plan_actions_count,{{role}},2024,true,{written},s1,"{quote}",\n'
    assert broken(rules.document_part_count_is_structure, row.format(role="structure")) == []
    assert "counts a document's parts" in broken(rules.document_part_count_is_structure, row.format(role="result"))[0]


def test_counts_of_other_things_are_not_structure():
    row = "o1,shanghai,factories_count,result,2023,false,9,s1,超前布局集成电路、高端软件等9个数字经济产业集群,\n"
    assert broken(rules.document_part_count_is_structure, row) == []


@pytest.mark.parametrize(
    "written, quote",
    [
        ("2000万", "的项目给予最高2000万元支持"),
        ("1亿", "重大项目给予最高达1亿元支持"),
        ("100亿", "设立了总规模100亿元的上海智能制造产业投资基金"),
        ("500亿", "提供超500亿元的专项额度"),
        ("82.9亿", "有望获得技术改造再贷款82.9亿元"),
        ("29.2亿", "拟申请资金支持29.2亿元"),
    ],
)
def test_money_a_policy_provides_is_an_instrument(written, quote):
    row = f"o1,shanghai,fund_yuan,{{role}},2024,true,{written},s1,{quote},\n"
    assert broken(rules.money_instrument_is_instrument, row.format(role="instrument")) == []
    assert (
        "role 'instrument', not 'target'" in broken(rules.money_instrument_is_instrument, row.format(role="target"))[0]
    )


def test_investment_is_not_an_instrument():
    row = "o1,shanghai,investment_yuan,result,2024,true,113.5亿,s1,涉及总投资113.5亿元,\n"
    assert broken(rules.money_instrument_is_instrument, row) == []


@pytest.mark.parametrize(
    "written, quote",
    [
        ("6", "申报以上四类集群需同时满足6项基本条件"),
        ("三", "集群内企业近三年未发生重大安全生产事故"),
        ("1亿", "对规划产业区块外产值1亿元以上企业“零增地”技术改造项目参照规划产业区块内管理"),
        ("四", "省级先进制造业集群分四类进行申报"),
    ],
)
def test_an_eligibility_rule_is_an_instrument_in_every_region(written, quote):
    for region in ("sichuan", "jiangxi", "shanghai"):
        row = f"o1,{region},conditions_count,{{role}},2024,true,{written},s1,{quote},\n"
        assert broken(rules.eligibility_rule_is_instrument, row.format(role="instrument")) == []
        assert "states who qualifies" in broken(rules.eligibility_rule_is_instrument, row.format(role="result"))[0]


def test_applying_is_not_an_eligibility_rule():
    row = "o1,shanghai,factories_count,result,2023,false,95,s1,申报国家领航企业评定工作试点企业95家,\n"
    assert broken(rules.eligibility_rule_is_instrument, row) == []


def test_one_firm_is_not_a_region():
    city = "o1,shanghai,gain_pct,result,2023,true,50,s1,全市智能工厂生产效率平均提升50%以上,\n"
    firm = "o2,china,{indicator},result,2015,true,30,s2,某汽车制造企业生产效率提升30%以上,\n"
    assert broken(rules.one_firm_is_not_a_region, city + firm.format(indicator="firm_gain_pct")) == []
    problems = broken(rules.one_firm_is_not_a_region, city + firm.format(indicator="gain_pct"))
    assert problems == [
        "data/observations.csv, row 3, column indicator_id: gain_pct holds one unnamed firm's "
        "figure and regional figures; give the firm's figure an indicator of its own"
    ]


def test_a_measure_shares_the_adoption_of_the_number_in_its_words():
    obs = "o1,shanghai,factories_count,recommendation,,false,30,s2,打造30个行业性工业互联网平台,paper\n"
    measure = "m1,shanghai,digital_transformation,Platforms,实施“工赋上海”行动计划，打造30个行业性工业互联网平台,s2,{adopted}\n"
    assert broken(rules.measure_and_number_share_adoption, obs, measure.format(adopted="false")) == []
    problems = broken(rules.measure_and_number_share_adoption, obs, measure.format(adopted="true"))
    assert problems == [
        "data/measures.csv, row 2, column is_adopted: m1 says the words of o1 (recommendation): "
        "is_adopted must be false"
    ]
    cap = "o1,shanghai,support_max_yuan,instrument,2024,true,1亿,s1,给予最高1亿元支持,plan-a\n"
    adopted = "m1,shanghai,investment_attraction,Cap,对重大项目给予最高1亿元支持,s1,false\n"
    assert "is_adopted must be true" in broken(rules.measure_and_number_share_adoption, cap, adopted)[0]


def test_a_shared_sentence_names_each_region():
    quote = "组织东部省市与中南部省份开展智能制造对接会,分享数字化转型案例"
    national = f'm1,china,regional_cooperation,Office,"{quote}",s1,true\n'
    assert broken(rules.shared_statement_names_each_region, "", national) == []
    per_province = national + f'm2,hubei,regional_cooperation,Office,"{quote}",s1,true\n'
    problems = broken(rules.shared_statement_names_each_region, "", per_province)
    assert len(problems) == 2 and "does not name hubei" in problems[1]
    named = "广东、湖北等中南部省份推进工业4.0相关项目"
    both = f"m1,hubei,digital_transformation,P,{named},s1,true\nm2,china,digital_transformation,P,{named},s1,true\n"
    assert broken(rules.shared_statement_names_each_region, "", both)[0].startswith(
        "data/measures.csv, row 3, column region_id"
    )


# --- The real data -----------------------------------------------------------------------------------


def test_real_data_follows_every_rule(fb):
    t = {
        name: fb.table(name).reset_index(drop=True)
        for name in ("observations", "measures", "indicators", "plans", "sources", "regions")
    }
    assert rules.check(t) == []


def test_a_broken_rule_stops_validation_with_one_line_naming_the_row(data_copy):
    df = pd.read_csv(data_copy / "observations.csv", dtype=str, keep_default_na=False)
    i = df.index[df.role == "instrument"][0]
    df.loc[i, "role"] = "result"
    df.to_csv(data_copy / "observations.csv", index=False, lineterminator="\n")
    with pytest.raises(data.DataError) as exc:
        data.validate(data_copy)
    assert f"data/observations.csv, row {i + 2}, column role:" in str(exc.value) and "\n" not in str(exc.value)


def test_no_deadline_is_never_the_publication_year(fb):
    """Goals with an inferred deadline take their plan's end year; goals without a dated plan state none."""
    obs = fb.observations
    goals = obs[obs.role.isin(("target", "recommendation"))]
    undated = goals[goals.plan.map(lambda p: pd.isna(fb.plans.loc[p, "end_year"]))]
    assert not undated.empty
    assert not undated[undated.is_period_inferred].shape[0]
