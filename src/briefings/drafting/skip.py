"""Skip: the ordered rules that leave a number out (page furniture, dates, names, list numbering), each with why.

A rule answers with a reason (the number is listed as skipped), with ``IGNORE`` (a numeral that is just part
of a word: 一些, 统一) or with None (the rule does not apply). The first rule that answers decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .base import CN_DIGITS, Rule, cues, first_rule, longest
from .spans import Spans
from .times import When

IGNORE = ""
"""The answer of a rule for a numeral that is not a number at all: dropped without being listed."""


@dataclass
class Spot:
    """A number found in the Simplified copy, with the spans of the text it may fall in."""

    simp: str
    match: re.Match
    furniture: Spans[str]
    quotes: Spans[None]
    titles: Spans[None]
    places: Spans[object]
    times: Spans[When]

    @property
    def s(self) -> int:
        return self.match.start()

    @property
    def e(self) -> int:
        return self.match.end()

    @property
    def token(self) -> str:
        return self.match.group(0)

    @cached_property
    def before(self) -> str:
        return self.simp[max(0, self.s - 8) : self.s]

    @cached_property
    def after(self) -> str:
        return self.simp[self.e : self.e + 16]

    @property
    def is_cn(self) -> bool:
        return not re.search(r"\d", self.token)

    @cached_property
    def rank(self) -> re.Match | None:
        """居全国第, 位列…第: the number is a rank."""
        return re.search(r"(居|位列|位居|排名|排)(全国|全省|全市|全球|世界|同类)?(城市)?第$", self.before)


@dataclass(frozen=True)
class Skipped:
    """A rule's answer: why, and the span skipped when it is wider than the number (a telephone number)."""

    reason: str
    span: tuple[int, int] | None = None


def _in_place_name(n: Spot):
    return IGNORE if n.places.at(n.s) else None


def _furniture(n: Spot):
    got = n.furniture.at(n.s)
    return Skipped(got[2], (got[0], got[1])) if got else None


def _date(n: Spot):
    got = n.times.at(n.s)
    if not got:
        return None
    return IGNORE if got[2].kind in ("now", "rel") else Skipped(f"a date or period ({got[2].text})")


def _set_phrase(n: Spot):
    if not n.is_cn:
        return None
    for ph in cues()["skip"]["phrases"]:
        lo = max(0, n.s - len(ph))
        for pm in re.finditer(re.escape(ph), n.simp[lo : n.e + len(ph)]):
            if lo + pm.start() <= n.s < lo + pm.start() + len(ph):
                word = ph.startswith(("一", "数", "几", "若")) and "是" not in ph
                return IGNORE if word else Skipped(f"set phrase or list numbering ({ph})")
    return None


def _lone_one(n: Spot):
    return IGNORE if n.is_cn and n.token == "一" and not n.match.group(3) else None


def _vague(n: Spot):
    return Skipped("vague amount") if n.is_cn and n.before.endswith(("数", "几", "若")) else None


def _title(n: Spot):
    return Skipped("part of a document title") if n.titles.at(n.s) else None


def _quoted_name(n: Spot):
    q = n.quotes.at(n.s)
    if not q:
        return None
    inner = n.simp[q[0] + 1 : q[1] - 1]
    if n.s == q[0] + 1 and re.match(r"[" + CN_DIGITS + r"\d]+大", inner):
        return None  # “八大产业集群”: counted by the structure rule
    return Skipped(f"part of a name in quotation marks ({n.simp[q[0] : q[1]]})")


def _code(n: Spot):
    ascii_units = [u for u in cues()["units"] if u.isascii()]
    return (
        Skipped("part of a name or code (5G, IPv6)")
        if re.match(r"[A-Za-z]", n.after) and not longest(n.after, ascii_units)
        else None
    )


def _label(n: Spot):
    plus = re.match(r"[+＋]", n.after)
    if re.search(r"[A-Za-z+＋]$", n.before) or plus or (n.before.endswith(("（", "(")) and plus):
        return Skipped("part of a name or label")
    return None


def _version(n: Spot):
    if (
        re.match(r"\.0(?!\d)", n.after)
        or (n.token.endswith(".0") and re.match(r"[版时代]", n.after))
        or n.before.endswith(("工业", "Web"))
    ):
        return Skipped("a version or name (工业4.0, 2.0版)")
    return None


def _tier(n: Spot):
    if re.match(r"(元)?级", n.after) and not re.match(r"(元)?级(以上|及以上)", n.after):
        return Skipped("a tier in a name (万亿级, 5000亿元级)")
    return None


def _numbered_name(n: Spot):
    return Skipped("a number in a name") if re.match(r"[版号]", n.after) else None


def _ordinal(n: Spot):
    if n.before.endswith(tuple(cues()["skip"]["ordinal_before"])) and not n.rank:
        return Skipped("ordinal or list numbering")
    return None


def _list_number(n: Spot):
    line_start = n.simp.rfind("\n", 0, n.s) + 1
    if re.fullmatch(r"[\s●•（(]*", n.simp[line_start : n.s]) and re.match(r"[、.．)）]", n.after):
        return Skipped("list numbering")
    if n.is_cn and n.after.startswith("是"):
        return Skipped("list numbering")
    return None


SKIP_RULES: list[Rule[Spot, Skipped | str]] = [
    Rule("place_name", "a numeral inside a place name (三明, 六安) is part of the name", _in_place_name),
    Rule("furniture", "telephone, licence and code numbers, clock times, web addresses, bylines", _furniture),
    Rule("date", "a year, month or date is the period of other numbers, not a fact", _date),
    Rule("set_phrase", "set phrases (十四五, 一带一路, 一是) name no quantity", _set_phrase),
    Rule("lone_one", "a lone 一 is a word (统一, 一体), not a number", _lone_one),
    Rule("vague", "数十, 几百, 若干: a vague amount states no number", _vague),
    Rule("title", "a number inside 《》 is part of the title of a document", _title),
    Rule("quoted_name", "a number inside quotation marks is part of a name (“415X”)", _quoted_name),
    Rule("code", "a number before Latin letters is a name or code (5G, IPv6)", _code),
    Rule("label", "a number joined by + or a letter is a label (1+N)", _label),
    Rule("version", "a version (工业4.0, 2.0版)", _version),
    Rule("tier", "a tier of size in a name (万亿级, 5000亿元级)", _tier),
    Rule("numbered_name", "a number before 版 or 号 is part of a name", _numbered_name),
    Rule("ordinal", "after 第, 首, 其一: an ordinal, not a quantity", _ordinal),
    Rule("list_number", "numbering of a list item (1、, （二）, 一是)", _list_number),
]


def skip_verdict(n: Spot) -> tuple[str, Skipped | str] | None:
    """The name of the first skip rule that applies and its answer (``IGNORE`` or a ``Skipped``)."""
    got = first_rule(SKIP_RULES, n)
    return (got[0].name, got[1]) if got else None
