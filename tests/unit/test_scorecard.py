"""Page one: the findings and the scorecard of assessable adopted targets, checked against data/."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from briefings import scorecard
from briefings.derive.assessments import successive_paces
from briefings.numbers import format_value
from briefings.periods import period_time
from briefings.report import Context

from ..conftest import frame, page_one


def _ctx(fb, region="shanghai", lang="en"):
    return Context(fb, region, lang, None, "figures")


def _rows(fb, region, indicator, role):
    obs = fb.observations
    return obs[(obs.region_id == region) & (obs.indicator_id == indicator) & (obs.role == role)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


def test_successive_paces_on_a_tiny_table():
    obs = frame(
        """
obs_id,region_id,indicator_id,role,period,value
t1,r,x,target,2021,100
t2,r,x,target,2025,200
t3,r,x,target,2027,500
t4,r,y,target,,9
"""
    )
    paces = successive_paces(obs).set_index("target_obs_id")
    assert list(paces.index) == ["t2", "t3"]  # the first target and the undated one have no predecessor
    assert paces.loc["t3", "implied_step"] == pytest.approx((500 - 200) / 2)
    assert paces.loc["t3", "implied_rate"] == pytest.approx((500 / 200) ** 0.5 - 1)
    assert paces.loc["t2", "previous_target_obs_id"] == "t1"


@pytest.mark.parametrize(
    "indicator", ["robot_density_key_industries_per_10k_workers", "municipal_demo_smart_factories_count"]
)
def test_shanghai_scorecard_rows_come_from_the_data(fb, indicator):
    card = scorecard.scorecard(_ctx(fb))
    rows = card[card.indicator_id == indicator]
    targets = _rows(fb, "shanghai", indicator, "target")
    results = _rows(fb, "shanghai", indicator, "result")
    latest = results.loc[results.period.map(period_time).idxmax()]
    assert sorted(rows.target_value) == sorted(targets.value) and len(rows) == len(targets)
    assert (rows.latest_value == latest.value).all() and (rows.latest_period == latest.period).all()
    ordered = targets.assign(when=targets.period.map(period_time)).sort_values("when")
    for prev, cur in zip(ordered.itertuples(), ordered.iloc[1:].itertuples()):
        row = rows[rows.target_obs_id == cur.obs_id].iloc[0]
        assert row.implied_step == pytest.approx((cur.value - prev.value) / (cur.when - prev.when))
    # The pace required counts from the briefing's as-of date, the same base as the time left.
    for r in rows[rows.years_left > 0].itertuples():
        assert r.required_step == pytest.approx((r.target_value - r.latest_value) / r.years_left)


def test_shanghai_page_one_states_robots_and_smart_factories_with_numbers(fb):
    text = _text(page_one(_ctx(fb)))
    unit = "robots per 10k workers"
    robots = _rows(fb, "shanghai", "robot_density_key_industries_per_10k_workers", "result").iloc[0]
    robot_goal = _rows(fb, "shanghai", "robot_density_key_industries_per_10k_workers", "target").iloc[0]
    assert f"{format_value(robots.value, unit)} (2024*) against {format_value(robot_goal.value, unit)} by 2027*" in text
    sf = _rows(fb, "shanghai", "municipal_demo_smart_factories_count", "target").sort_values("period")
    done = _rows(fb, "shanghai", "municipal_demo_smart_factories_count", "result").iloc[0]
    by = {p: v for p, v in zip(sf.period, sf.value)}
    assert f"{by['2025']:.0f} by 2025* and {by['2027']:.0f} by 2027*" in text
    assert f"latest result is {done.value:.0f} ({done.period}*)" in text
    assert f"+{(by['2027'] - by['2025']) / 2:.0f} a year" in text
    # the 2021 target is met by 2023 with no result for 2021: never "met after the deadline"
    assert "Met by 2023 (177); the sources give no result for the deadline, 2021" in text
    assert "after the deadline" not in text and "of the way" not in text
    zh = _text(page_one(_ctx(fb, lang="zh")))
    assert "至2023年已实现（177家）；来源中没有期限2021年时的实绩" in zh and "逾期" not in zh


def test_henan_page_one_carries_what_an_analyst_underlines(fb):
    text = _text(page_one(_ctx(fb, "henan")))
    first = text.split(" 2. ")[0] if " 2. " in text else text
    assert "Industrial investment growth was 19.7% in Jan–Feb 2024*" in text
    assert "7.8 pp above the national rate" in text and "10.8 pp faster than a year earlier" in text
    assert re.search(
        r"56\.6% growth of value added of automobiles and parts.*28\.7% growth of value added of the new-generation IT"
        r" industry.*27\.8% growth of value added of the new-energy-vehicle industry",
        text,
    )
    assert "The sources hold" not in text and "policy measures are chiefly" not in first
    zh = _text(page_one(_ctx(fb, "henan", "zh")))
    assert "工业投资增速2024年1—2月*为19.7%" in zh and "高于全国7.8个百分点" in zh


def test_a_count_is_never_called_a_sum(fb):
    text = _text(page_one(_ctx(fb, "sichuan")))
    assert "largest sum" not in text  # Sichuan's instruments are counts of eligibility conditions


def test_region_without_numbers_gets_a_short_page_one(fb):
    page = page_one(_ctx(fb, "hebei"))
    assert "<table" not in page
    assert "The sources give no number for Hebei; its 8 policy measures are chiefly on" in _text(page)
