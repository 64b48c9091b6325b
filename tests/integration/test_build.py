"""End to end: real notebooks executed by papermill, real HTML and PDF, checked as a reader would."""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from briefings import datapackage

from ..conftest import REGIONS, ROOT, make_project, run_cli


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _html(root: Path, region: str, lang: str = "en") -> str:
    suffix = "" if lang == "en" else ".zh"
    return (root / "reports" / region / f"briefing{suffix}.html").read_text(encoding="utf-8")


def test_every_output_is_written(built):
    for region in REGIONS:
        for suffix in ("", ".zh"):
            for ext in ("html", "pdf", "ipynb"):
                assert (built / "reports" / region / f"briefing{suffix}.{ext}").stat().st_size > 1000
        svgs = sorted((built / "figures" / region).glob("*.svg"))
        assert svgs and all(s.with_suffix(".csv").exists() for s in svgs)
    index = (built / "reports" / "index.html").read_text(encoding="utf-8")
    for href in ("shanghai/briefing.html", "shanghai/briefing.pdf", "hebei/briefing.zh.html", "hebei/briefing.zh.pdf"):
        assert f'href="{href}"' in index
    assert "上海市" in index and "Hebei" in index
    published = built / "reports" / "data"  # the whole fact base, for download
    assert (published / "datapackage.json").read_text(encoding="utf-8") == datapackage.render(derived=True)
    assert (published / "derived" / "findings.csv").is_file()
    assert (published / "observations.csv").read_bytes() == (ROOT / "data" / "observations.csv").read_bytes()
    assert 'href="data/datapackage.json"' in index and (published / "regional-smart-manufacturing-facts.zip").exists()
    assert not list((built / "reports").rglob("*.tmp")) and not list((built / "build" / "stage").glob("*"))


@pytest.mark.parametrize(
    "region, names, number", [("shanghai", ("Shanghai", "上海市"), "177"), ("hebei", ("Hebei", "河北省"), None)]
)
def test_pdf_text_has_both_names_and_known_numbers(built, region, names, number):
    text = _pdftotext(built / "reports" / region / "briefing.pdf")
    for name in names:
        assert name in text
    if number:
        assert number in text and "500" in text
    else:
        assert "The sources give no number for Hebei" in re.sub(r"\s+", " ", text)
    zh = _pdftotext(built / "reports" / region / "briefing.zh.pdf")
    assert names[1] in zh and "要点" in zh


def test_pdf_embeds_cjk_fonts_and_renders(built, tmp_path):
    pdf = built / "reports" / "shanghai" / "briefing.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p-*.png"))) == 2
    # Chart text is real, searchable text: a chart title and an axis label.
    text = _pdftotext(pdf)
    assert "Pace required" in text and "Robots per 10,000 workers" in text


def test_no_glyph_missing_anywhere(built):
    logs = "".join(p.read_text(errors="replace") for p in (built / "build" / "logs").glob("*.log"))
    assert "Glyph" not in logs and "missing from font" not in logs
    for region in REGIONS:
        for suffix in ("", ".zh"):
            nb = nbformat.read(built / "reports" / region / f"briefing{suffix}.ipynb", as_version=4)
            streams = [o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream"]
            assert not any("Glyph" in s for s in streams)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_is_a_clean_offline_document(built, region, lang):
    html = _html(built, region, lang)
    assert f'<html lang="{"en" if lang == "en" else "zh-Hans"}">' in html
    assert "<script" not in html and "jp-InputArea" not in html and "bn.front_matter" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html), "no request may leave the machine"
    assert "@import" not in html and "<link" not in html
    assert re.search(r'<nav [^>]*class="toc"', html) and '<a href="#findings">' in html
    assert "<img" not in html and "<svg" in html  # charts inline, as SVG
    for svg in re.findall(r"<svg [^>]*>", html):
        assert 'role="img"' in svg and re.search(r'aria-label="[^"]{20,}"', svg)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique, charts included"
    assert "<metadata>" not in html and '<style type="text/css">*{' not in html
    assert "Noto Sans CJK SC" in html


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headings_and_contents_follow_the_declared_sections(built, region, lang):
    """Every heading with an anchor is a declared section, in declared order; every section that is not
    optional is there; the contents list links to exactly those headings, in the same order."""
    from briefings import sections

    html = _html(built, region, lang)
    headings = re.findall(r'<h[23] id="([^"]+)">', html)
    declared = [s.id for s in sections.SECTIONS]
    assert set(headings) <= set(declared) and headings == [i for i in declared if i in headings]
    assert {s.id for s in sections.SECTIONS if not s.optional} <= set(headings)
    toc = re.search(r'<nav [^>]*class="toc".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">', toc) == headings


def test_editions_link_both_ways_and_match(built):
    en, zh = _html(built, "shanghai", "en"), _html(built, "shanghai", "zh")
    assert 'href="briefing.zh.html"' in en and 'href="briefing.html"' in zh
    ids = lambda h: re.findall(r'<h[23] id="([^"]+)"', h)  # noqa: E731
    figs = lambda h: re.findall(r'<figure class="chart" id="([^"]+)"', h)  # noqa: E731
    obs = lambda h: sorted(re.findall(r'<span class="id">(o\d{4})</span>', h))  # noqa: E731
    assert ids(en) == ids(zh) and figs(en) == figs(zh) and obs(en) == obs(zh)
    assert len(obs(en)) == len(set(obs(en))) > 50
    # No interface English in the Chinese edition (quotes, names and ids aside).
    for word in ("Key findings", "Targets of", "Reported results", "Status", "Sources:"):
        assert word not in zh


def test_shanghai_briefing_content(built):
    html = _html(built, "shanghai")
    assert (
        html.index('id="findings"')
        < html.index('id="curated"')
        < html.index('id="comparison"')
        < html.index('id="progress"')
        < html.index('id="sources"')
        < html.index('id="method"')
        < html.index('id="quality"')
    )
    assert 'id="fig-trajectory-municipal_demo_smart_factories_count"' in html
    assert 'id="fig-trajectory-robot_density_key_industries_per_10k_workers"' in html
    assert 'id="fig-trajectory-chain_leader_firms_count"' in html
    assert "Adopted targets of Shanghai with no baseline or no deadline in the sources" in html
    assert "about twice Shanghai's 710" in html
    for flaw in ("out of order", "13th Five-Year Plan"):
        assert flaw in html


def test_counts_of_targets_agree_and_money_has_its_part(built):
    import html as html_lib

    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", _html(built, "shanghai"))))
    counts = [
        int(re.search(pattern, text)[1])
        for pattern in (
            r"— (\d+) adopted targets?",
            r"Status of the (\d+) adopted targets?",
            r"Adopted targets of Shanghai \((\d+)\)",
        )
    ]
    assessed = int(re.search(r"with a baseline and a deadline in the sources \((\d+)\)", text)[1])
    listed = int(re.search(r"with no baseline or no deadline in the sources \((\d+)\)", text)[1])
    index = (built / "reports" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr><th scope="row" data-sort="Shanghai">.*?</tr>', index, re.S)[0]
    assert len(set(counts + [assessed + listed])) == 1 and f'data-sort="{counts[0]}"' in row
    assert 'id="money"' in _html(built, "shanghai") and "Money and instruments of Shanghai (" in text
    assert "最高2000万元支持" in text.split("Money and instruments of Shanghai")[1].split("Counts of the parts")[0]
    assert 'id="money"' not in _html(built, "hebei")


def test_rebuild_with_nothing_changed_builds_nothing(built):
    start = time.perf_counter()
    proc = run_cli(built, "build", "-r", "shanghai", "-r", "hebei")
    assert proc.returncode == 0 and "0 built, 4 unchanged, 0 failed" in proc.stdout
    assert time.perf_counter() - start < 10  # loose sanity bound; the benchmark is the judge


@pytest.mark.parametrize("name", ["01_curated_tables", "02_regional_comparison", "03_targets_vs_baseline"])
def test_plain_papermill_runs_each_notebook(built, name, tmp_path):
    out = tmp_path / f"{name}.ipynb"
    env = {**os.environ, "BRIEFINGS_ROOT": str(built)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / f"{name}.ipynb"),
            str(out),
            "-p",
            "region",
            "zhejiang",
            "-p",
            "figures_dir",
            str(tmp_path / "figs"),
            "--no-progress-bar",
            "--start-timeout",
            "120",
            "--execution-timeout",
            "240",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nbformat.read(out, as_version=4).cells
        for o in c.get("outputs", [])
    )
    assert "Zhejiang" in html


def _html_outputs(cell) -> list[str]:
    return [o["data"]["text/html"] for o in cell.get("outputs", []) if "text/html" in o.get("data", {})]


@pytest.mark.parametrize("name", ["01_curated_tables", "02_regional_comparison", "03_targets_vs_baseline"])
def test_a_notebook_run_on_its_own_shows_its_part_of_the_briefing(built, name, tmp_path):
    """What an analyst sees running one notebook (as in JupyterLab) is its part of the briefing, cell for cell,
    followed by the same facts as DataFrames from briefings.api."""
    out = tmp_path / f"{name}.ipynb"
    env = {**os.environ, "BRIEFINGS_ROOT": str(built)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / f"{name}.ipynb"),
            str(out),
            "-p",
            "region",
            "上海",
            "--cwd",
            str(ROOT / "notebooks"),
            "--no-progress-bar",
            "--start-timeout",
            "120",
            "--execution-timeout",
            "240",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    alone = [
        c for c in nbformat.read(out, as_version=4).cells if "injected-parameters" not in c.metadata.get("tags", [])
    ]
    briefing = nbformat.read(built / "reports" / "shanghai" / "briefing.ipynb", as_version=4).cells
    part = {
        c.metadata["briefings"]["cell"]: c
        for c in briefing
        if c.metadata.get("briefings", {}).get("notebook") == f"{name}.ipynb" and c.cell_type == "code"
    }
    shown = [i for i in part if _html_outputs(part[i])]
    assert len(shown) >= 4
    for i in shown:
        assert _html_outputs(alone[i]) == _html_outputs(part[i]), f"cell {i + 1} of {name} differs"
    notes = [c for c in alone if c.cell_type == "code" and "analyst-note" in c.metadata.get("tags", [])]
    assert notes and all('class="dataframe"' in "".join(_html_outputs(c)) for c in notes)


@pytest.mark.parametrize("bad", ["atlantis", "../../etc", "a/b", "shanghai; rm -rf /", "", "x" * 5000])
def test_cli_rejects_bad_region_without_writing(bad, tmp_path):
    root = make_project(tmp_path / "p")
    proc = run_cli(root, "build", "--region", bad)
    assert proc.returncode != 0
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error: ")
    assert not any((root / "reports").iterdir()) and not any((root / "figures").iterdir())
    assert not (root / "etc").exists() and not (tmp_path / "etc").exists()


def test_cli_lists_regions(tmp_path):
    proc = run_cli(make_project(tmp_path / "p"), "regions")
    assert proc.returncode == 0
    line = next(line for line in proc.stdout.splitlines() if line.startswith("shanghai "))
    assert "Shanghai" in line and "上海市" in line and re.search(r"\d+\s+\d+$", line)


@pytest.mark.xdist_group("failure")
def test_failing_cell_publishes_nothing_and_names_the_cell(tmp_path):
    nbs = tmp_path / "nbs"
    shutil.copytree(ROOT / "notebooks", nbs)
    root = make_project(tmp_path / "p", notebooks=nbs)
    ok = run_cli(root, "build", "-r", "hebei", "-l", "en")
    assert ok.returncode == 0, ok.stderr
    good = {p: p.read_bytes() for p in (root / "reports" / "hebei").rglob("*") if p.is_file()}
    path = root / "notebooks" / "02_regional_comparison.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(5, nbformat.v4.new_code_cell('raise RuntimeError("injected failure")'))
    nbformat.write(nb, path)
    proc = run_cli(root, "build", "-r", "hebei", "-r", "shanghai", "-l", "en")
    assert proc.returncode == 1
    assert (
        'notebooks/02_regional_comparison.ipynb, cell 6 (raise RuntimeError("injected failure")) failed: '
        "RuntimeError: injected failure" in proc.stderr
    )
    assert "Warning" not in proc.stderr
    assert (root / "build" / "failed" / "shanghai.en.ipynb").exists()
    assert {p: p.read_bytes() for p in (root / "reports" / "hebei").rglob("*") if p.is_file()} == good
    assert not (root / "reports" / "shanghai").exists() and not (root / "figures" / "shanghai").exists()


@pytest.mark.xdist_group("failure")
def test_two_builds_at_once_do_not_corrupt_each_other(tmp_path):
    root = make_project(tmp_path / "p")
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    cmd = [sys.executable, "-m", "briefings", "build", "-r", "hebei", "-l", "en", "--force", "-j", "1"]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert "Hebei" in _pdftotext(root / "reports" / "hebei" / "briefing.pdf")
    assert _html(root, "hebei").rstrip().endswith("</html>")
    assert not list(root.rglob("*.tmp"))
    assert json.loads((root / "build" / "stamps" / "hebei.en.json").read_text())["region"] == "hebei"


def test_exploration_notebook_runs_top_to_bottom(built, tmp_path):
    out = tmp_path / "explore.ipynb"
    env = {**os.environ, "BRIEFINGS_ROOT": str(built)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / "explore.ipynb"),
            str(out),
            "-p",
            "region",
            "zhejiang",
            "-p",
            "role",
            "result",
            "--no-progress-bar",
            "--start-timeout",
            "120",
            "--execution-timeout",
            "240",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    cells = nbformat.read(out, as_version=4).cells
    widgets = [
        o
        for c in cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert widgets, "the explorer shows its widgets"
    html = "".join(o.get("data", {}).get("text/html", "") for c in cells for o in c.get("outputs", []))
    assert "1,432" in html and "累计培育专精特新" in html


def test_no_interface_string_leaks_between_editions(built):
    from briefings.i18n import catalogue

    en_cat, zh_cat = catalogue("en"), catalogue("zh")
    shared = {k for k in en_cat if en_cat[k] == zh_cat[k]}
    allowed_in_en: set[str] = set()  # (the link to the other edition names it in its own language: [locale] link)
    allowed_in_zh: set[str] = set()
    data_text = re.compile(r'<(q|span)[^>]*lang="(zh-Hans|en)"[^>]*>.*?</\1>', re.S)  # quotes, titles, notes
    for region in REGIONS:
        en, zh = (data_text.sub("", _html(built, region, lang)) for lang in ("en", "zh"))
        for key, text in en_cat.items():
            fixed = re.split(r"{\w+}", text)
            for piece in fixed:
                if len(piece.strip()) >= 12 and key not in shared | allowed_in_zh:
                    assert piece.strip() not in zh, (region, key, piece)
        for key, text in zh_cat.items():
            for piece in re.split(r"{\w+}", text):
                if len(piece.strip()) >= 4 and key not in shared | allowed_in_en:
                    assert piece.strip() not in en, (region, key, piece)


def test_pdf_carries_a_source_quote_and_chart_labels_in_chinese(built):
    text = re.sub(r"\s+", "", _pdftotext(built / "reports" / "shanghai" / "briefing.zh.pdf"))
    assert "累计建成177家市级示范性智能工厂" in text
    assert "所需速度" in text and "来源所述：各地区各主题的政策举措与数字" in text  # chart text, as text


def test_invalid_data_builds_nothing_and_says_where(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("seeds", "notebooks"):
        (root / name).symlink_to(ROOT / name)
    (root / "reports").mkdir()
    (root / "figures").mkdir()
    obs = root / "data" / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace(",177,=,177,", ",178,=,177,", 1), encoding="utf-8")
    proc = run_cli(root, "build", "-r", "hebei")
    assert proc.returncode == 2
    assert re.fullmatch(
        r"error: data/observations\.csv, row \d+, column value: 178 disagrees with the quote.*\n", proc.stderr
    )
    assert not any((root / "reports").iterdir())


LATIN_WORD = re.compile(r"(?<![\w\-])[A-Za-z][A-Za-z'’\-]*[A-Za-z](?![\w\-])")
DECLARED_LATIN = {"CSV", "PDF", "SVG", "HTML", "English", "edition"}
"""Latin words a Chinese edition may hold besides those of the seeds: file formats and the link to the other
edition; the title also gives the region's English name."""


def _latin_words(text: str) -> list[str]:
    return LATIN_WORD.findall(text)


@pytest.mark.parametrize("region", REGIONS)
def test_the_chinese_edition_holds_no_english_but_the_sources_own(built, region):
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt"))
    allowed = {w.lower() for w in _latin_words(seeds)} | {w.lower() for w in DECLARED_LATIN}
    name = json.loads((built / "reports" / region / "briefing.zh.json").read_text(encoding="utf-8"))["alt_name"]
    allowed |= {w.lower() for w in _latin_words(name)}
    page = _html(built, region, "zh")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    html_text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    for where, text in (("html", html_text), ("pdf", _pdftotext(built / "reports" / region / "briefing.zh.pdf"))):
        stray = [w for w in _latin_words(text) if w.lower() not in allowed]
        assert len(stray) <= 2, (region, where, sorted(set(stray)))
