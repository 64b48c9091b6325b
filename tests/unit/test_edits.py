"""Options and cells that cannot destroy: --sheet stays out of the project's folders, formula cells are
neutralised on the way out and refused on the way in, ids grow past four digits, repeated rows merge once."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefings import paths
from briefings.cells import is_formula, neutralise, neutralise_csv, strip_formula, unneutralise
from briefings.cli import main
from briefings.sheet import COLUMNS, write_sheet

from ..conftest import ROOT

TEXT = (
    "## 江苏力争到2026年建成智能工厂600家\n\n近日，江苏省印发《江苏省智能工厂培育行动方案(2024—2026年)》，"
    "提出到2026年建成智能工厂600家。2023年，江苏累计建成智能工厂420家。\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "p"
    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    for name, attr in (("reports", "REPORTS_DIR"), ("figures", "FIGURES_DIR")):
        (root / name).mkdir()
        monkeypatch.setattr(paths, attr, root / name)
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(paths, "DATA_DIR", root / "data")
    monkeypatch.setattr(paths, "SEEDS_DIR", root / "seeds")
    monkeypatch.setattr(paths, "BUILD_DIR", root / "build")
    return root


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for d in ("data", "seeds")
        for p in (root / d).rglob("*")
        if p.is_file()
    }


def add(src: Path, *args: str):
    return CliRunner().invoke(main, ["add-source", str(src), "--published", "2024-05", *args])


@pytest.fixture
def src(tmp_path) -> Path:
    f = tmp_path / "new.txt"
    f.write_text(TEXT, encoding="utf-8")
    return f


@pytest.mark.parametrize(
    "where, message",
    [
        ("data/observations.csv", "inside data/"),
        ("seeds/000_e9d7a20cf4f4314f.txt", "inside seeds/"),
        ("seeds/new.csv", "inside seeds/"),
        ("reports/x.csv", "inside reports/"),
        ("figures/hebei/x.csv", "inside figures/"),
        ("drafts", "is a folder"),
        ("data", "inside data/"),
    ],
)
def test_sheet_never_lands_on_the_project(project, src, where, message):
    (project / "drafts").mkdir()
    before = files(project)
    res = add(src, "--sheet", str(project / where))
    assert res.exit_code == 2 and message in res.output and len(res.output.strip().splitlines()) == 1, res.output
    assert files(project) == before, "nothing registered, nothing overwritten"
    again = add(src, "--sheet", str(project / "drafts" / "j.csv"))
    assert again.exit_code == 0, again.output  # the source was not registered by the refused attempt


def test_sheet_over_an_existing_file_needs_force(project, src, tmp_path):
    mine = tmp_path / "mine.csv"
    mine.write_text("my own work\n", encoding="utf-8")
    before = files(project)
    res = add(src, "--sheet", str(mine))
    assert res.exit_code == 2 and "exists already" in res.output and "--force" in res.output
    assert mine.read_text(encoding="utf-8") == "my own work\n" and files(project) == before
    res = add(src, "--sheet", str(mine), "--force")
    assert res.exit_code == 0, res.output
    assert mine.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_default_sheet_is_not_overwritten_either(project, src):
    (project / "drafts").mkdir()
    (project / "drafts" / "jiangsu-2024.csv").write_text("kept\n", encoding="utf-8")
    before = files(project)
    res = add(src)
    assert res.exit_code == 2 and "exists already" in res.output
    assert files(project) == before and (project / "drafts" / "jiangsu-2024.csv").read_text() == "kept\n"


# --- Cells that cannot run ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, formula",
    [
        ('=HYPERLINK("http://x","Click for source")', True),
        ("@SUM(A1:A2)", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3", True),
        ("\t=1", True),
        ("\r=1", True),
        ("-3.5", False),
        ("+12", False),
        ("=", False),  # the qualifier: a lone sign runs nothing
        ("建成智能工厂", False),
        ("", False),
    ],
)
def test_formula_cells_are_recognised(cell, formula):
    assert is_formula(cell) is formula
    assert neutralise(cell) == (f"'{cell}" if formula else cell)
    assert unneutralise(neutralise(cell)) == cell
    assert not is_formula(strip_formula(cell))


def test_a_csv_for_people_has_no_formula_and_is_unchanged_without_one():
    clean = b"a,b\n=,-3.5\n"
    assert neutralise_csv(clean) is clean
    got = neutralise_csv(b'a,b\n"=HYPERLINK(""http://x"",""y"")",@SUM(1)\n')
    rows = list(csv.reader(io.StringIO(got.decode())))
    assert rows[1] == ['\'=HYPERLINK("http://x","y")', "'@SUM(1)"]


def test_review_sheet_neutralises_seed_lines_that_start_like_formulas(tmp_path):
    sheet = tmp_path / "s.csv"
    write_sheet(sheet, [{c: "" for c in COLUMNS} | {"quote": "+86 21 1234", "summary_en": "@SUM(1)", "value": "-3"}])
    row = next(csv.DictReader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    assert row["quote"] == "'+86 21 1234" and row["summary_en"] == "'@SUM(1)" and row["value"] == "-3"


def test_a_title_that_would_run_is_refused(project, src):
    before = files(project)
    res = add(src, "--title", '=HYPERLINK("http://evil","Click for source")')
    assert res.exit_code == 2 and "--title" in res.output and "formula" in res.output, res.output
    assert files(project) == before


def _sheet(project: Path, src: Path, change) -> Path:
    assert add(src).exit_code == 0
    sheet = project / "drafts" / "jiangsu-2024.csv"
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        if r["record"] != "skipped":
            r["accept"] = "yes"
        out += change(r) or [r]
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(out)
    return sheet


def test_accept_refuses_a_formula_cell_with_its_row_and_column(project, src):
    def poison(r):
        if r["record"] == "measure" or r["record"] == "observation" and r["value"] == "600":
            r["notes"] = '=HYPERLINK("http://evil","Click for source")'

    sheet = _sheet(project, src, poison)
    before = files(project)
    res = CliRunner().invoke(main, ["accept", str(sheet)])
    assert res.exit_code == 1, res.output
    assert "jiangsu-2024.csv, row" in res.output and "column notes" in res.output and "formula" in res.output
    assert files(project) == before


def test_the_published_data_package_has_no_formula(project, tmp_path):
    from briefings.datapackage import ZIP_NAME, export_datapackage

    data = project / "data"
    text = (data / "measures.csv").read_text(encoding="utf-8")
    (data / "measures.csv").write_text(text.replace(',"Shanghai released', ',"@SUM(1) Shanghai released', 1))
    export_datapackage(tmp_path / "out", data, derived=False)  # the derived tables need a valid fact base
    published = (tmp_path / "out" / "measures.csv").read_text(encoding="utf-8")
    assert "'@SUM(1) Shanghai released" in published and '"@SUM' not in published
    with zipfile.ZipFile(tmp_path / "out" / ZIP_NAME) as zf:
        inside = zf.read(next(n for n in zf.namelist() if n.endswith("/measures.csv"))).decode()
    assert "'@SUM(1) Shanghai released" in inside
    assert (tmp_path / "out" / "observations.csv").read_bytes() == (data / "observations.csv").read_bytes()


def test_a_chart_csv_is_published_without_formulas():
    from briefings.build import chart_file

    assert chart_file("peers.csv", "region,value\n=1+1,2\n") == b"region,value\n'=1+1,2\n"
    assert chart_file("peers.svg", "=1+1") == b"=1+1"


def test_validate_refuses_a_formula_in_data(project):
    from briefings.data import DataError, validate

    text = (project / "data" / "measures.csv").read_text(encoding="utf-8")
    (project / "data" / "measures.csv").write_text(text.replace(',"Shanghai released', ',"@SUM(1) released', 1))
    with pytest.raises(DataError, match=r"measures.csv, row 2, column summary_en: .*formula"):
        validate(project / "data", project / "seeds")


# --- Ids that scale, repeats merged once --------------------------------------------------------------


def test_ids_grow_past_four_digits_and_old_ids_stay_valid():
    import re

    from briefings.accept import _next_id
    from briefings.schema import MEASURES, OBSERVATIONS

    assert _next_id(["o0001", "o9999"], "o") == 10000 and _next_id(["m10000", "m9999"], "m") == 10001
    for table, p in ((OBSERVATIONS, "o"), (MEASURES, "m")):
        pattern = table.columns[0].pattern
        assert all(re.fullmatch(pattern, f"{p}{n}") for n in ("0001", "9999", "10000", "123456"))
        assert not re.fullmatch(pattern, f"{p}123")


def test_ten_thousand_rows_merge_with_ids_past_9999_and_exact_repeats_merge_once(project, tmp_path):
    seed = (project / "seeds" / "000_e9d7a20cf4f4314f.txt").read_text(encoding="utf-8")
    line = max(seed.splitlines(), key=len)
    quotes = [line[a : a + n] for n in range(8, len(line)) for a in range(0, len(line) - n, 3)]
    quotes = [q for q in dict.fromkeys(quotes) if not is_formula(q) and q.strip() == q][:10_000]
    assert len(quotes) == 10_000
    base = {c: "" for c in COLUMNS} | {"accept": "yes", "record": "measure", "source_id": "sh-whitepaper-2024"}
    base |= {"region_id": "shanghai", "theme": "smart_factories", "is_adopted": "true"}
    rows = [base | {"quote": q, "summary_en": f"Measure {i}."} for i, q in enumerate(quotes)]
    rows += [rows[0]] * 3  # exact copies
    sheet = tmp_path / "big.csv"
    write_sheet(sheet, rows)
    measures = project / "data" / "measures.csv"
    top = max(int(r["measure_id"][1:]) for r in csv.DictReader(io.StringIO(measures.read_text())))
    res = CliRunner().invoke(main, ["accept", str(sheet)])
    assert res.exit_code == 0, res.output
    assert "merged 0 observations, 10000 measures" in res.output
    assert "rows 10002, 10003, 10004: repeat row 2 exactly; merged once" in res.output
    ids = [r["measure_id"] for r in csv.DictReader(io.StringIO((project / "data" / "measures.csv").read_text()))]
    assert len(ids) == len(set(ids)) == 242 + 10_000 and ids[-1] == f"m{top + 10_000}" and top < 9999
