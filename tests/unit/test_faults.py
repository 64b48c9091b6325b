"""Faults that used to end in a traceback: a stamp nested too deep, decoys where staging folders belong,
a shared table missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefings import paths, publish

from ..conftest import project_with_data, run_cli


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    for name, attr in (("reports", "REPORTS_DIR"), ("figures", "FIGURES_DIR"), ("build", "BUILD_DIR")):
        (tmp_path / name).mkdir()
        monkeypatch.setattr(paths, attr, tmp_path / name)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    return tmp_path


def test_a_stamp_nested_two_hundred_thousand_deep_is_a_corrupt_stamp(root):
    stamp = publish.stamp_path("hebei", "en")
    stamp.parent.mkdir(parents=True)
    stamp.write_text("[" * 200_000 + "]" * 200_000)
    assert publish.read_stamp("hebei", "en") is None
    assert publish.is_fresh("hebei", "en", "k") is False


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        pid -= 1


def test_decoy_files_where_staging_folders_belong_are_removed(root):
    stage = root / "build" / "stage"
    stage.mkdir()
    dead = _dead_pid()
    decoys = [stage / f"{dead}.hebei.en", stage / "notes.txt", root / "reports" / f".publishing-{dead}-hebei-en"]
    for d in decoys:
        d.write_text("decoy")
    (stage / f"{os.getpid() + 0}.x.en").mkdir()
    publish.recover()
    assert not any(d.exists() for d in decoys)


def test_a_file_where_the_staging_folder_belongs_is_removed(root):
    (root / "build" / "stage").write_text("decoy")
    publish.recover()
    assert not (root / "build" / "stage").exists()


def test_build_one_steps_over_a_decoy_at_its_staging_path(root):
    from briefings.build import build_one

    stage = root / "build" / "stage"
    stage.mkdir()
    (stage / f"{os.getpid()}.hebei.en").write_text("decoy")
    res = build_one("hebei", "en", "k", "d", str(root / "missing.ipynb"), 10, os.getppid(), fresh_kernel=True)
    assert res.status == "failed" and "FileExists" not in res.message and "NotADirectory" not in res.message
    assert not (stage / f"{os.getpid()}.hebei.en").exists()


@pytest.mark.parametrize("table", ["themes.csv", "indicators.csv"])
def test_a_missing_shared_table_is_one_line(tmp_path, table):
    project = project_with_data(tmp_path / "p")
    (project / "data" / table).unlink()
    proc = run_cli(project, "build", "--region", "hebei", "--lang", "en", "-q")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"error: data/{table}: file is missing", proc.stderr


def test_an_index_that_cannot_be_written_is_one_line_naming_what_to_fix(root, monkeypatch):
    import errno

    from click.testing import CliRunner

    from briefings import cli
    from briefings.build import pool

    def refuse(keys=None, fresh=frozenset()):
        raise PermissionError(errno.EACCES, "Permission denied", str(root / "reports" / "index.html"))

    monkeypatch.setattr(publish, "is_fresh", lambda region, lang, key, digests=None: True)  # every briefing is current
    monkeypatch.setattr(pool, "write_index", refuse)
    got = CliRunner().invoke(cli.main, ["build", "-r", "hebei", "-l", "en", "-q"])
    assert got.exit_code == 1, got.output
    lines = got.stderr.strip().splitlines()
    assert lines == [
        "error: index: cannot write reports/index.html: Permission denied; make reports/ writable and free disk "
        "space (the previous index is unchanged)"
    ], got.stderr
