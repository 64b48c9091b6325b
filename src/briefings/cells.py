"""Cells that cannot run: text a spreadsheet would read as a formula, neutralised on the way out and refused
on the way in.

OWASP's rule for CSV injection: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and LibreOffice (``=HYPERLINK(…)``, ``@SUM(…)``). Every CSV the project writes
for people (review sheets, the published tables, chart data and the zip) gets such a cell prefixed with a
single quote, which a spreadsheet shows as text; a plain number (``-3.5``) and a lone sign (the qualifier
``=``) are left alone, since neither can run anything. Text typed by a user for ``data/`` (a title, a summary)
is refused with one line instead, and a verbatim quote loses its leading formula characters (it stays a
substring of its seed).
"""

from __future__ import annotations

import csv
import io
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def is_formula(text: str | None) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula (OWASP's list of leading characters)."""
    return bool(text) and len(text) > 1 and text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text)


def neutralise(text: str | None) -> str:
    """``text`` as a spreadsheet shows it as text: a formula gets a leading single quote."""
    text = "" if text is None else str(text)
    return "'" + text if is_formula(text) else text


def unneutralise(text: str) -> str:
    """Undo ``neutralise`` (a sheet read back by ``accept``)."""
    return text[1:] if text.startswith("'") and is_formula(text[1:]) else text


def strip_formula(text: str) -> str:
    """``text`` without the leading characters that would make it a formula (a quote stays a substring)."""
    while is_formula(text):
        text = text[1:].lstrip(" ")
    return text


def refuse_formula(where: str, text: str | None) -> None:
    """One line (``SheetError``) when text meant for ``data/`` would run as a formula in a spreadsheet."""
    if is_formula(text or ""):
        from .sheet import SheetError

        raise SheetError(
            f"{where}: {text[:40]!r} starts with {text[0]!r}, which a spreadsheet runs as a formula; "
            "remove the leading character"
        )


def neutralise_csv(raw: bytes) -> bytes:
    """A CSV file for people with every formula cell neutralised; the same bytes when there is none."""
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not any(is_formula(c) for row in rows for c in row):
        return raw
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if "\r\n" in text else "\n").writerows(
        [[neutralise(c) for c in row] for row in rows]
    )
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    return (bom + buf.getvalue()).encode("utf-8")
