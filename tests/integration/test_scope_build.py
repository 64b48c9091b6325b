"""A one-row change rebuilds the briefings of its region and peers only, and the CLI says which were unchanged."""

from __future__ import annotations

import shutil

from ..conftest import ROOT, make_project, run_cli
from ..unit.test_scope import _edit_first_row_of, _rewrite


def test_a_one_row_change_rebuilds_the_region_and_says_what_was_unchanged(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "data").unlink()
    shutil.copytree(ROOT / "data", root / "data")
    assert run_cli(root, "build", "-r", "hebei", "-r", "china", "-l", "en", "-j", "2").returncode == 0
    _rewrite(root / "data" / "measures.csv", _edit_first_row_of("hebei", "summary_en"))
    proc = run_cli(root, "build", "-r", "hebei", "-r", "china", "-l", "en", "-j", "2")
    assert proc.returncode == 0, proc.stderr
    assert "1 built, 1 unchanged, 0 failed" in proc.stdout, proc.stdout
    assert "unchanged (their inputs are as when published): china (en)" in proc.stdout, proc.stdout
