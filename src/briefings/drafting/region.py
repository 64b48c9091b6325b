"""Region: the ordered rules that decide which region a number (or a measure, or a plan) is about."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Rule, first_rule
from .model import Place
from .places import Context, place_in

Answer = tuple[Place, str]


@dataclass
class Subject:
    ctx: Context
    start: int


def _in_clause(x: Subject):
    lay = x.ctx.lay
    cs, _ = lay.clause(x.start)
    p = place_in(cs, x.start, x.ctx.places_between(cs, x.start), lay.simp, cs)
    return (p, f"region {p.name_zh} named in the clause") if p else None


def _subject_of_sentence(x: Subject):
    lay = x.ctx.lay
    ss, _ = lay.sentence(x.start)
    a, b = lay.clause(ss)
    if b > x.start:
        return None
    p = place_in(a, b, x.ctx.places_between(a, b), lay.simp, a, first=True)
    return (p, f"region {p.name_zh} is the subject of the sentence") if p else None


def _heading_of_item(x: Subject):
    _, _, place, head = x.ctx.item(x.start)
    if place and head:
        return place, f"region {place.name_zh} from the heading of the item"
    return None


def _most_named(x: Subject):
    _, _, place, _ = x.ctx.item(x.start)
    return (place, f"region {place.name_zh}, the place the text names most") if place else None


REGION_RULES: list[Rule[Subject, Answer]] = [
    Rule("in_clause", "the last place named in the clause before the number (not a comparison base)", _in_clause),
    Rule("subject_of_sentence", "the first place of the sentence's first clause: its subject", _subject_of_sentence),
    Rule("heading_of_item", "the place named by the heading of the item", _heading_of_item),
    Rule("most_named", "the place the text names most (or the country, for a national text)", _most_named),
]


def decide_region(ctx: Context, start: int) -> tuple[Place | None, str]:
    """The region of what stands at ``start``, and why (None: no region found)."""
    got = first_rule(REGION_RULES, Subject(ctx, start))
    return got[1] if got else (None, "no region found")
