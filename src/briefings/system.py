"""System dependencies (fonts, WeasyPrint's libraries, poppler): a clear message with the fixing command."""

from __future__ import annotations

import ctypes.util
import importlib.metadata
import shutil
import subprocess
import sys
from functools import cache

APT_PACKAGES = (
    "fonts-noto-cjk",
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fontconfig",
    "poppler-utils",
)
FIX = "apt-get install -y " + " ".join(APT_PACKAGES) + "  (or run `make setup`)"
CJK_FAMILY = "Noto Sans CJK SC"


class MissingDependency(RuntimeError):
    """A system package the build needs is not installed."""


def _library(name: str, package: str) -> str | None:
    return None if ctypes.util.find_library(name) else f"library lib{name} (Debian package {package})"


def missing_pdf_stack() -> list[str]:
    """What the PDF build lacks: WeasyPrint's libraries and the CJK font."""
    missing = [
        m
        for m in (
            _library("pango-1.0", "libpango-1.0-0"),
            _library("pangoft2-1.0", "libpangoft2-1.0-0"),
            _library("harfbuzz-subset", "libharfbuzz-subset0"),
            _library("fontconfig", "fontconfig"),
        )
        if m
    ]
    if not cjk_font_installed():
        missing.append(f"font {CJK_FAMILY} (Debian package fonts-noto-cjk)")
    return missing


def cjk_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", f":family={CJK_FAMILY}", "family"], capture_output=True, text=True).stdout
    return CJK_FAMILY in out


@cache
def require_pdf_stack() -> None:
    """Raise a one-line ``MissingDependency`` naming what is missing and the command that installs it."""
    missing = missing_pdf_stack()
    if missing:
        raise MissingDependency(f"missing {', '.join(missing)}: install with `{FIX}`")


def require_poppler() -> None:
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdftoppm") if not shutil.which(tool)]
    if missing:
        raise MissingDependency(f"missing {', '.join(missing)} (Debian package poppler-utils): install with `{FIX}`")


def peak_memory_mb() -> float:
    """This process's peak resident memory (VmHWM from /proc), in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        line = next(line for line in fh if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


@cache
def library_versions() -> str:
    """Python's and the content-shaping libraries' versions, as one string (part of every cache key)."""
    names = (
        "pandas",
        "numpy",
        "pandera",
        "matplotlib",
        "seaborn",
        "nbconvert",
        "nbformat",
        "papermill",
        "weasyprint",
        "jinja2",
    )
    found = []
    for name in names:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return f"python={sys.version.split()[0]};" + ";".join(found)
