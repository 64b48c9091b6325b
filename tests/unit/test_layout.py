"""The PDF and link checkers themselves, on tiny documents made for the purpose: they must catch what they look for."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..layout import broken_words, html_links, overlaps, pdf_links, quads_overlap, unresolved

PAGE = (
    '<html lang="en"><head><style>@page {{ size: 120mm 80mm; margin: 10mm }} body {{ font: 10pt sans-serif }}'
    "</style></head><body>{}</body></html>"
)


def _pdf(tmp_path: Path, body: str, name: str = "t.pdf") -> Path:
    import weasyprint

    target = tmp_path / name
    weasyprint.HTML(string=PAGE.format(body), base_url=None).write_pdf(target)
    return target


def test_quads_overlap_and_touch():
    square = [(0, 0), (2, 0), (2, 2), (0, 2)]
    assert quads_overlap(square, [(1, 1), (3, 1), (3, 3), (1, 3)])
    assert not quads_overlap(square, [(2, 0), (4, 0), (4, 2), (2, 2)])  # sharing an edge is not overprinting
    assert not quads_overlap(square, [(3, 1), (4, 2), (3, 3), (2, 2)])  # a rotated box touching a corner
    assert quads_overlap(square, [(2.6, 1), (3.6, 2), (2.6, 3), (1.6, 2)])  # the same, moved onto the square


def test_overlap_checker_finds_text_printed_over_text(tmp_path):
    clash = _pdf(
        tmp_path,
        '<p style="position:absolute;top:0;left:0">500 per 10,000 workers</p>'
        '<p style="position:absolute;top:0;left:30pt">推动制造业重点产业</p>',
        "clash.pdf",
    )
    found = overlaps(clash)
    assert found and found[0].page == 1 and "10,000" in str(found[0])


def test_overlap_checker_passes_set_text_and_rotated_labels(tmp_path):
    ok = _pdf(
        tmp_path,
        "<p>Two lines of plain text, kerned: AVAWAY 'quoted', “引文”。</p><p>A second paragraph.</p>"
        + "".join(
            f'<div style="position:absolute;top:45mm;left:{x}mm;transform-origin:0 0;'
            f'transform:rotate(-50deg)">Smart factories</div>'
            for x in (10, 15)
        ),
        "ok.pdf",
    )
    assert overlaps(ok) == []


def test_broken_word_checker(tmp_path):
    text = "Insufficient data on transformation of manufacturing"
    snapped = _pdf(tmp_path, f'<p style="width:14mm;word-break:break-all">{text}</p>', "snapped.pdf")
    assert broken_words(snapped, text)
    hyphenated = _pdf(tmp_path, f"<p style=\"width:22mm;hyphens:auto;hyphenate-character:'-'\">{text}</p>", "hy.pdf")
    assert broken_words(hyphenated, text) == []


def test_link_checker(tmp_path):
    site = tmp_path / "reports"
    (site / "shanghai").mkdir(parents=True)
    (site / "index.html").write_text('<a href="shanghai/briefing.html#top">x</a>', encoding="utf-8")
    page = site / "shanghai" / "briefing.html"
    page.write_text(
        '<h1 id="top">x</h1><a href="../index.html">i</a><a href="#top">t</a><a href="figures/x.csv">c</a>'
        '<a href="file:///work/reports/x.html">f</a><a href="/etc/passwd">p</a><a href="#nowhere">n</a>'
        '<img src="data:image/png;base64,AA==" alt="">',
        encoding="utf-8",
    )
    links = html_links(page.read_text(encoding="utf-8"))
    assert len(links) == 7
    bad = unresolved(links, page, site)
    assert len(bad) == 4
    assert any("figures/x.csv" in b for b in bad) and any("file:///" in b for b in bad)
    assert any("/etc/passwd" in b for b in bad) and any("#nowhere" in b for b in bad)
    assert unresolved(html_links((site / "index.html").read_text()), site / "index.html", site) == []


@pytest.mark.parametrize("base_url, relative", [(None, True), ("/somewhere/reports/shanghai/", False)])
def test_pdf_links_stay_relative_only_without_a_base_url(tmp_path, base_url, relative):
    import weasyprint

    target = tmp_path / "l.pdf"
    weasyprint.HTML(
        string=PAGE.format('<a href="briefing.zh.html">zh</a> <a href="#x" id="x">x</a>'), base_url=base_url
    ).write_pdf(target)
    links = pdf_links(target)
    assert len(links) == 1
    assert (links[0] == "briefing.zh.html") is relative
