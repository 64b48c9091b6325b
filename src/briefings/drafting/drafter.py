"""The drafter: every number of a text as a candidate observation, with its plans, measures and skips."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from .base import CN_DIGITS, TARGET_ROLES, to_simplified
from .indicator import Subject as IndicatorSubject
from .indicator import choose_indicator
from .layout import Layout, layout
from .measures import measures_of
from .model import Candidate, Draft, Reading, Skip
from .period import decide_period
from .places import Context, find_places, gazetteer, items_of
from .plans import PlanFinder, own_plan, plans_of
from .reading import NUM_RE, furniture_spans, read_number
from .region import decide_region
from .role import decide_role
from .skip import IGNORE, Skipped, Spot
from .spans import Spans
from .times import time_expressions
from .vocabulary import entries

DEPENDENT = ("比", "较", "高于", "低于", "拉动", "分别", "其中", "占", "是", "增长面", "改善面", "同比", "均", "达")
RANGE_REST = re.compile(r"[至到—–\-~～]\s*(\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)(万亿|亿|万)?")


def quote_for(lay: Layout, r: Reading) -> tuple[int, int]:
    """The shortest verbatim clause that states the number, widened to its clause's subject when needed."""
    text = lay.text
    cs, ce = lay.clause(r.start)
    ss, _ = lay.sentence(r.start)
    head = lay.simp[cs : r.start].lstrip(" ●•\u3000")
    tail = lay.simp[r.unit_end : ce]
    short = len(re.sub(r"[\d\W]", "", head)) < 4 and len(re.sub(r"[\d\W]", "", tail)) < 4
    if (short or head.startswith(DEPENDENT)) and cs > ss:
        prev = lay.clause(cs - 2)
        if prev[0] >= ss and "\n" not in text[prev[0] : cs]:
            cs = prev[0]
    while cs < r.start and text[cs] in " ●•\u3000\t":
        cs += 1
    return cs, max(ce, r.unit_end)


def context_of(text: str, published: str, regions: list[dict[str, str]]) -> tuple[Context, dict]:
    """The layout, time expressions, places and items of a text, and its gazetteer."""
    simp = to_simplified(text)
    pub_year, pub_month = int(published[:4]), int(published[5:7])
    lay = layout(text, simp)
    names = gazetteer(regions)
    places = find_places(simp, names)
    counts: dict[str, int] = defaultdict(int)
    for _, _, p in places:
        if not p.is_base:
            counts[p.region_id] += 1
    default = None
    if counts:
        top = max(counts, key=counts.get)
        default = next(p for _, _, p in places if p.region_id == top)
    ctx = Context(
        lay, time_expressions(simp, pub_year), places, items_of(lay, places, simp), pub_year, pub_month, default
    )
    country = next((p for p in names.values() if p.level == "country"), None)
    ctx.items = [(a, p if p is not None else country, h) for a, p, h in ctx.items]
    return ctx, names


def spans_of(ctx: Context) -> dict[str, Spans]:
    """The spans a number may fall in: page furniture, quotation marks, titles, place names, time expressions."""
    simp = ctx.lay.simp
    quoted = r"“[^”\n]{0,40}”|「[^」\n]{0,40}」|\"[^\"\n]{0,40}\""
    return {
        "furniture": Spans(furniture_spans(simp)),
        "quotes": Spans((m.start(), m.end(), None) for m in re.finditer(quoted, simp)),
        "titles": Spans((m.start(), m.end(), None) for m in re.finditer(r"《[^》\n]{1,80}》", simp)),
        "places": Spans(ctx.places),
        "times": Spans((w.start, w.end, w) for w in ctx.times),
    }


def draft(
    text: str,
    published: str,
    regions: list[dict[str, str]],
    indicators: list[dict[str, str]],
    known_plans: set[str] | None = None,
    terms: list[dict[str, str]] | None = None,
) -> Draft:
    """Draft every number of ``text`` (published on ``published``, YYYY-MM[-DD]) as a candidate observation.

    ``terms``: rows of the indicator vocabulary (default: ``data/indicator_terms.csv``)."""
    ctx, names = context_of(text, published, regions)
    vocabulary = entries(indicators, terms)
    lay, simp = ctx.lay, ctx.lay.simp
    known = set(known_plans or ())
    plans = plans_of(lay, ctx, known)
    own = own_plan(lay, ctx, known) if not any(p.how == "issued" for p in plans) else None
    finder = PlanFinder(simp, plans, own)
    ctx.is_plan = any(p.how == "issued" for p in plans) or (own is not None and own.how == "own")
    readings, skipped = read_numbers(ctx, text)
    found = [c for r in readings for c in _candidates(ctx, r, text, finder, vocabulary)]
    found = _dedupe(found, lay, skipped)
    _distinct_new_ids(found, {e.indicator_id for e in vocabulary})
    used = {c.plan for c in found}
    if own is not None and own.plan_id in used:
        plans.append(own)
    measures = measures_of(lay, ctx, {c.start for c in found})
    return Draft(
        found, measures, plans, sorted(skipped, key=lambda s: s.start), {p.region_id: p for p in names.values()}
    )


def read_numbers(ctx: Context, text: str) -> tuple[list[Reading], list[Skip]]:
    """Every number of the text read, and the numbers skipped with why (a range's upper bound among them)."""
    lay, simp = ctx.lay, ctx.lay.simp
    spans = spans_of(ctx)
    readings: list[Reading] = []
    skipped: list[Skip] = []
    seen_skips: set[tuple[int, int]] = set()
    consumed_to = -1
    for m in NUM_RE.finditer(simp):
        if m.start() < consumed_to:
            continue
        got = read_number(Spot(simp, m, **spans))
        if got == IGNORE:
            continue
        if isinstance(got, Skipped):
            a, b = got.span or (m.start(), m.end())
            if (a, b) not in seen_skips:
                seen_skips.add((a, b))
                context = text[max(0, a - 12) : b + 12].replace("\n", " ")
                skipped.append(Skip(a, b, text[a:b], got.reason, context, lay.line_of(a)))
                consumed_to = max(consumed_to, b) if b > m.end() else consumed_to
            continue
        if got.notes.startswith("Range"):
            consumed_to = got.unit_end + 8
            if rest := RANGE_REST.match(simp, got.unit_end):
                consumed_to, a = rest.end(), rest.start(1)
                reason = "upper bound of a range (kept in the notes of the lower bound)"
                context = text[max(0, got.start - 12) : consumed_to + 8]
                skipped.append(Skip(a, consumed_to, text[a:consumed_to], reason, context, lay.line_of(got.start)))
        readings.append(got)
    return readings, skipped


def _candidates(ctx: Context, r: Reading, text: str, finder: PlanFinder, vocabulary) -> list[Candidate]:
    lay = ctx.lay
    role, role_reasons, by_default = decide_role(ctx, r)
    periods, inferred, period_reasons = decide_period(ctx, r, role)
    place, region_reason = decide_region(ctx, r.start)
    qs, qe = quote_for(lay, r)
    cs, ce = lay.clause(r.start)
    near = ctx.places_between(max(0, cs - 300), ce)
    ind = choose_indicator(IndicatorSubject(lay, r, near, vocabulary, place.level if place else ""))
    with_plan = role in TARGET_ROLES or role in ("instrument", "structure")
    where = (ctx.item(r.start)[0], role in TARGET_ROLES, lay.sentence(r.start))
    plan, plan_reason = finder.find(r.start, *where) if with_plan else (None, "")
    out = []
    for period in periods:
        c = Candidate(
            r.start,
            r.end,
            r.value,
            text[r.start : r.end],
            r.unit,
            r.qualifier,
            role,
            period,
            inferred,
            place.region_id if place else "",
            text[qs:qe],
            qs,
            line=lay.line_of(r.start),
            heading=lay.is_heading(r.start),
            notes=r.notes,
        )
        c.reasons += [f"unit {r.unit}"] + r.reasons + role_reasons + period_reasons + [region_reason]
        if by_default:
            c.doubt(0.25, "role guessed without a cue")
        if inferred:
            c.doubt(0.1, "period inferred")
        if not place:
            c.doubt(0.4, "region unknown: fill in region_id")
        elif "heading" not in region_reason and "clause" not in region_reason:
            c.doubt(0.05, "region from the sentence")
        if len(periods) > 1:
            c.notes = (
                c.notes + " " if c.notes else ""
            ) + f"One of {len(periods)} years the text gives for this number."
        c.indicator_id, c.indicator_name_zh, c.indicator_name_en = ind.indicator_id, ind.name_zh, ind.name_en
        c.theme, c.indicator_is_new = ind.theme, ind.is_new
        c.indicator_tier, c.indicator_level = ind.tier, ind.level
        c.reasons += ind.reasons
        if ind.doubt:
            c.confidence -= ind.doubt
        if plan:
            c.plan = plan.plan_id
            c.reasons.append(plan_reason)
            if plan.how in ("own", "unnamed"):
                c.doubt(0.1, "plan drafted from the text itself: confirm it")
        elif role in TARGET_ROLES:
            c.doubt(0.2, "no plan named before this target: give its plan")
        c.confidence = round(min(0.99, max(0.05, c.confidence)), 2)
        out.append(c)
    return out


def _distinct_new_ids(found: list[Candidate], known: set[str]) -> None:
    """One id per new indicator: two phrases drafted to the same id, or to an existing one, get a suffix."""
    by_id: dict[str, str] = {}
    for c in found:
        if not c.indicator_is_new:
            continue
        base, k, iid = c.indicator_id, 2, c.indicator_id
        while iid in known or by_id.get(iid, c.indicator_name_zh) != c.indicator_name_zh:
            stem, _, unit = base.rpartition("_")
            iid, k = f"{stem}_{k}_{unit}", k + 1
        by_id[iid] = c.indicator_name_zh
        if iid != c.indicator_id:
            c.reasons.append(f"id {iid}: {c.indicator_id} is another indicator's")
            c.indicator_id = iid


def _norm_context(lay: Layout, c: Candidate) -> str:
    cs, _ = lay.clause(c.start)
    return re.sub(r"[\s●•，,。\d.%]", "", lay.simp[max(cs, c.start - 24) : c.end + 10])


def _bullet(lay: Layout, c: Candidate) -> bool:
    line_start = lay.text.rfind("\n", 0, c.start) + 1
    return lay.text[line_start : c.start].lstrip().startswith(("●", "•", "■", "▲", "◆", "★"))


def _dedupe(found: list[Candidate], lay: Layout, skipped: list[Skip]) -> list[Candidate]:
    """Drop a headline or a summary bullet that restates the text, and a number of a repeated passage."""
    body = defaultdict(int)
    for o in found:
        if not o.heading and not _bullet(lay, o):
            body[(o.value, o.unit)] += 1
    kept: list[Candidate] = []
    by_value: dict[tuple, list[Candidate]] = defaultdict(list)
    for c in found:
        is_body = not c.heading and not _bullet(lay, c)
        restated = body[(c.value, c.unit)] - (1 if is_body else 0) > 0
        if c.heading and restated:
            skipped.append(
                Skip(c.start, c.end, c.value_as_written, "headline restates a number of the text", c.quote, c.line)
            )
            continue
        if _bullet(lay, c) and restated:
            reason = "summary bullet restates a number of the text"
            skipped.append(Skip(c.start, c.end, c.value_as_written, reason, c.quote, c.line))
            continue
        key = (c.value, c.unit, c.period)
        twin = next(
            (
                o
                for o in by_value[key][-20:]  # the latest few: a long text repeats common values
                if lay.sentence(o.start) != lay.sentence(c.start)
                and difflib.SequenceMatcher(None, _norm_context(lay, o), _norm_context(lay, c)).ratio() >= 0.8
            ),
            None,
        )
        if twin:
            reason = f"repeats the number of line {twin.line} (a repeated passage)"
            skipped.append(Skip(c.start, c.end, c.value_as_written, reason, c.quote, c.line))
            continue
        kept.append(c)
        by_value[key].append(c)
    return kept
