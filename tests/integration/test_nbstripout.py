"""nbstripout, installed as a git filter, strips what JupyterLab saves from a notebook before it is committed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT
from ..unit.test_notebooks import _as_saved_in_jupyterlab, _tiny, _write


def test_nbstripout_filter_strips_on_git_add(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GIT_DIR", None)
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, env=env, capture_output=True, text=True, check=True)  # noqa: E731
    git("init", "-q")
    shutil.copyfile(ROOT / ".gitattributes", repo / ".gitattributes")
    nbstripout = Path(sys.executable).parent / "nbstripout"
    subprocess.run([str(nbstripout), "--install"], cwd=repo, env=env, check=True)
    _write(repo / "explore.ipynb", _as_saved_in_jupyterlab(_tiny()))
    git("add", "explore.ipynb")
    staged = json.loads(git("show", ":explore.ipynb").stdout)
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in staged["cells"])
    assert "widgets" not in staged["metadata"]
    assert ["".join(c["source"]) for c in staged["cells"]] == [c.source for c in _tiny().cells]
