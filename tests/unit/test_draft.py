"""The drafter on tiny texts written for these tests, the review sheet, and accept's all-or-nothing merge."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefings import accept as acc
from briefings import paths, schema
from briefings.cli import main
from briefings.drafting import draft, read_table

from ..conftest import ROOT

REGIONS = [
    {
        "region_id": "shanghai",
        "name_en": "Shanghai",
        "name_zh": "上海市",
        "level": "municipality",
        "aliases": "上海|沪",
    },
    {"region_id": "china", "name_en": "China", "name_zh": "中国", "level": "country", "aliases": "全国|我国"},
]
INDICATORS = [
    {
        "indicator_id": "smart_factories_count",
        "name_en": "Smart factories",
        "name_zh": "智能工厂",
        "unit": "count",
        "theme": "smart_factories",
    },
    {
        "indicator_id": "industrial_value_added_growth_pct",
        "name_en": "Growth of industrial value added",
        "name_zh": "规上工业增加值增速",
        "unit": "%",
        "theme": "industrial_growth",
        "kind": "growth_rate",
    },
]


def rows(text: str, published: str = "2024-05"):
    return draft(text, published, REGIONS, INDICATORS)


def one(text: str, written: str, published: str = "2024-05"):
    d = rows(text, published)
    found = [c for c in d.observations if c.value_as_written == written]
    assert len(found) == 1, [(c.value_as_written, c.quote) for c in d.observations]
    return found[0]


def test_target_with_deadline_qualifier_and_plan():
    text = (
        "## 安徽出台智能工厂行动方案\n\n近日，安徽省印发《安徽省智能工厂建设行动方案(2024—2026年)》，提出到2026年，"
        "全省建成智能工厂800家以上。\n"
    )
    c = one(text, "800")
    assert (c.role, c.period, c.is_period_inferred, c.qualifier, c.unit) == ("target", "2026", False, ">=", "count")
    assert c.region_id == "anhui" and c.plan.startswith("anhui-") and c.quote in text
    assert c.indicator_id == "smart_factories_count"


def test_result_with_months_and_percentage_points():
    text = "## 安徽工业稳步增长\n\n1—2月，安徽规模以上工业增加值同比增长7.5%，比上年全年加快1.2个百分点。\n"
    growth, change = one(text, "7.5", "2024-03"), one(text, "1.2", "2024-03")
    assert (growth.role, growth.period, growth.unit) == ("result", "2024-01..02", "%")
    assert (change.unit, change.period) == ("pp", "2024-01..02")
    assert growth.indicator_id == "industrial_value_added_growth_pct"


def test_traditional_text_is_read_and_quoted_as_written():
    text = "## 福建力爭到2027年建成智慧工廠300家\n\n福建省力爭到2027年建成智慧工廠300家，目前已累計建成120家。\n"
    target, result = one(text, "300"), one(text, "120")
    assert target.role == "target" and target.period == "2027" and target.region_id == "fujian"
    assert "智慧工廠" in target.quote and target.quote in text
    assert result.role == "result" and result.period == "2024" and result.is_period_inferred
    assert len([c for c in rows(text).observations if c.value == 300]) == 1, "the headline restates the body"


def test_traditional_multiplier_is_kept_verbatim():
    c = one("## 福建\n\n福建省累計建設5G基站超過6.9萬個。\n", "6.9萬")
    assert c.value == 69000 and c.qualifier == ">"


def test_comparison_base_is_not_the_region_and_a_shared_bound_applies():
    d = rows("## 上海\n\n上海机器人市场约占全国的42%、全球市场的16%。\n")
    assert {(c.value, c.region_id, c.qualifier) for c in d.observations} == {
        (42, "shanghai", "~"),
        (16, "shanghai", "~"),
    }


def test_city_in_the_clause_wins_over_the_heading():
    c = one("## 浙江数字经济\n\n浙江省数字经济持续发展，其中杭州市累计建成智能工厂56家。\n", "56")
    assert c.region_id == "hangzhou"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("咨询电话：0571-88886666\n", "telephone"),
        ("浙ICP备12345678号\n", "licence"),
        ("一是加快建设智能工厂，二是推动数字化转型。\n", "list numbering"),
        ("推动5G应用拓展。\n", "name or code"),
        ("2023年，浙江推进新型工业化。\n", "date or period"),
        ("实施“415X”先进制造业集群培育工程。\n", "quotation marks"),
    ],
)
def test_page_furniture_and_names_are_skipped_with_a_reason(text, reason):
    d = rows("## 浙江\n\n" + text)
    assert not d.observations
    assert any(reason in s.reason for s in d.skipped), [s.reason for s in d.skipped]


def test_range_gives_its_lower_bound_and_skips_the_upper():
    d = rows("## 上海\n\n上海培育2家至3家国家级公共服务平台。\n")
    (c,) = d.observations
    assert (c.value, c.qualifier) == (2, ">=") and "3" in c.notes
    assert any(s.text == "3" and "upper bound" in s.reason for s in d.skipped)


def test_structure_and_instrument_roles():
    d = rows("## 上海\n\n上海将实施五大行动20条举措，对重大项目给予最高1亿元支持。\n")
    roles = {c.value_as_written: c.role for c in d.observations}
    assert roles == {"五": "structure", "20": "structure", "1亿": "instrument"}


def test_observation_row_follows_the_schema(monkeypatch):
    cols = tuple(schema.Column(n, "str", "") for n in ("obs_id", "role", "value"))
    monkeypatch.setattr(schema, "OBSERVATIONS", schema.Table("observations", "", cols, key="obs_id"))
    row = acc.observation_row({"role": "recommendation", "value": "5", "kind": "ignored"}, "o0300")
    assert row == {"obs_id": "o0300", "role": "recommendation", "value": "5"}


# --- add-source and accept on a scratch copy of the project -------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(paths, "SEEDS_DIR", tmp_path / "seeds")
    return tmp_path


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


TEXT = (
    "## 江苏力争到2026年建成智能工厂600家\n\n近日，江苏省印发《江苏省智能工厂培育行动方案(2024—2026年)》，"
    "提出到2026年建成智能工厂600家。2023年，江苏累计建成智能工厂420家。\n"
)


def _mark(sheet: Path, change=lambda r: None) -> None:
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    for r in got:
        if r["record"] != "skipped":
            r["accept"] = "yes"
        change(r)
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(got[0]))
        w.writeheader()
        w.writerows(got)


def test_add_source_then_accept_merges_valid_rows(project, tmp_path):
    src = tmp_path / "new.txt"
    src.write_text(TEXT, encoding="utf-8")
    res = cli("add-source", str(src), "--published", "2024-05", "--publisher", "测试")
    assert res.exit_code == 0, res.output
    sheet = project / "drafts" / "jiangsu-2024.csv"
    assert sheet.read_bytes().startswith(b"\xef\xbb\xbf"), "a spreadsheet needs the BOM to read Chinese"
    sources = read_table(project / "data" / "sources.csv")
    assert sources[-1]["source_id"] == "jiangsu-2024" and (project / "seeds" / sources[-1]["file"]).read_text() == TEXT
    _mark(sheet)
    res = cli("accept", str(sheet))
    assert res.exit_code == 0, res.output
    obs = [o for o in read_table(project / "data" / "observations.csv") if o["source_id"] == "jiangsu-2024"]
    assert {(o["role"], o["period"], o["value"]) for o in obs} == {("target", "2026", "600"), ("result", "2023", "420")}
    assert not (project / "data" / "observations.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    from briefings.data import validate

    validate(project / "data", project / "seeds")
    again = cli("accept", str(sheet))
    assert again.exit_code == 0 and "already merged" in again.output


def test_accept_merges_nothing_when_a_row_is_invalid(project, tmp_path):
    src = tmp_path / "new.txt"
    src.write_text(TEXT, encoding="utf-8")
    cli("add-source", str(src), "--published", "2024-05")
    sheet = project / "drafts" / "jiangsu-2024.csv"
    _mark(sheet, lambda r: r.update(value="601") if r["value"] == "600" else None)
    before = {f.name: f.read_bytes() for f in (project / "data").glob("*.csv")}
    res = CliRunner().invoke(main, ["accept", str(sheet)])
    assert res.exit_code == 1
    lines = [ln for ln in res.output.splitlines() if ln.startswith("error:")]
    assert (
        lines and "jiangsu-2024.csv, row" in lines[0] and "column value" in lines[0] and "Traceback" not in res.output
    )
    assert {f.name: f.read_bytes() for f in (project / "data").glob("*.csv")} == before


@pytest.mark.parametrize(
    "make, args, message",
    [
        (None, ["--published", "2024-05"], "no such file"),
        (lambda p: p.write_bytes(bytes(range(128, 256)) * 4), ["--published", "2024-05"], "save it as UTF-8"),
        (lambda p: p.write_text(TEXT, encoding="utf-8"), ["--published", "2024-13"], "is not a date"),
        (
            lambda p: p.write_bytes((ROOT / "seeds" / "002_84b282fb764a73e7.txt").read_bytes()),
            ["--published", "2024-05"],
            "is already source sh-smart-mfg-plan-2019",
        ),
    ],
)
def test_add_source_bad_input_is_one_line(project, tmp_path, make, args, message):
    src = tmp_path / "in.txt"
    if make:
        make(src)
    before = (project / "data" / "sources.csv").read_bytes()
    res = CliRunner().invoke(main, ["add-source", str(src), *args])
    assert res.exit_code == 2 and message in res.output and len(res.output.strip().splitlines()) == 1, res.output
    assert (project / "data" / "sources.csv").read_bytes() == before


def test_gbk_text_is_converted_with_a_note(project, tmp_path):
    src = tmp_path / "gbk.txt"
    src.write_bytes(TEXT.encode("gbk"))
    res = cli("add-source", str(src), "--published", "2024-05")
    assert res.exit_code == 0 and "converted from GB18030" in res.output
    assert "converted from GB18030" in read_table(project / "data" / "sources.csv")[-1]["notes"]


def test_broken_sheet_is_one_line(project, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["accept", str(bad)])
    assert res.exit_code == 1 and "missing column(s) accept, record" in res.output


def test_benchmark_holds_loose_bounds():
    sys.path.insert(0, str(ROOT / "bench"))
    import extract

    total = extract.evaluate()["all"]
    assert total["recall"] > 0.85 and total["precision"] > 0.7 and total["period"] > 0.75 and total["role"] > 0.8
    assert total["all_fields"] > 0.75 and total["indicator"] > 0.8 and total["edits_per_fact"] < 1.5
