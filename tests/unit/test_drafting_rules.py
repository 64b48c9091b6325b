"""Each named rule of the drafter on a text written for it: the rule decides, and gives its answer."""

from __future__ import annotations

import pytest

from briefings.drafting import draft
from briefings.drafting.explain import explain
from briefings.drafting.indicator import INDICATOR_RULES
from briefings.drafting.layout import layout
from briefings.drafting.measures import MEASURE_SKIP_RULES, Sentence
from briefings.drafting.period import GOAL_RULES, OTHER_RULES
from briefings.drafting.region import REGION_RULES
from briefings.drafting.role import ROLE_RULES
from briefings.drafting.skip import SKIP_RULES

REGIONS = [
    {
        "region_id": "shanghai",
        "name_en": "Shanghai",
        "name_zh": "上海市",
        "level": "municipality",
        "aliases": "上海|沪",
    },
    {"region_id": "china", "name_en": "China", "name_zh": "中国", "level": "country", "aliases": "全国|我国"},
]
INDICATORS = [
    {
        "indicator_id": "demo_smart_factories_count",
        "name_en": "Demonstration smart factories",
        "name_zh": "示范性智能工厂",
        "unit": "count",
        "theme": "smart_factories",
        "kind": "count",
    },
    {
        "indicator_id": "robot_density_per_10k_workers",
        "name_en": "Industrial robot density",
        "name_zh": "机器人密度",
        "unit": "robots per 10k workers",
        "theme": "robotics",
        "kind": "intensity",
    },
]
TERMS = [
    {"indicator_id": "demo_smart_factories_count", "terms_zh": "示范性智能工厂|智能工厂", "tier": "provincial"},
    {"indicator_id": "robot_density_per_10k_workers", "terms_zh": "机器人密度|工业机器人密度"},
]


def why(text: str, written: str, published: str = "2024-05") -> dict[str, str]:
    return explain(text, written, published, REGIONS, INDICATORS, TERMS)


SKIP_CASES = {
    "place_name": ("## 福建\n\n三明市建成智能工厂20家。\n", "三"),
    "furniture": ("咨询电话：0571-88886666\n", "0571"),
    "date": ("2023年，上海推进新型工业化。\n", "2023"),
    "set_phrase": ("十四五期间，上海推进智能制造。\n", "十四五"),
    "lone_one": ("上海统一部署智能制造。\n", "一"),
    "vague": ("上海有几千家企业上云。\n", "千"),
    "title": ("上海印发《关于推动5个产业集群发展的意见》。\n", "5"),
    "quoted_name": ("实施“415X”先进制造业集群培育工程。\n", "415"),
    "code": ("上海推动5G应用拓展。\n", "5"),
    "label": ("上海构建1+N政策体系。\n", "1"),
    "version": ("上海推进工业4.0建设。\n", "4.0"),
    "tier": ("上海打造5000亿级产业集群。\n", "5000亿"),
    "numbered_name": ("上海落实中发3号文件。\n", "3"),
    "ordinal": ("上海公布第三批名单。\n", "三"),
    "list_number": ("1、上海加快建设智能工厂。\n", "1"),
}
ROLE_CASES = {
    "money_or_eligibility": ("上海设立总规模100亿元的产业投资基金。", "100亿", "instrument"),
    "hinted": ("上海将实施五大行动。", "五", "structure"),
    "instrument": ("上海对重大项目给予最高1亿元支持。", "1亿", "instrument"),
    "recommendation": ("白皮书建议，到2025年上海打造30个工业互联网平台。", "30", "recommendation"),
    "cue_score": ("上海累计建成智能工厂120家。", "120", "result"),
}
PERIOD_CASES = {
    "annual": ("到2027年，上海每年推动1500家企业数字化改造。", "1500", "2024"),
    "deadline_in_sentence": ("上海力争到2026年建成智能工厂800家。", "800", "2026"),
    "this_year": ("上海今年将新培育未来工厂100家。", "100", "2024"),
    "plan_span_in_sentence": ("《上海市行动方案(2024—2026年)》提出打造智能工厂500家。", "500", "2026"),
    "earlier_deadline": ("到2027年，上海将建成一批智能工厂。打造标杆工厂50家。", "50", "2027"),
    "no_deadline": ("上海力争打造标杆工厂50家。", "50", ""),
    "year_in_sentence": ("2023年，上海累计建成智能工厂120家。", "120", "2023"),
    "time_in_paragraph": ("上海发展迅速，2023年成效明显。累计建成智能工厂120家。", "120", "2023"),
    "earlier_in_item": ("2022年，上海工业稳步发展。\n\n累计建成智能工厂120家。", "120", "2022"),
    "publication": ("上海累计建成智能工厂120家。", "120", "2024"),
}
REGION_CASES = {
    "in_clause": ("## 浙江数字经济\n\n浙江省数字经济持续发展，其中杭州市累计建成智能工厂56家。\n", "56", "hangzhou"),
    "subject_of_sentence": ("浙江省发布方案，累计建成智能工厂56家。\n", "56", "zhejiang"),
    "heading_of_item": ("## 上海智能制造\n\n累计建成智能工厂56家。\n", "56", "shanghai"),
    "most_named": ("累计建成智能工厂56家。上海发展良好。\n", "56", "shanghai"),
}
INDICATOR_CASES = {
    "vocabulary": ("上海累计建成示范性智能工厂120家。", "120", "demo_smart_factories_count"),
    "variant": ("江苏省累计建成基础级智能工厂1000家。", "1000", "basic_level_smart_factories_count"),
    "similar_name": ("上海示范性智慧工厂120家。", "120", "demo_smart_factories_count"),
    "new_from_phrase": ("江苏省累计建成数字化车间300个。", "300", "digital_workshops_count"),
}
MEASURE_CASES = {
    "heading": "## 上海推动智能制造发展",
    "byline": "责任编辑：张三",
    "salutation": "各有关单位：",
    "preamble": "为深入贯彻落实《中国制造2025》，推动制造业高质量发展，制定本方案。",
    "reporter": "据了解，上海将推动“智能工厂”建设。",
    "date_line": "2025年3月12日",
    "item_title": "（一）开展智能制造诊断服务。",
    "own_title": "关于印发《江苏省智能工厂梯度培育方案》的通知",
}


def _names(rules) -> set[str]:
    return {r.name for r in rules}


@pytest.mark.parametrize(
    "rules, cases",
    [
        (SKIP_RULES, SKIP_CASES),
        (ROLE_RULES, ROLE_CASES),
        (GOAL_RULES + OTHER_RULES, PERIOD_CASES),
        (REGION_RULES, REGION_CASES),
        (INDICATOR_RULES, INDICATOR_CASES),
        (MEASURE_SKIP_RULES, MEASURE_CASES),
    ],
)
def test_every_rule_has_a_reason_and_a_case(rules, cases):
    assert set(cases) == _names(rules), "each rule of the list is tested below"
    assert len(_names(rules)) == len(rules) and all(len(r.reason) > 10 for r in rules)


@pytest.mark.parametrize("name", SKIP_CASES)
def test_skip_rule(name):
    text, written = SKIP_CASES[name]
    assert why(text, written)["skip"] == name
    assert not [c for c in draft(text, "2024-05", REGIONS, INDICATORS, terms=TERMS).observations if c.start == 0]


@pytest.mark.parametrize("name", ROLE_CASES)
def test_role_rule(name):
    text, written, role = ROLE_CASES[name]
    assert why(text, written)["role"] == name
    (c,) = [
        c
        for c in draft(text, "2024-05", REGIONS, INDICATORS, terms=TERMS).observations
        if c.value_as_written == written
    ]
    assert c.role == role


@pytest.mark.parametrize("name", PERIOD_CASES)
def test_period_rule(name):
    text, written, period = PERIOD_CASES[name]
    assert why(text, written)["period"] == name
    d = draft(text, "2024-05", REGIONS, INDICATORS, terms=TERMS)
    assert [c.period for c in d.observations if c.value_as_written == written] == [period]


@pytest.mark.parametrize("name", REGION_CASES)
def test_region_rule(name):
    text, written, region = REGION_CASES[name]
    assert why(text, written)["region"] == name
    d = draft(text, "2024-05", REGIONS, INDICATORS, terms=TERMS)
    assert [c.region_id for c in d.observations if c.value_as_written == written] == [region]


@pytest.mark.parametrize("name", INDICATOR_CASES)
def test_indicator_rule(name):
    text, written, indicator_id = INDICATOR_CASES[name]
    got = why(text, written)
    assert (got["indicator"], got["indicator_id"]) == (name, indicator_id)


@pytest.mark.parametrize("name", MEASURE_CASES)
def test_measure_skip_rule(name):
    text = MEASURE_CASES[name] + "\n"
    lay = layout(text, text)
    ss, se = lay.sentences[0]
    (rule,) = [r for r in MEASURE_SKIP_RULES if r.name == name]
    assert rule.apply(Sentence(lay, ss, se))


def test_measures_are_policy_actions_only():
    text = (
        "各有关单位：\n\n为深入贯彻落实《中国制造2025》，推动制造业高质量发展，特制定本方案。"
        "记者从市经信委获悉，上海将推动“智能工厂”建设。上海设立“智能制造专项资金”，支持企业建设智能工厂。\n\n"
        "发布时间：2025-03-12 责任编辑：张三\n"
    )
    d = draft("## 上海推动智能制造\n\n" + text, "2025-03", REGIONS, INDICATORS, terms=TERMS)
    assert [m.quote for m in d.measures] == ["上海设立“智能制造专项资金”，支持企业建设智能工厂"]
    assert d.measures[0].summary_en.startswith("[draft] Sets up")


def test_density_index_and_share_are_read_with_their_units():
    text = (
        "## 江苏\n\n到2027年，江苏两化融合发展水平指数达72，工业机器人密度达到每万人350台，数字化改造覆盖率达八成。\n"
    )
    d = draft(text, "2025-03", REGIONS, INDICATORS, terms=TERMS)
    got = {c.value_as_written: (c.unit, c.indicator_id) for c in d.observations}
    assert got["72"] == ("points", "it_industrialisation_integration_development_level_index_points")
    assert got["350"] == ("robots per 10k workers", "robot_density_per_10k_workers")
    assert got["八成"][0] == "%"


def test_tier_and_level_words_are_kept_and_new_names_are_readable_english():
    text = "## 江苏\n\n到2027年，江苏省建成基础级智能工厂3000家，其中卓越级智能工厂不少于50家。\n"
    d = draft(text, "2025-03", REGIONS, INDICATORS, terms=TERMS)
    got = {c.value_as_written: c for c in d.observations}
    assert got["3000"].indicator_id == "basic_level_smart_factories_count"
    assert got["50"].indicator_id == "excellent_level_smart_factories_count"
    assert got["50"].indicator_name_en == "Excellent-level smart factories" and got["50"].qualifier == ">="
    assert got["50"].indicator_level == "excellent" and got["50"].indicator_is_new


def test_a_list_read_with_fenbie_pairs_each_number_with_its_item():
    indicators = [
        {"indicator_id": f"{k}_output_growth_pct", "name_en": k, "name_zh": zh, "unit": "%", "theme": "x"}
        | {"kind": "growth_rate"}
        for k, zh in (("tablet", "平板电脑产量增速"), ("monitor", "显示器产量增速"))
    ]
    terms = [{"indicator_id": "tablet_output_growth_pct", "terms_zh": "平板电脑"}]
    terms.append({"indicator_id": "monitor_output_growth_pct", "terms_zh": "显示器"})
    text = "## 河南\n\n1—2月，平板电脑、显示器产量分别增长299.7%和76.0%。\n"
    d = draft(text, "2024-03", REGIONS, indicators, terms=terms)
    assert {c.value_as_written: c.indicator_id for c in d.observations} == {
        "299.7": "tablet_output_growth_pct",
        "76.0": "monitor_output_growth_pct",
    }
