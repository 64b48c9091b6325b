"""Project paths, resolved from the package location (never the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("BRIEFINGS_ROOT", PACKAGE_DIR.parents[1])).resolve()
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
NOTEBOOKS_DIR = ROOT / "notebooks"
FIGURES_DIR = ROOT / "figures"
REPORTS_DIR = ROOT / "reports"
BUILD_DIR = ROOT / "build"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LOCALES_DIR = PACKAGE_DIR / "locales"

BRIEFING_NOTEBOOKS = (
    "01_curated_tables.ipynb",
    "02_regional_comparison.ipynb",
    "03_targets_vs_baseline.ipynb",
)
