"""What every drafting module shares: the cue words, the Simplified copy, reference tables, named rules."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from .. import paths
from ..csvtext import read_text_rows
from ..numbers import WrittenNumberError, parse_written

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
    "rank": "rank",
    "points": "points",
}
TARGET_ROLES = ("target", "recommendation")
FINAL = "。！？!?；;：:”’」』）)】…"
CN_DIGITS = "零〇一二两兩三四五六七八九十百千"
SENTENCE_END = "。！？!?"
CLAUSE_END = "，,；;：:\n"
YEAR = r"((?:19|20)\d{2})"

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(frozen=True)
class Rule(Generic[In, Out]):
    """One named rule of a decision: ``apply`` gives its answer, or None when the rule does not apply."""

    name: str
    reason: str
    apply: Callable[[In], Out | None]


def first_rule(rules: Sequence[Rule[In, Out]], subject: In) -> tuple[Rule[In, Out], Out] | None:
    """The first rule of an ordered list that applies to ``subject``, with its answer."""
    for rule in rules:
        got = rule.apply(subject)
        if got is not None:
            return rule, got
    return None


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


def read_table(path: Path) -> list[dict[str, str]]:
    """A CSV of ``data/`` as dictionaries (standard library only)."""
    return read_text_rows(path)


def divisions() -> list[dict[str, str]]:
    """China's provinces and prefecture-level divisions (``reference/divisions.csv``)."""
    return read_table(paths.PACKAGE_DIR / "reference" / "divisions.csv")


def longest(text: str, words) -> str | None:
    """The longest of ``words`` that ``text`` starts with."""
    best = None
    for w in words:
        if text.startswith(w) and (best is None or len(w) > len(best)):
            best = w
    return best


def ends_with(text: str, words) -> str | None:
    """The longest of ``words`` that ``text`` ends with."""
    best = None
    for w in words:
        if text.endswith(w) and (best is None or len(w) > len(best)):
            best = w
    return best


def inside(pos: int, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The span of ``spans`` containing ``pos``."""
    for a, b in spans:
        if a <= pos < b:
            return (a, b)
    return None


def safe_value(written: str, unit: str) -> float | None:
    """The value of a written number, or None when it cannot be read."""
    try:
        return parse_written(written, unit)
    except (WrittenNumberError, ValueError, ZeroDivisionError):
        return None
