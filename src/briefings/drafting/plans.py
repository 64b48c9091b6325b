"""Plans: the documents a text names in 《》, the plan the text itself is or issues, and the plan of a goal.

A text that is a plan or issues one (a government's 通知, 方案, 计划, 意见 …) is the plan its goals belong to;
a document it only cites (根据, 贯彻落实《…》) stays a citation and owns no goal; a goal whose text names no
plan gets the text's own document as a drafted plan row, for the analyst to confirm.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .base import YEAR, cues, to_simplified
from .layout import Layout
from .model import PlanDraft
from .places import Context, countries
from .region import decide_region

CITED_BEFORE = re.compile(r"(根据|按照|依据|贯彻|落实|对照|参照|衔接|遵循|对标|《)\S{0,4}$")
ISSUED_HERE = re.compile(r"(现将|特制定|制定本|特印发|现印发|^\s*关于印发)")
PLAN_WORDS = ("方案", "计划", "规划", "意见", "办法", "措施", "通知", "纲要", "行动", "工程", "政策", "细则")
ENGLISH = {
    "行动计划": "Action Plan",
    "行动方案": "Action Plan",
    "实施方案": "Implementation Plan",
    "工作方案": "Work Plan",
    "三年行动计划": "Three-Year Action Plan",
    "实施意见": "Implementing Opinions",
    "指导意见": "Guiding Opinions",
    "规划": "Plan",
    "通知": "Notice",
    "管理办法": "Administrative Measures",
    "若干措施": "Measures",
}


@lru_cache(maxsize=8)
def document_title(text: str) -> str:
    """The document's own title: its first heading or line that is not a salutation, label or byline."""
    labels = tuple(cues()["layout"]["metadata_labels"])
    for line in text[:8000].splitlines()[:40]:
        s = line.strip().lstrip("#").strip()
        if not s or len(s) > 120 or s.startswith(labels) or re.search(r"[:：]\s*$", s) or s.startswith("各"):
            continue
        if re.fullmatch(r"[\d\s\-年月日:：/.]+", s):
            continue
        return s
    return ""


def title_en(title_zh: str) -> str:
    """A draft English title: the kind of document (Action Plan, Notice …), marked as a draft to complete."""
    simp = to_simplified(title_zh)
    span = re.search(YEAR + r"\s*[—–\-－~～至到]\s*" + YEAR, simp)
    core = re.sub(r"[（(]?\s*" + YEAR + r"\s*[—–\-－~～至到]\s*" + YEAR + r"\s*年?\s*[)）]?\s*$", "", simp).rstrip()
    kind = next((en for zh, en in sorted(ENGLISH.items(), key=lambda kv: -len(kv[0])) if core.endswith(zh)), "Document")
    return f"[draft] {kind}" + (f" ({span[1]}–{span[2]})" if span else "")


def plans_of(lay: Layout, ctx: Context, known_ids: set[str]) -> list[PlanDraft]:
    """Documents named in 《》 that the text issues, puts forward or cites, with their aliases (简称)."""
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
        plan = _plan(lay, ctx, m.start(), m.end(), lay.text[m.start() + 1 : m.end() - 1], known_ids)
        if CITED_BEFORE.search(simp[max(ss, m.start() - 8) : m.start()]):
            aliases[title] = plan
            continue  # only cited (根据, 贯彻落实《…》): a citation, not a plan of this text
        elif ISSUED_HERE.search(sentence) or (lay.is_heading(m.start()) and "印发" in simp[ss : m.start()]):
            plan.how = "issued"
            plan.reasons.append("issued by this text (印发, 现将…)")
        plans.append(plan)
        aliases[title] = plan
        if alias:
            plan.aliases.append(alias.group(1))
            aliases[alias.group(1)] = plan
    return plans


def own_plan(lay: Layout, ctx: Context, known_ids: set[str]) -> PlanDraft | None:
    """The text's own document as a plan, from its title, when it names a document (方案, 通知, 计划 …)."""
    title = document_title(lay.text)
    if not title:
        return None
    start = lay.text.find(title)
    inner = re.search(r"《([^》]+)》", title)
    if inner:
        return None  # 关于印发《…》的通知: the plan in 《》 is issued by the text
    plan = _plan(lay, ctx, start, start + len(title), title, known_ids, quote=title)
    if is_plan_title(title):
        plan.how = "own"
        plan.reasons.append("the text is itself a plan or notice: its goals belong to it")
    else:
        plan.how = "unnamed"
        plan.reasons.append("the text names no plan: drafted from its title; give the plan its goals belong to")
    return plan


def is_plan_title(title: str) -> bool:
    """A title that names a government document: …方案, …计划, …意见, …通知 (with a span of years or not)."""
    core = re.sub(
        r"[（(]?\s*" + YEAR + r"\s*[—–\-－~～至到]\s*" + YEAR + r"\s*年?\s*[)）]?\s*$", "", to_simplified(title)
    )
    return core.rstrip().endswith(PLAN_WORDS)


def _plan(lay: Layout, ctx: Context, a: int, b: int, title: str, known_ids: set[str], quote: str = "") -> PlanDraft:
    simp = to_simplified(title)
    place, _ = decide_region(ctx, a)
    region = place.region_id if place else next((p.region_id for p in countries(ctx)), "")
    span = re.search(YEAR + r"\s*[—–\-－~～至到]\s*" + YEAR, simp)
    years = [int(y) for y in re.findall(YEAR + "年", simp)]
    ss, _ = lay.sentence(a)
    issued = ""
    if d := re.search(YEAR + r"年(\d{1,2})月", lay.simp[ss:a]):
        issued = f"{d[1]}-{int(d[2]):02d}"
    tag = f"{span[1]}-{span[2]}" if span else (str(years[-1]) if years else "")
    words = re.sub(r"[^a-z]+", "-", re.sub(r"\(.*\)", "", title_en(title)).lower().replace("[draft]", "")).strip("-")
    pid = "-".join(x for x in (region, words, tag) if x) or "plan"
    base, k = pid, 2
    while pid in known_ids:
        pid, k = f"{base}-{k}", k + 1
    known_ids.add(pid)
    if not quote:
        q0, q1 = lay.clause(a)[0], max(lay.clause(a)[1], b)
        quote = lay.text[q0:q1]
    return PlanDraft(
        pid,
        region,
        title,
        int(span[1]) if span else None,
        int(span[2]) if span else None,
        issued,
        quote,
        a,
        line=lay.line_of(a),
    )


class PlanFinder:
    """The plan a goal belongs to: the nearest plan named before it in its item that is not only cited, else
    the plan the text issues, else the text's own document."""

    def __init__(self, simp: str, plans: list[PlanDraft], own: PlanDraft | None):
        self.own = own
        self.issued = next((p for p in plans if p.how == "issued"), None)
        mentions: list[tuple[int, PlanDraft]] = []
        for p in plans:
            if p.how == "cited":
                continue
            for name in {to_simplified(n) for n in [p.title_zh, *p.aliases]}:
                mentions += [(m.start(), p) for m in re.finditer(re.escape(f"《{name}》"), simp)]
        mentions.sort(key=lambda t: t[0])
        self.at = [t[0] for t in mentions]
        self.plans = [t[1] for t in mentions]

    def find(
        self, pos: int, istart: int, goal: bool = True, sentence: tuple[int, int] = (0, 0)
    ) -> tuple[PlanDraft | None, str]:
        """The plan of the number at ``pos``: for a goal, the plan named last before it in its item; for an
        instrument or a structure count, the plan named in its sentence (7部门联合印发《…》), else the same."""
        if not goal:
            k = bisect.bisect_left(self.at, sentence[0])
            if k < len(self.at) and self.at[k] < sentence[1]:
                return self.plans[k], f"plan {self.plans[k].title_zh[:20]} named in the sentence"
        k = bisect.bisect_left(self.at, pos) - 1
        if k >= 0 and self.at[k] >= istart:
            return self.plans[k], f"plan {self.plans[k].title_zh[:20]} named before"
        if not goal and not (self.own and self.own.how == "own"):
            return (
                (self.issued, f"plan {self.issued.title_zh[:20]}, issued by this text") if self.issued else (None, "")
            )
        if self.issued:
            return self.issued, f"plan {self.issued.title_zh[:20]}, issued by this text"
        if self.own:
            return self.own, f"plan {self.own.title_zh[:20]}: the text itself (confirm)"
        return None, ""
