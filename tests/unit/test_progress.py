"""Target-versus-baseline arithmetic and status, on tiny inline tables, edge cases included."""

from __future__ import annotations

import math

import pytest

from briefings import progress
from briefings.periods import date_time, period_time
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


def test_achieved_only_with_evidence_dated_by_the_deadline():
    on_time = assess(_target(100, "2021"), _actuals((120, "2021"), (177, "2023")), "count", True)
    assert on_time.status == "achieved" and on_time.met_period == "2021" and on_time.is_deadline_passed
    late = assess(_target(100, "2021"), _actuals((80, "2020"), (177, "2023"), (190, "2024")), "count", True)
    assert late.status == "met_late" and late.met_period == "2023" and late.has_result_by_deadline


def test_met_late_needs_a_result_by_the_deadline_that_fell_short():
    # Shanghai's 2021 smart-factory target: the only evidence is a count from 2023.
    since = assess(_target(100, "2021"), _actuals((177, "2023")), "count", True, as_of="2024-05")
    assert since.status == "met_since" and since.met_period == "2023" and not since.has_result_by_deadline


def test_passed_deadline_short_of_target_or_without_later_evidence():
    short = assess(_target(300, "2022"), _actuals((100, "2020"), (150, "2023")), "count", True)
    assert short.status == "not_met" and short.is_deadline_passed
    unknown = assess(_target(300, "2022"), _actuals((100, "2020")), "count", True, as_of="2024-05-01")
    assert unknown.status == "outcome_unknown"


def test_years_left_count_from_the_as_of_date():
    one = assess(_target(500, "2027"), _actuals((177, "2023")), "count", True, as_of="2025-07-01")
    assert one.years_left == pytest.approx(2027 - date_time("2025-07-01"))
    assert one.years_left == pytest.approx(2.5, abs=0.02) and one.status == "insufficient_data"
    # The pace required counts from the same date: the latest result must grow to the target in the time left.
    assert one.required_rate == pytest.approx((500 / 177) ** (1 / one.years_left) - 1)
    assert one.required_step == pytest.approx((500 - 177) / one.years_left)
    assert date_time("2024") > date_time("2024-06") > date_time("2024-01-02")


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
    assert a.is_deadline_passed and a.status == "not_met" and math.isnan(a.required_rate)


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
def test_every_status_has_a_name_a_rule_and_words(lang):
    from briefings.i18n import catalogue

    for status in progress.STATUSES:
        assert f"status.{status}" in catalogue(lang) and f"method.rule.{status}" in catalogue(lang), status
        assert f"scorecard.words.{status}" in catalogue(lang), status


def test_shanghai_smart_factories_across_three_plans(fb):
    s = progress.plan_succession(fb, "shanghai")
    sf = s[s.indicator_id == "municipal_demo_smart_factories_count"]
    assert sf.target_value.tolist() == [100, 200, 500]
    assert sf.change_from_previous.tolist()[1:] == [100, 300]
    a = progress.assess_region(fb, "shanghai")
    row = a[(a.indicator_id == "municipal_demo_smart_factories_count") & (a.target_period == "2021")].iloc[0]
    results = fb.observations[
        (fb.observations.region_id == "shanghai")
        & (fb.observations.indicator_id == "municipal_demo_smart_factories_count")
        & (fb.observations.role == "result")
    ]
    # Every result is dated after the 2021 deadline: met by then, and the sources cannot say if on time.
    assert (results.period.map(period_time) > period_time("2021")).all()
    assert row.status == "met_since" and row.met_period == results.period.max()
    assert set(a.status) >= {"met_since", "insufficient_data", "no_baseline"} and "met_late" not in set(a.status)
