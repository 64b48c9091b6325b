"""Layout of a text: lines, headings, logical paragraphs, sentences and clauses, by position."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .base import CLAUSE_END, FINAL, SENTENCE_END


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


LONGEST_SENTENCE = 1000
"""A run of text without a full stop (a page scraped without punctuation) is cut at a clause after this many
characters, so that what is read per number stays bounded and drafting time linear."""


def _is_heading(line: str) -> bool:
    s = line.strip()
    if s.startswith("#"):
        return True
    if re.match(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]", s) and len(s) <= 30:
        return not re.search(r"[，。；！？,;]", s)  # 二、重点任务: a numbered section heading
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
            if simp[i] in SENTENCE_END or i == b - 1 or (i - s >= LONGEST_SENTENCE and simp[i] in CLAUSE_END):
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
