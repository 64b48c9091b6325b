"""The indicator vocabulary: each indicator's names and synonyms in both scripts, its tier and level, and the
glossary that names a new indicator in English.

The vocabulary is ``data/indicator_terms.csv`` (declared in ``schema.py``, validated and published with the
fact base), joined with ``data/indicators.csv`` for unit and kind; an indicator without a row there is known by
its Chinese name alone. The glossary (``reference/glossary.csv``) is general Chinese → English wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import paths
from .base import read_table, to_simplified

TIER_WORDS = {"国家级": "national", "省级": "provincial", "市级": "municipal"}
LEVEL_WORDS = {"基础级": "basic", "先进级": "advanced", "卓越级": "excellent", "领航级": "leading"}
LEVEL_TIER = {
    "country": "national",
    "province": "provincial",
    "autonomous region": "provincial",
    "municipality": "provincial",
    "special administrative region": "provincial",
    "prefecture": "municipal",
}
"""The tier of a region's own recognitions: a municipality's 市级 is the provincial tier of the national system."""


@dataclass(frozen=True)
class Entry:
    """One indicator as the vocabulary knows it."""

    indicator_id: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    theme: str
    terms: tuple[str, ...]  # Simplified, longest first
    tier: str
    level: str


def norm(text: str) -> str:
    """A phrase as terms are matched: Simplified, no quotation marks, spaces or 的, 规模以上 as 规上."""
    return re.sub(r"[“”「」‘’\"'\s的]", "", to_simplified(text)).replace("规模以上", "规上")


def entries(indicators: list[dict[str, str]], terms: list[dict[str, str]] | None = None) -> list[Entry]:
    """The vocabulary of ``indicators``, with their rows of ``indicator_terms.csv`` (read from data/ if not given)."""
    if terms is None:
        terms = _terms(paths.DATA_DIR / "indicator_terms.csv")
    by_id = {t["indicator_id"]: t for t in terms}
    out = []
    for ind in indicators:
        row = by_id.get(ind["indicator_id"], {})
        words = [ind["name_zh"], *(row.get("terms_zh") or "").split("|"), *(row.get("terms_zh_hant") or "").split("|")]
        found = sorted({_bare(w) for w in words if _bare(w)}, key=len, reverse=True)
        out.append(
            Entry(
                ind["indicator_id"],
                ind["name_zh"],
                ind.get("name_en", ""),
                ind.get("unit", ""),
                ind.get("kind", ""),
                ind.get("theme", ""),
                tuple(found),
                row.get("tier", ""),
                row.get("level", ""),
            )
        )
    return out


def _bare(term: str) -> str:
    """A term as matched: normalised, without tier and level words (the entry's tier and level say them)."""
    return re.sub("|".join([*TIER_WORDS, *LEVEL_WORDS]), "", norm(term))


def _terms(path: Path) -> list[dict[str, str]]:
    """The rows of the vocabulary file, read again whenever it changes (accept adds to it)."""
    if not path.is_file():
        return []
    st = path.stat()
    return _terms_at(path, st.st_mtime_ns, st.st_size)


@cache
def _terms_at(path: Path, mtime_ns: int, size: int) -> list[dict[str, str]]:
    return read_table(path)


@cache
def glossary() -> list[tuple[str, str]]:
    """Chinese words and their English, longest first."""
    rows = read_table(paths.PACKAGE_DIR / "reference" / "glossary.csv")
    return sorted(((r["zh"], r["en"]) for r in rows), key=lambda t: -len(t[0]))


def english(phrase: str) -> tuple[str, float]:
    """The phrase in English, word by word from the glossary, and the share of its characters covered."""
    text, words, covered, i = norm(phrase), [], 0, 0
    table = glossary()
    while i < len(text):
        hit = next(((zh, en) for zh, en in table if text.startswith(zh, i)), None)
        if hit:
            if not words or words[-1] != hit[1]:
                words.append(hit[1])
            covered += len(hit[0])
            i += len(hit[0])
        else:
            i += 1
    return " ".join(words), covered / max(1, len(text))


def tier_and_level(text: str) -> tuple[str, str]:
    """The tier (国家级, 省级, 市级) and level (基础级 … 领航级) a phrase names, nearest the end."""
    tier = level = ""
    at_t = at_l = -1
    for w, t in TIER_WORDS.items():
        i = text.rfind(w)
        if i > at_t:
            tier, at_t = t, i
    for w, lv in LEVEL_WORDS.items():
        i = text.rfind(w)
        if i > at_l:
            level, at_l = lv, i
    return tier, level
