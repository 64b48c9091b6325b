"""Content digests of files (the build's inputs, the published briefings), recomputed only for files whose
size or modification time changed.

The digests of the last build are kept in ``build/digests.json`` with each file's size and ``st_mtime_ns``.
A file whose size and modification time (to the nanosecond) are as recorded is taken as unchanged and not
read; any other is read and hashed again. A file modified too recently before it was hashed is not recorded:
a second write within the same clock tick would leave its size and time as they were. How recent is too recent
depends on the file system's clock: ``RACY_NS`` where modification times are whole seconds (FAT, HFS+, some
network file systems), ``FINE_RACY_NS`` where they carry nanoseconds (ext4, XFS, Btrfs, tmpfs: their clock
ticks every 1–10 ms).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

from . import paths

CACHE_NAME = "digests.json"
RACY_NS = 2_000_000_000
"""A file modified this recently (in nanoseconds) is hashed every time until it has settled."""
FINE_RACY_NS = 100_000_000
"""The same, on a file system whose modification times carry nanoseconds (many clock ticks)."""


def racy_ns(st_mtime_ns: int) -> int:
    """How long after ``st_mtime_ns`` a write could still leave that time: ``RACY_NS`` where it is a whole
    second (the file system keeps no finer time), else ``FINE_RACY_NS``."""
    return RACY_NS if st_mtime_ns % 1_000_000_000 == 0 else FINE_RACY_NS


def settled(st_mtime_ns: int, now_ns: int) -> bool:
    """True when a file last modified at ``st_mtime_ns`` cannot be written again with the same time."""
    return now_ns - st_mtime_ns >= racy_ns(st_mtime_ns)


def sha256_bytes(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Digests:
    """Digests of files by name, from the cache where a file's size and mtime_ns are unchanged."""

    def __init__(self) -> None:
        self._path = paths.BUILD_DIR / CACHE_NAME
        self._old = self._load()
        self._new: dict[str, list] = {}

    def _load(self) -> dict[str, list]:
        try:
            cache = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return {}
        return cache if isinstance(cache, dict) else {}

    def of(self, path: Path, kind: str = "bytes", compute: Callable[[Path], str] | None = None) -> str:
        """The digest ``compute(path)`` (default: SHA-256 of its bytes) of the file at ``path``, named ``kind``
        in the cache."""
        from .csvtext import display_name  # data/x.csv, also in a build's snapshot

        st = path.stat()
        name = f"{kind}:{display_name(path)}"
        entry = self._old.get(name)
        fresh = isinstance(entry, list) and len(entry) == 3 and entry[:2] == [st.st_size, st.st_mtime_ns]
        digest = entry[2] if fresh else (compute or sha256_bytes)(path)
        if settled(st.st_mtime_ns, time.time_ns()):
            self._new[name] = [st.st_size, st.st_mtime_ns, digest]
        return digest

    def save(self) -> None:
        """Record the digests computed (or confirmed) since the cache was read, if any changed."""
        merged = {**self._old, **self._new}
        if merged == self._old:
            return
        try:
            paths.atomic_write(self._path, json.dumps(merged, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # a cache only: the next build hashes again
        self._old = merged
