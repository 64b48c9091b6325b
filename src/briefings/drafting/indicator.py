"""Indicator: the ordered rules that decide what a number measures — an indicator of the vocabulary matched on
the whole noun phrase (tier and level words kept), or a new one named from that phrase in readable English.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property

from .base import CN_DIGITS, UNIT_SUFFIX, Rule, first_rule
from .layout import Layout
from .model import Reading
from .theme import theme_of
from .vocabulary import LEVEL_TIER, LEVEL_WORDS, TIER_WORDS, Entry, english, norm, tier_and_level

TIER_OR_LEVEL = re.compile("|".join([*TIER_WORDS, *LEVEL_WORDS]))
"""Tier and level words, left out when terms are matched (新增市级服务型制造示范单位 names 新增服务型制造示范单位)."""
GROWTH = re.compile(r"增长|增速|下降|提升|降低|提高|减少|回落")
STRIP = (
    r"(力争|到\d{4}年(年底|底)?|今年|明年|将新|新培育|新认定|将|累计|已经|已|全市|全省|全区|全国|其中|同比|分别|目前|当前|新增|建设|打造|培育|实现|"
    r"达到|达|超过|超|突破|约|近|为|和|、|“|”|不少于|不低于|至少|以上|左右|推动|推进|建成|创建|形成|引育|新建|每年|年均|"
    r"每万人|每万名|共|有|拥有|是|的|等)"
)
NUMBER = re.compile(
    r"(?<![\d.])(?!(?:19|20)\d\d年)\d+(?:\.\d+)?\s*(?:%|％|个百分点|台/万人|[家个项台座条所万亿元户人名])*"
    r"|[一二两三四五六七八九十百千]+(?=[批家个项类])"
)


@dataclass
class Choice:
    """The indicator drafted for a number."""

    indicator_id: str
    name_zh: str
    name_en: str
    theme: str
    is_new: bool
    reasons: list[str] = field(default_factory=list)
    doubt: float = 0.0
    tier: str = ""
    level: str = ""
    term: str = ""


@dataclass
class Subject:
    """A number read, the place names near it, the vocabulary and the tier of its region."""

    lay: Layout
    r: Reading
    places: list
    vocabulary: list[Entry]
    region_level: str = ""

    @cached_property
    def clause(self) -> tuple[int, int]:
        return self.lay.clause(self.r.start)

    @cached_property
    def near(self) -> str:
        """The words that name what this number measures: since the previous number, and the noun after it."""
        simp, r = self.lay.simp, self.r
        cs, ce = self.clause
        paired = self.listed
        if paired:
            return norm(paired)
        before = simp[cs : r.start]
        ends = [m.end() for m in NUMBER.finditer(before)]
        seg = re.sub(r"^[批家个项类大]", "", before[ends[-1] :]) if ends else before
        if len(self.noun_after) >= 2:
            seg = re.split(r"[、，,和及与]", seg)[-1]  # 10家标杆工厂、100家示范工厂: the noun follows the number
        return norm(self._clean(seg) + " " + self.noun_after)

    @cached_property
    def far(self) -> str:
        simp, r = self.lay.simp, self.r
        cs, ce = self.clause
        ss, _ = self.lay.sentence(r.start)
        start = self.lay.clause(cs - 2)[0] if cs > ss and cs - 2 >= ss else cs
        return norm(self._clean(simp[start : r.start]) + " " + self.noun_after)

    @cached_property
    def noun_after(self) -> str:
        """The noun after a count (500家智能工厂) or after 的 (52%的5G通信人才)."""
        simp, r = self.lay.simp, self.r
        _, ce = self.clause
        start = r.end if r.unit in ("count", "people") else r.unit_end  # 三方面重点任务: the classifier names it
        after = re.sub(r"^(及以上|以上|左右|余|多)+", "", simp[start:ce])
        classifier = "[家个项台座条所户类批场]"
        after = re.sub(rf"^{classifier}?[至到—–\-~～]\s*[\d.]+(万|亿)?(?={classifier})", "", after)  # 2家至3家
        if r.unit in ("%", "pp") and not after.startswith("的"):
            return ""
        after = re.sub(r"^的", "", after)
        return re.split(r"[，。；、,;]|和(?=\d)|\d+(?:\.\d+)?(?:万|亿)?[家个项条座所台类批场]", after)[0][:24]

    @cached_property
    def listed(self) -> str:
        """A, B 和 C 分别 x、y 和 z: the item of the list this number stands for."""
        simp, r = self.lay.simp, self.r
        ss, _ = self.lay.sentence(r.start)
        head = simp[ss : r.start]
        at = head.rfind("分别")
        if at < 0:
            return ""
        items = self._items(head[:at])
        if len(items) < 2:
            items = self._items(head[: head.find("分别")])
        k = len(NUMBER.findall(head[at:]))
        if len(items) < 2 or k >= len(items):
            return ""
        tail = re.sub(r"^\S*?(?=(增加值|产量|投资|营业收入|产值))", "", items[-1]) if k < len(items) - 1 else ""
        return self._clean(items[k]) + (tail if tail != items[-1] else "") + " " + head[at:]

    @staticmethod
    def _items(head: str) -> list[str]:
        listing = re.split(r"[，,；;：:]", head)[-1]
        listing = re.sub(r"^(其中|全省|全市|全区|全国)+", "", listing)
        return [i for i in re.split(r"、|和|及(?!以上)|与", listing) if i.strip()]

    def _clean(self, text: str) -> str:
        for s, e, p in self.places:
            if s < e and not p.is_base:  # 占全国, 全球市场: a base names the indicator
                text = text.replace(self.lay.simp[s:e], " ")
        return text

    @cached_property
    def tier_level(self) -> tuple[str, str, bool]:
        """Tier and level named near the number (else in the clause); bool: the tier is stated, not assumed."""
        tier, level = tier_and_level(self.near)
        if not tier and not level:  # 国家级标杆工厂3家、示范工厂19家: the tier of the list
            tier = tier_and_level(self.far)[0]
        stated = bool(tier)
        if tier == "municipal" and self.region_level == "municipality":
            tier = "provincial"  # 市级 of Beijing, Shanghai, Tianjin, Chongqing is the provincial tier
        return tier or LEVEL_TIER.get(self.region_level, ""), level, stated

    @cached_property
    def names_itself(self) -> bool:
        """The words near the number hold a noun of their own (not only 破, 达到, 累计 …)."""
        bare = re.sub(r"[家个项台座条所户类批场余多破逾]", "", re.sub(STRIP, "", TIER_OR_LEVEL.sub("", self.near)))
        return len(re.findall(r"[\u4e00-\u9fff]", bare)) >= 2

    @cached_property
    def share(self) -> bool:
        cs, _ = self.clause
        return self.r.unit == "%" and bool(
            re.search(r"占|比重|占比|份额|覆盖率|比例", self.lay.simp[cs : self.r.start])
        )

    @cached_property
    def growth(self) -> bool:
        cs, _ = self.clause
        return self.r.unit == "%" and bool(GROWTH.search(self.lay.simp[cs : self.r.start]))

    @cached_property
    def scored(self) -> list[tuple[float, Entry, str]]:
        """Entries of the number's unit whose terms the phrase names, best first, with the term matched."""
        out = []
        near_text, far_text = TIER_OR_LEVEL.sub("", self.near), TIER_OR_LEVEL.sub("", self.far)
        for e in self.vocabulary:
            if e.unit != self.r.unit:
                continue
            near = next((t for t in e.terms if t and t in near_text), "")
            far = next((t for t in e.terms if t and t in far_text), "")
            if not near and (not far or (self.r.unit in ("count", "people", "yuan") and self.names_itself)):
                continue  # 市级智能车间2000个: a count named by its own words, not by those of the clause
            score = 3 * len(near) + len(far) + 0.5 * sum(1 for t in e.terms if t in far_text)
            noun = TIER_OR_LEVEL.sub("", norm(self.noun_after))
            if near and noun and noun.find(near) in (0, 1):
                score += 12 - 4 * noun.find(near)  # the noun right after the number (or its classifier)
            if e.tier and e.tier == self.tier_level[0]:
                score += 2
            if self.r.unit == "%" and self.growth != (e.kind == "growth_rate"):
                score -= 3
            if self.share and e.kind == "growth_rate":
                continue  # 占地区生产总值比重: a share, never a growth rate
            out.append((score, e, near or far))
        return sorted(out, key=lambda t: -t[0])


def _fits(x: Subject, e: Entry) -> bool:
    tier, level, _ = x.tier_level
    if e.level != level:
        return False
    return e.tier == tier or not e.tier


def _vocabulary(x: Subject):
    for score, e, term in x.scored:
        if score > 0 and _fits(x, e):
            tier, level, _ = x.tier_level
            why = f"indicator {e.name_zh}: the phrase names {term}" + (f" ({tier} tier)" if e.tier else "")
            return Choice(e.indicator_id, e.name_zh, e.name_en, e.theme, False, [why], 0.0 if score >= 6 else 0.1)
    return None


def _variant(x: Subject):
    """A term of the vocabulary with another tier or level: a new indicator of that tier and level."""
    if not x.scored or x.scored[0][0] <= 0:
        return None
    _, e, term = x.scored[0]
    tier, level, stated = x.tier_level
    words = {"national": "国家级", "provincial": "省级", "municipal": "市级"}.get(tier, "") if stated else ""
    words += {"basic": "基础级", "advanced": "先进级", "excellent": "卓越级", "leading": "领航级"}.get(level, "")
    core = re.sub(r"^(国家级|省级|市级)", "", e.name_zh) if len(term) < 3 else term
    why = f"another tier or level than {e.name_zh}"
    return _new(x, words + core, why, e.theme, tier if stated else "", level)


def _similar_name(x: Subject):
    best, score = None, 0.0
    for e in x.vocabulary:
        if e.unit != x.r.unit or not _fits(x, e):
            continue
        sc = _similar(x.near, norm(e.name_zh))
        if x.r.unit == "%" and x.growth != (e.kind == "growth_rate"):
            sc -= 0.15
        if sc > score:
            best, score = e, sc
    if best is None or score < 0.7:
        return None
    why = f"indicator like {best.name_zh} ({score:.2f})"
    return Choice(
        best.indicator_id, best.name_zh, best.name_en, best.theme, False, [why, "indicator match is loose"], 0.1
    )


def _new_from_phrase(x: Subject):
    tier, level, stated = x.tier_level
    noun = norm(x.noun_after)
    if x.r.unit in ("count", "people") and len(re.sub(r"^[家个项台座条所户类批场]+", "", noun)) >= 2:
        phrase = re.sub(STRIP, "", noun)  # 5000家规模以上工业企业实施数字化转型: the noun after the count
    else:
        phrase = re.sub(STRIP, "", x.near).strip() or re.sub(STRIP, "", x.far)[-16:].strip()
    phrase = re.sub(r"^.*?(?:19|20)\d\d年(?:底|末)?", "", phrase) or phrase
    return _new(x, phrase, "none of the vocabulary fits", theme_of(x.far), tier if stated else "", level)


def _new(x: Subject, phrase: str, why: str, theme: str, tier: str, level: str) -> Choice:
    phrase = re.sub(r"[" + CN_DIGITS + r"\d]+[个项家类大]?$", "", phrase).strip(" ，,：:●的、")
    phrase = re.sub(r"^[家个项台座条所户类批场]+|[家个项台座条所户类批场]+$", "", phrase) or "未命名指标"
    if x.growth and not phrase.endswith(("增速", "增长")):
        phrase += "增速"
    name_en, covered = english(phrase)
    if x.growth and "growth" not in name_en:
        name_en += " growth"
    slug = re.sub(r"[^a-z0-9]+", "_", name_en.lower()).strip("_") or theme
    iid = f"{slug}_{UNIT_SUFFIX[x.r.unit]}"
    name_en = (name_en[:1].upper() + name_en[1:]) if covered >= 0.6 and name_en else f"[draft] {name_en or theme}"
    reasons = [f"new indicator drafted ({why}): check its id, names and theme"]
    if name_en.startswith("[draft]"):
        reasons.append("English name partly drafted: complete indicator_name_en")
    return Choice(iid, phrase, name_en, theme, True, reasons, 0.15, tier, level, phrase)


INDICATOR_RULES: list[Rule[Subject, Choice]] = [
    Rule(
        "vocabulary", "the indicator whose term the noun phrase names, with the same unit, tier and level", _vocabulary
    ),
    Rule("variant", "a term of the vocabulary named with another tier or level: a new indicator of its own", _variant),
    Rule("similar_name", "an indicator of the same unit, tier and level with a similar Chinese name", _similar_name),
    Rule("new_from_phrase", "none fits: a new indicator named from the whole noun phrase", _new_from_phrase),
]


def choose_indicator(x: Subject) -> Choice:
    """The indicator of a number read."""
    got = first_rule(INDICATOR_RULES, x)
    assert got is not None  # new_from_phrase always answers
    return got[1]


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\s\d\W]", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def _similar(a: str, b: str) -> float:
    ga, gb = _bigrams(a), _bigrams(b)
    dice = 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0
    return max(dice, difflib.SequenceMatcher(None, a, b).ratio() * 0.9)
