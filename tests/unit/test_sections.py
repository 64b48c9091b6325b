"""The sections of a briefing are declared once (sections.py); notebooks, assembly and contents follow."""

from __future__ import annotations

import ast

import nbformat
import pytest

from briefings import build, paths, sections
from briefings import notebook as bn
from briefings.i18n import catalogue, langs

from ..conftest import ROOT


def _section_calls(source: str) -> list[str]:
    """The ids of the ``bn.section(ctx, "...")`` calls of a cell's source, in order."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "section":
            calls.append(node.args[1].value)
    return calls


@pytest.mark.parametrize("name", paths.BRIEFING_NOTEBOOKS)
def test_each_notebook_shows_its_declared_sections_in_order_and_nothing_else(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    shown = []
    for cell in nb.cells:
        if cell.cell_type != "code" or {"parameters", "setup", "standalone", "analyst-note"} & set(
            cell.metadata.get("tags", [])
        ):
            continue
        calls = _section_calls(cell.source)
        assert len(calls) == 1 and cell.source.strip().startswith("bn.section("), (name, cell.source)
        shown += calls
    assert shown == [s.id for s in sections.in_notebook(name)]


def test_the_assembled_briefing_shows_every_declared_section_once_in_order():
    nb = build.assemble()
    calls = [i for c in nb.cells if c.cell_type == "code" for i in _section_calls(c.source)]
    assert calls == [s.id for s in sections.SECTIONS]
    parts = [c.metadata["briefings"].get("part") for c in nb.cells if c.metadata["briefings"].get("part")]
    assert parts == ["title", "contents"]


def test_every_declared_section_has_its_function_heading_and_intro_in_every_language():
    ids = [s.id for s in sections.SECTIONS]
    assert len(ids) == len(set(ids))
    for s in sections.SECTIONS:
        assert callable(getattr(bn, s.builds, None)), s
        assert s.level in (2, 3) and s.notebook in (*paths.BRIEFING_NOTEBOOKS, sections.FRONT, sections.BACK)
        for lang in langs():
            assert s.heading in catalogue(lang) and (not s.intro or s.intro in catalogue(lang)), (lang, s)


def test_contents_nest_sub_sections_under_their_part_and_leave_out_what_was_not_shown():
    shown = {"findings": "Key findings", "curated": "1. Facts", "targets": "Targets", "plans": "Plans", "method": "M"}
    toc = sections.contents(shown)
    assert [p["id"] for p in toc] == ["findings", "curated", "method"]
    assert [c["id"] for c in toc[1]["children"]] == ["targets", "plans"]
    assert toc[1]["title"] == "1. Facts" and not toc[0]["children"]
    assert sections.contents({}) == []


def test_an_unknown_section_is_one_line_that_names_the_declaration():
    with pytest.raises(bn.SectionError) as exc:
        bn.section(None, "no-such-section")
    assert str(exc.value) == "unknown section 'no-such-section': declare it in briefings/sections.py"


@pytest.mark.parametrize("region", ["hebei", "shanghai"])
def test_an_optional_section_with_nothing_to_show_leaves_no_heading(fb, monkeypatch, region):
    from briefings.payload import SECTION_MIME
    from briefings.report import Context

    shown: list[tuple[str, dict | None]] = []
    monkeypatch.setattr(bn, "show", lambda block, payload=None: shown.append((str(block.html()), payload)))
    ctx = Context(fb, region, "en", None, "figures")
    optional = [s for s in sections.SECTIONS if s.optional]
    assert optional
    for s in optional:
        shown.clear()
        bn.section(ctx, s.id)
        blocks = getattr(bn, s.builds)(ctx, *s.args)
        assert bool(shown) == bool(blocks), s.id
        if shown:
            assert shown[0][1] == {SECTION_MIME: {"id": s.id, "title": ctx.tr(s.heading, region=ctx.name)}}
            assert f'id="{s.id}"' in shown[0][0]
