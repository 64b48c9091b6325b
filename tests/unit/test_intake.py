"""Safe intake of a new source: encodings, nonsense, web pinyin, titles, guessed dates, redrafting, new cities."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefings import paths
from briefings.cli import main
from briefings.drafting import draft, read_table
from briefings.drafting.intake import IntakeError, decode, guess_published, remove_pinyin, title_of

from ..conftest import ROOT

REGIONS_SMALL = [{"region_id": "china", "name_en": "China", "name_zh": "中国", "level": "country", "aliases": "全国"}]
SIMPLIFIED = (
    "## 江苏力争到2026年建成智能工厂600家\n\n近日，江苏省印发《江苏省智能工厂培育行动方案(2024—2026年)》，"
    "提出到2026年建成智能工厂600家。2023年，江苏累计建成智能工厂420家。\n"
)
TRADITIONAL = (
    "## 廈門發布智能製造三年行動方案\n\n本報訊 近日，廈門市印發《廈門市智能製造三年行動方案(2025—2027年)》。"
    "方案提出，到2027年，全市建成智能工廠150家以上。目前，廈門市已累計建成智能工廠86家。\n"
)


@pytest.mark.parametrize(
    "text, encoding, bom, note",
    [
        (SIMPLIFIED, "utf-8", b"", ""),
        (SIMPLIFIED, "utf-8", b"\xef\xbb\xbf", "byte-order mark"),
        (SIMPLIFIED, "gb18030", b"", "GB18030"),
        (TRADITIONAL, "big5", b"", "Big5"),
        (TRADITIONAL, "utf-16", b"", "UTF-16"),  # with the BOM Python writes
        (SIMPLIFIED, "utf-16-le", b"", "UTF-16"),  # without one
    ],
)
def test_each_encoding_is_told_apart(text, encoding, bom, note):
    got = decode(bom + text.encode(encoding))
    assert got.text == text and note in got.note


def test_big5_is_not_read_as_gb18030():
    raw = TRADITIONAL.encode("big5")
    raw.decode("gb18030")  # decodes without error, to nonsense: the reason to compare readings
    assert decode(raw).encoding == "big5"


def test_nonsense_is_refused_unless_forced():
    raw = "".join(chr(c) for c in range(0x4E00, 0x9FA5, 37)).encode("utf-8")
    with pytest.raises(IntakeError, match="not as Chinese text"):
        decode(raw)
    assert decode(raw, force=True).text


def test_pinyin_after_characters_is_removed_with_a_note():
    text, note = remove_pinyin("發(fā)布時(shí)間：2025年，江蘇(sū)建成智能工廠", b"original")
    assert text == "發布時間：2025年，江蘇建成智能工廠"
    assert "pinyin removed after 3 characters" in note and "sha256" in note
    assert remove_pinyin("智能工厂(含车间)", b"x") == ("智能工厂(含车间)", "")


def test_title_is_the_documents_own_not_its_salutation():
    text = "各有关单位：\n\n关于印发《江苏省智能工厂梯度培育方案》的通知\n\n现将方案印发给你们。\n"
    assert title_of(text) == "关于印发《江苏省智能工厂梯度培育方案》的通知"
    assert title_of("各设区市工业和信息化局:\n江苏省智能制造行动计划\n") == "江苏省智能制造行动计划"


def test_publication_date_is_read_from_the_text():
    assert guess_published("标题\n发布时间：2024-05-17 10:00\n正文") == ("2024-05-17", "发布时间：2024-05-17")
    assert guess_published("各有关单位：\n现将…\n\n江苏省工业和信息化厅\n2025年3月12日\n")[0] == "2025-03-12"
    assert guess_published("没有日期的正文。") is None


def test_drafting_time_grows_linearly():
    regions = read_table(paths.DATA_DIR / "regions.csv")
    indicators = read_table(paths.DATA_DIR / "indicators.csv")
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(paths.SEEDS_DIR.glob("*.txt")))

    def seconds(n: int) -> float:
        text = (base * (n // len(base) + 1))[:n]
        started = time.perf_counter()
        draft(text, "2024-05", regions, indicators)
        return time.perf_counter() - started

    small, large = seconds(60_000), seconds(480_000)
    assert large < 8 * small * 2.5, (small, large)  # eight times the text: well under 64 times the time


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
    return CliRunner().invoke(main, list(args))


def test_big5_file_is_added_converted(project, tmp_path):
    src = tmp_path / "xiamen.txt"
    src.write_bytes(TRADITIONAL.encode("big5"))
    res = cli("add-source", str(src), "--published", "2025-03")
    assert res.exit_code == 0 and "converted from Big5" in res.output, res.output
    row = read_table(project / "data" / "sources.csv")[-1]
    assert (project / "seeds" / row["file"]).read_text(encoding="utf-8") == TRADITIONAL
    assert row["title_zh"] == "廈門發布智能製造三年行動方案"


def test_a_text_without_a_number_is_refused_unless_forced(project, tmp_path):
    src = tmp_path / "words.txt"
    src.write_text("## 江苏推动智能制造\n\n江苏省加快推进智能制造发展，支持企业建设智能工厂。\n", encoding="utf-8")
    before = (project / "data" / "sources.csv").read_bytes()
    res = cli("add-source", str(src), "--published", "2025-03")
    assert res.exit_code == 2 and "no number drafted" in res.output and len(res.output.strip().splitlines()) == 1
    assert (project / "data" / "sources.csv").read_bytes() == before
    assert cli("add-source", str(src), "--published", "2025-03", "--force", "--id", "js-words").exit_code == 0


def test_guessed_date_is_recorded_as_guessed(project, tmp_path):
    src = tmp_path / "notice.txt"
    src.write_text(SIMPLIFIED + "\n江苏省工业和信息化厅\n2024年5月17日\n", encoding="utf-8")
    res = cli("add-source", str(src))
    assert res.exit_code == 0, res.output
    row = read_table(project / "data" / "sources.csv")[-1]
    assert row["published"] == "2024-05-17" and row["published_basis"].startswith("inferred: guessed from")
    src2 = tmp_path / "other.txt"
    src2.write_text(SIMPLIFIED.replace("600", "700"), encoding="utf-8")
    assert cli("add-source", str(src2), "--published", "2024-06", "--guessed").exit_code == 0
    assert read_table(project / "data" / "sources.csv")[-1]["published_basis"].startswith("inferred: date given")


def test_redraft_writes_the_sheet_of_a_registered_source_again(project):
    res = cli("add-source", "--redraft", "sh-smart-mfg-plan-2019")
    assert res.exit_code == 0 and "drafted again sh-smart-mfg-plan-2019" in res.output, res.output
    with (project / "drafts" / "sh-smart-mfg-plan-2019.csv").open(encoding="utf-8-sig") as fh:
        assert any(r["record"] == "observation" for r in csv.DictReader(fh))
    bad = cli("add-source", "--redraft", "no-such-source")
    assert bad.exit_code == 2 and "is not a source" in bad.output


def test_a_city_gets_the_province_created_in_the_same_accept(project, tmp_path):
    text = (
        "## 湖南推进智能制造\n\n2024年，湖南省累计建成省级智能工厂312家。\n\n"
        "## 长沙市智能制造\n\n2024年，长沙市累计建成智能工厂120家。\n"
    )
    src = tmp_path / "hunan.txt"
    src.write_text(text, encoding="utf-8")
    assert cli("add-source", str(src), "--published", "2025-03", "--id", "hunan-2025").exit_code == 0
    sheet = project / "drafts" / "hunan-2025.csv"
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows.sort(key=lambda r: r["region_id"] != "changsha")  # the city's row first
    for r in rows:
        r["accept"] = "yes" if r["record"] == "observation" else ""
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = cli("accept", str(sheet))
    assert res.exit_code == 0, res.output
    regions = {r["region_id"]: r for r in read_table(project / "data" / "regions.csv")}
    assert regions["changsha"]["parent"] == "hunan" and regions["hunan"]["parent"] == "china"


def test_goals_belong_to_the_plan_the_text_issues_not_the_one_it_cites():
    regions = read_table(paths.DATA_DIR / "regions.csv")
    text = (
        "关于印发《江苏省智能工厂梯度培育实施方案》的通知\n\n各设区市工业和信息化局：\n\n"
        "为深入贯彻落实《“十四五”智能制造发展规划》，现将《江苏省智能工厂梯度培育实施方案》印发给你们。\n\n"
        "到2027年，全省建成省级智能工厂500家，每年推动1500家企业开展数字化改造。\n"
    )
    d = draft(text, "2025-03", regions, read_table(paths.DATA_DIR / "indicators.csv"))
    plans = {p.title_zh: p for p in d.plans}
    issued = plans["江苏省智能工厂梯度培育实施方案"]
    assert issued.how == "issued" and issued.region_id == "jiangsu"
    goals = {c.value_as_written: c for c in d.observations if c.role == "target"}
    assert {c.plan for c in goals.values()} == {issued.plan_id}
    assert (goals["500"].period, goals["1500"].period) == ("2027", "2025")
    assert all(p.how != "issued" for t, p in plans.items() if "十四五" in t)


def test_a_goal_whose_text_names_no_plan_gets_a_drafted_plan_that_accept_takes(project, tmp_path):
    src = tmp_path / "news.txt"
    src.write_text("## 湖南加快智能制造\n\n湖南省力争到2027年建成智能工厂500家。\n", encoding="utf-8")
    assert cli("add-source", str(src), "--published", "2025-03", "--id", "hunan-news").exit_code == 0
    sheet = project / "drafts" / "hunan-news.csv"
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    (plan,) = [r for r in rows if r["record"] == "plan"]
    (goal,) = [r for r in rows if r["record"] == "observation"]
    assert goal["plan"] == plan["plan"] and "names no plan" in plan["reasons"]
    for r in rows:
        r["accept"] = "yes" if r["record"] in ("plan", "observation") else ""
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = cli("accept", str(sheet))
    assert res.exit_code == 0, res.output
    assert "plan_title_en: still a [draft]" in res.output


def test_a_new_indicator_accepted_is_the_one_the_next_province_lands_on(project, tmp_path):
    src = tmp_path / "hunan.txt"
    src.write_text("## 湖南\n\n到2027年，湖南省建成基础级智能工厂3000家。\n", encoding="utf-8")
    assert cli("add-source", str(src), "--published", "2025-03", "--id", "hunan-plan").exit_code == 0
    sheet = project / "drafts" / "hunan-plan.csv"
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["accept"] = "yes" if r["record"] in ("plan", "observation") else ""
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert cli("accept", str(sheet)).exit_code == 0
    terms = {t["indicator_id"]: t for t in read_table(project / "data" / "indicator_terms.csv")}
    assert terms["basic_level_smart_factories_count"]["level"] == "basic"
    text = "## 江苏\n\n到2027年，江苏省建成基础级智能工厂2000家。\n"
    (c,) = draft(
        text, "2025-05", read_table(project / "data" / "regions.csv"), read_table(project / "data" / "indicators.csv")
    ).observations
    assert (c.indicator_id, c.indicator_is_new) == ("basic_level_smart_factories_count", False)


def test_web_pinyin_is_removed_on_intake_with_a_note(project, tmp_path):
    src = tmp_path / "web.txt"
    src.write_text(TRADITIONAL.replace("發布", "發(fā)布").replace("建成", "建(jiàn)成"), encoding="utf-8")
    res = cli("add-source", str(src), "--published", "2025-03")
    assert res.exit_code == 0 and "pinyin removed after" in res.output, res.output
    row = read_table(project / "data" / "sources.csv")[-1]
    assert "pinyin removed after" in row["notes"] and "sha256" in row["notes"]
    assert (project / "seeds" / row["file"]).read_text(encoding="utf-8") == TRADITIONAL
