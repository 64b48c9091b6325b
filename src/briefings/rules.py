"""Classification rules: the same kind of statement gets the same role in every region and source.

Each rule reads the tables of the fact base and returns one line per row that breaks it, naming
file, row and column (the row is the CSV line: the header is line 1). ``data.validate`` runs every
rule, so ``briefings validate``, every build and the tests enforce them. The roles are declared in
``schema.ROLES``; the rules, with examples from the sources, are in ``data/notes/curation-rules.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from .schema import GOAL_ROLES

Tables = dict[str, pd.DataFrame]
Rule = Callable[[Tables], list[str]]
RULES: list[Rule] = []

# Wording that decides a role, whatever the region or source.
DOCUMENT_PARTS = re.compile(r"^(?:个|项|条|大)?(?:方面|大?重点行动|行动|举措|领域|部门|重点任务)")
MONEY_INSTRUMENTS = re.compile(r"基金|专项额度|再贷款|资金支持|最高达?[\d.]+[万亿]*元支持")
ELIGIBILITY = re.compile(
    r"进行申报|申报以上|基本条件|需满足|需同时满足|近[一二三四五六七八九十\d]+年未发生|参照.{0,12}管理"
)
UNNAMED_FIRM = re.compile(r"某.{0,8}企业")
FIXED_ROLES = ("instrument", "structure", "ranking")  # an indicator of these roles keeps it everywhere


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check(tables: Tables) -> list[str]:
    """Every breach of every rule, in rule order."""
    return [problem for fn in RULES for problem in fn(tables)]


def _at(table: str, i: int, column: str) -> str:
    return f"data/{table}.csv, row {i + 2}, column {column}"


def _filled(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _year(value: object) -> int | None:
    """A year cell as an integer, or None when empty."""
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _part_counted(row) -> str | None:
    """The document part a number counts (方面, 行动, 举措…), read right after the number as written."""
    for m in re.finditer(re.escape(row.value_as_written), row.quote):
        if part := DOCUMENT_PARTS.match(row.quote[m.end() :]):
            return part[0]
    return None


@rule
def rank_unit_means_ranking(t: Tables) -> list[str]:
    """A number in the unit ``rank`` is a ranking, and a ranking is in the unit ``rank``."""
    units = dict(zip(t["indicators"].indicator_id, t["indicators"].unit))
    out = []
    for i, r in t["observations"].iterrows():
        if (units.get(r.indicator_id) == "rank") != (r.role == "ranking"):
            out.append(
                f"{_at('observations', i, 'role')}: {r.role!r} with unit {units.get(r.indicator_id)!r}; "
                "a rank (第一, 首位) is a ranking in the unit 'rank', and only a rank is"
            )
    return out


@rule
def indicator_keeps_its_role(t: Tables) -> list[str]:
    """An indicator of instruments, structure counts or rankings has that role in every region and source."""
    obs, out = t["observations"], []
    for indicator, g in obs.groupby("indicator_id", sort=False):
        fixed = g[g.role.isin(FIXED_ROLES)]
        if fixed.empty or g.role.nunique() == 1:
            continue
        role = fixed.role.mode().iloc[0]
        first = g.index[g.role == role][0]
        for i, r in g[g.role != role].iterrows():
            out.append(
                f"{_at('observations', i, 'role')}: {indicator} is a {role} in row {first + 2} "
                f"({obs.loc[first, 'region_id']}) but a {r.role} here; class the same statement the same way"
            )
    return out


@rule
def plan_either_adopts_or_recommends(t: Tables) -> list[str]:
    """The goals of one plan or report are all adopted targets or all recommendations."""
    obs, out = t["observations"], []
    goals = obs[obs.role.isin(GOAL_ROLES) & obs.plan.map(_filled)]
    for plan, g in goals.groupby("plan", sort=False):
        if g.role.nunique() > 1:
            role = g.role.mode().iloc[0]
            for i, r in g[g.role != role].iterrows():
                out.append(
                    f"{_at('observations', i, 'role')}: the goals of {plan} are {role}s, this one a {r.role}; "
                    "a document either adopts its goals or recommends them"
                )
    return out


@rule
def inferred_deadline_comes_from_its_plan(t: Tables) -> list[str]:
    """A deadline is inferred only as the end year of the plan named beside it, never from the publication."""
    ends = {p.plan_id: _year(p.end_year) for p in t["plans"].itertuples()}
    out = []
    for i, r in t["observations"].iterrows():
        if r.role not in GOAL_ROLES or not r.is_period_inferred:
            continue
        end = ends.get(r.plan)
        if end is None or r.period != str(end):
            out.append(
                f"{_at('observations', i, 'period')}: inferred deadline {r.period!r} is not the end year of "
                f"plan {r.plan} ({end or 'none'}); with no year in the text and no dated plan, leave the "
                "period empty (no deadline stated)"
            )
    return out


@rule
def stated_numbers_are_not_in_the_future(t: Tables) -> list[str]:
    """A number dated after its source was published is a goal: no result, instrument, count or rank is."""
    published = dict(zip(t["sources"].source_id, t["sources"].published))
    out = []
    for i, r in t["observations"].iterrows():
        if r.role in GOAL_ROLES or not _filled(r.period) or r.source_id not in published:
            continue
        start = r.period[:7] if re.match(r"^\d{4}-\d{2}", r.period) else r.period[:4]
        if start > published[r.source_id][: len(start)]:
            out.append(
                f"{_at('observations', i, 'period')}: a {r.role} dated {r.period}, after its source was "
                f"published ({published[r.source_id]}); a future number is a target or recommendation"
            )
    return out


@rule
def document_part_count_is_structure(t: Tables) -> list[str]:
    """A count of a document's actions, measures, tasks, areas, fields or issuing departments is structure."""
    out = []
    for i, r in t["observations"].iterrows():
        if (part := _part_counted(r)) and r.role != "structure":
            out.append(
                f"{_at('observations', i, 'role')}: {r.value_as_written}{part} counts a document's parts: "
                f"role 'structure', not {r.role!r}"
            )
    return out


@rule
def money_instrument_is_instrument(t: Tables) -> list[str]:
    """A fund size, credit quota, relending, funding support or support cap is an instrument."""
    units = dict(zip(t["indicators"].indicator_id, t["indicators"].unit))
    out = []
    for i, r in t["observations"].iterrows():
        if units.get(r.indicator_id) == "yuan" and MONEY_INSTRUMENTS.search(r.quote) and r.role != "instrument":
            out.append(
                f"{_at('observations', i, 'role')}: {MONEY_INSTRUMENTS.search(r.quote)[0]} is money a policy "
                f"provides: role 'instrument', not {r.role!r}"
            )
    return out


@rule
def eligibility_rule_is_instrument(t: Tables) -> list[str]:
    """A number in an eligibility rule (application conditions, look-back windows, thresholds) is an instrument."""
    out = []
    for i, r in t["observations"].iterrows():
        if ELIGIBILITY.search(r.quote) and r.role != "instrument":
            out.append(
                f"{_at('observations', i, 'role')}: {ELIGIBILITY.search(r.quote)[0]} states who qualifies: "
                f"role 'instrument', not {r.role!r}"
            )
    return out


@rule
def one_firm_is_not_a_region(t: Tables) -> list[str]:
    """One unnamed firm's figure (某…企业) has an indicator of its own, never shared with a region's figures."""
    obs, out = t["observations"], []
    firm = obs.quote.map(lambda q: bool(UNNAMED_FIRM.search(q)))
    shared = set(obs[firm].indicator_id) & set(obs[~firm].indicator_id)
    for i, r in obs[firm & obs.indicator_id.isin(shared)].iterrows():
        out.append(
            f"{_at('observations', i, 'indicator_id')}: {r.indicator_id} holds one unnamed firm's figure and "
            "regional figures; give the firm's figure an indicator of its own"
        )
    return out


@rule
def measure_and_number_share_adoption(t: Tables) -> list[str]:
    """A measure stated in the same words as a goal or instrument agrees with it: recommended if it is one."""
    obs, out = t["observations"], []
    policy = obs[obs.role.isin((*GOAL_ROLES, "instrument"))]
    by_source: dict[str, list[tuple[str, str, str]]] = {}  # each measure meets its own source's numbers only
    for source, quote, role, obs_id in zip(policy.source_id, policy.quote, policy.role, policy.obs_id):
        by_source.setdefault(source, []).append((quote, role, obs_id))
    measures = t["measures"]
    rows = zip(measures.index, measures.measure_id, measures.source_id, measures.quote, measures.is_adopted)
    for i, measure_id, source, mq, is_adopted in rows:
        same = [(role, obs_id) for q, role, obs_id in by_source.get(source, ()) if q in mq or mq in q]
        if not same:
            continue
        roles = [role for role, _ in same]
        adopted = all(role != "recommendation" for role in roles)
        if bool(is_adopted) != adopted:
            out.append(
                f"{_at('measures', i, 'is_adopted')}: {measure_id} says the words of "
                f"{', '.join(o for _, o in same)} ({', '.join(sorted(set(roles)))}): is_adopted must be "
                f"{str(adopted).lower()}"
            )
    return out


@rule
def shared_statement_names_each_region(t: Tables) -> list[str]:
    """A sentence given to several regions names each of them; a national body's activity stays national."""
    names = {
        r.region_id: [r.name_zh, *[a for a in str(r.aliases or "").split("|") if a]] for r in t["regions"].itertuples()
    }
    out = []
    for table in ("observations", "measures"):
        df = t[table]
        df = df[df.duplicated(["source_id", "quote"], keep=False)]  # only a sentence given more than once
        for _, g in df.groupby(["source_id", "quote"], sort=False):
            if g.region_id.nunique() < 2:
                continue
            for i, r in g.iterrows():
                if not any(n in r.quote for n in names.get(r.region_id, [])):
                    out.append(
                        f"{_at(table, i, 'region_id')}: the sentence is given to {g.region_id.nunique()} "
                        f"regions but does not name {r.region_id}; keep it once, for the region it is about"
                    )
    return out
