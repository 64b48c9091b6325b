"""Indicator: what a number measures — an indicator of the vocabulary, or a new one drafted from its phrase."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .base import CN_DIGITS, UNIT_SUFFIX
from .layout import Layout
from .model import Reading
from .theme import theme_of


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


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\s\d\W]", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def _similar(a: str, b: str) -> float:
    ga, gb = _bigrams(a), _bigrams(b)
    dice = 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0
    return max(dice, difflib.SequenceMatcher(None, a, b).ratio() * 0.9)


STRIP = r"(力争|到\d{4}年(年底|底)?|累计|已经|已|全市|全省|全区|全国|其中|同比|分别|目前|当前|新增|建设|打造|培育|实现|达到|达|超过|超|突破|约|近|为|和|、|“|”)"  # noqa: E501


def indicator_phrase(lay: Layout, r: Reading, places) -> str:
    """The words that say what a number measures: the noun after a count, else the words before the number."""
    simp = lay.simp
    cs, ce = lay.clause(r.start)
    after = re.sub(r"^(及以上|以上|左右|余|多|的)+", "", simp[r.unit_end : ce])
    after = re.split(r"[，。；、和及与,;]|以上|左右", after)[0]
    before = simp[cs : r.start]
    comparative = r"(比|较)(上年|去年)?(全年|同期)?(加快|提高|回落|放缓|下降|增加|减少|增长)?"
    if r.unit == "pp" and re.search(comparative, before) and cs > 0:
        prev = lay.clause(cs - 2)
        base = re.sub(r"\d+(\.\d+)?%?", "", simp[prev[0] : prev[1]])
        for s, e, _ in places:
            if prev[0] <= s < prev[1]:
                base = base.replace(simp[s:e], "")
        base = re.sub(STRIP, "", base).strip(" ，,：:●")
        return (base[-14:] + "增速变化") if base else "增速变化"
    for s, e, _ in places:
        if cs <= s < r.start:
            before = before.replace(simp[s:e], "")
    before = re.sub(r"\d+(\.\d+)?%?|[" + CN_DIGITS + r"]+[个项家]", "", before)
    before = re.sub(STRIP, "", before).strip(" ，,：:●")
    if r.unit in ("count", "people") and len(after) >= 2:
        return after[:20]
    phrase = (before[-16:] + ("" if r.unit in ("%", "pp", "ratio") else after[:8])).strip()
    return phrase or after[:16] or "未命名指标"


def _slug(text: str, limit: int = 5) -> str:
    from pypinyin import lazy_pinyin

    words = [
        w for w in lazy_pinyin(re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text)) if re.fullmatch(r"[a-z0-9]+", w.lower())
    ]
    return "_".join(w.lower() for w in words[:limit]) or "indicator"


def suggest_indicator(
    phrase: str, unit: str, indicators: list[dict[str, str]], growth: bool
) -> tuple[dict | None, float]:
    best, score = None, 0.0
    for ind in indicators:
        if ind["unit"] != unit:
            continue
        sc = _similar(phrase, ind["name_zh"])
        if growth != (ind.get("kind") == "growth_rate") and unit == "%":
            sc -= 0.15
        if sc > score:
            best, score = ind, sc
    return best, score


def choose_indicator(lay: Layout, r: Reading, places, indicators: list[dict[str, str]]) -> Choice:
    """The indicator of a number read (``places``: the place names near it)."""
    phrase = indicator_phrase(lay, r, places)
    growth = r.unit == "%" and bool(re.search(r"增长|增速|下降|提升|降低", lay.simp[lay.clause(r.start)[0] : r.start]))
    ind, score = suggest_indicator(phrase, r.unit, indicators, growth)
    if ind is not None and score >= 0.5:
        c = Choice(ind["indicator_id"], ind["name_zh"], ind["name_en"], ind["theme"], False)
        c.reasons.append(f"indicator like {ind['name_zh']} ({score:.2f})")
        if score < 0.7:
            c.doubt, c.reasons = 0.1, [*c.reasons, "indicator match is loose"]
        return c
    name = phrase + ("增速" if growth and not phrase.endswith(("增速", "增长")) else "")
    iid = f"{_slug(name)}{'_growth' if growth else ''}_{UNIT_SUFFIX[r.unit]}"
    return Choice(
        iid,
        name,
        name,
        theme_of(phrase),
        True,
        ["new indicator drafted: check its id, names and theme (English name to write)"],
        0.15,
    )
