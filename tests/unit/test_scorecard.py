"""Page one: the scorecard of assessable adopted targets and the key messages, checked against data/."""

from __future__ import annotations

import html as html_lib
import math
import re
from types import SimpleNamespace

import pytest

from briefings import progress, scorecard
from briefings.numbers import format_value
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
a1,r,x,result,2023,177
"""
    )
    paces = scorecard.successive_paces(SimpleNamespace(observations=obs), "r").set_index("target_obs_id")
    assert list(paces.index) == ["t2", "t3"]  # the first target and the undated one have no predecessor
    assert paces.loc["t3", "implied_step"] == pytest.approx((500 - 200) / 2)
    assert paces.loc["t3", "implied_rate"] == pytest.approx((500 / 200) ** 0.5 - 1)
    assert paces.loc["t2", "previous_period"] == "2021"


@pytest.mark.parametrize(
    "indicator", ["robot_density_key_industries_per_10k_workers", "municipal_demo_smart_factories_count"]
)
def test_shanghai_scorecard_rows_come_from_the_data(fb, indicator):
    card = scorecard.scorecard(fb, "shanghai")
    rows = card[card.indicator_id == indicator]
    targets = _rows(fb, "shanghai", indicator, "target")
    results = _rows(fb, "shanghai", indicator, "result")
    latest = results.loc[results.period.map(progress.period_time).idxmax()]
    assert sorted(rows.target_value) == sorted(targets.value) and len(rows) == len(targets)
    assert (rows.latest_value == latest.value).all() and (rows.latest_period == latest.period).all()
    for r in rows.itertuples():
        assert r.share_of_target_pct == pytest.approx(latest.value / r.target_value * 100)
    # Successive targets: the pace the plans imply between each pair of deadlines.
    ordered = targets.assign(when=targets.period.map(progress.period_time)).sort_values("when")
    for prev, cur in zip(ordered.itertuples(), ordered.iloc[1:].itertuples()):
        row = rows[rows.target_obs_id == cur.obs_id].iloc[0]
        assert row.implied_step == pytest.approx((cur.value - prev.value) / (cur.when - prev.when))
    assert math.isnan(rows[rows.target_obs_id == ordered.iloc[0].obs_id].iloc[0].implied_step)


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
    assert f"+{(by['2027'] - by['2025']) / 2:.0f} a year" in text and "2025–2027" in text
    assert "Met by 2023 (deadline 2021)" in text
    zh = _text(page_one(_ctx(fb, lang="zh")))
    assert "2023年实现（期限2021年）" in zh and "2025—2027年规划隐含的速度为每年+" in zh


def test_key_messages_follow_the_written_rule(fb):
    ctx = _ctx(fb)
    messages = scorecard.key_messages(ctx)
    assert 3 <= len(messages) <= scorecard.MAX_MESSAGES
    assert messages[0].startswith("Municipal demonstration smart factories: 3 successive plans")
    assert messages[-1].startswith("What the sources cannot tell")
    a = progress.assess_region(fb, "shanghai")
    assert f"{a.status.isin(progress.NOT_ASSESSED).sum()} of the {len(a)} adopted targets" in messages[-1]


def test_region_without_targets_gets_a_short_page_one(fb):
    ctx = _ctx(fb, "hebei")
    page = page_one(ctx)
    assert "<table" not in page and len(scorecard.key_messages(ctx)) <= 3
    assert "8 policy measures of Hebei" in _text(page)
