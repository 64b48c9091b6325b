"""Safe intake of a new source text: its encoding told apart, nonsense refused, web pinyin removed, its own
title and a publication date read from it (marked as guessed).

Each function returns what it found and a note for ``sources.csv``; bad input raises ``IntakeError`` with one
line that names what to do.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from .base import to_simplified
from .plans import document_title

COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多"
    "定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由"
    "其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意"
    "建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统"
    "接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导"
    "器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示"
    "议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布"
    "复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标"
    "写存候亲快效院查江型按格养易置层片始专状育厂京识适属包火住调满县局照参红细引听该铁价严智推企项目创培省"
)
PINYIN_AFTER = re.compile(
    r"(?<=[\u4e00-\u9fff])[（(]\s*([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*(?:\s+[a-zü]+)*)\s*[)）]"
)
DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(?:(\d{1,2})日?)?")
PUBLISHED_LABEL = re.compile(r"(发布时间|发布日期|发文日期|成文日期|印发日期|日期|时间)\s*[:：]?\s*")


class IntakeError(ValueError):
    """A text that cannot be taken in as it is."""


@cache
def _common() -> frozenset[str]:
    import opencc

    trad = opencc.OpenCC("s2t").convert(COMMON)
    return frozenset(COMMON) | frozenset(trad)


def plausibility(text: str) -> float:
    """The share of the text's Chinese characters that are among the most common ones: about 0.5 for real
    Chinese prose in either script, near 0 for bytes decoded with the wrong encoding."""
    cjk = re.findall(r"[\u4e00-\u9fff]", text)
    if not cjk:
        return 0.0
    common = _common()
    return sum(c in common for c in cjk) / len(cjk)


@dataclass
class Decoded:
    text: str
    encoding: str
    note: str
    plausibility: float


def decode(raw: bytes, force: bool = False) -> Decoded:
    """The text of ``raw``: UTF-8 with or without BOM, UTF-16 (BOM or not), GB18030 or Big5, told apart by
    which decoding reads as Chinese; text that reads as nonsense is refused unless ``force``."""
    if not raw.strip():
        raise IntakeError("the file is empty")
    tried: list[Decoded] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        tried.append(_try(raw[3:], "utf-8", "UTF-8 with a byte-order mark; the mark removed"))
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        tried.append(_try(raw, "utf-16", "converted from UTF-16 to UTF-8"))
    else:
        tried.append(_try(raw, "utf-8", ""))
        if tried[-1] is None or tried[-1].plausibility < 0.35:
            for enc, name in (
                ("gb18030", "GB18030"),
                ("big5", "Big5"),
                ("utf-16-le", "UTF-16"),
                ("utf-16-be", "UTF-16"),
            ):
                if not enc.startswith("utf-16") or len(raw) % 2 == 0:
                    tried.append(_try(raw, enc, f"converted from {name} to UTF-8"))
    good = [d for d in tried if d is not None]
    if not good:
        raise IntakeError("not UTF-8, UTF-16, GB18030 or Big5 text; save it as UTF-8")
    best = max(good, key=lambda d: d.plausibility)  # the first of equals: UTF-8, GB18030, Big5, UTF-16
    if best.plausibility < 0.2 and not force:
        raise IntakeError(
            f"reads as {best.encoding.upper()} but not as Chinese text (only {best.plausibility:.0%} common "
            "characters): save it as UTF-8, or give --force to take it as it is"
        )
    return best


def _try(raw: bytes, encoding: str, note: str) -> Decoded | None:
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return Decoded(text.lstrip("\ufeff"), encoding, note, plausibility(text))


def remove_pinyin(text: str, original: bytes) -> tuple[str, str]:
    """Pinyin a web page inserted after characters (發(fā)布) removed, and a note that keeps the original's hash."""
    found = PINYIN_AFTER.findall(text)
    if len(found) < 2:
        return text, ""
    digest = hashlib.sha256(original).hexdigest()
    note = f"pinyin removed after {len(found)} characters (original file sha256 {digest})"
    return PINYIN_AFTER.sub("", text), note


def title_of(text: str) -> str:
    """The document's own title (not its salutation 各有关单位：, a label or a byline)."""
    return document_title(text)[:120]


def guess_published(text: str) -> tuple[str, str] | None:
    """A publication date the text gives (发布时间：2025-03-01, or the date a notice is signed), with the words it
    was read from; None when it names no full date."""
    simp = to_simplified(text)
    labelled = [m for m in PUBLISHED_LABEL.finditer(simp) if DATE.match(simp, m.end())]
    if labelled:
        d = DATE.match(simp, labelled[0].end())
        return _date(d), simp[labelled[0].start() : d.end()]
    lines = [ln.strip() for ln in simp.splitlines() if ln.strip()]
    for line in lines[-6:][::-1] + lines[:8]:  # the date under a notice's signature, else one near the top
        d = DATE.fullmatch(line.rstrip("。 ")) or (DATE.match(line) if len(line) <= 30 else None)
        if d and d[3]:
            return _date(d), d[0]
    return None


def _date(m: re.Match) -> str:
    y, mo, day = int(m[1]), int(m[2]), m[3]
    return f"{y}-{mo:02d}-{int(day):02d}" if day else f"{y}-{mo:02d}"
