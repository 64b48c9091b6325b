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


def test_a_standby_typesetter_takes_the_next_document_and_is_replaced(tmp_path, monkeypatch):
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
    second = typeset._standby
    assert second is not None and second is not first and second.poll() is None  # the next one waits
    second.kill()
    second.wait()  # a standby that died while waiting is not handed a document
    typeset.typeset(doc.document([doc.Paragraphs(["Robots 600"])], _meta("en")), tmp_path / "b.pdf")
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    third = typeset._standby
    third.stdin.close()  # its parent ends: the standby reads nothing and leaves quietly
    assert third.wait(30) == 0
    assert third.stderr.read() == b""
    third.stderr.close()
