"""The briefings as a reader sees them: real headless Chromium (Debian's package) on the built pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.browser, pytest.mark.xdist_group("build")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


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
    images = page.evaluate("Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt.length])")
    assert images and all(ok and alt >= 20 for ok, alt in images)
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
    node = cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "h1 .alt-name" if not suffix
                                          else "h1"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    assert any("CJK" in f["familyName"] for f in fonts), fonts
    _local_only(page)


def test_tables_have_captions_and_header_rows(built, page):
    _open(page, built / "reports" / "shanghai" / "briefing.html")
    tables = page.evaluate("Array.from(document.querySelectorAll('table')).map(t => "
                           "[!!t.caption && t.caption.textContent.length > 0, t.querySelectorAll('thead th').length])")
    assert tables and all(cap and n >= 2 for cap, n in tables)
