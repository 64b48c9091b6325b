"""The built PDFs as print: no text over text, no word broken mid-word, pages that flow, tagged with metadata."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from ..layout import broken_words, content_differences, flow_problems, overlaps


def _pdfs(root: Path) -> list[Path]:
    pdfs = sorted((root / "reports").glob("*/briefing*.pdf"))
    assert len(pdfs) >= 4
    return pdfs


def _html_of(pdf: Path) -> str:
    return pdf.with_suffix(".html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_no_text_overprints_on_any_page_of_any_pdf(built):
    found = {pdf.relative_to(built).as_posix(): [str(o) for o in overlaps(pdf)][:5] for pdf in _pdfs(built)}
    assert not any(found.values()), found


def test_no_word_broken_mid_word_in_any_pdf(built):
    found = {pdf.relative_to(built).as_posix(): broken_words(pdf, _text(_html_of(pdf)))[:5] for pdf in _pdfs(built)}
    assert not any(found.values()), found


def test_pages_flow_in_every_pdf(built):
    found = {pdf.relative_to(built).as_posix(): flow_problems(pdf) for pdf in _pdfs(built)}
    assert not any(found.values()), found


def test_every_pdf_says_what_its_html_says(built_all):
    """Same numbers in the same order, same words: the PDF and the HTML are one document in two formats."""
    pdfs = sorted((built_all / "reports").glob("*/briefing*.pdf"))
    regions = {p.parent.name for p in pdfs}
    assert len(regions) >= 14 and len(pdfs) == 2 * len(regions)
    found = {}
    for pdf in pdfs:
        html = _html_of(pdf)
        head = re.search(r'<span class="region-name">([^<]*)<', html).group(1)
        found[pdf.relative_to(built_all).as_posix()] = content_differences(html, pdf, unescape(head))
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def _catalogue(pdf: Path):
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    fh = pdf.open("rb")
    doc = PDFDocument(PDFParser(fh))
    return fh, doc, {k: resolve1(v) for k, v in doc.catalog.items()}


def _decode(value: bytes) -> str:
    return value[2:].decode("utf-16-be") if value.startswith(b"\xfe\xff") else value.decode("latin-1")


@pytest.mark.parametrize(
    "region, suffix, lang", [("shanghai", "", "en"), ("shanghai", ".zh", "zh-CN"), ("hebei", "", "en")]
)
def test_pdf_is_tagged_and_carries_its_metadata_and_bookmarks(built, region, suffix, lang):
    pdf = built / "reports" / region / f"briefing{suffix}.pdf"
    html = _html_of(pdf)
    fh, doc, cat = _catalogue(pdf)
    with fh:
        assert cat["MarkInfo"]["Marked"] is True and "StructTreeRoot" in cat
        assert cat["Lang"].decode() == lang
        xmp = cat["Metadata"].get_data().decode("utf-8")
        assert re.search(r'pdfuaid:part(="1"|>1<)', xmp)  # PDF/UA-1 …
        assert "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>" in xmp  # … and PDF/A-2a
        info = {k: _decode(v) for k, v in doc.info[0].items()}
        as_of = re.search(r'data-as-of="([^"]+)"', html).group(1)
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", as_of)
        assert info["CreationDate"] == info["ModDate"]  # the data's as-of date (the first of its month)
        assert info["CreationDate"].startswith("D:" + as_of.replace("-", "") + ("" if len(as_of) > 7 else "01"))
        name = re.search(r"<title>([^·<]+)", html).group(1).strip()
        assert info["Title"].startswith(name) and name in info["Subject"] and name in info["Keywords"]
        assert info["Author"]
        # Bookmarks follow the contents: the same headings, at the same depth.
        toc = re.search(r'<nav [^>]*class="toc".*?</nav>', html, re.S).group(0)
        entries = _toc_entries(toc)
        assert len(entries) >= 7
        outline = [(level, title.strip()) for level, title, *_ in doc.get_outlines()]
        assert outline == entries


def _toc_entries(toc: str) -> list[tuple[int, str]]:
    """(depth, text) of each link of the nested contents list."""
    entries, depth = [], 0
    for token in re.findall(r"<ol>|</ol>|<a href=\"#[^\"]+\">.*?</a>", toc):
        if token == "<ol>":
            depth += 1
        elif token == "</ol>":
            depth -= 1
        else:
            entries.append((depth, _text(token).strip()))
    return entries
