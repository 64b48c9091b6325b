"""Project paths, resolved from the package location (never the working directory)."""

from __future__ import annotations

import os
import uuid
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("BRIEFINGS_ROOT", PACKAGE_DIR.parents[1])).resolve()
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
if os.environ.get("BRIEFINGS_INPUTS"):  # a kernel started by a build reads the build's snapshot (snapshot.py)
    DATA_DIR = Path(os.environ["BRIEFINGS_INPUTS"]) / "data"
    SEEDS_DIR = Path(os.environ["BRIEFINGS_INPUTS"]) / "seeds"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
REPORTS_DIR = ROOT / "reports"
BUILD_DIR = ROOT / "build"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LOCALES_DIR = PACKAGE_DIR / "locales"


def locales_dir() -> Path:
    """The message catalogues, one per edition: ``BRIEFINGS_LOCALES`` if set (a folder of ``*.toml``),
    else the package's."""
    return _resolved(os.environ.get("BRIEFINGS_LOCALES", str(LOCALES_DIR)))


@cache
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


BRIEFING_NOTEBOOKS = (
    "01_curated_tables.ipynb",
    "02_regional_comparison.ipynb",
    "03_targets_vs_baseline.ipynb",
)
