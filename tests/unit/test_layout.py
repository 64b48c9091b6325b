"""The PDF and link checkers themselves, on tiny documents made for the purpose: they must catch what they look for."""

from __future__ import annotations

from pathlib import Path

from ..layout import broken_words, html_links, overlaps, pdf_links, quads_overlap, unresolved

PAGE = '#set page(width: 120mm, height: 80mm, margin: 10mm)\n#set text(font: "Noto Sans CJK SC", size: 10pt)\n'


def _pdf(tmp_path: Path, body: str, name: str = "t.pdf") -> Path:
    """A tiny PDF typeset by Typst from ``body`` (Typst markup) with the briefings' fonts."""
    import typst

    from briefings.system import print_fonts

    target = tmp_path / name
    fonts = sorted({str(Path(f).parent) for f in print_fonts()})
    target.write_bytes(typst.compile((PAGE + body).encode("utf-8"), font_paths=fonts, ignore_system_fonts=True))
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
        "#place(top + left)[500 per 10,000 workers]\n#place(top + left, dx: 30pt)[推动制造业重点产业]",
        "clash.pdf",
    )
    found = overlaps(clash)
    assert found and found[0].page == 1 and "10,000" in str(found[0])


def test_overlap_checker_passes_set_text_and_rotated_labels(tmp_path):
    ok = _pdf(
        tmp_path,
        "Two lines of plain text, kerned: AVAWAY 'quoted', “引文”。\n\nA second paragraph.\n"
        + "".join(
            f"#place(top + left, dx: {x}mm, dy: 35mm, rotate(-50deg, origin: top + left, reflow: false)[Smart factories])\n"
            for x in (10, 15)
        ),
        "ok.pdf",
    )
    assert overlaps(ok) == []


def test_broken_word_checker(tmp_path):
    text = "Insufficient data on transformation of manufacturing"
    snapped = _pdf(tmp_path, "Insuffi\\\nicient data on transfor\\\nmation", "snapped.pdf")
    assert broken_words(snapped, text)
    hyphenated = _pdf(tmp_path, f'#block(width: 22mm, text(lang: "en", hyphenate: true)[{text}])', "hy.pdf")
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


def test_pdf_links_stay_relative(tmp_path):
    target = _pdf(tmp_path, '#link("briefing.zh.html")[zh] #link(<x>)[x] #metadata(none) <x>', "l.pdf")
    assert pdf_links(target) == ["briefing.zh.html"]


def test_flow_checker_finds_a_heading_at_a_page_foot_a_lone_row_and_a_half_empty_page(tmp_path):
    from ..layout import flow_problems

    rows = "".join(f"[row {i}], [{i}]," for i in range(8))
    heading_at_foot = _pdf(
        tmp_path,
        "#show heading: set block(sticky: false)\n#v(50mm)\n= Heading\n#block(height: 20mm, breakable: false)[Body]",
        "h.pdf",
    )
    assert any("H1 ends the page" in p for p in flow_problems(heading_at_foot))
    lone_row = _pdf(tmp_path, f"#v(44mm)\n#table(columns: 2, table.header([a], [b]), {rows})", "row.pdf")
    assert any("keeps only its first row" in p for p in flow_problems(lone_row))
    half_empty = _pdf(tmp_path, "Short.\n#pagebreak()\nThe next page starts with text.", "half.pdf")
    assert any("empty before" in p for p in flow_problems(half_empty))
    intro_at_foot = _pdf(
        tmp_path,
        "#show heading: set block(sticky: false)\n#v(48mm)\n= Notes\nWhat the notes say.\n\n#list([one], [two])",
        "intro.pdf",
    )
    assert any("H1 and its introduction end the page, before a L" in p for p in flow_problems(intro_at_foot))
    flowing = _pdf(tmp_path, "= Heading\n" + "A paragraph of text that flows on. " * 60, "ok.pdf")
    assert flow_problems(flowing) == []


def test_content_checker_finds_a_number_or_a_word_that_print_and_screen_do_not_share(tmp_path):
    from ..layout import content_differences

    html = (
        "<html><head><title>t</title></head><body><h1><span>Region</span></h1><p>Robots 500 by 2027.</p></body></html>"
    )
    same = _pdf(tmp_path, "Region\n\nRobots 500 by 2027.", "same.pdf")
    assert content_differences(html, same, "Head") == []
    other = _pdf(tmp_path, "Region\n\nRobots 50 by 2027.", "number.pdf")
    assert any("numbers differ" in d for d in content_differences(html, other, "Head"))
    word = _pdf(tmp_path, "Region\n\nMachines 500 by 2027.", "word.pdf")
    found = content_differences(html, word, "Head")
    assert any("only in the html: ['robots']" in d for d in found) and any("machines" in d for d in found)
