"""Period: the ordered rules that decide when a number holds (a deadline for a goal, a year or months for a
result), whether that was inferred, and why. Goals and the rest have a list each; the first rule that
answers decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .base import CN_DIGITS, TARGET_ROLES, YEAR, Rule, first_rule, safe_value
from .model import Reading
from .places import Context
from .times import When, period_text

Answer = tuple[list[str], bool, list[str]]
ANNUAL = re.compile(r"(每年|年均|每一年)(?!(增长|增速|递增|提高|下降|降低))")


@dataclass
class Subject:
    """A number read, in its context, with the role decided for it."""

    ctx: Context
    r: Reading
    role: str

    @cached_property
    def sentence(self) -> tuple[int, int]:
        return self.ctx.lay.sentence(self.r.start)

    @cached_property
    def item(self) -> tuple[int, int]:
        start, end, _, _ = self.ctx.item(self.r.start)
        return max(start, self.r.start - 3000), end

    @cached_property
    def in_sentence(self) -> list[When]:
        return self.ctx.times_between(*self.sentence)

    @cached_property
    def span_n(self) -> re.Match | None:
        """三年累计: a cumulative number over the years to its deadline."""
        cs = self.ctx.lay.clause(self.r.start)[0]
        return re.search(
            r"(?<![\d" + CN_DIGITS + r"])([" + CN_DIGITS + r"]+|\d{1,2})年累计", self.ctx.lay.simp[cs : self.r.start]
        )

    def year_before(self, pos: int) -> tuple[int, bool]:
        """The year named last before ``pos`` in the item (False: in the sentence), else the publication year."""
        ys = [w for w in self.ctx.times_between(self.item[0], pos) if w.kind in ("year", "date", "deadline") and w.year]
        same = [w for w in ys if w.start >= self.sentence[0]]
        if same:
            return same[-1].year, False
        return (ys[-1].year, True) if ys else (self.ctx.pub_year, True)


def _cumulative(x: Subject, y: int, w: When, inferred: bool) -> Answer | None:
    if x.span_n and w.kind == "deadline" and (n := safe_value(x.span_n.group(1), "count")):
        return [f"{int(y - n + 1)}..{y}"], inferred, [f"period: {x.span_n.group(0)} to {w.text.strip()}"]
    return None


def _deadline_in_sentence(x: Subject):
    dl = [w for w in x.in_sentence if w.kind == "deadline" and w.start < x.r.start]
    if not dl:
        return None
    y = dl[-1].year
    return _cumulative(x, y, dl[-1], False) or ([str(y)], False, [f"period {y} from {dl[-1].text.strip()}"])


def _annual(x: Subject):
    cs = x.ctx.lay.clause(x.r.start)[0]
    m = ANNUAL.search(x.ctx.lay.simp[max(cs, x.r.start - 30) : x.r.start])
    if not m:
        return None
    spans = [w for w in x.ctx.times_between(x.item[0], x.r.start) if w.kind in ("plan_span", "span")]
    first = max(spans[-1].year, x.ctx.pub_year) if spans else x.ctx.pub_year
    until = f" to {spans[-1].year2}" if spans else ""
    return [str(first)], False, [f"period {first}: a yearly goal ({m[1]}) states each year{until}, this the first"]


def _this_year(x: Subject):
    years = {"今年": x.ctx.pub_year, "明年": x.ctx.pub_year + 1}
    rel = [w for w in x.in_sentence if w.text in years and w.start < x.r.start]
    return ([str(years[rel[-1].text])], False, [f"period {years[rel[-1].text]} from {rel[-1].text}"]) if rel else None


def _plan_span_in_sentence(x: Subject):
    spans = [w for w in x.in_sentence if w.kind == "plan_span"]
    if not spans:
        return None
    return [str(spans[-1].year2)], True, [f"period {spans[-1].year2}: end of the plan span {spans[-1].text}"]


def _earlier_deadline(x: Subject):
    back = [w for w in x.ctx.times_between(x.item[0], x.r.start) if w.kind in ("deadline", "plan_span")]
    if not back:
        return None
    w = back[-1]
    y = w.year2 if w.kind == "plan_span" else w.year
    return _cumulative(x, y, w, True) or ([str(y)], True, [f"period {y} inferred from {w.text.strip()} earlier"])


def _no_deadline(x: Subject):
    return [""], False, ["no deadline stated (period left empty, never the publication year)"]


USABLE = ("year", "date", "months", "now", "span", "rel")


def _year_in_sentence(x: Subject):
    before = [w for w in x.in_sentence if w.start < x.r.start and w.kind in USABLE]
    if not before:
        return None
    w = before[-1]
    pair = re.search(YEAR + r"年、" + YEAR + r"年", x.ctx.lay.simp[max(x.sentence[0], w.start - 8) : w.end])
    if pair and w.kind == "year":
        return [pair[1], pair[2]], False, [f"periods {pair[1]} and {pair[2]} from {pair[0]}"]
    return _from_when(x, w, same_sentence=True)


def _time_in_paragraph(x: Subject):
    lay, start = x.ctx.lay, x.r.start
    ps, pe = lay.paragraph(start)
    ps = max(ps, start - 3000)
    in_par = [
        w
        for w in x.ctx.times_between(ps, start)
        if w.kind in ("year", "now", "date", "months")
        and not re.search(r"[一二三四五六七八九十]是|（[一二三四五六七八九十]）", lay.simp[w.end : start])
    ]
    in_par = in_par or [w for w in x.ctx.times_between(start, min(pe, start + 3000)) if w.kind == "year"]
    if not in_par:
        return None
    return _from_when(x, min(in_par, key=lambda w: abs(w.start - start)), same_sentence=False)


def _earlier_in_item(x: Subject):
    simp = x.ctx.lay.simp
    back = [
        w
        for w in x.ctx.times_between(x.item[0], x.r.start)
        if w.kind == "now"
        or (
            w.kind == "year"
            and (re.match(r"\s*[，,]|以来", simp[w.end : w.end + 2]) or simp[w.start - 1 : w.start] == "自")
        )
    ]
    return _from_when(x, back[-1], same_sentence=False) if back else None


def _publication(x: Subject):
    pub = x.ctx.pub_year
    return [str(pub)], True, [f"period {pub} inferred from the publication date"]


def _from_when(x: Subject, w: When, same_sentence: bool) -> Answer:
    pub = x.ctx.pub_year
    if w.kind == "now":
        return [str(pub)], True, [f"period {pub} from {w.text} (publication date)"]
    if w.kind == "rel":
        y, inferred = (w.year, True) if w.year else x.year_before(w.start)
        return [str(y)], inferred, [f"period {y} from {w.text}"]
    if w.kind == "months":
        if w.year:
            return [period_text(w.year, w.months)], not same_sentence, [f"period from {w.text}"]
        y, inferred = x.year_before(w.start)
        where = "of the context" if inferred else "of the sentence"
        return [period_text(y, w.months)], True, [f"period from {w.text} with the year {y} {where}"]
    if w.kind == "span":
        return [f"{w.year}..{w.year2}"], not same_sentence, [f"period {w.text}"]
    if w.kind == "date":
        y = w.year or x.year_before(w.start)[0]
        return [str(y)], not same_sentence or not w.year, [f"period {y} from {w.text}"]
    return [str(w.year)], not same_sentence, [f"period {w.year} from {w.text}"]


GOAL_RULES: list[Rule[Subject, Answer]] = [
    Rule("annual", "每年, 年均 (not of a growth rate): a yearly goal, dated by its first year", _annual),
    Rule("deadline_in_sentence", "a deadline (到2027年) before the goal in its sentence", _deadline_in_sentence),
    Rule("this_year", "今年, 明年 before the goal in its sentence: that year of the publication", _this_year),
    Rule("plan_span_in_sentence", "the end year of a plan span (2024—2026年) in the sentence", _plan_span_in_sentence),
    Rule("earlier_deadline", "the last deadline or plan span earlier in the item", _earlier_deadline),
    Rule("no_deadline", "no deadline stated: the period stays empty, never the publication year", _no_deadline),
]
OTHER_RULES: list[Rule[Subject, Answer]] = [
    Rule("year_in_sentence", "the year, months or date named before the number in its sentence", _year_in_sentence),
    Rule("time_in_paragraph", "the nearest year, months or date of the paragraph", _time_in_paragraph),
    Rule(
        "earlier_in_item", "a year that opens a passage earlier in the item (2023年，…; 自2020年以来)", _earlier_in_item
    ),
    Rule("publication", "no time named: the publication year, inferred", _publication),
]


def decide_period(ctx: Context, r: Reading, role: str) -> Answer:
    """Period(s) of a number, whether inferred, and the reasons."""
    got = first_rule(GOAL_RULES if role in TARGET_ROLES else OTHER_RULES, Subject(ctx, r, role))
    assert got is not None  # the last rule of each list always answers
    return got[1]
