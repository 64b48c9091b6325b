"""Shared fixtures: the real fact base, writable copies of data/, and isolated project roots."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def fb():
    from briefings import data

    return data.validate()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def make_project(base: Path, notebooks: Path | None = None) -> Path:
    """An isolated project root: data, seeds and notebooks from the repo, its own reports/figures/build."""
    base.mkdir(parents=True, exist_ok=True)
    for name in ("data", "seeds"):
        (base / name).symlink_to(ROOT / name)
    if notebooks is None:
        (base / "notebooks").symlink_to(ROOT / "notebooks")
    else:
        shutil.copytree(notebooks, base / "notebooks")
    for name in ("reports", "figures"):
        (base / name).mkdir()
    return base


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """``python -m briefings ARGS`` against the project at ``root``."""
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "briefings", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=root)


def frame(csv_text: str, key: str | None = None) -> pd.DataFrame:
    """A small inline CSV as a DataFrame (indexed by ``key`` like the loader does)."""
    df = pd.read_csv(io.StringIO(csv_text.strip()), dtype={"period": str}, keep_default_na=False)
    for col in ("is_period_inferred", "higher_is_better", "is_adopted"):
        if col in df:
            df[col] = df[col].astype(str).str.lower().eq("true")
    if "comparison_group" in df:
        df["comparison_group"] = df["comparison_group"].replace("", None)
    return df.set_index(key, drop=False).rename_axis(None) if key else df


REGIONS = ("shanghai", "hebei")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Shanghai (rich) and Hebei (sparse), both editions, built by the CLI into an isolated project."""
    root = make_project(tmp_path_factory.mktemp("project"))
    proc = run_cli(root, "build", "--region", "shanghai", "--region", "河北", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "4 built, 0 unchanged, 0 failed" in proc.stdout
    return root
