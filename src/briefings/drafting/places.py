"""Places a text names, and the items of a page (a heading that names a region starts one)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .base import cues, divisions
from .layout import Layout
from .model import Place
from .times import When


def gazetteer(regions: list[dict[str, str]]) -> dict[str, Place]:
    """Every Chinese name a text may use for a region: the project's regions first, then the reference list."""
    base = set(cues()["region"]["base_names"])
    ambiguous = set(cues()["region"]["ambiguous_short"])
    names: dict[str, Place] = {}
    known_zh = {}
    for r in regions:
        place = Place(r["region_id"], r["name_en"], r["name_zh"], r["level"], True, r["level"] in ("country", "world"))
        known_zh[r["name_zh"]] = place
        for n in [r["name_zh"], *(r.get("aliases") or "").split("|")]:
            n = n.strip()
            if len(n) >= 2 and not n.isascii():
                names.setdefault(n, place)
    for d in divisions():
        place = known_zh.get(d["name_zh"]) or Place(d["region_id"], d["name_en"], d["name_zh"], d["level"], False)
        for n in (d["name_zh"], d["short_zh"]):
            if len(n) >= 2 and not (n == d["short_zh"] and n in ambiguous):
                names.setdefault(n, place)
    for n in base:
        if n in names:
            names[n] = Place(**{**names[n].__dict__, "is_base": True})
    return names


def find_places(simp: str, names: dict[str, Place]) -> list[tuple[int, int, Place]]:
    """Place names in the text, longest first, without overlaps."""
    if not names:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    return [(m.start(), m.end(), names[m[0]]) for m in pattern.finditer(simp)]


def place_in(a: int, b: int, places, simp: str, clause_start: int, first: bool = False) -> Place | None:
    """The last (or first) place named in [a, b) that can be the subject (not a comparison base, not a route)."""
    best = None
    for s, e, p in places:
        if not (a <= s and e <= b):
            continue
        if p.is_base and (simp[clause_start:s].strip(" ●•\u3000") or simp[e : e + 1] == "的"):
            continue
        if re.search(r"除\s*$", simp[max(0, s - 1) : s]):
            continue
        if re.match(r"\s*(至|到|—|-)\s*\S", simp[e : e + 3]) or re.search(r"(至|到)\s*$", simp[max(0, s - 2) : s]):
            continue
        if simp[e : e + 1] in "、" or simp[e : e + 1] == "等":
            continue
        best = p
        if first:
            return best
    return best


@dataclass
class Context:
    """What every decision about a number may look at: the layout, time expressions, places and items."""

    lay: Layout
    times: list[When]
    places: list[tuple[int, int, Place]]
    items: list[tuple[int, Place | None, str]]
    pub_year: int
    pub_month: int
    default_place: Place | None
    is_plan: bool = False  # the text is a plan or issues one: a number with no cue is a goal

    def __post_init__(self) -> None:
        self._time_starts = [w.start for w in self.times]
        self._place_starts = [p[0] for p in self.places]

    def times_between(self, a: int, b: int) -> list[When]:
        """The time expressions that start in ``[a, b)``, in order."""
        return self.times[bisect.bisect_left(self._time_starts, a) : bisect.bisect_left(self._time_starts, b)]

    def places_between(self, a: int, b: int) -> list[tuple[int, int, Place]]:
        """The place names that start in ``[a, b)``, in order."""
        return self.places[bisect.bisect_left(self._place_starts, a) : bisect.bisect_left(self._place_starts, b)]

    def item(self, pos: int) -> tuple[int, int, Place | None, str]:
        """Start, end, place and heading of the item ``pos`` falls in."""
        starts = self._item_starts
        k = bisect.bisect_right(starts, pos) - 1
        start, place, head = self.items[k] if k >= 0 else (0, None, "")
        end = self.items[k + 1][0] if k + 1 < len(self.items) else len(self.lay.text)
        return start, end, place or self.default_place, head

    @property
    def _item_starts(self) -> list[int]:
        if getattr(self, "_starts_of", None) is None or len(self._starts_of) != len(self.items):
            self._starts_of = [i[0] for i in self.items]
        return self._starts_of


def items_of(lay: Layout, places, simp: str) -> list[tuple[int, Place | None, str]]:
    """Items of a page: each heading that names a region starts one (a ministry's heading makes it national)."""
    national = cues()["region"]["national_bodies"]
    items: list[tuple[int, Place | None, str]] = []
    country = next((p for _, _, p in places if p.level == "country"), None)
    labels = tuple(cues()["layout"]["metadata_labels"])
    starts = [p[0] for p in places]
    for a, b in lay.headings:
        head = simp[a:b]
        if head.lstrip("# ").startswith(labels):
            continue
        here = [p for _, _, p in places[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)] if not p.is_base]
        if any(n in head for n in national):
            items.append((a, country, head))  # None: the country of the gazetteer, filled in by draft()
        elif here:
            items.append((a, here[0], head))
    return items


def countries(ctx: Context) -> list[Place]:
    """The places of level country the text's items fall under (the default for a national document)."""
    return [p for _, p, _ in ctx.items if p is not None and p.level == "country"]
