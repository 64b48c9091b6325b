"""The cache key of a validated fact base, computed without pandas (a build with nothing to do needs it and
nothing else of the loader)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import paths


def inputs_digest(data_dir: Path | None = None, seeds_dir: Path | None = None) -> str:
    """The cache key of a validated fact base: every data table and seed, the package's code (which
    decides what is valid and how it is typed) and the versions of Python and the libraries."""
    from .system import library_versions

    h = hashlib.sha256(library_versions().encode())
    for d in (Path(data_dir or paths.DATA_DIR), Path(seeds_dir or paths.SEEDS_DIR)):
        for f in sorted(list(d.glob("*.csv")) + list(d.glob("*.txt"))):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    for f in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        h.update(f.relative_to(paths.PACKAGE_DIR).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()
