"""Read a number: its value, unit and qualifier, from the words around it (or skip it, by ``skip``)."""

from __future__ import annotations

import re

from .base import CN_DIGITS, cues, ends_with, longest, safe_value
from .model import Reading
from .skip import IGNORE, Skipped, Spot, skip_verdict

NUM_RE = re.compile(r"(\d+/\d+)|(\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)(万亿|亿|万)?")
INDEX_BEFORE = re.compile(r"指数(达到|达|为|是|提高到|提升至|提升到)?$")
DENSITY_BEFORE = re.compile(r"每万(名)?(人|从业人员|产业工人|工人|名工人)$")


def read_number(n: Spot) -> Reading | Skipped | str:
    """Read one number, or say why it is skipped (``IGNORE``: a numeral that is just part of a word)."""
    verdict = skip_verdict(n)
    if verdict is not None:
        return verdict[1]
    C = cues()
    s, e, token, before, simp = n.s, n.e, n.token, n.before, n.simp
    reasons: list[str] = []
    qualifier = "="
    w = ends_with(re.sub("(" + "|".join(C["region"]["base_names"]) + ")(的)?$", "", before), C["qualifier"]["before"])
    if w and not (w == "近" and re.match(r"[个]?年", n.after)):
        qualifier = C["qualifier"]["before"][w]
        reasons.append(f"qualifier {qualifier} from {w}")
    pos = e
    inner = ""
    if simp[pos : pos + 1] in C["qualifier"]["inner"] and not re.match(r"多[种样元]", simp[pos : pos + 2]):
        inner = simp[pos]
        pos += 1
    if n.rank:
        value = safe_value(token, "count")
        return Reading(s, e, token, value, "count", "=", pos, "ranking", [f"ranking ({n.rank[0]}{token})"])
    got = _unit(n, pos, reasons)
    if isinstance(got, (Skipped, str)):
        return got
    unit, written, pos, e, role_hint = got
    if not inner and simp[pos : pos + 1] in C["qualifier"]["inner"] and unit == "ratio":
        inner = simp[pos]
        pos += 1
    if inner and qualifier == "=":
        qualifier = C["qualifier"]["inner"][inner]
        reasons.append(f"qualifier {qualifier} from {inner}")
    qualifier, role_hint = _after_words(n, pos, qualifier, role_hint, reasons)
    if qualifier == "=" and not w:
        lo = max(0, s - 200)
        clause_start = max(lo, max(simp.rfind(ch, lo, s) for ch in "，,。；;：:\n") + 1)
        vw = next((v for v in C["qualifier"]["verb"] if v in simp[clause_start:s]), None)
        if vw:
            qualifier = C["qualifier"]["verb"][vw]
            reasons.append(f"qualifier {qualifier} from {vw}")
    if token in ("百", "千", "万") and qualifier == "=":
        qualifier = "~"
        reasons.append("a round number written in words")
    value = safe_value(written, unit)
    if value is None:
        return Skipped("cannot read the number")
    reading = Reading(s, e, written, value, unit, qualifier, pos, role_hint, reasons)
    if rm := re.match(r"[至到—–\-~～]\s*(\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)(万亿|亿|万)?", simp[pos : pos + 10]):
        if re.match(r"[家个项台所座条]|$|[%元]", simp[pos + rm.end() : pos + rm.end() + 1] or "") and qualifier == "=":
            reading.qualifier = ">="
            reasons.append(f"lower bound of the range {simp[s : pos + rm.end() + 1]}")
            reading.notes = f"Range: up to {rm.group(1)}{rm.group(2) or ''}."
    return reading


def _unit(n: Spot, pos: int, reasons: list[str]) -> tuple[str, str, int, int, str] | Skipped | str:
    """Unit, value as written, position after the unit, end of the written value, and a role hint."""
    C = cues()
    simp, token, e, m = n.simp, n.token, n.e, n.match
    rest = simp[pos : pos + 12]
    unit, written, role_hint = None, token, ""
    unsupported = longest(rest, C["classifiers"]["unsupported"])
    if rest.startswith("成") and not m.group(3):
        return "%", token + "成", pos + 1, e + 1, ""
    if DENSITY_BEFORE.search(simp[max(0, n.s - 12) : n.s].rstrip("达到为约近超过")) and rest.startswith("台"):
        reasons.append("a density: 每万人…台")
        return "robots per 10k workers", written, pos + 1, e, ""
    if u := longest(rest, C["units"]):
        unit = C["units"][u]
        pos += len(u)
        if u in ("人", "名") and re.match(r"[才员民]", simp[pos : pos + 1]):
            unit, pos = None, pos - len(u)
    if unit is None and re.match(r"个[和、及与]\s*[\d.]+\s*个?百分点", rest):
        unit, pos = "pp", pos + 1
        reasons.append("percentage points shared with the next number")
    if unit is None:
        cl = longest(rest, C["classifiers"]["count"])
        if cl:
            unit, pos = "count", pos + len(cl)
            noun = simp[pos : pos + 8]
            nouns = C["structure"]["nouns"]
            if (
                cl == "大"
                or longest(noun, nouns)
                or cl in nouns
                or any(noun.startswith(("基本" + x, "重点" + x, "具体" + x)) for x in nouns)
            ):
                role_hint = "structure"
        elif unsupported and not (unsupported == "年" and n.before.endswith("近")):
            return Skipped(f"unit {unsupported} has no counterpart among the indicator units")
        elif unsupported == "年":
            unit, pos, role_hint = "count", pos + 1, "structure"
            reasons.append("a look-back of years (近…年)")
    if unit is None and "/" in token:
        unit = "%"
        reasons.append("a fraction, read as a share")
    if unit is None and m.group(3) in ("亿", "万亿") and not unsupported:
        unit = "yuan"
        reasons.append(f"an amount in {m.group(3)} with no unit, read as yuan")
    if unit is None and INDEX_BEFORE.search(n.simp[max(0, n.s - 8) : n.s]):
        unit = "points"
        reasons.append("an index (指数达…): points")
    if unit is None:
        return IGNORE if n.is_cn else Skipped("a number without a unit")
    return unit, written, pos, e, role_hint


def _after_words(n: Spot, pos: int, qualifier: str, role_hint: str, reasons: list[str]) -> tuple[str, str]:
    """以上, 左右 after the unit: a bound of the number, or a category (产值1亿元以上企业) of an instrument."""
    C = cues()
    aw = longest(n.simp[pos : pos + 4], C["qualifier"]["after"])
    if aw:
        tail = n.simp[pos + len(aw) : pos + len(aw) + 6]
        if longest(tail, C["category"]["nouns"]):
            role_hint = role_hint or "instrument"
            reasons.append(f"{n.token}{aw} names a category (threshold), not a bound")
        elif qualifier == "=":
            qualifier = C["qualifier"]["after"][aw]
            reasons.append(f"qualifier {qualifier} from {aw}")
    return qualifier, role_hint


def furniture_spans(simp: str) -> list[tuple[int, int, str]]:
    """Phone numbers, licence and registration numbers, clock times, web addresses: page furniture."""
    found: list[tuple[int, int, str]] = []
    rules = [
        (r"(?<!\d)(?:\d{3,4}[-－]\d{3,4}[-－]\d{3,4}|\d{3,4}[-－]\d{7,8})(?!\d)", "a telephone number"),
        (r"(许可证|备案号|登记号|证号)\s*[（(]?\s*[A-Za-z0-9\-]{5,}\s*[)）]?", "a licence or registration number"),
        (
            r"[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新蒙]?(ICP|公网安)备\s*\d+号",
            "a licence or registration number",
        ),
        (r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)", "a clock time"),
        (r"(https?://|www\.)[A-Za-z0-9./\-_%?=&]+", "a web address"),
        (r"(?<![\d.])\d{8,}(?![\d.])", "a long code number"),
        (r"[（(]\s*[^\s（()）]{1,6}\s*[)）]\s*$", "a byline"),
        (r"(发布时间|发布日期|来源|责任编辑|编辑|作者|记者|浏览次数|阅读)[:：][^\n]*", "a byline or page label"),
    ]
    for pattern, reason in rules:
        for m in re.finditer(pattern, simp, re.M):
            found.append((m.start(), m.end(), reason))
    return found
