"""The PDF of a briefing: its document model (``document.py``), collected from the executed notebook,
typeset by the Typst template ``templates/typst/briefing.typ`` through the ``typst`` package.

The document goes to Typst as JSON data (a ``sys.inputs`` string), never as markup: whatever a quote or a
summary holds (``#``, ``$``, ``*``, ``[``, ``\\``, ``@``, ``<``, ``"``) prints as written and runs nothing.
The fonts are the installed Noto files (``system.print_fonts``) and no others, and the PDF's date is the
briefing's as-of date, so the same document gives the same bytes.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path

from . import paths
from .payload import DOC_MIME

TEMPLATE = paths.TEMPLATES_DIR / "typst" / "briefing.typ"
PDF_STANDARDS = ["ua-1", "a-2a"]
"""PDF/UA-1 (tagged, with a title, alt text for every chart, headings in order) and PDF/A-2a (for archives)."""


class TypesetError(RuntimeError):
    """Typst could not typeset a document."""


def blocks_of(nb, parts: dict[str, dict]) -> list[dict]:
    """The blocks of an executed briefing in reading order: each cell's block outputs, and for a cell the
    build fills (``metadata.briefings.part``: the title, the contents) the build's own block."""
    blocks = []
    for cell in nb.cells:
        part = cell.metadata.get("briefings", {}).get("part")
        if part:
            blocks.append(parts[part])
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") in ("display_data", "execute_result") and DOC_MIME in data:
                blocks.append(data[DOC_MIME])
    return blocks


@cache
def _compiler():
    """One Typst compiler per process: the fonts are read once, then every briefing reuses them. Typst is
    given the folders of the Noto files (``system.print_fonts``) and no system font, so a missing glyph
    fails the build instead of falling back to a font of Typst's own."""
    import typst

    from .system import print_fonts

    folders = list(dict.fromkeys(str(Path(f).parent) for f in print_fonts()))
    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=folders, ignore_system_fonts=True)


@cache
def _covered() -> frozenset[int]:
    """Every character the fonts of the PDF can draw (their cmaps, read once per process)."""
    from fontTools.ttLib import TTCollection, TTFont

    from .system import CJK_FAMILY, print_fonts

    covered: set[int] = set()
    for file in print_fonts():
        if file.endswith(".ttc"):
            faces = TTCollection(file, lazy=True).fonts
            faces = [f for f in faces if f["name"].getDebugName(1) == CJK_FAMILY] or faces[:1]
        else:
            faces = [TTFont(file, lazy=True)]
        for face in faces:
            covered |= set(face.getBestCmap())
    return frozenset(covered)


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, v in value.items():
            if key != "svg":  # a chart's text is drawn by matplotlib with the same fonts, which warns itself
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def missing_glyphs(document: dict) -> list[str]:
    """The characters of ``document`` that no font of the PDF has (a blank box in print: a bug)."""
    covered = _covered()
    chars = {c for s in _strings(document["blocks"]) for c in s if ord(c) not in covered and not c.isspace()}
    return sorted(chars)


def typeset(document: dict, target: Path) -> None:
    """Write the PDF of ``document`` (``{"meta": …, "blocks": […]}``) to ``target``."""
    if missing := missing_glyphs(document):
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
        raise TypesetError(f"no font of the PDF has {shown}: change the text or add a font to system.PRINT_FONTS")
    inputs = {"document": json.dumps(document, ensure_ascii=False)}
    try:
        pdf = _compiler().compile(sys_inputs=inputs, pdf_standards=PDF_STANDARDS)
    except Exception as exc:  # typst raises its own error types, one per kind of failure
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        kept = paths.BUILD_DIR / "logs" / f"document-{target.stem}.json"  # for the analyst who reads the log
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(inputs["document"], encoding="utf-8")
        print(f"typst: {exc} (the document: {kept})", file=sys.stderr)
        raise TypesetError(f"the PDF could not be typeset: {first}") from None
    target.write_bytes(pdf)


WARM_UP = {
    "meta": {
        "title": "Briefing",
        "author": "",
        "description": "",
        "keywords": [],
        "as_of": "2024-01-01",
        "running_head": "",
        "print": {"lang": "en", "region": "gb", "hyphenate": True, "fonts": ["Noto Sans", "Noto Sans CJK SC"]},
    },
    "blocks": [{"type": "paragraphs", "css": "", "paragraphs": [[["text", "Briefing 简报 "], ["num", "1,432 ％"]]]}],
}
"""Typeset once per build worker, so that the first briefing finds the fonts loaded."""


def warm_up() -> None:
    """Read the fonts and their cmaps once, before the first briefing."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        typeset(WARM_UP, Path(tmp) / "warm-up.pdf")
