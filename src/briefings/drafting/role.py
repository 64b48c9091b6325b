"""Role: the ordered rules that decide what a number is (target, recommendation, result, instrument,
structure, ranking), each with its reasons.

The first rule that answers decides. ``cue_score`` always answers: it weighs the target cues (a deadline,
力争, 目标 …) against the result cues (累计, 已, 同比 …) of the clause, the sentence and the item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .base import Rule, cues, first_rule
from .model import Reading
from .places import Context

LOOK_BACK = 3000
"""How far before a number (in characters) the statements that open a plan or a review are looked for."""


@dataclass
class RoleAnswer:
    role: str
    reasons: list[str] = field(default_factory=list)
    by_default: bool = False


@dataclass
class Subject:
    """A number read, in its context."""

    ctx: Context
    r: Reading

    @cached_property
    def clause(self) -> tuple[int, int]:
        return self.ctx.lay.clause(self.r.start)

    @cached_property
    def sentence(self) -> tuple[int, int]:
        return self.ctx.lay.sentence(self.r.start)

    @cached_property
    def item_start(self) -> int:
        return max(self.ctx.item(self.r.start)[0], self.r.start - LOOK_BACK)

    @cached_property
    def scored(self) -> RoleAnswer:
        return _score(self)


def count_cues(words, text: str) -> list[str]:
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


def _hinted(x: Subject):
    hint = x.r.role_hint
    if hint in ("structure", "ranking", "instrument"):
        return RoleAnswer(hint, [f"{hint}: {'; '.join(x.r.reasons[-1:]) or 'a count of the document'}"])
    return None


def _money_or_eligibility(x: Subject):
    cs, ce = x.clause
    clause = x.ctx.lay.simp[cs:ce]
    word = next((w for w in cues()["role"]["instrument_clause"] if w in clause), None)
    return (
        RoleAnswer("instrument", [f"instrument: {word} (money a policy provides, or who qualifies)"]) if word else None
    )


def _instrument(x: Subject):
    C = cues()["role"]
    simp = x.ctx.lay.simp
    cs, ce = x.clause
    after = simp[x.r.unit_end : ce]
    if any(w in simp[max(cs, x.r.start - 6) : x.r.start] for w in C["instrument_before"]) or any(
        after.startswith(w) or after[:6].find(w) >= 0 for w in C["instrument_after"]
    ):
        return RoleAnswer("instrument", ["instrument: a cap, subsidy or support amount"])
    return None


def _recommendation(x: Subject):
    if x.scored.role != "target":
        return None
    C = cues()["role"]
    lay, simp, istart, start = x.ctx.lay, x.ctx.lay.simp, x.item_start, x.r.start
    ps, _ = lay.paragraph(start)
    words = tuple(C["recommendation"])
    last = max(simp.rfind(w, istart, start) for w in words)
    shown = max(simp.rfind("显示", istart, start), simp.rfind("印发", istart, start))
    if any(w in simp[max(ps, start - LOOK_BACK) : start] for w in words) or (
        last >= 0 and last > shown and lay.paragraph(last)[0] + 2 >= last
    ):
        return RoleAnswer("recommendation", [*x.scored.reasons, "in a recommendation (建议)"], x.scored.by_default)
    return None


def _cue_score(x: Subject):
    return x.scored


def _score(x: Subject) -> RoleAnswer:
    """Target or result, by the cues of the clause (strong), the sentence and the item (weaker)."""
    C = cues()["role"]
    ctx, r = x.ctx, x.r
    lay, simp = ctx.lay, ctx.lay.simp
    cs, _ = x.clause
    ss, _ = x.sentence
    before_clause = simp[cs : r.start]
    reasons: list[str] = []
    t = res = 0.0
    deadlines = [w for w in ctx.times_between(ss, r.start) if w.kind == "deadline"]
    if deadlines:
        t += 4
        reasons.append(f"target: {deadlines[-1].text.strip()} in the sentence")
    th, rh = count_cues(C["target"], before_clause), count_cues(C["result"], before_clause)
    th2, rh2 = count_cues(C["target"], simp[ss:cs]), count_cues(C["result"], simp[ss:cs])
    t += 2 * len(th) + len(th2)
    res += 2 * len(rh) + len(rh2)
    if th or th2:
        reasons.append(f"target cue {'/'.join(th + th2)}")
    if rh or rh2:
        reasons.append(f"result cue {'/'.join(rh + rh2)}")
    ps, _ = lay.paragraph(r.start)
    if not deadlines and any(w.kind == "deadline" for w in ctx.times_between(max(ps, ss - LOOK_BACK), ss)):
        t += 2.5
        reasons.append("a deadline opens the paragraph")
    past = [w for w in ctx.times_between(ss, r.start) if w.kind == "year" and w.year < ctx.pub_year]
    if past and not deadlines:
        res += 2
        reasons.append(f"reported for {past[-1].text}")
    istart = x.item_start
    plan_at = max([simp.rfind(w, istart, ss) for w in C["plan_context"]] + [-1])
    review_words = [] if ctx.is_plan else C["review_context"]  # 累计建成…: in a plan, a cumulative goal
    review_at = max([simp.rfind(w, istart, ss) for w in review_words] + [-1])
    for w in ctx.times_between(istart, ss):
        if w.kind in ("deadline", "plan_span"):
            plan_at = max(plan_at, w.start)
        elif w.kind == "year" and w.year < ctx.pub_year:
            review_at = max(review_at, w.start)
    if plan_at > review_at:
        t += 1.5
        reasons.append("follows a plan statement")
    elif review_at > plan_at:
        res += 1.5
        reasons.append("follows a review of results")
    by_default = t == res
    if by_default and ctx.is_plan and not re.search(r"已|累计|目前|现有", simp[ss : r.start]):
        t += 1
        reasons.append("no cue, in a plan document: a goal")
    elif by_default:
        if re.match(r"\s*(打造|建设|培育|创建|实施|引育|新增|建|实现|支持|形成|推动|推进)", before_clause):
            t += 1
            reasons.append("imperative verb of a plan")
        else:
            res += 1
            reasons.append("no cue: read as reported")
    return RoleAnswer("target" if t > res else "result", reasons, by_default)


ROLE_RULES: list[Rule[Subject, RoleAnswer]] = [
    Rule(
        "money_or_eligibility",
        "fund sizes, credit quotas, relending, conditions and look-back windows of an application are instruments",
        _money_or_eligibility,
    ),
    Rule(
        "hinted", "the reading of the number decided it: a count of the document's parts, a rank, a threshold", _hinted
    ),
    Rule("instrument", "a cap, subsidy or support amount (最高…元, 给予…支持) is an instrument", _instrument),
    Rule("recommendation", "a goal inside a recommendation (建议) of a report is not adopted", _recommendation),
    Rule("cue_score", "target and result cue words of the clause, sentence and item, weighed", _cue_score),
]


def decide_role(ctx: Context, r: Reading) -> tuple[str, list[str], bool]:
    """target, recommendation, result, instrument, structure or ranking, with the reasons; bool: by default."""
    got = first_rule(ROLE_RULES, Subject(ctx, r))
    assert got is not None  # cue_score always answers
    answer = got[1]
    return answer.role, answer.reasons, answer.by_default
