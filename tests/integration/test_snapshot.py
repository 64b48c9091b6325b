"""A build reads what it hashed: an edit saved while a briefing is built does not reach it, and leaves it
known to be out of date; restored, the briefing is truly unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from ..conftest import project_with_data, run_cli
from .test_watch import _edit_measures


def test_an_edit_during_a_build_leaves_that_briefing_stale_and_known_to_be(tmp_path):
    root = project_with_data(tmp_path / "project")
    html = root / "reports" / "hebei" / "briefing.html"
    args = ("build", "--region", "hebei", "--lang", "en", "--jobs", "1", "-q")
    first = run_cli(root, *args)
    assert "1 built" in first.stdout, first.stderr + first.stdout
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefings", *args, "--force"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    stage = root / "build" / "stage"
    deadline = time.monotonic() + 120
    while not (stage.is_dir() and any(stage.iterdir())) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before its briefing was staged"
    _edit_measures(root / "data", "hebei", "Human-resources", "Snapshot-test marker: human-resources")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "1 built" in out, err + out
    assert "Snapshot-test marker" not in html.read_text(encoding="utf-8"), "the build read data/ after hashing it"
    assert not list((root / "build" / "snapshots").iterdir()), "the snapshot is removed after the build"

    _edit_measures(root / "data", "hebei", "Snapshot-test marker: human-resources", "Human-resources")
    same = run_cli(root, *args)
    assert "0 built, 1 unchanged" in same.stdout, same.stderr + same.stdout  # what it shows is what data/ says

    _edit_measures(root / "data", "hebei", "Human-resources", "Snapshot-test marker: human-resources")
    edited = run_cli(root, *args)
    assert "1 built, 0 unchanged" in edited.stdout, edited.stderr + edited.stdout
    assert "Snapshot-test marker" in html.read_text(encoding="utf-8")
