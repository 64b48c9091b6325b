"""Sorted, non-overlapping spans of a text, looked up by position in logarithmic time."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class Spans(Generic[T]):
    """Spans ``(start, end)`` with a payload each; ``at(pos)`` finds the span containing a position.

    Overlapping spans keep the first given (the texts' title, quote and time spans do not nest).
    """

    def __init__(self, items: Iterable[tuple[int, int, T]]):
        self.starts: list[int] = []
        self.items: list[tuple[int, int, T]] = []
        end = -1
        for a, b, x in sorted(items, key=lambda t: (t[0], -t[1])):
            if a >= end:
                self.starts.append(a)
                self.items.append((a, b, x))
                end = b

    def at(self, pos: int) -> tuple[int, int, T] | None:
        """The span containing ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.items[i][0] <= pos < self.items[i][1]:
            return self.items[i]
        return None

    def between(self, a: int, b: int) -> list[tuple[int, int, T]]:
        """The spans that start in ``[a, b)``, in order."""
        return self.items[bisect.bisect_left(self.starts, a) : bisect.bisect_left(self.starts, b)]
