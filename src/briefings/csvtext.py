"""The one module that reads CSV tables: a table of ``data/`` as text, strictly (UTF-8 without BOM, LF line
endings, not empty), and CSV text as rows of dictionaries or as a DataFrame of strings.

Kept free of pandas at import (it is imported only when a DataFrame is asked for), so that the fast paths (a
rebuild with nothing changed, ``briefings regions``) give the same one-line messages as the full loader.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import paths


class DataError(ValueError):
    """The fact base is invalid; the message names file, row and column of every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        head = problems[0]
        n = len(problems) - 1
        more = f" (and {n} more problem{'s' if n != 1 else ''})" if n else ""
        super().__init__(head + more)


def display_name(path: Path) -> str:
    """``data/x.csv`` as the user knows it, also when read from a build's snapshot of ``data/``."""
    text = str(path)
    for base in (paths.DATA_DIR.parent, paths.ROOT):  # as ``relative_to``, with strings (asked for every input)
        if text == str(base):
            return "."
        head = str(base).rstrip("/") + "/"
        if text.startswith(head):
            return text[len(head) :]
    return text


def decode_table(path: Path) -> str:
    """The text of a CSV file, or a ``DataError`` naming the file, row and what to fix."""
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([f"{name}: file is missing"]) from None
    except OSError as exc:
        raise DataError([f"{name}: cannot be read ({exc.strerror})"]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError([f"{name}, row 1, column 1: file starts with a byte-order mark; save it as UTF-8 without BOM"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            [
                f"{name}, row {line}: not valid UTF-8 (byte {exc.start}; GBK or another "
                "encoding?); save the file as UTF-8"
            ]
        ) from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        raise DataError([f"{name}, row {line}: Windows (CRLF) line ending; save the file with LF line endings"])
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise DataError([f"{name}: file is empty; it needs a header row and at least one row of data"])
    if len(lines) == 1:
        raise DataError([f"{name}: has a header but no rows of data"])
    return text


def parse_rows(text: str) -> list[dict[str, str]]:
    """CSV text as rows of column → text (the standard library's reader; ``csv.Error`` on broken quoting)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def header(text: str) -> list[str]:
    """The column names of CSV text (its first row; none for empty text)."""
    return next(csv.reader(io.StringIO(text, newline="")), [])


def read_rows(path: Path) -> list[dict[str, str]]:
    """A table of ``data/`` read strictly (:func:`decode_table`), as rows of column → text."""
    return parse_rows(decode_table(path))


def read_text_rows(path: Path) -> list[dict[str, str]]:
    """A UTF-8 CSV file of the package or a copy of ``data/`` as rows (no check of its line endings)."""
    return parse_rows(Path(path).read_bytes().decode("utf-8"))


def read_frame(text: str, name: str):
    """CSV text as a DataFrame of strings, nothing read as missing; ``DataError`` names ``name`` when the text
    cannot be parsed."""
    import pandas as pd

    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as exc:
        raise DataError([f"{name}: cannot be parsed as CSV ({exc})"]) from None
