"""Which rule of each decision decided a number: for tests, and for an analyst asking why."""

from __future__ import annotations

from . import indicator, period, region, role
from .base import first_rule, to_simplified
from .drafter import context_of, spans_of
from .reading import NUM_RE, read_number
from .skip import Spot, skip_verdict
from .vocabulary import entries


def explain(
    text: str,
    written: str,
    published: str,
    regions: list[dict[str, str]],
    indicators: list[dict[str, str]],
    terms: list[dict[str, str]] | None = None,
) -> dict[str, str]:
    """The name of the rule that decided each of skip, role, period, region and indicator for the first number
    written ``written`` in ``text`` (only ``skip`` when the number is skipped)."""
    ctx, _ = context_of(text, published, regions)
    simp = ctx.lay.simp
    spans = spans_of(ctx)
    for m in NUM_RE.finditer(simp):
        if text[m.start() : m.end()] != to_simplified(written) and simp[m.start() : m.end()] != to_simplified(written):
            continue
        spot = Spot(simp, m, **spans)
        verdict = skip_verdict(spot)
        if verdict is not None:
            return {"skip": verdict[0]}
        r = read_number(spot)
        if isinstance(r, str) or not hasattr(r, "unit"):
            return {"skip": "unread"}
        got_role = first_rule(role.ROLE_RULES, role.Subject(ctx, r))
        got_period = first_rule(
            period.GOAL_RULES if got_role[1].role in ("target", "recommendation") else period.OTHER_RULES,
            period.Subject(ctx, r, got_role[1].role),
        )
        got_region = first_rule(region.REGION_RULES, region.Subject(ctx, r.start))
        place = got_region[1][0] if got_region else None
        cs, ce = ctx.lay.clause(r.start)
        subject = indicator.Subject(
            ctx.lay,
            r,
            ctx.places_between(max(0, cs - 300), ce),
            entries(indicators, terms),
            place.level if place else "",
        )
        got_indicator = first_rule(indicator.INDICATOR_RULES, subject)
        return {
            "skip": "",
            "role": got_role[0].name,
            "period": got_period[0].name,
            "region": got_region[0].name if got_region else "",
            "indicator": got_indicator[0].name,
            "indicator_id": got_indicator[1].indicator_id,
        }
    raise ValueError(f"{written!r} is not a number of the text")
