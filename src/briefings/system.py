"""System dependencies (the Noto fonts, poppler): a clear message with the fixing command."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import cache

APT_PACKAGES = ("fonts-noto-core", "fonts-noto-cjk", "fontconfig", "poppler-utils")
FIX = "apt-get install -y " + " ".join(APT_PACKAGES) + "  (or run `make setup`)"
CJK_FAMILY = "Noto Sans CJK SC"
PRINT_FONTS = (
    ("Noto Sans", "Regular", "fonts-noto-core"),
    ("Noto Sans", "Bold", "fonts-noto-core"),
    ("Noto Sans", "Italic", "fonts-noto-core"),
    ("Noto Sans", "Bold Italic", "fonts-noto-core"),
    (CJK_FAMILY, "Regular", "fonts-noto-cjk"),
    (CJK_FAMILY, "Bold", "fonts-noto-cjk"),
)
"""The font files a PDF is typeset with (family, style, Debian package): nothing else is looked up."""


class MissingDependency(RuntimeError):
    """A system package the build needs is not installed."""


def _font_file(family: str, style: str) -> str | None:
    """The file of one installed font (fontconfig), or ``None`` when fontconfig would substitute another."""
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(
        ["fc-match", "-f", "%{family}\\t%{style}\\t%{file}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
    ).stdout
    families, styles, file = (out.split("\t") + ["", "", ""])[:3]
    return file if family in families.split(",") and style in styles.split(",") else None


@cache
def print_fonts() -> tuple[str, ...]:
    """The font files of ``PRINT_FONTS``; a one-line ``MissingDependency`` names what is not installed."""
    found = {(f, s): _font_file(f, s) for f, s, _ in PRINT_FONTS}
    missing = sorted({f"font {f} {s} (Debian package {pkg})" for f, s, pkg in PRINT_FONTS if not found[(f, s)]})
    if missing:
        raise MissingDependency(f"missing {', '.join(missing)}: install with `{FIX}`")
    return tuple(dict.fromkeys(str(v) for v in found.values()))


def require_pdf_stack() -> None:
    """Raise a one-line ``MissingDependency`` naming the missing fonts and the command that installs them."""
    print_fonts()


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
    """Python's and the content-shaping libraries' versions, as one string (part of every cache key). Read
    once per environment: kept in ``build/cache/`` under the environment's prefix and the modification time
    of its site-packages folder (an install or an upgrade adds or renames a folder there)."""
    import json
    import sysconfig
    from pathlib import Path

    from . import paths

    site = Path(sysconfig.get_paths()["purelib"])
    key = f"{sys.prefix}|{site.stat().st_mtime_ns if site.is_dir() else 0}"
    kept = paths.BUILD_DIR / "cache" / "library-versions.json"
    try:
        stored = json.loads(kept.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return stored["versions"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    versions = _read_library_versions()
    try:
        paths.atomic_write(kept, json.dumps({"key": key, "versions": versions}).encode("utf-8"))
    except OSError:
        pass  # read again next time
    return versions


def _read_library_versions() -> str:
    import importlib.metadata

    names = (
        "pandas",
        "numpy",
        "pandera",
        "matplotlib",
        "seaborn",
        "nbconvert",
        "nbformat",
        "papermill",
        "typst",
        "jinja2",
    )
    found = []
    for name in names:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return f"python={sys.version.split()[0]};" + ";".join(found)
