"""The fact base's schema, declared once: column names, types, checks and descriptions.

Naming conventions: ``*_id`` are lowercase slugs; ``is_*``/``higher_is_better`` are booleans
(written ``true``/``false`` in CSV); ``*_zh`` columns are Simplified Chinese, ``*_en`` English.
``data/README.md`` is generated from this module (``briefings datadict``) and a test keeps it in step.
"""

from __future__ import annotations

from dataclasses import dataclass

SLUG = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
PERIOD = r"^\d{4}(?:-\d{2}(?:\.\.\d{2})?)?$|^\d{4}\.\.\d{4}$"
DATE = r"^\d{4}-\d{2}(?:-\d{2})?$"
FACTS_DATE = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"
YEARS = (1900, 2100)
"""The years a period, date or plan may name; anything outside is a typing error."""
QUALIFIERS = ("=", ">", ">=", "~", "<=", "<")
# What each number is, declared once: the role of an observation. Only adopted targets are assessed,
# counted and compared as targets; each role is shown and counted apart in a briefing.
ROLES = {
    "target": "a goal a government adopted (plan, programme, work priorities), with its deadline",
    "recommendation": "a goal proposed by a report or white paper, not adopted",
    "instrument": "a means of policy: fund size, credit line or quota, support cap, eligibility threshold or rule",
    "structure": "a count of a document's own parts: actions, measures, tasks, task or target areas, fields, "
    "categories, issuing departments",
    "ranking": "a rank as the text states it (位列全国第一, 居全国第一, 首位, 除北京以外…最多)",
    "result": "a reported outcome or state (achieved, existing, counted, estimated)",
}
GOAL_ROLES = ("target", "recommendation")  # their period is a deadline; empty when the text states none
LEVEL_RANKS = {
    "world": 0,
    "country": 1,
    "economic region": 2,
    "municipality": 3,
    "province": 3,
    "autonomous region": 3,
    "special administrative region": 3,
    "prefecture": 4,
}
"""Each administrative level and its rank: a region's parent has a lower rank, and the regions of one peer
group share a rank (a city is never a peer of a province, nor a province of the country that contains it)."""
LEVELS = tuple(LEVEL_RANKS)
UNITS = (
    "count",
    "%",
    "pp",
    "yuan",
    "robots per 10k workers",
    "EFLOPS",
    "EB",
    "ms",
    "km",
    "m2",
    "ratio",
    "people",
    "months",
    "rank",
    "points",
)
KINDS = {
    "count": ("a number of things (firms, projects, clusters, people)", ("count", "people")),
    "amount": ("a magnitude in money or a physical unit", ("yuan", "EFLOPS", "EB", "km", "m2")),
    "percent": ("a percentage other than a growth rate: a share, a coverage, a relative change", ("%",)),
    "growth_rate": ("a growth rate in percent (year on year, average annual, against a base year)", ("%",)),
    "pp_change": ("a change or gap in percentage points", ("pp",)),
    "intensity": ("a quantity per unit or a ratio (robots per 10,000 workers)", ("robots per 10k workers", "ratio")),
    "duration": ("a length of time (latency, months)", ("ms", "months")),
    "rank": ("a rank as the text states it (1 = first)", ("rank",)),
    "index": ("an index or score in points (两化融合发展水平指数达72)", ("points",)),
}
"""What an indicator measures, and the units each kind may have: behaviour follows the kind, never an id."""
RECOGNITION_TIERS = ("national", "provincial", "municipal")
"""Tiers of a recognition (国家级, 省级, 市级) in the indicator vocabulary."""
SMART_FACTORY_LEVELS = ("basic", "advanced", "excellent", "leading")
"""Levels of the national tiered smart-factory system (基础级, 先进级, 卓越级, 领航级)."""


def default_kind(unit: str) -> str:
    """The first kind that allows ``unit`` (a drafted indicator's kind, until a curator refines it)."""
    return next((k for k, (_, units) in KINDS.items() if unit in units), "")


DIFFERENCE_KINDS = ("percent", "growth_rate", "pp_change")
"""Kinds compared by their difference in percentage points and projected linearly, not by ratio."""
STATUSES = (
    "achieved",
    "met_late",
    "met_since",
    "not_met",
    "outcome_unknown",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "insufficient_data",
    "no_baseline",
    "no_deadline",
)
"""What an assessment says of a target (``briefings.progress``), in the order the briefings list them."""
CONTEXT_KINDS = tuple(k for k in KINDS if k != "count")
"""Kinds whose related indicators (same comparison group) are drawn as context in a region's trajectory:
densities and rates; related counts have different definitions and never share an axis."""
TIERS = {
    "headline": "a region's main aggregate or flagship goal (industrial growth, investment, smart factories, "
    "robot density, computing power)",
    "sector": "a sector, programme or instrument within it (a leading industry's growth, a fund, a type of "
    "smart factory)",
    "detail": "a division, product, document count or other detail",
}
"""An indicator's tier: the first term of the salience rule (``derive.findings``)."""
RELATIONS = {
    "change_previous": "the change in percentage points from the previous period's rate (比上年加快)",
    "gap_national": "the gap in percentage points to the national rate (高于全国)",
    "gap_indicator": "the gap in percentage points to another rate of the region (高于全省固定资产投资增速)",
    "ratio_world": "a multiple of the world average (国际平均水平的两倍)",
    "contribution": "the percentage points it added to the growth of the whole (拉动)",
    "component": "a part of the aggregate in `relates_to` (其中)",
    "streak": "the length of a run of the rate in `relates_to` (连续34个月两位数增长)",
    "rank": "the national rank of the count in `relates_to` (居全国第一)",
    "share": "the share that the count in `relates_to` is of its whole (增长面)",
}
"""How one indicator is stated beside another: the benchmarks and breakdowns the texts themselves give."""
CLUSTER_THEME = "industrial_clusters"
"""The theme whose related counts (its comparison groups) the clusters part sets side by side."""
THEMES = (
    "smart_factories",
    "robotics",
    "industrial_clusters",
    "equipment_renewal",
    "computing_power",
    "digital_infrastructure",
    "digital_transformation",
    "digital_inclusion",
    "talent_and_jobs",
    "green_manufacturing",
    "investment_attraction",
    "innovation",
    "sme_cultivation",
    "future_industries",
    "industrial_finance",
    "standards",
    "services_integration",
    "business_environment",
    "regional_cooperation",
    "safety",
    "industrial_growth",
)


@dataclass(frozen=True)
class Column:
    """One column: its name, logical type, whether it may be empty, and what it means."""

    name: str
    dtype: str  # "str", "float", "bool", "int"
    description: str
    required: bool = True
    unique: bool = False
    pattern: str | None = None
    isin: tuple[str, ...] | None = None
    bounds: tuple[int, int] | None = None  # inclusive range of a number column


@dataclass(frozen=True)
class Table:
    """One CSV file of ``data/``: its columns, primary key and the foreign keys it holds."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: str
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


TABLES: dict[str, Table] = {}


def _table(table: Table) -> Table:
    TABLES[table.name] = table
    return table


SOURCES = _table(
    Table(
        "sources",
        "One row per seed text in `seeds/`, with its provenance and the quality problems found in it.",
        (
            Column("source_id", "str", "Short slug naming the source.", unique=True, pattern=SLUG),
            Column(
                "file",
                "str",
                "Path of the text under `seeds/` (kept unchanged).",
                unique=True,
                pattern=r"^[0-9]{3}_[0-9a-f]{16}\.txt$",
            ),
            Column(
                "sha256",
                "str",
                "SHA-256 of the seed file; a test proves the seeds are unchanged.",
                pattern=r"^[0-9a-f]{64}$",
            ),
            Column("title_zh", "str", "Headline of the text, as printed."),
            Column("title_en", "str", "English rendering of the headline."),
            Column("publisher", "str", "Who published the text (newspaper, department, website)."),
            Column("published", "str", "Publication date, YYYY-MM-DD or YYYY-MM.", pattern=DATE),
            Column(
                "published_basis",
                "str",
                "`stated`, or `inferred: <reason>` when the text gives no date.",
                pattern=r"^(stated|inferred: .+)$",
            ),
            Column("notes", "str", "Quality problems in the text (order, duplicates, stray words, dates)."),
            Column(
                "published_basis_zh",
                "str",
                "The reason of an inferred date in Chinese, for the Chinese edition (empty when stated).",
                required=False,
            ),
            Column("notes_zh", "str", "`notes` in Chinese, for the Chinese edition.", required=False),
            Column(
                "facts_date",
                "str",
                "When the text's facts stand (YYYY, YYYY-MM or YYYY-MM-DD): the publication date, unless the "
                "content shows that its facts are of another time (a page dated 2025 describing a 2015 meeting). "
                "A briefing's data as-of date is the latest of these among its own region's sources.",
                pattern=FACTS_DATE,
            ),
            Column(
                "facts_date_basis",
                "str",
                "`published` when the facts stand at the publication date; `content: <reason>` when the content "
                "dates them otherwise (a contradiction between the two dates, kept as data).",
                pattern=r"^(published|content: .+)$",
            ),
            Column(
                "facts_date_basis_zh",
                "str",
                "The reason of a content date in Chinese, for the Chinese edition (empty when `published`).",
                required=False,
            ),
            Column(
                "publisher_zh",
                "str",
                "`publisher` in Chinese, for the Chinese edition (empty: the English is shown, marked as such).",
                required=False,
            ),
        ),
        key="source_id",
    )
)

REGIONS = _table(
    Table(
        "regions",
        "Regions that facts are about, with the names a user may type for them.",
        (
            Column(
                "region_id",
                "str",
                "Lowercase slug; the `region` parameter of every notebook.",
                unique=True,
                pattern=SLUG,
            ),
            Column("name_en", "str", "English name.", unique=True),
            Column("name_zh", "str", "Chinese name (full official form).", unique=True),
            Column("level", "str", "Administrative level; its rank decides parents and peers.", isin=LEVELS),
            Column(
                "parent",
                "str",
                "`region_id` of the region that contains it (a city's province, a province's country), "
                "of a lower-ranked level; no cycles.",
                required=False,
                pattern=SLUG,
            ),
            Column(
                "peer_group",
                "str",
                "Slug of the regions it is compared with, all of one level rank; empty: compared with none.",
                required=False,
                pattern=SLUG,
            ),
            Column("aliases", "str", "Other accepted names, separated by `|`.", required=False),
        ),
        key="region_id",
        foreign_keys=(("parent", "regions", "region_id"),),
    )
)

THEMES_TABLE = _table(
    Table(
        "themes",
        "Policy themes used to classify indicators and measures.",
        (
            Column("theme_id", "str", "Slug of the theme.", unique=True, isin=THEMES),
            Column("name_en", "str", "English label."),
            Column("name_zh", "str", "Chinese label."),
        ),
        key="theme_id",
    )
)

INDICATORS = _table(
    Table(
        "indicators",
        "What is measured: one unit per indicator, and which direction is progress.",
        (
            Column(
                "indicator_id",
                "str",
                "Slug ending in its unit suffix (`_count`, `_pct`, `_pp`, `_yuan`…).",
                unique=True,
                pattern=SLUG,
            ),
            Column("name_en", "str", "English name."),
            Column("name_zh", "str", "Chinese name."),
            Column(
                "unit",
                "str",
                "Unit of `observations.value` for this indicator. Money is in yuan; "
                "percent as 0–100; `pp` is percentage points.",
                isin=UNITS,
            ),
            Column("theme", "str", "Policy theme.", isin=THEMES),
            Column(
                "kind",
                "str",
                "What it measures: " + "; ".join(f"`{k}`, {d} ({', '.join(u)})" for k, (d, u) in KINDS.items()) + ".",
                isin=tuple(KINDS),
            ),
            Column("higher_is_better", "bool", "`true` when a larger value is progress."),
            Column(
                "comparison_group",
                "str",
                "Indicators of one group are related but defined differently "
                "(municipal demonstration smart factories and smart-factory projects): shown side by side with "
                "the difference stated, never on one axis.",
                required=False,
                pattern=SLUG,
            ),
            Column("description", "str", "Definition, scope and caveats."),
            Column(
                "measure_word_zh",
                "str",
                "Chinese measure word (量词) written after a count, as the quotes write it: 家, 个, 台, 项…; "
                "empty for other units.",
                required=False,
            ),
            Column(
                "basis",
                "str",
                "What a number of the indicator covers, where it matters for comparison: `stock` (a cumulative "
                "total at a date), `flow` (new within the period) or `firm` (one firm's figure, not the region's).",
                required=False,
                isin=("stock", "flow", "firm"),
            ),
            Column(
                "tier",
                "str",
                "How much a reader of a summary cares, for the salience rule of page one: "
                + "; ".join(f"`{k}`, {d}" for k, d in TIERS.items())
                + ".",
                isin=tuple(TIERS),
            ),
            Column(
                "relation",
                "str",
                "What the indicator says about the indicator in `relates_to`, where it is stated beside it: "
                + "; ".join(f"`{k}`, {d}" for k, d in RELATIONS.items())
                + ".",
                required=False,
                isin=tuple(RELATIONS),
            ),
            Column(
                "relates_to",
                "str",
                "The `indicator_id` that `relation` refers to (empty without a relation).",
                required=False,
                pattern=SLUG,
            ),
            Column(
                "rank_scope_en",
                "str",
                "For a rank: among whom it is counted, as an English sentence says it after 'ranks first' "
                "(`nationally`, `among Chinese cities`); empty for other kinds.",
                required=False,
            ),
            Column(
                "rank_scope_zh",
                "str",
                "For a rank: among whom it is counted, as a Chinese sentence says it after 居 (全国, 全国城市).",
                required=False,
            ),
        ),
        key="indicator_id",
        foreign_keys=(("theme", "themes", "theme_id"), ("relates_to", "indicators", "indicator_id")),
    )
)

INDICATOR_TERMS = _table(
    Table(
        "indicator_terms",
        "The indicator vocabulary the drafter of `briefings add-source` matches a text's noun phrases against: "
        "each indicator's names and synonyms in both scripts, and its tier and level (unit and kind are the "
        "indicator's own).",
        (
            Column("indicator_id", "str", "The indicator these terms name.", unique=True, pattern=SLUG),
            Column(
                "terms_zh",
                "str",
                "Names and synonyms in Simplified Chinese, separated by `|`, without the tier and level words "
                "(标杆性智能工厂|标杆工厂); the longest a text names decides.",
            ),
            Column(
                "terms_zh_hant",
                "str",
                "The same in Traditional Chinese, and the words Traditional texts use instead (智慧工廠), by `|`.",
                required=False,
            ),
            Column(
                "tier",
                "str",
                "The tier of the recognition it counts: `national` (国家级), `provincial` (省级, and the 市级 of "
                "Beijing, Shanghai, Tianjin and Chongqing) or `municipal` (市级 of a prefecture); empty for none.",
                required=False,
                isin=RECOGNITION_TIERS,
            ),
            Column(
                "level",
                "str",
                "The level of the national tiered smart-factory system: `basic` (基础级), `advanced` (先进级), "
                "`excellent` (卓越级) or `leading` (领航级); empty for none.",
                required=False,
                isin=SMART_FACTORY_LEVELS,
            ),
            Column(
                "noun_en",
                "str",
                "English of the noun without tier and level words (smart factories), for naming its variants.",
                required=False,
            ),
        ),
        key="indicator_id",
        foreign_keys=(("indicator_id", "indicators", "indicator_id"),),
    )
)

PLANS = _table(
    Table(
        "plans",
        "Plans, programmes, reports and documents that targets, recommendations, instruments and "
        "structure counts belong to.",
        (
            Column("plan_id", "str", "Slug of the plan.", unique=True, pattern=SLUG),
            Column("region_id", "str", "Region that issued the plan."),
            Column("title_zh", "str", "Title as written in the source."),
            Column("title_en", "str", "English rendering of the title."),
            Column("start_year", "int", "First year the plan covers, where stated.", required=False, bounds=YEARS),
            Column(
                "end_year",
                "int",
                "Last year the plan covers (its target year), where stated.",
                required=False,
                bounds=YEARS,
            ),
            Column(
                "issued",
                "str",
                "When it was issued, where stated (YYYY-MM or YYYY-MM-DD).",
                required=False,
                pattern=DATE,
            ),
            Column("source_id", "str", "Source that names the plan."),
            Column("quote", "str", "Verbatim substring of the source naming the plan."),
            Column("notes", "str", "Remarks.", required=False),
            Column(
                "quote_en",
                "str",
                "English gloss of `quote`: a faithful translation of the sentence, nothing added; words in square "
                "brackets come from the seed around a quote that starts or ends mid-sentence. Empty: not glossed yet.",
                required=False,
            ),
        ),
        key="plan_id",
        foreign_keys=(("region_id", "regions", "region_id"), ("source_id", "sources", "source_id")),
    )
)

OBSERVATIONS = _table(
    Table(
        "observations",
        "Every number the seeds state about a region, with its role and its quote.",
        (
            Column("obs_id", "str", "Stable id, `o` and four or more digits.", unique=True, pattern=r"^o\d{4,}$"),
            Column("region_id", "str", "Region the number is about."),
            Column("indicator_id", "str", "What the number measures."),
            Column(
                "role",
                "str",
                "What the number is: " + "; ".join(f"`{r}`, {d}" for r, d in ROLES.items()) + ".",
                isin=tuple(ROLES),
            ),
            Column(
                "period",
                "str",
                "`2023`; `2023-01..10` for Jan–Oct 2023; `2024..2027` for a cumulative span. "
                "For a target or recommendation, its deadline (target year), and empty when the text states "
                "none: *no deadline stated*, never the publication year. For an instrument or a structure count, "
                "when the text states it (the document's issue, else the publication).",
                required=False,
                pattern=PERIOD,
            ),
            Column(
                "is_period_inferred",
                "bool",
                "`true` when the text gives no year and the period was inferred "
                "from the publication date (or, for a deadline, from the plan named beside it); `notes` says "
                "why. `false` when `period` is empty.",
            ),
            Column(
                "value",
                "float",
                "The number in the indicator's unit (8000亿元 is 800000000000 yuan; 6.9万个 is 69000; 28.7% is 28.7).",
            ),
            Column(
                "qualifier",
                "str",
                "How the text bounds the number: `>` 超/突破/多/余, `>=` 以上, `~` 约/左右/近, "
                "`<=` 以下, `<` 不足, `=` otherwise.",
                isin=QUALIFIERS,
            ),
            Column("value_as_written", "str", "The number exactly as the quote writes it (`6.9万`, `八成`, `1/4`)."),
            Column("source_id", "str", "Source the quote comes from."),
            Column("quote", "str", "Verbatim substring of the seed that states the number."),
            Column(
                "plan",
                "str",
                "`plan_id` of the plan or document the number belongs to: required for a target "
                "or recommendation; for an instrument or structure count, the document that sets it, where known.",
                required=False,
            ),
            Column("notes", "str", "Definitions, comparison base, inference, ambiguity.", required=False),
            Column(
                "quote_en",
                "str",
                "English gloss of `quote`: a faithful translation of the sentence, the number with its unit and "
                "qualifier as the Chinese has them, written the English way (60 billion yuan, 1,432, 5.6%), nothing "
                "added; words in square brackets come from the seed around a quote that starts or ends mid-sentence. "
                "A drafted gloss starts `[draft] `. Empty: not glossed yet (a briefing says so).",
                required=False,
            ),
        ),
        key="obs_id",
        foreign_keys=(
            ("region_id", "regions", "region_id"),
            ("indicator_id", "indicators", "indicator_id"),
            ("source_id", "sources", "source_id"),
            ("plan", "plans", "plan_id"),
        ),
    )
)

MEASURES = _table(
    Table(
        "measures",
        "Qualitative policy measures, each with its verbatim quote.",
        (
            Column("measure_id", "str", "Stable id, `m` and four or more digits.", unique=True, pattern=r"^m\d{4,}$"),
            Column("region_id", "str", "Region taking the measure."),
            Column("theme", "str", "Policy theme.", isin=THEMES),
            Column("summary_en", "str", "One-sentence English summary, faithful to the quote."),
            Column("quote", "str", "Verbatim substring of the seed."),
            Column("source_id", "str", "Source of the quote."),
            Column(
                "is_adopted",
                "bool",
                "`true` for a policy a government adopted or carried out; `false` for a "
                "measure only recommended by a report or white paper.",
            ),
        ),
        key="measure_id",
        foreign_keys=(
            ("region_id", "regions", "region_id"),
            ("theme", "themes", "theme_id"),
            ("source_id", "sources", "source_id"),
        ),
    )
)

LOAD_ORDER = ("sources", "regions", "themes", "indicators", "indicator_terms", "plans", "observations", "measures")


def pandera_schema(table: Table):
    """Build the pandera schema that enforces ``table`` (imported lazily: pandera is slow to import)."""
    import pandera.pandas as pa

    checks_by_type = {"str": str, "float": float, "bool": bool, "int": "Int64"}
    columns = {}
    for col in table.columns:
        checks = []
        if col.pattern:
            checks.append(pa.Check.str_matches(col.pattern))
        if col.isin:
            checks.append(pa.Check.isin(list(col.isin)))
        if col.dtype == "str" and col.required:
            checks.append(pa.Check(lambda s: s.str.strip() != "", element_wise=False, error="must not be empty"))
        columns[col.name] = pa.Column(
            checks_by_type[col.dtype],
            checks=checks,
            nullable=not col.required,
            unique=col.unique,
            description=col.description,
            coerce=True,
        )
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=table.file)
