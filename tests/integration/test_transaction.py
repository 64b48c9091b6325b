"""Changes to data/ and seeds/ are transactions: two at once both land, a failure or a kill between writes
leaves the old state (or, once swapped, the new one), a read-only file is one line, and --sheet cannot
destroy anything."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, run_cli
from .test_add_source import SIMPLIFIED, TRADITIONAL


@pytest.fixture
def project(tmp_path) -> Path:
    """A project whose data/ and seeds/ are copies a test may change."""
    root = tmp_path / "p"
    root.mkdir()
    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("reports", "figures"):
        (root / name).mkdir()
    return root


def state(root: Path) -> dict[str, str]:
    """Every file of data/ and seeds/ by its digest: what 'as before' means."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for d in ("data", "seeds")
        for p in sorted((root / d).rglob("*"))
        if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob(".data.*") if not p.name.endswith(".lock"))


def start(root: Path, *args: str, fault: str = "") -> subprocess.Popen:
    env = {**os.environ, "BRIEFINGS_ROOT": str(root), "BRIEFINGS_FAULT": fault}
    return subprocess.Popen(
        [sys.executable, "-m", "briefings", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def run(root: Path, *args: str, fault: str = "") -> subprocess.CompletedProcess:
    p = start(root, *args, fault=fault)
    out, err = p.communicate(timeout=300)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def text_file(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def sheet_of(root: Path, tmp_path: Path, name: str, text: str) -> Path:
    """add-source, then every drafted row marked yes."""
    proc = run_cli(root, "add-source", str(text_file(tmp_path, name, text)), "--published", "2025-03")
    assert proc.returncode == 0, proc.stderr
    sheet = root / re.search(r"→ (\S+\.csv)", proc.stdout).group(1)
    mark_all(sheet)
    return sheet


def mark_all(sheet: Path) -> None:
    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["accept"] = "" if r["record"] == "skipped" else "yes"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def rows(root: Path, table: str) -> list[dict[str, str]]:
    with (root / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_two_accepts_at_once_both_land(project, tmp_path):
    hunan = sheet_of(project, tmp_path, "hunan.txt", SIMPLIFIED)
    xiamen = sheet_of(project, tmp_path, "xiamen.txt", TRADITIONAL)
    first = start(project, "accept", str(hunan), fault="sleep:begun")  # holds the lock for two seconds
    second = start(project, "accept", str(xiamen))
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "merged" in out1 and "merged" in out2
    assert "waiting for another command" in err2 + err1
    regions = {r["region_id"] for r in rows(project, "regions")}
    assert {"hunan", "xiamen"} <= regions
    sources = {o["source_id"] for o in rows(project, "observations")}
    assert {"hunan-2025", "xiamen-2025"} <= sources
    assert run_cli(project, "validate").returncode == 0
    assert not leftovers(project)


def test_two_add_sources_at_once_both_register_their_seed(project, tmp_path):
    a = start(project, "add-source", str(text_file(tmp_path, "a.txt", SIMPLIFIED)), "--published", "2025-03")
    b = start(project, "add-source", str(text_file(tmp_path, "b.txt", TRADITIONAL)), "--published", "2025-04")
    for p in (a, b):
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    sources = rows(project, "sources")
    assert len(sources) == 7 and len({s["file"] for s in sources}) == 7
    assert {s["file"] for s in sources} == {p.name for p in (project / "seeds").glob("*.txt")}, "no orphan seed"
    assert run_cli(project, "validate").returncode == 0


@pytest.mark.parametrize("moment", ["begun", "swap"])
def test_a_failure_between_writes_leaves_the_old_state(project, tmp_path, moment):
    sheet = sheet_of(project, tmp_path, "hunan.txt", SIMPLIFIED)
    before = state(project)
    proc = run(project, "accept", str(sheet), fault=moment)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "nothing was changed" in proc.stderr, proc.stderr
    assert state(project) == before
    assert not leftovers(project)


@pytest.mark.parametrize("moment", ["begun", "seeded", "sheet", "swap"])
def test_a_killed_add_source_is_rolled_back_by_the_next_command(project, tmp_path, moment):
    before = state(project)
    proc = run(
        project, "add-source", str(text_file(tmp_path, "a.txt", SIMPLIFIED)), "--published", "2025-03", fault=moment
    )
    assert proc.returncode == 2 and "nothing was changed" in proc.stderr and "Traceback" not in proc.stderr
    assert state(project) == before and not list((project / "drafts").glob("*.csv"))
    proc = run(
        project,
        "add-source",
        str(text_file(tmp_path, "a.txt", SIMPLIFIED)),
        "--published",
        "2025-03",
        fault=f"kill:{moment}",
    )
    assert proc.returncode == -9
    after = run_cli(project, "validate")
    assert after.returncode == 0, after.stderr
    assert "rolled back an interrupted change to data/" in after.stderr
    assert state(project) == before, "data/ and seeds/ are as before, no orphan seed"
    assert not leftovers(project)
    assert not list((project / "drafts").glob("*.csv")), "no sheet of a source that was never registered"
    again = run(project, "add-source", str(tmp_path / "a.txt"), "--published", "2025-03")
    assert again.returncode == 0, again.stderr


def test_a_kill_after_the_swap_is_completed_by_the_next_command(project, tmp_path):
    sheet = sheet_of(project, tmp_path, "hunan.txt", SIMPLIFIED)
    n = len(rows(project, "observations"))
    proc = run(project, "accept", str(sheet), fault="kill:swapped")
    assert proc.returncode == -9
    after = run_cli(project, "validate")
    assert after.returncode == 0 and "completed an interrupted change" in after.stderr, after.stderr
    assert len(rows(project, "observations")) > n
    assert not leftovers(project)


def test_a_read_only_table_is_one_line_and_changes_nothing(project, tmp_path):
    sheet = sheet_of(project, tmp_path, "hunan.txt", SIMPLIFIED)
    (project / "data" / "observations.csv").chmod(0o444)
    before = state(project)
    proc = run_cli(project, "accept", str(sheet))
    assert proc.returncode == 1
    assert "data/observations.csv is read-only" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert state(project) == before
    (project / "data" / "observations.csv").chmod(0o644)
    assert run_cli(project, "accept", str(sheet)).returncode == 0


def test_a_second_writer_is_refused_with_one_line_when_the_lock_is_held_too_long(project, tmp_path):
    from briefings import paths, transaction

    sheet = sheet_of(project, tmp_path, "hunan.txt", SIMPLIFIED)
    old = (paths.ROOT, paths.DATA_DIR, paths.SEEDS_DIR)
    paths.ROOT, paths.DATA_DIR, paths.SEEDS_DIR = project, project / "data", project / "seeds"
    try:
        with transaction.locked("a long edit"):
            env = {**os.environ, "BRIEFINGS_ROOT": str(project), "BRIEFINGS_LOCK_WAIT": "1"}
            proc = subprocess.run(
                [sys.executable, "-m", "briefings", "accept", str(sheet)], capture_output=True, text=True, env=env
            )
    finally:
        paths.ROOT, paths.DATA_DIR, paths.SEEDS_DIR = old
    assert proc.returncode == 1
    assert f"pid {os.getpid()}: a long edit" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture
def here(project, monkeypatch) -> Path:
    """``project`` as this process's project root."""
    from briefings import paths

    monkeypatch.setattr(paths, "ROOT", project)
    monkeypatch.setattr(paths, "DATA_DIR", project / "data")
    monkeypatch.setattr(paths, "SEEDS_DIR", project / "seeds")
    return project


def _prepared(root: Path):
    """A transaction with a changed table, journalled as about to swap."""
    from briefings import transaction

    tx = transaction.Transaction("test edit")
    tx.begin()
    tx.write("themes.csv", (root / "data" / "themes.csv").read_text(encoding="utf-8") + "\n")
    tx._journal(new_ino=tx.data.stat().st_ino)
    return tx, tx.data.with_name(tx.data.name + ".old")


def test_a_kill_between_the_two_renames_of_the_fallback_swap_is_rolled_back(here):
    from briefings import transaction

    before = state(here)
    tx, aside = _prepared(here)
    (here / "data").rename(aside)  # the old data/ moved aside; the new one not yet in place
    assert "rolled back" in transaction.recover()
    assert state(here) == before and not leftovers(here)


def test_a_kill_after_the_fallback_put_the_new_folder_in_place_is_completed(here):
    from briefings import transaction

    tx, aside = _prepared(here)
    (here / "data").rename(aside)
    tx.data.rename(here / "data")  # the new data/ in place; the old one still aside
    assert "completed" in transaction.recover()
    assert (here / "data" / "themes.csv").read_text(encoding="utf-8").endswith("\n\n")
    assert not leftovers(here)


@pytest.mark.parametrize("moment", ["begun", "swap"])
def test_a_killed_accept_is_rolled_back_by_the_next_command(project, tmp_path, moment):
    sheet = sheet_of(project, tmp_path, "hunan.txt", SIMPLIFIED)
    before = state(project)
    assert run(project, "accept", str(sheet), fault=f"kill:{moment}").returncode == -9
    after = run_cli(project, "accept", str(sheet))  # the next command undoes the killed one, then merges
    assert after.returncode == 0 and "rolled back an interrupted change to data/" in after.stderr, after.stderr
    assert state(project) != before and not leftovers(project)
    assert {"hunan"} <= {r["region_id"] for r in rows(project, "regions")}
    assert run_cli(project, "validate").returncode == 0
