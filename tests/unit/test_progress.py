"""Target-versus-baseline arithmetic and status, on tiny inline tables, edge cases included."""

from __future__ import annotations

import math

import pytest

from briefings import progress
from briefings.progress import assess, classify

from ..conftest import frame


def _target(value, period="2027", qualifier="="):
    return frame(f"obs_id,value,period,qualifier\nt1,{value},{period},{qualifier}").iloc[0]


def _actuals(*rows):
    body = "\n".join(f"a{i},{v},{p}" for i, (v, p) in enumerate(rows))
    return frame("obs_id,value,period\n" + body) if rows else frame("obs_id,value,period\nx,0,2020").iloc[0:0]


def test_no_baseline():
    assert assess(_target(500), _actuals(), "count", True).status == "no_baseline"


def test_insufficient_data_with_one_actual_still_gives_required_pace():
    a = assess(_target(500), _actuals((177, "2023")), "count", True)
    assert a.status == "insufficient_data"
    assert a.required_rate == pytest.approx((500 / 177) ** (1 / 4) - 1)
    assert a.share_of_target_pct == pytest.approx(35.4, abs=0.05)
    assert a.gap_remaining == 323 and a.years_left == pytest.approx(4)
    assert math.isnan(a.actual_rate)


def test_achieved():
    a = assess(_target(100, "2021"), _actuals((177, "2023")), "count", True)
    assert a.status == "achieved" and a.is_target_year_passed


@pytest.mark.parametrize(
    "latest, status",
    [(190, "on_track"), (150, "acceleration_needed"), (110, "limited_progress"), (90, "deterioration")],
)
def test_status_from_pace_ratio(latest, status):
    # Required: 100 → 300 over 4 years; achieved: 100 → latest over 2 years.
    a = assess(_target(300, "2024"), _actuals((100, "2020"), (latest, "2022")), "count", True)
    assert a.status == status
    required = 3 ** (1 / 4) - 1
    assert a.pace_ratio == pytest.approx(((latest / 100) ** 0.5 - 1) / required)
    assert a.projected_value == pytest.approx(latest * (latest / 100))


def test_thresholds():
    assert classify(0.95) == "on_track" and classify(0.949) == "acceleration_needed"
    assert classify(0.60) == "acceleration_needed" and classify(0.59) == "limited_progress"
    assert classify(0.0) == "limited_progress" and classify(-0.01) == "deterioration"


def test_baseline_of_zero_uses_linear_rates():
    a = assess(_target(40, "2025"), _actuals((0, "2021"), (20, "2023")), "count", True)
    assert a.is_linear and a.actual_rate == pytest.approx(10) and a.status == "on_track"


def test_lower_is_better():
    # Latency target 5 ms: from 20 to 10 ms in two years, needing 20 → 5 in four: on track.
    on = assess(_target(5, "2025"), _actuals((20, "2021"), (10, "2023")), "duration", False)
    assert on.status == "on_track"
    worse = assess(_target(5, "2025"), _actuals((20, "2021"), (25, "2023")), "duration", False)
    assert worse.status == "deterioration"
    met = assess(_target(5, "2025"), _actuals((4, "2023")), "duration", False)
    assert met.status == "achieved"


def test_target_year_already_passed_without_meeting_it():
    a = assess(_target(300, "2022"), _actuals((100, "2020"), (150, "2023")), "count", True)
    assert a.is_target_year_passed and a.status == "limited_progress" and math.isnan(a.required_rate)


@pytest.mark.parametrize(
    "qualifier, latest, status",
    [
        (">", 500, "insufficient_data"),
        (">=", 500, "achieved"),
        ("~", 480, "achieved"),
        ("~", 470, "insufficient_data"),
    ],
)
def test_qualifiers(qualifier, latest, status):
    assert assess(_target(500, "2027", qualifier), _actuals((latest, "2024")), "count", True).status == status


def test_growth_rates_use_linear_pace():
    a = assess(_target(25, "2027"), _actuals((20, "2021"), (22, "2023")), "percent", True)
    assert a.is_linear and a.actual_rate == pytest.approx(1.0)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_status_has_a_name_a_rule_and_a_colour(lang):
    from briefings.charts import STATUS_COLOURS
    from briefings.i18n import catalogue

    for status in progress.STATUSES:
        assert f"status.{status}" in catalogue(lang) and f"method.rule.{status}" in catalogue(lang), status
        assert status in STATUS_COLOURS, status


def test_shanghai_smart_factories_across_three_plans(fb):
    s = progress.plan_succession(fb, "shanghai")
    sf = s[s.indicator_id == "municipal_demo_smart_factories_count"]
    assert sf.target_value.tolist() == [100, 200, 500]
    assert sf.change_from_previous.tolist()[1:] == [100, 300]
    a = progress.assess_region(fb, "shanghai")
    row = a[(a.indicator_id == "municipal_demo_smart_factories_count") & (a.target_period == "2021")].iloc[0]
    assert row.status == "achieved"
    assert set(a.status) >= {"achieved", "insufficient_data", "no_baseline"}
