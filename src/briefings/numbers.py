"""Reading numbers as Chinese texts write them, and writing numbers for readers."""

from __future__ import annotations

import math
import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "双": 2,
    "雙": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = (("万亿", 1e12), ("萬億", 1e12), ("亿", 1e8), ("億", 1e8), ("万", 1e4), ("萬", 1e4))
_RANK_WORDS = {"首位": 1, "首": 1, "最多": 1, "最大": 1, "最高": 1}  # 位于全国城市首位, 除北京以外…最多
_ARABIC = re.compile(r"^[0-9][0-9,]*(\.[0-9]+)?$")


class WrittenNumberError(ValueError):
    """A number as written in a quote could not be read."""


def _chinese_int(text: str) -> int:
    """Read a Chinese numeral below 10,000 (e.g. 三, 十五, 二十, 一百二十)."""
    if not text:
        raise WrittenNumberError("empty numeral")
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            raise WrittenNumberError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def _plain(text: str) -> float:
    """Read an Arabic or Chinese numeral with no multiplier."""
    if _ARABIC.match(text):
        return float(text.replace(",", ""))
    return float(_chinese_int(text))


def parse_written(text: str, unit: str = "") -> float:
    """Return the value of a number as written in a seed, in the indicator's unit.

    Handles Arabic and Chinese numerals (Simplified or Traditional), the multipliers 万, 亿 and 万亿, 成 (tenths,
    as percent), fractions (``1/4``, as percent when ``unit`` is ``%``) and ranks (第一, 首位, 最多 → 1).

    >>> parse_written("6.9万")
    69000.0
    >>> parse_written("八成", "%")
    80.0
    >>> parse_written("第一", "rank")
    1.0
    """
    s = text.strip()
    if not s:
        raise WrittenNumberError("empty number")
    if s in _RANK_WORDS:
        return float(_RANK_WORDS[s])
    if s.startswith("第") and len(s) > 1:
        return _plain(s[1:])
    if "/" in s:
        num, _, den = s.partition("/")
        value = _plain(num) / _plain(den)
        return value * 100 if unit == "%" else value
    if s.endswith("成"):
        return _plain(s[:-1]) * 10
    for suffix, factor in _MULTIPLIERS:
        if s.endswith(suffix) and len(s) > len(suffix):
            return _plain(s[: -len(suffix)]) * factor
    return _plain(s)


def same_number(a: float, b: float) -> bool:
    """Equality of two values read from text, tolerant of float representation only."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _decimal(x: float, digits: int, babel_locale: str, grouping: bool = True) -> str:
    """``x`` with at most ``digits`` decimals (trailing zeros dropped), in the locale's number symbols."""
    from babel.numbers import format_decimal

    pattern = ("#,##0" if grouping else "0") + ("." + "#" * digits if digits else "")
    text = format_decimal(round(x, digits), format=pattern, locale=babel_locale)
    return "0" if text in ("-0", "\u22120") else text


def format_value(value: float, unit: str, lang: str = "") -> str:
    """Write a value with its unit the way a reader of ``lang`` expects (the ``[number]`` table of its
    catalogue: decimals and pattern per unit; large amounts in the language's own steps, 亿 or billion)."""
    from .i18n import langs, locale

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    loc = locale(lang or langs()[0])
    spec = loc.numbers.get(unit, loc.numbers["other"])
    grouping = spec.get("grouping", True)
    n = _decimal(value, spec["digits"], loc.babel, grouping)
    if spec.get("scaled"):
        for factor, scale in loc.scales:
            if abs(value) >= factor:
                n = scale.format(n=_decimal(value / factor, 2, loc.babel, grouping))
                break
    return spec["pattern"].format(n=n, unit=unit)


def format_tick(value: float, unit: str, lang: str = "") -> str:
    """An axis tick: the bare number as ``format_value`` writes it for ``unit`` (its grouping: 10,000 in
    English, 10000 in Chinese), without the unit, which the axis label gives."""
    from .i18n import langs, locale

    loc = locale(lang or langs()[0])
    return _decimal(value, 2, loc.babel, loc.numbers.get(unit, loc.numbers["other"]).get("grouping", True))


def measure_word(indicators, indicator_id: str, lang: str = "") -> str:
    """The measure word a count of ``indicator_id`` takes in ``lang`` (``measure_word_zh``: 家, 个, 台…), or ''."""
    from .i18n import langs, locale

    column = f"measure_word_{locale(lang or langs()[0]).data}"
    if column not in indicators.columns or indicator_id not in indicators.index:
        return ""
    word = indicators.loc[indicator_id, column]
    return word if isinstance(word, str) else ""


def format_number(value: float, unit: str, lang: str = "", qualifier: str = "=", measure: str = "") -> str:
    """A number as it travels through a briefing: its qualifier (over, about…), value, unit and measure word."""
    from .i18n import t

    text = format_value(value, unit, lang)
    if text == "–":
        return text
    q = t(f"qual.{qualifier}", lang) if isinstance(qualifier, str) and qualifier not in ("", "=") else ""
    return q + text + measure


def multiple_words(value: float, qualifier: str = "=", lang: str = "") -> str:
    """A multiple as a sentence says it: 'more than twice', '两倍多' (the ``multiple`` table of the catalogue:
    words for small whole multiples, a pattern for the others, and where the qualifier goes)."""
    from .i18n import catalogue, langs, locale, t

    lang = lang or langs()[0]
    loc = locale(lang)
    key = f"multiple.{int(value)}" if float(value).is_integer() else ""
    if key in catalogue(lang):
        m = t(key, lang)
    else:
        m = t("multiple.n", lang, n=_decimal(value, loc.numbers["ratio"]["digits"], loc.babel))
    q = qualifier if isinstance(qualifier, str) and f"multiple.qual.{qualifier}" in catalogue(lang) else "="
    return t(f"multiple.qual.{q}", lang, m=m)
