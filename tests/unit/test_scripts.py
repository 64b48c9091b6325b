"""scripts/lab.sh (what `make lab` runs): JupyterLab as root and as an ordinary user."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import ROOT


def _fake_checkout(tmp_path: Path, uid: int, with_lab: bool = True) -> tuple[Path, dict[str, str]]:
    """A copy of lab.sh beside a stand-in jupyter-lab that prints its arguments, and an `id` saying ``uid``."""
    (tmp_path / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "lab.sh", tmp_path / "scripts" / "lab.sh")
    (tmp_path / "notebooks").mkdir()
    if with_lab:
        fake = tmp_path / ".venv" / "bin" / "jupyter-lab"
        fake.parent.mkdir(parents=True)
        fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
        fake.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text(f'#!/bin/sh\n[ "$1" = "-u" ] && echo {uid} || exec /usr/bin/id "$@"\n')
    (bin_dir / "id").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "BRIEFINGS_ROOT"}
    return tmp_path / "scripts" / "lab.sh", {**env, "PATH": f"{bin_dir}:{env['PATH']}"}


@pytest.mark.parametrize("uid, allow_root", [(0, True), (1000, False)])
def test_lab_allows_root_only_as_root(tmp_path, uid, allow_root):
    script, env = _fake_checkout(tmp_path, uid)
    proc = subprocess.run([str(script), "--no-browser", "--port=8899"], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    args = proc.stdout.splitlines()
    assert ("--allow-root" in args) is allow_root
    assert f"--notebook-dir={tmp_path.resolve()}/notebooks" in args
    assert args[-2:] == ["--no-browser", "--port=8899"]


def test_lab_serves_the_notebooks_of_briefings_root(tmp_path):
    script, env = _fake_checkout(tmp_path / "checkout", 1000)
    (tmp_path / "project").mkdir()
    proc = subprocess.run(
        [str(script)], capture_output=True, text=True, env={**env, "BRIEFINGS_ROOT": "project"}, cwd=tmp_path
    )
    assert f"--notebook-dir={tmp_path.resolve()}/project/notebooks" in proc.stdout.splitlines()


def test_lab_without_jupyterlab_is_one_line(tmp_path):
    script, env = _fake_checkout(tmp_path, 1000, with_lab=False)
    proc = subprocess.run([str(script)], capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: JupyterLab is not installed") and len(proc.stderr.splitlines()) == 1
