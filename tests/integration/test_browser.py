"""The briefings as a reader sees them: real headless Chromium (Debian's package) on the built pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ..conftest import ROOT

pytestmark = [pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


def _open(page, path: Path) -> None:
    page.goto(path.as_uri(), wait_until="load")


def _local_only(page) -> None:
    leaving = [u for u in page.requests if not u.startswith(("file://", "data:"))]
    assert not leaving, f"requests leave the machine: {leaving[:3]}"


def test_index_reaches_every_briefing(built, page, tmp_path):
    _open(page, built / "reports" / "index.html")
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    assert (tmp_path / "index.png").stat().st_size > 10_000
    hrefs = page.eval_on_selector_all("a[href$='.html']", "els => els.map(e => e.href)")
    assert len(hrefs) == 4
    for href in hrefs:
        page.goto(href, wait_until="load")
        assert page.locator("h1").count() == 1 and page.title()
    _local_only(page)


@pytest.mark.parametrize("region, suffix", [("shanghai", ""), ("shanghai", ".zh"), ("hebei", "")])
def test_briefing_images_links_and_fonts(built, page, tmp_path, region, suffix):
    _open(page, built / "reports" / region / f"briefing{suffix}.html")
    page.screenshot(path=str(tmp_path / "top.png"))
    assert (tmp_path / "top.png").stat().st_size > 10_000
    # Charts are inline SVG: real, selectable text, a text alternative, and a tooltip on every data point.
    charts = page.evaluate("""Array.from(document.querySelectorAll('figure.chart svg')).map(s => [
        s.closest('figure').id, s.getAttribute('role'), (s.getAttribute('aria-label') || '').length,
        s.querySelectorAll('text').length, Array.from(s.querySelectorAll('g > title')).map(t => t.textContent)])""")
    assert charts and all(role == "img" and alt >= 20 and texts > 3 and tips for _, role, alt, texts, tips in charts)
    assert all(re.search(r"\d", tip) for *_, tips in charts for tip in tips)
    # A data point's tooltip names its source (the theme matrix counts items across sources).
    sources = set(page.eval_on_selector_all("ol.sources li", "els => els.map(e => e.id.replace('src-', ''))"))
    assert all(any(s in tip for s in sources) for fig, *_, tips in charts if fig != "fig-themes" for tip in tips)
    assert not page.evaluate("document.images.length")
    # The title block states the data's as-of date and the build version.
    edition = page.inner_text(".edition")
    assert re.search(r"(as of|截至).*20\d\d", edition) and re.search(r"[0-9a-f]{12}", edition), edition
    # Every contents link lands on its heading.
    targets = page.eval_on_selector_all("nav.toc a", "els => els.map(e => e.getAttribute('href'))")
    assert len(targets) >= 7
    for href in targets:
        tag = page.evaluate("id => { const e = document.getElementById(id); return e && e.tagName }", href[1:])
        assert tag in ("H2", "H3"), href
    last = targets[-1]
    page.click(f"nav.toc a[href='{last}']")
    top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", last[1:])
    assert 0 <= top < 900
    # Headings in order: one h1, then h2 before any h3.
    levels = page.eval_on_selector_all("h1, h2, h3", "els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    # Chinese text is drawn with a CJK font.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    doc = cdp.send("DOM.getDocument")
    node = cdp.send(
        "DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "h1 .alt-name" if not suffix else "h1"}
    )
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    assert any("CJK" in f["familyName"] for f in fonts), fonts
    _local_only(page)


def test_tables_have_captions_and_header_rows(built, page):
    _open(page, built / "reports" / "shanghai" / "briefing.html")
    tables = page.evaluate(
        "Array.from(document.querySelectorAll('table')).map(t => "
        "[!!t.caption && t.caption.textContent.length > 0, t.querySelectorAll('thead th').length])"
    )
    assert tables and all(cap and n >= 2 for cap, n in tables)


AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
WCAG22AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = [
    "index.html",
    "shanghai/briefing.html",
    "shanghai/briefing.zh.html",
    "hebei/briefing.html",
    "hebei/briefing.zh.html",
]


@pytest.mark.parametrize("width", [1280, 400])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_22_aa_violation(built, browser, name, width):
    if not AXE.exists():
        pytest.fail("axe-core is not installed: `make test` installs it (cd tests && npm ci)")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _open(page, built / "reports" / name)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG22AA)
    context.close()
    assert result["testEngine"]["version"].startswith("4.")
    assert len(result["passes"]) > 10
    found = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})" for v in result["violations"]
    ]
    assert found == []


@pytest.mark.parametrize("region, suffix", [("shanghai", ""), ("shanghai", ".zh"), ("hebei", ""), ("hebei", ".zh")])
def test_reads_well_at_400_px(built, browser, region, suffix):
    """A phone: no sideways scroll of the page, no word broken, legible charts, contents links easy to tap."""
    context = browser.new_context(viewport={"width": 400, "height": 900})
    page = context.new_page()
    _open(page, built / "reports" / region / f"briefing{suffix}.html")
    shots = ROOT / "build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{region}{suffix}-400.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    # Wide tables scroll inside their own focusable region instead of squeezing or breaking words.
    loose = page.evaluate("""Array.from(document.querySelectorAll('table')).filter(t =>
        !t.closest('.table-scroll[tabindex=\"0\"]')).length""")
    assert loose == 0
    breaking = page.evaluate("""Array.from(document.querySelectorAll('main *')).map(e => getComputedStyle(e))
        .filter(c => c.wordBreak === 'break-all' || c.overflowWrap === 'anywhere' || c.wordBreak === 'break-word'
                     || c.overflowWrap === 'break-word').length""")
    assert breaking == 0
    # Chart labels drawn at no less than 8 CSS pixels.
    sizes = page.evaluate("""Array.from(document.querySelectorAll('figure.chart svg text')).map(t =>
        t.getBoundingClientRect().height)""")
    if region == "shanghai":
        assert sizes
    assert not sizes or min(sizes) >= 8, min(sizes)
    heights = page.eval_on_selector_all("nav.toc a", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 24
    context.close()


def test_contents_stay_in_view_on_a_wide_screen(built, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    _open(page, built / "reports" / "shanghai" / "briefing.html")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    box = page.evaluate(
        "(() => { const r = document.querySelector('nav.toc').getBoundingClientRect(); "
        "return [r.top, r.bottom, r.left, r.right]; })()"
    )
    main = page.evaluate("document.querySelector('main').getBoundingClientRect().left")
    assert box[0] >= 0 and box[1] <= 900 and box[1] - box[0] > 300 and box[3] <= main
    context.close()
