"""Draft every number of a Chinese policy or news text as a candidate fact, for a person to review.

Read the text (Simplified or Traditional: cue words and place names are matched on a Simplified copy of
the same length, quotes are cut from the text as written) → find every number with its unit → skip page
furniture, dates, names and list numbering (each listed with the reason) → for each remaining number
draft the qualifier, the role (target, recommendation, result, instrument, structure, ranking), the period,
the region, the shortest quote that states it and an indicator. Every guess carries its reasons and a
confidence. The rules are the cue words of ``cues.toml`` and the grammar below, never a list of facts.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import paths
from .numbers import WrittenNumberError, parse_written

UNIT_SUFFIX = {
    "count": "count",
    "%": "pct",
    "pp": "pp",
    "yuan": "yuan",
    "robots per 10k workers": "per_10k_workers",
    "EFLOPS": "eflops",
    "EB": "eb",
    "ms": "ms",
    "km": "km",
    "m2": "m2",
    "ratio": "ratio",
    "people": "people",
    "months": "months",
}
TARGET_ROLES = ("target", "recommendation")
FINAL = "。！？!?；;：:”’」』）)】…"
CN_DIGITS = "零〇一二两兩三四五六七八九十百千"
SENTENCE_END = "。！？!?"
CLAUSE_END = "，,；;：:\n"


@cache
def cues() -> dict:
    """The cue words of ``cues.toml``."""
    return tomllib.loads((paths.PACKAGE_DIR / "cues.toml").read_text(encoding="utf-8"))


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """A Simplified copy of ``text`` with the same length, so that positions in one are positions in the other."""
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(s := conv.convert(c)) != 1 else s for c in text)


# --- Reference data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A region a name in a text may stand for."""

    region_id: str
    name_en: str
    name_zh: str
    level: str
    known: bool  # already in data/regions.csv
    is_base: bool = False  # the country or the world


def divisions() -> list[dict[str, str]]:
    """China's provinces and prefecture-level divisions (``reference/divisions.csv``)."""
    with (paths.PACKAGE_DIR / "reference" / "divisions.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


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


# --- The drafted rows ---------------------------------------------------------------------------------


@dataclass
class Candidate:
    """One drafted observation, positions in the text as written."""

    start: int
    end: int
    value: float
    value_as_written: str
    unit: str
    qualifier: str
    role: str = "result"
    period: str = ""
    is_period_inferred: bool = False
    region_id: str = ""
    quote: str = ""
    quote_start: int = 0
    indicator_id: str = ""
    indicator_name_zh: str = ""
    indicator_name_en: str = ""
    indicator_is_new: bool = False
    theme: str = ""
    plan: str = ""
    notes: str = ""
    confidence: float = 0.9
    reasons: list[str] = field(default_factory=list)
    line: int = 0
    heading: bool = False

    def doubt(self, by: float, reason: str) -> None:
        self.confidence -= by
        self.reasons.append(reason)


@dataclass
class Skip:
    """A number left out, and why."""

    start: int
    end: int
    text: str
    reason: str
    context: str
    line: int = 0


@dataclass
class PlanDraft:
    """A plan or document named in the text."""

    plan_id: str
    region_id: str
    title_zh: str
    start_year: int | None
    end_year: int | None
    issued: str
    quote: str
    start: int
    aliases: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class MeasureDraft:
    """A qualitative policy measure."""

    region_id: str
    theme: str
    quote: str
    start: int
    is_adopted: bool
    confidence: float
    reasons: list[str]
    line: int = 0


@dataclass
class Draft:
    """Everything drafted from one text."""

    observations: list[Candidate]
    measures: list[MeasureDraft]
    plans: list[PlanDraft]
    skipped: list[Skip]
    places: dict[str, Place]


# --- Layout: lines, headings, paragraphs, sentences, clauses, items ----------------------------------


@dataclass
class Layout:
    text: str
    simp: str
    headings: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    clauses: list[tuple[int, int]]
    line_starts: list[int]

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos)

    @staticmethod
    def _find(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
        if i >= 0 and spans[i][0] <= pos < spans[i][1]:
            return spans[i]
        return None

    def paragraph(self, pos: int) -> tuple[int, int]:
        return self._find(self.paragraphs, pos) or self._find(self.headings, pos) or (pos, pos + 1)

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._find(self.sentences, pos) or self.paragraph(pos)

    def clause(self, pos: int) -> tuple[int, int]:
        return self._find(self.clauses, pos) or self.sentence(pos)

    def is_heading(self, pos: int) -> bool:
        return self._find(self.headings, pos) is not None


def _is_heading(line: str) -> bool:
    s = line.strip()
    if s.startswith("#"):
        return True
    return len(s) <= 45 and not re.search(r"[，。；！？、,;]", s)


def layout(text: str, simp: str) -> Layout:
    """Split the text into headings, logical paragraphs (lines broken mid-sentence are joined), sentences, clauses."""
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        if body.strip():
            lines.append((pos + lead, pos + len(body.rstrip())))
        pos += len(raw)
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    headings: list[tuple[int, int]] = []
    merged: list[tuple[int, int]] = []
    last_was_heading = True
    for a, b in lines:
        if _is_heading(text[a:b]):
            headings.append((a, b))
            last_was_heading = True
            continue
        if not last_was_heading and merged and text[merged[-1][1] - 1] not in FINAL:
            merged[-1] = (merged[-1][0], b)  # a line broken mid-sentence continues its paragraph
        else:
            merged.append((a, b))
        last_was_heading = False
    sentences, clauses = [], []
    for a, b in merged:
        s = a
        for i in range(a, b):
            if simp[i] in SENTENCE_END or i == b - 1:
                sentences.append((s, i + 1))
                s = i + 1
        c = a
        for i in range(a, b):
            if simp[i] in CLAUSE_END or simp[i] in SENTENCE_END or i == b - 1:
                end = i if simp[i] in CLAUSE_END + SENTENCE_END else i + 1
                if end > c:
                    clauses.append((c, end))
                c = i + 1
    for a, b in headings:  # a heading is one sentence and one clause
        sentences.append((a, b))
        clauses.append((a, b))
    return Layout(text, simp, headings, sorted(merged), sorted(sentences), sorted(clauses), line_starts)


# --- Period expressions -------------------------------------------------------------------------------

YEAR = r"((?:19|20)\d{2})"


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


def _period_text(year: int, months: tuple[int, int] | None) -> str:
    if months is None:
        return str(year)
    a, b = months
    return f"{year}-{a:02d}" if a == b else f"{year}-{a:02d}..{b:02d}"


# --- Numbers ------------------------------------------------------------------------------------------

NUM_RE = re.compile(r"(\d+/\d+)|(\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)(万亿|亿|万)?")


def _longest(text: str, words) -> str | None:
    best = None
    for w in words:
        if text.startswith(w) and (best is None or len(w) > len(best)):
            best = w
    return best


def _ends_with(text: str, words) -> str | None:
    best = None
    for w in words:
        if text.endswith(w) and (best is None or len(w) > len(best)):
            best = w
    return best


def _spans(pattern: str, simp: str, group: int = 0) -> list[tuple[int, int]]:
    return [(m.start(group), m.end(group)) for m in re.finditer(pattern, simp)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    for a, b in spans:
        if a <= pos < b:
            return (a, b)
    return None


@dataclass
class Reading:
    """A number as read: value, unit, qualifier and the words around it that decided them."""

    start: int
    end: int  # end of value_as_written
    written: str
    value: float
    unit: str
    qualifier: str
    unit_end: int
    role_hint: str = ""
    reasons: list[str] = field(default_factory=list)
    notes: str = ""


def _classify_number(simp: str, m: re.Match, furniture, quotes, titles, places, times) -> Reading | Skip | None:
    """Read one number, or say why it is skipped (None: a numeral that is just part of a word)."""
    C = cues()
    s, e = m.start(), m.end()
    token = m.group(0)
    before = simp[max(0, s - 8) : s]
    after = simp[e : e + 16]
    is_cn = not re.search(r"\d", token)
    ctx = simp[max(0, s - 12) : e + 12].replace("\n", " ")

    def skip(reason: str) -> Skip:
        return Skip(s, e, token, reason, ctx)

    if _inside(s, places):
        return None
    if span := _inside(s, furniture):
        return Skip(span[0], span[1], simp[span[0] : span[1]], furniture[span], ctx)
    if span := _inside(s, [(w.start, w.end) for w in times]):
        w = next(w for w in times if w.start == span[0])
        if w.kind in ("now", "rel"):
            return None
        return Skip(s, e, token, f"a date or period ({w.text})", ctx)
    if is_cn:
        for ph in C["skip"]["phrases"]:
            for pm in re.finditer(re.escape(ph), simp[max(0, s - len(ph)) : e + len(ph)]):
                a = max(0, s - len(ph)) + pm.start()
                if a <= s < a + len(ph):
                    return (
                        None
                        if ph.startswith(("一", "数", "几", "若")) and "是" not in ph
                        else skip(f"set phrase or list numbering ({ph})")
                    )
        if token == "一" and not m.group(3):
            return None
        if before.endswith(("数", "几", "若")):
            return skip("vague amount")
    if _inside(s, titles):
        return skip("part of a document title")
    if q := _inside(s, quotes):
        inner = simp[q[0] + 1 : q[1] - 1]
        if not (s == q[0] + 1 and re.match(r"[" + CN_DIGITS + r"\d]+大", inner)):
            return skip(f"part of a name in quotation marks ({simp[q[0] : q[1]]})")
    if re.match(r"[A-Za-z]", after) and not _longest(after, [u for u in C["units"] if u.isascii()]):
        return skip("part of a name or code (5G, IPv6)")
    if (
        re.search(r"[A-Za-z+＋]$", before)
        or re.match(r"[+＋]", after)
        or (before.endswith(("（", "(")) and re.match(r"[+＋]", simp[e : e + 1]))
    ):
        return skip("part of a name or label")
    if (
        re.match(r"\.0(?!\d)", after)
        or (token.endswith(".0") and re.match(r"[版时代]", after))
        or before.endswith(("工业", "Web"))
    ):
        return skip("a version or name (工业4.0, 2.0版)")
    if re.match(r"(元)?级", after) and not re.match(r"(元)?级(以上|及以上)", after):
        return skip("a tier in a name (万亿级, 5000亿元级)")
    if re.match(r"[版号]", after):
        return skip("a number in a name")
    rank = re.search(r"(居|位列|位居|排名|排)(全国|全省|全市|全球|世界|同类)?(城市)?第$", before)
    if before.endswith(tuple(C["skip"]["ordinal_before"])) and not rank:
        return skip("ordinal or list numbering")
    line_start = simp.rfind("\n", 0, s) + 1
    if re.fullmatch(r"[\s●•（(]*", simp[line_start:s]) and re.match(r"[、.．)）]", after):
        return skip("list numbering")
    if re.match(r"是", after) and is_cn:
        return skip("list numbering")
    written = token
    pos = e
    qualifier = "="
    reasons: list[str] = []
    # Qualifier words before the number.
    w = _ends_with(re.sub("(" + "|".join(C["region"]["base_names"]) + ")(的)?$", "", before), C["qualifier"]["before"])
    look_back = w == "近" and re.match(r"[个]?年", after)
    if w and not look_back:
        qualifier = C["qualifier"]["before"][w]
        reasons.append(f"qualifier {qualifier} from {w}")
    inner = ""
    if simp[pos : pos + 1] in C["qualifier"]["inner"] and not re.match(r"多[种样元]", simp[pos : pos + 2]):
        inner = simp[pos]
        pos += 1
    if rank:
        return Reading(
            s, e, written, _safe_value(token, "count"), "count", "=", pos, "ranking", [f"ranking ({rank[0]}{token})"]
        )
    # Unit or classifier.
    rest = simp[pos : pos + 12]
    unit = None
    unsupported = _longest(rest, C["classifiers"]["unsupported"])
    if rest.startswith("成") and not m.group(3):
        unit, written, pos = "%", token + "成", pos + 1
        e = e + 1
    elif u := _longest(rest, C["units"]):
        unit = C["units"][u]
        pos += len(u)
        if u in ("人", "名") and re.match(r"[才员民]", simp[pos : pos + 1]):
            unit = None
            pos -= len(u)
    if unit is None and re.match(r"个[和、及与]\s*[\d.]+\s*个?百分点", rest):
        unit = "pp"
        pos += 1
        reasons.append("percentage points shared with the next number")
    role_hint = ""
    if unit is None:
        cl = _longest(rest, C["classifiers"]["count"])
        if cl:
            unit = "count"
            pos += len(cl)
            noun = simp[pos : pos + 8]
            if (
                cl == "大"
                or _longest(noun, C["structure"]["nouns"])
                or cl in C["structure"]["nouns"]
                or any(noun.startswith(("基本" + n, "重点" + n, "具体" + n)) for n in C["structure"]["nouns"])
            ):
                role_hint = "structure"
        elif unsupported and not (unsupported == "年" and before.endswith("近")):
            return skip(f"unit {unsupported} has no counterpart among the indicator units")
        elif unsupported == "年":
            unit, pos, role_hint = "count", pos + 1, "structure"
            reasons.append("a look-back of years (近…年)")
    if unit is None and "/" in token:
        unit = "%"
        reasons.append("a fraction, read as a share")
    if unit is None and m.group(3) in ("亿", "万亿") and not unsupported:
        unit = "yuan"
        reasons.append(f"an amount in {m.group(3)} with no unit, read as yuan")
    if unit is None:
        if is_cn:
            return None
        return skip("a number without a unit")
    if not inner and simp[pos : pos + 1] in C["qualifier"]["inner"] and unit == "ratio":
        inner = simp[pos]
        pos += 1
    if inner and qualifier == "=":
        qualifier = C["qualifier"]["inner"][inner]
        reasons.append(f"qualifier {qualifier} from {inner}")
    aw = _longest(simp[pos : pos + 4], C["qualifier"]["after"])
    if aw:
        tail = simp[pos + len(aw) : pos + len(aw) + 6]
        if _longest(tail, C["category"]["nouns"]):
            role_hint = role_hint or "instrument"
            reasons.append(f"{token}{aw} names a category (threshold), not a bound")
        elif qualifier == "=":
            qualifier = C["qualifier"]["after"][aw]
            reasons.append(f"qualifier {qualifier} from {aw}")
    if qualifier == "=" and not w:
        clause_start = max(simp.rfind(ch, 0, s) for ch in "，,。；;：:\n") + 1
        vw = next((v for v in C["qualifier"]["verb"] if v in simp[clause_start:s]), None)
        if vw:
            qualifier = C["qualifier"]["verb"][vw]
            reasons.append(f"qualifier {qualifier} from {vw}")
    if token in ("百", "千", "万") and qualifier == "=":
        qualifier = "~"
        reasons.append("a round number written in words")
    value = _safe_value(written if unit != "%" or written.endswith("成") or "/" in written else written, unit)
    if value is None:
        return skip("cannot read the number")
    if rm := re.match(r"[至到—–\-~～]\s*(\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)(万亿|亿|万)?", simp[pos : pos + 10]):
        if re.match(r"[家个项台所座条]|$|[%元]", simp[pos + rm.end() : pos + rm.end() + 1] or "") and qualifier == "=":
            qualifier = ">="
            reasons.append(f"lower bound of the range {simp[s : pos + rm.end() + 1]}")
            return Reading(
                s,
                e,
                written,
                value,
                unit,
                qualifier,
                pos,
                role_hint,
                reasons,
                notes=f"Range: up to {rm.group(1)}{rm.group(2) or ''}.",
            )
    return Reading(s, e, written, value, unit, qualifier, pos, role_hint, reasons)


def _safe_value(written: str, unit: str) -> float | None:
    try:
        return parse_written(written, unit)
    except (WrittenNumberError, ValueError, ZeroDivisionError):
        return None


def furniture_spans(simp: str) -> dict[tuple[int, int], str]:
    """Phone numbers, licence and registration numbers, clock times, web addresses: page furniture."""
    found: dict[tuple[int, int], str] = {}
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
    ]
    for pattern, reason in rules:
        for m in re.finditer(pattern, simp, re.M):
            found[(m.start(), m.end())] = reason
    return found


# --- Regions, roles, periods --------------------------------------------------------------------------


def find_places(simp: str, names: dict[str, Place]) -> list[tuple[int, int, Place]]:
    """Place names in the text, longest first, without overlaps."""
    if not names:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(names, key=len, reverse=True))))
    return [(m.start(), m.end(), names[m[0]]) for m in pattern.finditer(simp)]


def _place_in(a: int, b: int, places, simp: str, clause_start: int, first: bool = False) -> Place | None:
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


def _count(words, text: str) -> list[str]:
    """The cue words found in ``text``, longest first (新增创建 is not also 创建)."""
    hits = []
    for w in sorted(words, key=len, reverse=True):
        if w == "了":
            if re.search(r"(?<![为除解])了(?!解)", text):
                hits.append(w)
        elif w == "将":
            if re.search(r"将(?![近来])", text):
                hits.append(w)
        elif w == "有":
            if re.search(r"(?<![具拥没所])有(?![望效力关])", text):
                hits.append(w)
        elif w == "为":
            if re.search(r"(?<![作成认因以])为(?![了主核促])", text):
                hits.append(w)
        elif w in text:
            hits.append(w)
            text = text.replace(w, "\0" * len(w))
    return hits


@dataclass
class Context:
    lay: Layout
    times: list[When]
    places: list[tuple[int, int, Place]]
    items: list[tuple[int, Place | None, str]]
    pub_year: int
    pub_month: int
    default_place: Place | None

    def item(self, pos: int) -> tuple[int, int, Place | None, str]:
        starts = [i[0] for i in self.items]
        k = bisect.bisect_right(starts, pos) - 1
        start, place, head = self.items[k] if k >= 0 else (0, None, "")
        end = self.items[k + 1][0] if k + 1 < len(self.items) else len(self.lay.text)
        return start, end, place or self.default_place, head


def items_of(lay: Layout, places, simp: str) -> list[tuple[int, Place | None, str]]:
    """Items of a page: each heading that names a region starts one (a ministry's heading makes it national)."""
    national = cues()["region"]["national_bodies"]
    items: list[tuple[int, Place | None, str]] = []
    country = next((p for _, _, p in places if p.level == "country"), None)
    labels = tuple(cues()["layout"]["metadata_labels"])
    for a, b in lay.headings:
        head = simp[a:b]
        if head.lstrip("# ").startswith(labels):
            continue
        here = [p for s, e, p in places if a <= s < b and not p.is_base]
        if any(n in head for n in national):
            items.append((a, country, head))  # None: the country of the gazetteer, filled in by draft()
        elif here:
            items.append((a, here[0], head))
    return items


def decide_role(ctx: Context, r: Reading) -> tuple[str, list[str], bool]:
    """target, recommendation, result, instrument, structure or ranking, with the reasons; bool: by default."""
    C = cues()["role"]
    lay, simp = ctx.lay, ctx.lay.simp
    if r.role_hint in ("structure", "ranking", "instrument"):
        return r.role_hint, [f"{r.role_hint}: {'; '.join(r.reasons[-1:]) or 'a count of the document'}"], False
    cs, ce = lay.clause(r.start)
    ss, _ = lay.sentence(r.start)
    before_clause = simp[cs : r.start]
    after_clause = simp[r.unit_end : ce]
    if any(w in simp[max(cs, r.start - 6) : r.start] for w in C["instrument_before"]) or any(
        after_clause.startswith(w) or after_clause[:6].find(w) >= 0 for w in C["instrument_after"]
    ):
        return "instrument", ["instrument: a cap, subsidy or support amount"], False
    reasons = []
    t = r_ = 0.0
    deadlines = [w for w in ctx.times if ss <= w.start < r.start and w.kind in ("deadline",)]
    if deadlines:
        t += 4
        reasons.append(f"target: {deadlines[-1].text.strip()} in the sentence")
    th = _count(C["target"], before_clause)
    rh = _count(C["result"], before_clause)
    t += 2 * len(th)
    r_ += 2 * len(rh)
    th2 = _count(C["target"], simp[ss:cs])
    rh2 = _count(C["result"], simp[ss:cs])
    t += len(th2)
    r_ += len(rh2)
    if th or th2:
        reasons.append(f"target cue {'/'.join(th + th2)}")
    if rh or rh2:
        reasons.append(f"result cue {'/'.join(rh + rh2)}")
    ps, _ = lay.paragraph(r.start)
    if not deadlines and any(w.kind == "deadline" for w in ctx.times if ps <= w.start < ss):
        t += 2.5
        reasons.append("a deadline opens the paragraph")
    past = [w for w in ctx.times if ss <= w.start < r.start and w.kind == "year" and w.year < ctx.pub_year]
    if past and not deadlines:
        r_ += 2
        reasons.append(f"reported for {past[-1].text}")
    # Context: the nearest plan statement or review before this sentence in the item.
    istart, _, _, _ = ctx.item(r.start)
    plan_at = max([simp.rfind(w, istart, ss) for w in C["plan_context"]] + [-1])
    review_at = max([simp.rfind(w, istart, ss) for w in C["review_context"]] + [-1])
    for w in ctx.times:
        if istart <= w.start < ss:
            if w.kind in ("deadline", "plan_span"):
                plan_at = max(plan_at, w.start)
            elif w.kind == "year" and w.year < ctx.pub_year:
                review_at = max(review_at, w.start)
    if plan_at > review_at:
        t += 1.5
        reasons.append("follows a plan statement")
    elif review_at > plan_at:
        r_ += 1.5
        reasons.append("follows a review of results")
    by_default = False
    if t == r_:
        by_default = True
        if re.match(r"\s*(打造|建设|培育|创建|实施|引育|新增|建|实现|支持|形成)", before_clause):
            t += 1
            reasons.append("imperative verb of a plan")
        else:
            r_ += 1
            reasons.append("no cue: read as reported")
    role = "target" if t > r_ else "result"
    if role == "target":
        par_before = simp[ps : r.start]
        rec = [i for i in range(len(simp[istart : r.start])) if simp.startswith(tuple(C["recommendation"]), istart + i)]
        shown = max(simp.rfind("显示", istart, r.start), simp.rfind("印发", istart, r.start))
        if any(w in par_before for w in C["recommendation"]) or (
            rec and istart + rec[-1] > shown and _starts_paragraph(lay, istart + rec[-1])
        ):
            role = "recommendation"
            reasons.append("in a recommendation (建议)")
    return role, reasons, by_default


def _starts_paragraph(lay: Layout, pos: int) -> bool:
    a, _ = lay.paragraph(pos)
    return pos - a <= 2


def decide_period(ctx: Context, r: Reading, role: str) -> tuple[list[str], bool, list[str]]:
    """Period(s) of a number, whether inferred, and the reasons."""
    lay = ctx.lay
    ss, se = lay.sentence(r.start)
    ps, pe = lay.paragraph(r.start)
    istart, iend, _, _ = ctx.item(r.start)
    times = ctx.times
    pub = ctx.pub_year

    def year_before(pos: int) -> tuple[int, bool]:
        ys = [w for w in times if istart <= w.start < pos and w.kind in ("year", "date", "deadline") and w.year]
        same = [w for w in ys if w.start >= ss]
        if same:
            return same[-1].year, False
        return (ys[-1].year, True) if ys else (pub, True)

    in_sentence = [w for w in times if ss <= w.start < se]
    has_plan = any(w.kind in ("deadline", "plan_span") for w in times if istart <= w.start < r.start)
    if role in TARGET_ROLES or (role == "instrument" and has_plan):
        dl = [w for w in in_sentence if w.kind == "deadline" and w.start < r.start]
        span_n = re.search(r"([" + CN_DIGITS + r"\d]+)年累计", lay.simp[lay.clause(r.start)[0] : r.start])
        if dl:
            y = dl[-1].year
            if span_n and (n := _safe_value(span_n.group(1), "count")):
                return [f"{int(y - n + 1)}..{y}"], False, [f"period: {span_n.group(0)} to {dl[-1].text.strip()}"]
            return [str(y)], False, [f"period {y} from {dl[-1].text.strip()}"]
        spans = [w for w in in_sentence if w.kind == "plan_span"]
        if spans:
            return [str(spans[-1].year2)], True, [f"period {spans[-1].year2}: end of the plan span {spans[-1].text}"]
        back = [w for w in times if istart <= w.start < r.start and w.kind in ("deadline", "plan_span")]
        if back:
            w = back[-1]
            y = w.year2 if w.kind == "plan_span" else w.year
            if span_n and w.kind == "deadline" and (n := _safe_value(span_n.group(1), "count")):
                return [f"{int(y - n + 1)}..{y}"], True, [f"period: {span_n.group(0)} to {w.text.strip()} earlier"]
            return [str(y)], True, [f"period {y} inferred from {w.text.strip()} earlier in the item"]
        return [str(pub)], True, [f"period {pub} inferred from the publication date (no deadline stated)"]
    # Results, instruments, structure, rankings.
    usable = ("year", "date", "months", "now", "span", "rel")
    before = [w for w in in_sentence if w.start < r.start and w.kind in usable]
    if before and (w := before[-1]):
        pair = re.search(YEAR + r"年、" + YEAR + r"年", lay.simp[max(ss, w.start - 8) : w.end])
        if pair and w.kind == "year":
            return [pair[1], pair[2]], False, [f"periods {pair[1]} and {pair[2]} from {pair[0]}"]
        return _from_when(w, year_before, pub, same_sentence=True)
    in_par = [
        w
        for w in times
        if ps <= w.start < r.start
        and w.kind in ("year", "now", "date", "months")
        and not re.search(r"[一二三四五六七八九十]是|（[一二三四五六七八九十]）", lay.simp[w.end : r.start])
    ]
    in_par = in_par or [w for w in times if r.start <= w.start < pe and w.kind == "year"]
    if in_par:
        w = min(in_par, key=lambda w: abs(w.start - r.start))
        return _from_when(w, year_before, pub, same_sentence=False)
    back = [
        w
        for w in times
        if istart <= w.start < r.start
        and (
            w.kind == "now"
            or (
                w.kind in ("year",)
                and (re.match(r"\s*[，,]|以来", lay.simp[w.end : w.end + 2]) or lay.simp[w.start - 1 : w.start] == "自")
            )
        )
    ]
    if back:
        return _from_when(back[-1], year_before, pub, same_sentence=False)
    return [str(pub)], True, [f"period {pub} inferred from the publication date"]


def _from_when(w: When, year_before, pub: int, same_sentence: bool) -> tuple[list[str], bool, list[str]]:
    if w.kind == "now":
        return [str(pub)], True, [f"period {pub} from {w.text} (publication date)"]
    if w.kind == "rel":
        y, inferred = (w.year, True) if w.year else year_before(w.start)
        return [str(y)], inferred, [f"period {y} from {w.text}"]
    if w.kind == "months":
        if w.year:
            return [_period_text(w.year, w.months)], not same_sentence, [f"period from {w.text}"]
        y, inferred = year_before(w.start)
        return (
            [_period_text(y, w.months)],
            True,
            [f"period from {w.text} with the year {y} {'of the context' if inferred else 'of the sentence'}"],
        )
    if w.kind == "span":
        return [f"{w.year}..{w.year2}"], not same_sentence, [f"period {w.text}"]
    if w.kind == "date":
        y = w.year or year_before(w.start)[0]
        return [str(y)], not same_sentence or not w.year, [f"period {y} from {w.text}"]
    return [str(w.year)], not same_sentence, [f"period {w.year} from {w.text}"]


def decide_region(ctx: Context, r: Reading) -> tuple[Place | None, str]:
    lay, simp = ctx.lay, ctx.lay.simp
    cs, _ = lay.clause(r.start)
    ss, _ = lay.sentence(r.start)
    p = _place_in(cs, r.start, ctx.places, simp, cs)
    if p:
        return p, f"region {p.name_zh} named in the clause"
    first = lay.clause(ss)
    if first[1] <= r.start:
        p = _place_in(first[0], first[1], ctx.places, simp, first[0], first=True)
        if p:
            return p, f"region {p.name_zh} is the subject of the sentence"
    _, _, place, head = ctx.item(r.start)
    if place:
        return (
            place,
            f"region {place.name_zh} from the heading of the item"
            if head
            else f"region {place.name_zh}, the place the text names most",
        )
    return None, "no region found"


# --- Quote, indicator, plan ---------------------------------------------------------------------------

DEPENDENT = ("比", "较", "高于", "低于", "拉动", "分别", "其中", "占", "是", "增长面", "改善面", "同比", "均", "达")


def quote_for(lay: Layout, r: Reading) -> tuple[int, int]:
    """The shortest verbatim clause that states the number, widened to its clause's subject when needed."""
    text = lay.text
    cs, ce = lay.clause(r.start)
    ss, _ = lay.sentence(r.start)
    head = lay.simp[cs : r.start].lstrip(" ●•\u3000")
    tail = lay.simp[r.unit_end : ce]
    short = len(re.sub(r"[\d\W]", "", head)) < 4 and len(re.sub(r"[\d\W]", "", tail)) < 4
    if (short or head.startswith(DEPENDENT)) and cs > ss:
        prev = lay.clause(cs - 2)
        if prev[0] >= ss and "\n" not in text[prev[0] : cs]:
            cs = prev[0]
    while cs < r.start and text[cs] in " ●•\u3000\t":
        cs += 1
    end = max(ce, r.unit_end)
    return cs, end


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


def theme_of(text: str) -> str:
    for theme, words in cues()["themes"].items():
        if any(w in text for w in words):
            return theme
    return "industrial_growth"


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


def _countries(ctx: Context) -> list[Place]:
    """The places of level country the text's items fall under (the default for a national document)."""
    return [p for _, p, _ in ctx.items if p is not None and p.level == "country"]


def plans_of(lay: Layout, ctx: Context, known_ids: set[str]) -> list[PlanDraft]:
    """Documents named in 《》 that the text says were issued or put forward, with their aliases (简称)."""
    simp = lay.simp
    verbs = cues()["plan"]["verbs"]
    plans: list[PlanDraft] = []
    aliases: dict[str, PlanDraft] = {}
    for m in re.finditer(r"《([^》]{2,80})》", simp):
        title = m.group(1)
        if title in aliases:
            continue
        ss, se = lay.sentence(m.start())
        sentence = simp[ss:se]
        alias = re.match(r"\s*[（(]以下简称《([^》]+)》", simp[m.end() : m.end() + 30])
        if not any(v in sentence for v in verbs) and not alias:
            continue
        place, _ = decide_region(ctx, Reading(m.start(), m.end(), "", 0, "count", "=", m.end()))
        span = re.search(YEAR + r"\s*[—–\-－~～至到]\s*" + YEAR, title)
        years = [int(y) for y in re.findall(YEAR + "年", title)]
        start_year = int(span[1]) if span else None
        end_year = int(span[2]) if span else None
        issued = ""
        if d := re.search(YEAR + r"年(\d{1,2})月", simp[ss : m.start()]):
            issued = f"{d[1]}-{int(d[2]):02d}"
        region = place.region_id if place else next((p.region_id for p in _countries(ctx)), "")
        from pypinyin import lazy_pinyin

        initials = "".join(
            w[0] for w in lazy_pinyin(re.sub(r"[^\u4e00-\u9fff]", "", lay.text[m.start() + 1 : m.end() - 1])) if w
        )[:10]
        tag = f"{start_year}-{end_year}" if span else (str(years[-1]) if years else "")
        pid = "-".join(x for x in (region, initials, tag) if x)
        base, k = pid, 2
        while pid in known_ids:
            pid, k = f"{base}-{k}", k + 1
        known_ids.add(pid)
        q0 = lay.clause(m.start())[0]
        q1 = max(lay.clause(m.start())[1], m.end())
        plan = PlanDraft(
            pid,
            region,
            lay.text[m.start() + 1 : m.end() - 1],
            start_year,
            end_year,
            issued,
            lay.text[q0:q1],
            m.start(),
            line=lay.line_of(m.start()),
        )
        plans.append(plan)
        aliases[title] = plan
        if alias:
            plan.aliases.append(alias.group(1))
            aliases[alias.group(1)] = plan
    return plans


def plan_for(simp: str, pos: int, istart: int, plans: list[PlanDraft]) -> PlanDraft | None:
    """The plan named nearest before ``pos`` in the item (by its title or its short name)."""
    best, at = None, -1
    for p in plans:
        for name in [p.title_zh, *p.aliases]:
            i = simp.rfind(f"《{to_simplified(name)}》", istart, pos)
            if i > at:
                best, at = p, i
    return best


# --- The drafter --------------------------------------------------------------------------------------


def draft(
    text: str,
    published: str,
    regions: list[dict[str, str]],
    indicators: list[dict[str, str]],
    known_plans: set[str] | None = None,
) -> Draft:
    """Draft every number of ``text`` (published on ``published``, YYYY-MM[-DD]) as a candidate observation."""
    simp = to_simplified(text)
    pub_year, pub_month = int(published[:4]), int(published[5:7])
    lay = layout(text, simp)
    names = gazetteer(regions)
    places = find_places(simp, names)
    times = time_expressions(simp, pub_year)
    counts: dict[str, int] = {}
    for _, _, p in places:
        if not p.is_base:
            counts[p.region_id] = counts.get(p.region_id, 0) + 1
    default = None
    if counts:
        top = max(counts, key=counts.get)
        default = next(p for _, _, p in places if p.region_id == top)
    ctx = Context(lay, times, places, items_of(lay, places, simp), pub_year, pub_month, default)
    country = next((p for p in names.values() if p.level == "country"), None)
    ctx.items = [(a, p if p is not None else country, h) for a, p, h in ctx.items]
    furniture = furniture_spans(simp)
    quotes = _spans(r"“[^”\n]{0,40}”|「[^」\n]{0,40}」|\"[^\"\n]{0,40}\"", simp)
    titles = _spans(r"《[^》\n]{1,80}》", simp)
    plans = plans_of(lay, ctx, set(known_plans or ()))
    found: list[Candidate] = []
    skipped: list[Skip] = []
    seen_furniture: set[tuple[int, int]] = set()
    consumed_to = -1
    for m in NUM_RE.finditer(simp):
        if m.start() < consumed_to:
            continue
        got = _classify_number(simp, m, furniture, quotes, titles, [(s, e) for s, e, _ in places], times)
        if got is None:
            continue
        if isinstance(got, Skip):
            key = (got.start, got.end)
            if key in seen_furniture:
                continue
            seen_furniture.add(key)
            got.text = text[got.start : got.end]
            got.context = text[max(0, got.start - 12) : got.end + 12].replace("\n", " ")
            got.line = lay.line_of(got.start)
            skipped.append(got)
            if got.end > m.end():
                consumed_to = got.end
            continue
        r = got
        if r.notes.startswith("Range"):
            consumed_to = r.unit_end + 8
            rest = re.match(r"[至到—–\-~～]\s*(\d+(?:\.\d+)?|[" + CN_DIGITS + r"]+)(万亿|亿|万)?", simp[r.unit_end :])
            if rest:
                consumed_to = r.unit_end + rest.end()
                skipped.append(
                    Skip(
                        r.unit_end + rest.start(1),
                        consumed_to,
                        text[r.unit_end + rest.start(1) : consumed_to],
                        "upper bound of a range (kept in the notes of the lower bound)",
                        text[max(0, r.start - 12) : consumed_to + 8],
                        lay.line_of(r.start),
                    )
                )
        found.extend(_candidates(ctx, r, text, plans, indicators))
    found = _dedupe(found, lay, skipped)
    measures = measures_of(lay, ctx, {c.start for c in found})
    return Draft(
        found, measures, plans, sorted(skipped, key=lambda s: s.start), {p.region_id: p for p in names.values()}
    )


def _candidates(ctx: Context, r: Reading, text: str, plans: list[PlanDraft], indicators) -> list[Candidate]:
    lay = ctx.lay
    role, role_reasons, by_default = decide_role(ctx, r)
    periods, inferred, period_reasons = decide_period(ctx, r, role)
    place, region_reason = decide_region(ctx, r)
    qs, qe = quote_for(lay, r)
    phrase = indicator_phrase(lay, r, ctx.places)
    growth = r.unit == "%" and bool(re.search(r"增长|增速|下降|提升|降低", lay.simp[lay.clause(r.start)[0] : r.start]))
    ind, score = suggest_indicator(phrase, r.unit, indicators, growth)
    out = []
    for period in periods:
        c = Candidate(
            r.start,
            r.end,
            r.value,
            text[r.start : r.end],
            r.unit,
            r.qualifier,
            role,
            period,
            inferred,
            place.region_id if place else "",
            text[qs:qe],
            qs,
            line=lay.line_of(r.start),
            heading=lay.is_heading(r.start),
            notes=r.notes,
        )
        c.reasons += [f"unit {r.unit}"] + r.reasons + role_reasons + period_reasons + [region_reason]
        if by_default:
            c.doubt(0.25, "role guessed without a cue")
        if inferred:
            c.doubt(0.1, "period inferred")
        if not place:
            c.doubt(0.4, "region unknown: fill in region_id")
        elif "heading" not in region_reason and "clause" not in region_reason:
            c.doubt(0.05, "region from the sentence")
        if len(periods) > 1:
            c.notes = (
                c.notes + " " if c.notes else ""
            ) + f"One of {len(periods)} years the text gives for this number."
        if ind is not None and score >= 0.5:
            c.indicator_id, c.indicator_name_zh = ind["indicator_id"], ind["name_zh"]
            c.indicator_name_en, c.theme = ind["name_en"], ind["theme"]
            c.reasons.append(f"indicator like {ind['name_zh']} ({score:.2f})")
            if score < 0.7:
                c.doubt(0.1, "indicator match is loose")
        else:
            name = phrase + ("增速" if growth and not phrase.endswith(("增速", "增长")) else "")
            suffix = UNIT_SUFFIX[r.unit]
            c.indicator_id = f"{_slug(name)}{'_growth' if growth else ''}_{suffix}"
            c.indicator_name_zh = name
            c.indicator_name_en = name
            c.indicator_is_new = True
            c.theme = theme_of(phrase)
            c.doubt(0.15, "new indicator drafted: check its id, names and theme (English name to write)")
        if role in TARGET_ROLES:
            istart, _, _, _ = ctx.item(r.start)
            plan = plan_for(lay.simp, r.start, istart, plans)
            if plan:
                c.plan = plan.plan_id
                c.reasons.append(f"plan {plan.title_zh[:20]}")
            else:
                c.doubt(0.2, "no plan named before this target: give its plan")
        c.confidence = round(min(0.99, max(0.05, c.confidence)), 2)
        out.append(c)
    return out


def _norm_context(lay: Layout, c: Candidate) -> str:
    cs, _ = lay.clause(c.start)
    return re.sub(r"[\s●•，,。\d.%]", "", lay.simp[max(cs, c.start - 24) : c.end + 10])


def _dedupe(found: list[Candidate], lay: Layout, skipped: list[Skip]) -> list[Candidate]:
    """Drop a headline or a summary bullet that restates the text, and a number of a repeated passage."""
    kept: list[Candidate] = []

    def restated(c: Candidate) -> bool:
        return any(
            o is not c and (o.value, o.unit) == (c.value, c.unit) and not o.heading and not _bullet(lay, o)
            for o in found
        )

    for c in found:
        if c.heading and restated(c):
            skipped.append(
                Skip(c.start, c.end, c.value_as_written, "headline restates a number of the text", c.quote, c.line)
            )
            continue
        if _bullet(lay, c) and restated(c):
            skipped.append(
                Skip(
                    c.start, c.end, c.value_as_written, "summary bullet restates a number of the text", c.quote, c.line
                )
            )
            continue
        twin = next(
            (
                o
                for o in kept
                if (o.value, o.unit, o.period) == (c.value, c.unit, c.period)
                and lay.sentence(o.start) != lay.sentence(c.start)
                and difflib.SequenceMatcher(None, _norm_context(lay, o), _norm_context(lay, c)).ratio() >= 0.8
            ),
            None,
        )
        if twin:
            skipped.append(
                Skip(
                    c.start,
                    c.end,
                    c.value_as_written,
                    f"repeats the number of line {twin.line} (a repeated passage)",
                    c.quote,
                    c.line,
                )
            )
            continue
        kept.append(c)
    return kept


def _bullet(lay: Layout, c: Candidate) -> bool:
    line_start = lay.text.rfind("\n", 0, c.start) + 1
    return lay.text[line_start : c.start].lstrip().startswith(("●", "•", "■", "▲", "◆", "★"))


def measures_of(lay: Layout, ctx: Context, numbered: set[int]) -> list[MeasureDraft]:
    """Sentences that take a policy action (a verb of ``cues.toml`` and a named programme or document)."""
    verbs = cues()["measure"]["verbs"]
    out, seen = [], set()
    for ss, se in lay.sentences:
        if lay.is_heading(ss):
            continue
        sent = lay.simp[ss:se]
        verb = next((v for v in verbs if v in sent), None)
        if not verb or not re.search(r"[《“「]", sent):
            continue
        a, b = ss, se
        while a < b and lay.text[a] in " ●•\u3000\t":
            a += 1
        quote = lay.text[a:b].rstrip("。")
        if "\n" in quote:
            quote = quote.split("\n")[0]
        if len(quote) < 8 or quote in seen:
            continue
        seen.add(quote)
        place, reason = decide_region(ctx, Reading(a, a, "", 0, "count", "=", a))
        role_is_rec = "建议" in lay.simp[lay.paragraph(a)[0] : b]
        out.append(
            MeasureDraft(
                place.region_id if place else "",
                theme_of(sent),
                quote,
                a,
                not role_is_rec,
                0.4 if place else 0.2,
                [f"policy verb {verb}", reason] + (["a recommendation, not adopted"] if role_is_rec else []),
                lay.line_of(a),
            )
        )
    return out


def read_table(path: Path) -> list[dict[str, str]]:
    """A CSV of ``data/`` as dictionaries (standard library only)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
