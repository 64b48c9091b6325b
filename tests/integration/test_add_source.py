"""End to end on texts the drafter has never seen: add-source → accept every drafted row → a built briefing."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT, run_cli

# Written for this test: a province not in data/ (Simplified) and a city of another (Traditional).
SIMPLIFIED = """## 湖南加快推进智能制造 力争到2027年建成智能工厂500家

本报讯 日前，湖南省工业和信息化厅印发《湖南省智能制造赋能行动计划(2025—2027年)》(以下简称《行动计划》)。
《行动计划》提出，到2027年，全省建成省级智能工厂500家，规模以上工业企业数字化改造覆盖率达到80%以上。

2024年，湖南规模以上工业增加值同比增长7.2%；全省累计建成省级智能工厂312家。

咨询电话：0731-88881234
"""
TRADITIONAL = """## 廈門發布智能製造三年行動方案

本報訊 近日，廈門市印發《廈門市智能製造三年行動方案(2025—2027年)》。方案提出，到2027年，全市建成智能工廠150家以上。
目前，廈門市已累計建成智能工廠86家，工業機器人密度達到320台/萬人。
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("newsource")
    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    (root / "notebooks").symlink_to(ROOT / "notebooks")
    for name in ("reports", "figures"):
        (root / name).mkdir()
    return root


def _accept_all(sheet: Path) -> None:
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["accept"] = "" if r["record"] == "skipped" else "yes"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    "name, text, region, target, result",
    [
        ("hunan.txt", SIMPLIFIED, "hunan", "500", "312"),
        ("xiamen.txt", TRADITIONAL, "xiamen", "150", "86"),
    ],
)
def test_new_text_becomes_a_briefing(project, tmp_path, name, text, region, target, result):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    proc = run_cli(project, "add-source", str(src), "--published", "2025-03", "--publisher", "测试")
    assert proc.returncode == 0, proc.stderr
    sheet = project / re.search(r"→ (\S+\.csv)", proc.stdout).group(1)
    _accept_all(sheet)
    proc = run_cli(project, "accept", str(sheet))
    assert proc.returncode == 0, proc.stderr
    assert "new regions" in proc.stdout and "0 new regions" not in proc.stdout
    assert run_cli(project, "validate").returncode == 0
    proc = run_cli(project, "build", "--region", region, "--lang", "en", "--jobs", "1", "-q")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    html = (project / "reports" / region / "briefing.html").read_text(encoding="utf-8")
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(project / "reports" / region / "briefing.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Adopted targets of" in html and "Reported results" in html
    for number in (target, result):
        assert number in pdf
    quote = next(line for line in text.splitlines() if target in line and "提出" in line)
    assert any(part in html for part in re.split(r"[，。]", quote) if target in part), "the verbatim quote is shown"
