"""Measures: sentences that take a policy action, and the ordered rules that leave the rest out (preambles,
salutations, bylines, editor lines, publication dates, reporters' phrases)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths
from .base import Rule, cues, first_rule, read_table, to_simplified
from .layout import Layout
from .model import MeasureDraft
from .places import Context
from .plans import document_title
from .region import decide_region
from .theme import theme_of
from .vocabulary import english

VERB_EN = {
    "设立": "Sets up",
    "出台": "Issues",
    "印发": "Issues",
    "发布": "Publishes",
    "实施": "Implements",
    "建立": "Establishes",
    "成立": "Establishes",
    "开展": "Carries out",
    "启动": "Launches",
    "推出": "Launches",
    "制定": "Draws up",
    "举办": "Holds",
    "搭建": "Builds",
    "支持": "Supports",
    "鼓励": "Encourages",
    "引导": "Guides",
    "推进": "Advances",
    "推动": "Promotes",
    "完善": "Improves",
    "加强": "Strengthens",
    "深化": "Deepens",
}


@dataclass
class Sentence:
    lay: Layout
    start: int
    end: int

    @property
    def simp(self) -> str:
        return self.lay.simp[self.start : self.end]


def _heading(x: Sentence):
    return "a heading" if x.lay.is_heading(x.start) else None


def _preamble(x: Sentence):
    s = x.simp.lstrip(" ●•\u3000\t")
    if re.match(r"(为|为了)(深入|全面|认真|进一步|切实|加快|推动|贯彻|落实|促进|加强)", s) or re.match(
        r"(根据|按照|依据)", s
    ):
        return "a preamble (为深入贯彻…, 根据…): the reason for a policy, not a policy"
    return None


def _salutation(x: Sentence):
    s = x.simp.strip()
    if re.match(r"各(有关|地|省|市|区|县|级|相关)", s) and re.search(r"[:：]$", s.split("\n")[0].strip()):
        return "a salutation (各有关单位：)"
    return None


def _byline(x: Sentence):
    labels = tuple(cues()["layout"]["metadata_labels"]) + ("记者", "通讯员", "本报讯", "来源：", "原标题")
    s = x.simp.lstrip(" ●•\u3000\t（(【[")
    if s.startswith(labels) or re.search(r"(责任编辑|编辑|审核|校对|发布时间|发布日期)[:：]", s):
        return "a byline, editor line or page label"
    return None


def _reporter(x: Sentence):
    if re.search(r"记者\S{0,12}(获悉|了解到|采访)|据\S{0,10}(介绍|了解|消息)|本报讯|讯（记者", x.simp):
        return "a reporter's phrase (记者获悉): the report, not a policy"
    return None


def _item_title(x: Sentence):
    m = re.match(r"\s*[（(][一二三四五六七八九十\d]+[)）]\s*(.{2,16}?)[。.]?\s*$", x.simp)
    return "the title of a numbered item (（一）开展…服务。); its sentences say the measure" if m else None


def _own_title(x: Sentence):
    title = document_title(x.lay.text)
    return (
        "the document's own title"
        if title and x.simp.strip().lstrip("#").strip().startswith(to_simplified(title))
        else None
    )


def _date_line(x: Sentence):
    if re.fullmatch(r"[\s\d年月日:：/.\-—（）()]+", x.simp.strip(" 。")):
        return "a date of publication"
    return None


MEASURE_SKIP_RULES: list[Rule[Sentence, str]] = [
    Rule("heading", "a heading states a topic, not a measure", _heading),
    Rule("byline", "bylines, editor lines, sources and page labels", _byline),
    Rule("salutation", "the salutation of a notice (各有关单位：)", _salutation),
    Rule("preamble", "why a policy is made (为深入贯彻…, 根据…) is not a measure", _preamble),
    Rule("reporter", "a reporter's phrase (记者获悉, 据介绍)", _reporter),
    Rule("date_line", "a date alone (2025年3月1日)", _date_line),
    Rule("item_title", "the short title of a numbered item, when sentences follow it", _item_title),
    Rule("own_title", "the title of the document itself (关于印发《…》的通知)", _own_title),
]


@cache
def _theme_names(path: Path) -> dict[str, str]:
    return {t["theme_id"]: t["name_en"] for t in read_table(path)} if path.is_file() else {}


def summary_en(verb: str, theme: str, sentence: str = "") -> str:
    """A draft English summary from the sentence: its verb and what it acts on (put into English word by word
    with the glossary), else its theme; marked [draft] for the analyst to complete."""
    at = sentence.find(verb)
    obj = re.split(r"[，。；,;：:]", sentence[at + len(verb) :])[0] if at >= 0 else ""
    words, covered = english(obj)
    if words and covered >= 0.5:
        return f"[draft] {VERB_EN.get(verb, 'Acts on')} {words}."
    names = _theme_names(paths.DATA_DIR / "themes.csv")
    return f"[draft] {VERB_EN.get(verb, 'Acts')} … ({names.get(theme, theme.replace('_', ' ')).lower()})."


def measures_of(lay: Layout, ctx: Context, numbered: set[int]) -> list[MeasureDraft]:
    """Sentences that take a policy action (a verb of ``cues.toml`` and a named programme or document)."""
    verbs = cues()["measure"]["verbs"]
    out, seen = [], set()
    for ss, se in lay.sentences:
        x = Sentence(lay, ss, se)
        if first_rule(MEASURE_SKIP_RULES, x):
            continue
        sent = x.simp
        verb = min((v for v in verbs if v in sent), key=sent.find, default=None)  # the first verb of the sentence
        opening = re.sub(r"^[\s●•（(]*[一二三四五六七八九十\d]+[)）、.．]\s*", "", sent)
        if not verb or not (re.search(r"[《“「]", sent) or opening.startswith(tuple(verbs))):
            continue  # a policy action: a verb and a named programme, or a sentence that opens with the verb
        a, b = ss, se
        while a < b and lay.text[a] in " ●•\u3000\t":
            a += 1
        if numbering := re.match(r"[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", lay.simp[a:b]):
            a += numbering.end()
        quote = lay.text[a:b].rstrip("。")
        if "\n" in quote:
            quote = quote.split("\n")[0]
        if len(quote) < 8 or quote in seen:
            continue
        seen.add(quote)
        place, reason = decide_region(ctx, a)
        par = lay.paragraph(a)[0]
        role_is_rec = "建议" in lay.simp[max(par, a - 3000) : b]
        theme = theme_of(sent)
        out.append(
            MeasureDraft(
                place.region_id if place else "",
                theme,
                quote,
                a,
                not role_is_rec,
                0.4 if place else 0.2,
                [f"policy verb {verb}", reason] + (["a recommendation, not adopted"] if role_is_rec else []),
                lay.line_of(a),
                summary_en(verb, theme, sent),
            )
        )
    return out
