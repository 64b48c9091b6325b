"""The derived tables' schema: what the build computes from the validated fact base, declared once.

Derived tables are computed in the derive step (``briefings.derive``: load → validate → derive → render),
validated against these declarations, published in ``reports/data/derived/`` with the data package, and
only rendered by the notebooks. Like the fact base's tables, ``data/README.md`` documents them.
"""

from __future__ import annotations

from .schema import DATE, FACTS_DATE, PERIOD, QUALIFIERS, SLUG, STATUSES, Column, Table

OBS_ID = r"^o\d{4,}$"
OBS_IDS = r"^[om]\d{4,}(?: [om]\d{4,})*$"
FINDING_KINDS = {
    "old_sources": "the region's sources predate the deadlines of its targets, which later sources pass: "
    "they cannot say whether the targets were met",
    "plan_step": "a target raised or lowered across successive plans, with the latest result",
    "target": "a target and where it stands, or that the sources give no current figure for it",
    "no_figures": "the share of the region's targets for which the sources give no current figure",
    "benchmark": "a result against a benchmark the text itself gives (the national rate, the previous year, "
    "another rate of the region, the world average)",
    "ranking": "a national ranking as the text states it",
    "fastest": "the fastest-growing sectors of one aggregate, against the aggregate's own rate",
    "streak": "a run of growth as the text states it",
    "deadline_passed": "targets whose deadline passed with no result since in the sources",
    "contradiction": "a result below an earlier result of the same stock, unexplained by the sources",
    "money": "the largest amount of money stated (a count is never a sum)",
    "peer": "a result or target on one axis with a peer's number of the same indicator, role and period",
    "result": "a headline result without a benchmark",
    "measures": "what the policy measures of a region without numbers are about",
}
"""The kinds of finding, in the order the salience rule breaks ties."""


def _tables() -> dict[str, Table]:
    region = Column("region_id", "str", "Region (`regions.csv`).", pattern=SLUG)
    return {
        t.name: t
        for t in (
            Table(
                "region_dates",
                "One row per region with facts: the date its facts stand at, and what its targets come to.",
                (
                    Column("region_id", "str", "Region (`regions.csv`).", unique=True, pattern=SLUG),
                    Column(
                        "as_of",
                        "str",
                        "The latest `facts_date` among the sources of the region's own facts: the date every "
                        "count of years in its briefing starts from.",
                        pattern=FACTS_DATE,
                    ),
                    Column("as_of_source_id", "str", "The source that date comes from.", pattern=SLUG),
                    Column("n_observations", "int", "The region's numbers."),
                    Column("n_measures", "int", "The region's policy measures."),
                    Column("n_targets", "int", "The region's adopted targets."),
                    Column("n_met", "int", "Targets met (on time, late, or since the deadline)."),
                    Column("n_on_track", "int", "Targets on track."),
                    Column(
                        "n_behind",
                        "int",
                        "Targets behind: acceleration needed, limited progress, deterioration, not met.",
                    ),
                    Column(
                        "n_unknown",
                        "int",
                        "Targets the sources cannot assess: no result, no deadline, "
                        "one result only, or no result since the deadline.",
                    ),
                    Column(
                        "is_note",
                        "bool",
                        "`true` when the region has no number and at most two measures: its briefing is a "
                        "one-page note, not a full briefing of empty parts.",
                    ),
                ),
                key="region_id",
                foreign_keys=(("region_id", "regions", "region_id"),),
            ),
            Table(
                "assessments",
                "One row per adopted target: where it stands against the region's results, from the region's "
                "as-of date (method: `briefings.progress`).",
                (
                    Column("target_obs_id", "str", "The target (`observations.csv`).", unique=True, pattern=OBS_ID),
                    region,
                    Column("indicator_id", "str", "What the target measures.", pattern=SLUG),
                    Column("status", "str", "Status by the method's rules.", isin=STATUSES),
                    Column("as_of", "str", "The region's as-of date.", pattern=FACTS_DATE),
                    Column(
                        "years_left",
                        "float",
                        "Years from the as-of date to the deadline (negative: passed).",
                        required=False,
                    ),
                    Column("is_deadline_passed", "bool", "The deadline is at or before the as-of date."),
                    Column(
                        "baseline_obs_id", "str", "Earliest result before the deadline.", required=False, pattern=OBS_ID
                    ),
                    Column("latest_obs_id", "str", "Latest result.", required=False, pattern=OBS_ID),
                    Column("n_results", "int", "Results of the indicator for the region."),
                    Column("has_result_by_deadline", "bool", "A result is dated at or before the deadline."),
                    Column(
                        "met_obs_id", "str", "The first result that meets the target.", required=False, pattern=OBS_ID
                    ),
                    Column("is_linear", "bool", "Paces in units a year (shares, rates), not compound."),
                    Column(
                        "required_step",
                        "float",
                        "Units a year needed from the latest result over the years left.",
                        required=False,
                    ),
                    Column(
                        "required_rate",
                        "float",
                        "The same as a rate a year (fraction, or units for linear).",
                        required=False,
                    ),
                    Column("actual_rate", "float", "Rate a year from baseline to latest result.", required=False),
                    Column("pace_ratio", "float", "Actual ÷ required rate.", required=False),
                    Column(
                        "projected_value",
                        "float",
                        "The latest result carried to the deadline at the actual rate.",
                        required=False,
                    ),
                    Column(
                        "previous_target_obs_id",
                        "str",
                        "The target of the same indicator with the previous deadline (successive plans).",
                        required=False,
                        pattern=OBS_ID,
                    ),
                    Column(
                        "implied_step",
                        "float",
                        "Units a year the plans imply from the previous target.",
                        required=False,
                    ),
                    Column("implied_rate", "float", "The same, compound (fraction a year).", required=False),
                ),
                key="target_obs_id",
                foreign_keys=(("target_obs_id", "observations", "obs_id"), ("region_id", "regions", "region_id")),
            ),
            Table(
                "result_flags",
                "Results that the reader must not take at face value, flagged where they are shown.",
                (
                    Column("obs_id", "str", "The flagged result.", pattern=OBS_ID),
                    region,
                    Column(
                        "flag",
                        "str",
                        "`below_earlier`: below an earlier result of the same stock.",
                        isin=("below_earlier",),
                    ),
                    Column("other_obs_id", "str", "The earlier result it contradicts.", pattern=OBS_ID),
                ),
                key="obs_id",
                foreign_keys=(("obs_id", "observations", "obs_id"), ("other_obs_id", "observations", "obs_id")),
            ),
            Table(
                "findings",
                "The statements a reader would put in a summary, each resting on named observations, ranked by "
                "the salience rule (method section); page one shows the first three to five.",
                (
                    Column("finding_id", "str", "Region and rank: `henan-01`.", unique=True, pattern=SLUG),
                    region,
                    Column("rank", "int", "Order by salience within the region (1 = most salient)."),
                    Column("is_page_one", "bool", "Chosen for page one (the first 3–5, varied in theme)."),
                    Column(
                        "kind",
                        "str",
                        "What the finding states: " + "; ".join(f"`{k}`, {d}" for k, d in FINDING_KINDS.items()) + ".",
                        isin=tuple(FINDING_KINDS),
                    ),
                    Column("theme", "str", "Policy theme of its main indicator (empty for measures).", required=False),
                    Column("indicator_id", "str", "Its main indicator.", required=False, pattern=SLUG),
                    Column("tier", "str", "Tier of its main indicator.", required=False),
                    Column(
                        "record_ids",
                        "str",
                        "The observations (or measures) it rests on, space-separated, the main one first.",
                        pattern=OBS_IDS,
                    ),
                    Column("salience", "float", "Kind weight + tier weight (method section)."),
                ),
                key="finding_id",
                foreign_keys=(("region_id", "regions", "region_id"),),
            ),
        )
    }


DERIVED: dict[str, Table] = _tables()
DERIVED_ORDER = tuple(DERIVED)
__all__ = ["DATE", "DERIVED", "DERIVED_ORDER", "FINDING_KINDS", "PERIOD", "QUALIFIERS"]
