"""The PDF typesetter (``typeset.py`` and ``templates/typst/briefing.typ``) on tiny documents."""

from __future__ import annotations

import copy
import subprocess

import pytest

from briefings import document as doc
from briefings import paths, typeset
from briefings.i18n import locale

HOSTILE = 'a #let x = 1 $x^2$ *bold* _em_ [link] \\ @ref <label> "quoted" `raw` = heading // not a comment'
"""Everything Typst markup would act on: printed as written, run as nothing."""


def _meta(lang: str = "en") -> dict:
    return {
        "title": "T",
        "author": "A",
        "description": "D",
        "keywords": ["k"],
        "as_of": "2024-05",
        "running_head": "R",
        "print": locale(lang).typeset,
    }


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf(tmp_path, blocks, lang="en"):
    target = tmp_path / "t.pdf"
    typeset.typeset(doc.document(blocks, _meta(lang)), target)
    return target


def test_text_that_looks_like_markup_prints_as_written(tmp_path):
    blocks = [
        doc.Heading(level=2, id="h", title=HOSTILE),
        doc.Paragraphs([doc.Rich.of(HOSTILE) + doc.run("num", "#1,000")]),
        doc.Table(
            caption=HOSTILE,
            columns=["c", "q"],
            rows=[[HOSTILE, doc.run("glossed", HOSTILE, HOSTILE, True, "en", "none")]],
            roles=["text", "quote"],
        ),
    ]
    text = " ".join(_text(_pdf(tmp_path, blocks)).split())
    for piece in HOSTILE.split():
        assert piece in text, piece
    assert text.count("#let") == 6 and "#1,000" in text


def test_the_same_document_gives_the_same_bytes(tmp_path):
    blocks = [doc.Paragraphs(["Robots 500 by 2027, 上海市"])]
    first = _pdf(tmp_path, blocks).read_bytes()
    assert _pdf(tmp_path, copy.deepcopy(blocks)).read_bytes() == first


def test_an_unknown_inline_kind_or_block_fails_with_one_line(tmp_path):
    with pytest.raises(ValueError, match="unknown inline kind"):
        doc.run("blink", "x")
    bad = doc.document([doc.Paragraphs(["x"])], _meta())
    bad["blocks"][0]["type"] = "marquee"
    with pytest.raises(typeset.TypesetError, match=r"^the PDF could not be typeset: ") as exc:
        typeset.typeset(bad, tmp_path / "bad.pdf")
    assert "\n" not in str(exc.value) and not (tmp_path / "bad.pdf").exists()


def test_a_glyph_no_font_has_fails_the_pdf_instead_of_printing_a_blank(tmp_path):
    with pytest.raises(typeset.TypesetError, match=r"no font of the PDF has .*U\+13000"):
        _pdf(tmp_path, [doc.Paragraphs(["\U00013000"])])  # an Egyptian hieroglyph: in no Noto font we use


def test_the_pdf_carries_its_metadata_and_is_tagged(tmp_path):
    info = subprocess.run(["pdfinfo", str(_pdf(tmp_path, [doc.Paragraphs(["x"])]))], capture_output=True, text=True)
    assert "Title:           T" in info.stdout and "Tagged:          yes" in info.stdout
    assert "Keywords:        k" in info.stdout and "CreationDate:    Wed May  1" in info.stdout


def _rows(table: str, pages: list[int]) -> list[dict]:
    return [{"table": table, "row": i, "page": p} for i, p in enumerate(pages)]


def test_a_lone_first_row_moves_its_table_and_a_lone_last_row_takes_one_with_it():
    assert typeset.lone_rows(_rows("3", [1, 2, 2, 2]), {}) == {"3": {"before": True}}
    assert typeset.lone_rows(_rows("3", [1, 1, 1, 1, 2]), {}) == {"3": {"split": 3}}
    assert typeset.lone_rows(_rows("3", [1, 1, 2]), {}) == {"3": {"before": True}}  # too short to split
    assert typeset.lone_rows(_rows("3", [1, 1, 2, 2]) + _rows("4", [3, 3]), {}) == {}


def test_lone_rows_are_found_from_the_first_two_and_last_two_rows_alone():
    marks = [{"table": "7", "row": i, "rows": 40, "page": p} for i, p in ((0, 3), (1, 3), (38, 4), (39, 5))]
    assert typeset.lone_rows(marks, {}) == {"7": {"split": 38}}
    marks[0]["page"] = 2
    assert typeset.lone_rows(marks, {}) == {"7": {"before": True}}
    assert typeset.lone_rows([{**m, "page": 3} for m in marks], {}) == {}


def test_only_the_first_lone_row_is_mended_and_later_mends_are_dropped():
    rows = _rows("1", [1, 1, 1]) + _rows("2", [1, 2, 2]) + _rows("5", [4, 5, 5])
    earlier = {"1": {"split": 1}, "5": {"before": True}}
    assert typeset.lone_rows(rows, earlier) == {"1": {"split": 1}, "2": {"before": True}}
    assert typeset.lone_rows(_rows("2", [1, 2, 2]), {"2": {"before": True}}) == {}  # tried once


def test_each_pdf_is_typeset_in_a_child_whose_death_is_one_line(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path / "build")
    monkeypatch.setattr(typeset, "_standby", None)
    monkeypatch.setattr(typeset, "_keep_standby", False)
    real = typeset.CHILD
    monkeypatch.setattr(typeset, "CHILD", (sys.executable, "-c", "import os; os.kill(os.getpid(), 9)"))
    with pytest.raises(typeset.TypesetError, match=r"^the PDF typesetter died \(out of memory, or killed\)$"):
        typeset.Typesetting({"document": "{}"}, tmp_path / "x.pdf").wait()
    monkeypatch.setattr(typeset, "CHILD", real)
    with pytest.raises(typeset.TypesetError, match=r"^the PDF could not be typeset: .+"):
        typeset.Typesetting({"document": "{}"}, tmp_path / "x.pdf").wait()  # a document without its parts
    assert (tmp_path / "build" / "logs" / "document-x.json").read_text() == "{}"  # kept for the analyst
    typeset.warm_up()  # the fonts' cmaps, read once per process, are not what this measures
    before = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
    _pdf(tmp_path, [doc.Paragraphs(["Robots 500 by 2027 " * 100])])
    after = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
    assert after - before < 20_000  # kB: Typst's memory stays in the child


def test_a_typesetter_serves_one_document_after_another_until_it_has_grown(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path / "build")
    monkeypatch.setattr(typeset, "_standby", None)
    monkeypatch.setattr(typeset, "_keep_standby", False)  # as it was, after the test
    typeset.keep_standby()
    first = typeset._standby
    assert first is not None and first.poll() is None  # started ahead, waiting for a document
    job = typeset.start(doc.document([doc.Paragraphs(["Robots 500 by 2027"])], _meta("en")), tmp_path / "a.pdf")
    assert job._proc is first
    job.wait()
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    assert typeset._standby is first and first.poll() is None  # it waits for the next document
    first.kill()
    first.wait()  # a standby that died while waiting is not handed a document
    typeset.typeset(doc.document([doc.Paragraphs(["Robots 600"])], _meta("en")), tmp_path / "b.pdf")
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    second = typeset._standby
    assert second is not None and second is not first and second.poll() is None
    monkeypatch.setattr(typeset, "RETIRE_MB", 0)  # handed to the typesetters started from now on
    second.kill()
    second.wait()
    job = typeset.start(doc.document([doc.Paragraphs(["Robots 700"])], _meta("en")), tmp_path / "c.pdf")
    grown = job._proc
    job.wait()
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    assert grown.wait(30) == 0 and typeset._standby is not grown  # one document, grown too big: it left
    last = typeset._standby
    last.stdin.close()  # its parent ends: the standby reads nothing and leaves quietly
    assert last.wait(30) == 0
    last.stdout.close()


def _lines(pdf) -> list[str]:
    return [line.strip() for line in _text(pdf).splitlines() if line.strip()]


def test_a_number_keeps_its_unit_and_a_chinese_closing_mark_never_starts_a_line(tmp_path):
    zh = (
        "需每年增加6.9家，目标是到2027年达到40家；距期限3.6年（到2025年），面向‘十三五’”），培育15000余家，签约超1300个。"
        * 12
    )
    en = (
        "Investment of CNY 67.4 billion, 1.2 percentage points, Jan–Oct 2023*, 1-billion-yuan projects, August 11, "
        "426 per 10,000 workers. " * 12
    )
    for lang, text, whole in (
        ("zh", zh, ("40家", "6.9家", "3.6年", "2025年", "十三五", "15000余家", "超1300个")),
        (
            "en",
            en,
            (
                "CNY 67.4 billion",
                "1.2 percentage points",
                "Jan–Oct 2023*",
                "1-billion-yuan",
                "August 11,",
                "426 per 10,000",
            ),
        ),
    ):
        lines = _lines(_pdf(tmp_path, [doc.Paragraphs([text])], lang))
        assert len(lines) > 6  # the text wraps many times
        assert not [line for line in lines if line[0] in "，、。；：）’”"], lang
        joined = "\n".join(lines)
        for piece in whole:
            assert joined.count(piece) == 12, (lang, piece)  # never parted across a line


def test_body_text_never_hyphenates_and_a_table_column_only_when_too_narrow(tmp_path):
    words = "deadline baseline recommendations publication institutions " * 20
    pdf = _pdf(tmp_path, [doc.Paragraphs([words])])
    assert "\xad" not in _text(pdf) and "-\n" not in _text(pdf)
    wide = {
        "type": "table",
        "columns": ["Theme", "Measure"],
        "rows": [[[["text", "Digital infrastructure"]], [["text", words[:200]]]]],
        "roles": ["text", "text"],
        "css": "",
    }
    widths, hyphenate = typeset.column_layout(wide)
    assert hyphenate == [False, False] and widths[0] * typeset.BODY_WIDTH_PT / 100 > typeset._width_pt("infrastructure")
    crowded = {
        **wide,
        "columns": [f"C{i}" for i in range(12)],
        "rows": [[[["text", "internationalisation"]]] * 12],
        "roles": ["text"] * 12,
    }
    assert all(typeset.column_layout(crowded)[1])  # twelve long words cannot fit side by side: they may break


def test_a_column_is_as_wide_as_its_header_and_short_chinese_cells_stay_whole():
    table = {
        "type": "table",
        "columns": ["规划", "年份", "印发时间", "采纳或建议", "原文引文"],
        "rows": [
            [
                [["text", "上海市智能制造行动计划"]],
                [],
                [],
                [["text", "报告建议，未采纳"]],
                [["quote", "推动1000家规模以上制造业企业实施智能化转型，" * 6]],
            ]
        ],
        "roles": ["text", "period", "period", "text", "quote"],
        "css": "",
    }
    widths = [w * typeset.BODY_WIDTH_PT / 100 for w in typeset.column_layout(table)[0]]
    assert widths[1] >= 1.15 * typeset._width_pt("年份") and widths[2] >= 1.15 * typeset._width_pt("印发时间")
    assert widths[3] >= typeset._width_pt("报告建议，未采纳")  # not 报告建议，未采 / 纳


def test_a_citation_never_starts_a_line(tmp_path):
    source = {"id": "s1", "number": 5, "entry": doc.Rich.of("A plan")}
    sources = doc.Sources(intro="", sources=[source], show_ids=False)
    cite = doc.run("cite", "s1", 5)
    for lang, text in (
        ("en", "Robots reach 500 units by 2027 "),
        ("zh", "到2027年机器人达到500台。"),
        ("zh", "达到40家"),
    ):
        paragraph = doc.Rich([])
        for i in range(40):  # the text wraps many times, at every place in the line
            paragraph = paragraph + ("x" * (i % 7) if lang == "en" else "字" * (i % 5)) + text + cite
        lines = [
            line
            for line in _lines(_pdf(tmp_path, [doc.Paragraphs([paragraph]), sources], lang))
            if "A plan" not in line
        ]
        assert len(lines) > 5
        assert not [line for line in lines if line.startswith("[5]")], (lang, text)
        if text.endswith("40家"):
            assert "\n".join(lines).count("40家[5]") == 40  # the number goes with its unit and its citation
