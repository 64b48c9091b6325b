"""What every part of the build shares: its errors, the result of one briefing, the cell time limit, locks."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import paths

DEFAULT_CELL_TIMEOUT = 600
"""Seconds one cell may run before the build stops it (``--cell-timeout``)."""


class BuildError(RuntimeError):
    """A briefing could not be built; the message names what to fix."""


class Cancelled(Exception):
    """The build was interrupted (Ctrl-C, SIGTERM, or its parent process is gone): publish nothing."""


@dataclass(kw_only=True)
class Result:
    """What one (region, language) build did."""

    region: str
    lang: str
    status: str  # built, unchanged, failed; stale: another published briefing that is out of date
    seconds: float = 0.0
    message: str = ""
    peak_rss_mb: float = 0.0
    kernel_peak_rss_mb: float = 0.0
    retry: bool = False  # failed for a reason that may pass (publishing, a worker that died): worth trying again


def lock_path(name: str) -> Path:
    """The lock file ``name`` under ``build/locks/`` (its folder made if missing)."""
    p = paths.BUILD_DIR / "locks" / f"{name}.lock"
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


@contextmanager
def held(name: str) -> Iterator[None]:
    """Hold the build's lock ``name`` (``build/locks/<name>.lock``), waiting while another process holds it.
    The lock is an ``flock``: it is released when its holder exits, even when killed."""
    fd = os.open(lock_path(name), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def write_json(path: Path, obj: object) -> None:
    """``obj`` as indented UTF-8 JSON, written atomically."""
    paths.atomic_write(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))
