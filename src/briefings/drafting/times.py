"""Time expressions of a text: deadlines, years, spans, months, dates, and words meaning "now"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .base import YEAR, cues


@dataclass
class When:
    """A time expression: a deadline, a year, a span, months, a date, or "now" (the publication date)."""

    kind: str  # deadline, year, span, plan_span, months, date, now, base
    start: int
    end: int
    year: int | None = None
    year2: int | None = None
    months: tuple[int, int] | None = None
    text: str = ""


def time_expressions(simp: str, pub_year: int) -> list[When]:
    """Every time expression of the text, in order."""
    found: list[When] = []
    taken = [False] * len(simp)

    def add(w: When) -> None:
        if not any(taken[w.start : w.end]):
            found.append(w)
            for i in range(w.start, w.end):
                taken[i] = True

    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^》]{1,80}》", simp)]
    in_title = lambda p: any(a <= p < b for a, b in titles)  # noqa: E731
    for m in re.finditer(YEAR + r"\s*年?\s*[—–\-－~～至到]\s*" + YEAR + r"\s*年?", simp):
        bracket = simp[max(0, m.start() - 1)] in "(（" or in_title(m.start())
        add(When("plan_span" if bracket else "span", m.start(), m.end(), int(m[1]), int(m[2]), text=m[0]))
    for m in re.finditer(YEAR + r"年(\d{1,2})月(?:(\d{1,2})日)?", simp):
        add(When("date", m.start(), m.end(), int(m[1]), months=(int(m[2]), int(m[2])), text=m[0]))
    for m in re.finditer(r"(?:(?:到|至|在|于)\s*)" + YEAR + r"\s*年(?:年底|年末|底|末|前)?", simp):
        add(When("deadline", m.start(), m.end(), int(m[1]), text=m[0]))
    for m in re.finditer(YEAR + r"年(?:年底|年末|底|末|前)", simp):
        add(When("deadline", m.start(), m.end(), int(m[1]), text=m[0]))
    base = "|".join(map(re.escape, cues()["period"]["base"]))
    for m in re.finditer(rf"(?:{base})\s*{YEAR}\s*年", simp):
        add(When("base", m.start(), m.end(), int(m[1]), text=m[0]))
    for m in re.finditer(YEAR + r"\s*年", simp):
        after = simp[m.end() : m.end() + 4]
        kind = (
            "deadline" if re.match(r"[，,]?\s*\S{0,6}?(将|要|力争|计划)", after) and int(m[1]) >= pub_year else "year"
        )
        add(When(kind, m.start(), m.end(), int(m[1]), text=m[0]))
    for m in re.finditer(r"(?<![\d年])(\d{1,2})\s*[—–\-－~～至]\s*(\d{1,2})\s*月(?:份)?", simp):
        add(When("months", m.start(), m.end(), months=(int(m[1]), int(m[2])), text=m[0]))
    for m in re.finditer(r"(?<![\d年—–\-])(\d{1,2})月(\d{1,2})日", simp):
        add(When("date", m.start(), m.end(), months=(int(m[1]), int(m[1])), text=m[0]))
    for m in re.finditer(r"(?<![\d年—–\-])(\d{1,2})月份?", simp):
        if 1 <= int(m[1]) <= 12:
            add(When("months", m.start(), m.end(), months=(int(m[1]), int(m[1])), text=m[0]))
    for word in cues()["period"]["now"]:
        for m in re.finditer(re.escape(word), simp):
            add(When("now", m.start(), m.end(), pub_year, text=m[0]))
    for m in re.finditer(r"(?:比|较)?(?:上年|去年)(?:全年|同期)?", simp):
        add(When("base", m.start(), m.end(), text=m[0]))
    for m in re.finditer(r"(今年|上年|去年|全年|明年)", simp):
        year = {"今年": pub_year, "明年": pub_year + 1}.get(m[1])
        kind = "base" if simp[max(0, m.start() - 1)] in "比较" or m[1] in ("上年", "去年") else "rel"
        add(When(kind, m.start(), m.end(), year, text=m[0]))
    return sorted(found, key=lambda w: w.start)


def period_text(year: int, months: tuple[int, int] | None) -> str:
    if months is None:
        return str(year)
    a, b = months
    return f"{year}-{a:02d}" if a == b else f"{year}-{a:02d}..{b:02d}"
