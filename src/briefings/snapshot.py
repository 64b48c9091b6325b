"""A build reads what it hashed: one snapshot of ``data/`` and ``seeds/`` per build.

The build copies the fact base once, under the fact base's lock (``transaction.locked``, so never halfway
through an ``accept``), into ``build/snapshots/<pid>-<n>/``. Everything that round reads comes from that copy:
the keys that decide what is fresh (each briefing's scoped rows and seed texts), the validation, the kernel
that runs the notebooks (``briefings.paths`` points it there) and the published data package. An edit saved
while a briefing is being built cannot reach that briefing: it is published with the key of what it showed,
and the next build sees that the edit has put it out of date.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import paths

ENV = "BRIEFINGS_INPUTS"
"""Set to a snapshot folder, it points ``paths.DATA_DIR`` and ``paths.SEEDS_DIR`` of a new process there."""
_count = itertools.count(1)


def _folder() -> Path:
    return paths.BUILD_DIR / "snapshots"


def _owner_alive(name: str) -> bool:
    head = name.split("-", 1)[0]
    if not head.isdigit():
        return False
    try:
        os.kill(int(head), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean() -> None:
    """Remove the snapshots of builds that are no longer running (and anything else left in the folder)."""
    if _folder().is_dir():
        for p in _folder().iterdir():
            if not _owner_alive(p.name):
                _remove(p)


def take() -> Path:
    """Copy ``data/`` and the seed texts into a new snapshot folder and return it."""
    from .csvtext import DataError, display_name
    from .transaction import locked

    clean()
    snap = _folder() / f"{os.getpid()}-{next(_count)}"
    _remove(snap)
    data, seeds = paths.DATA_DIR, paths.SEEDS_DIR
    if not data.is_dir():
        raise DataError([f"{display_name(data)}/: folder is missing; the fact base lives there"])
    try:
        with locked("build: reading data/ and seeds/", reader=True):
            shutil.copytree(data, snap / "data", symlinks=False)
            (snap / "seeds").mkdir()
            for f in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
                try:
                    os.link(f, snap / "seeds" / f.name)  # seeds are immutable: a link is a copy
                except OSError:
                    shutil.copy2(f, snap / "seeds" / f.name)
    except (OSError, shutil.Error) as exc:
        _remove(snap)
        raise DataError([f"data/ or seeds/ cannot be read into build/snapshots/: {exc}; free disk space"]) from None
    return snap


def point_at(snap: Path | None) -> None:
    """Make this process read ``data/`` and ``seeds/`` from ``snap`` (``None``: from the project again)."""
    root = Path(snap) if snap else None
    paths.DATA_DIR = root / "data" if root else paths.ROOT / "data"
    paths.SEEDS_DIR = root / "seeds" if root else paths.ROOT / "seeds"
    if root:
        os.environ[ENV] = str(root)
    else:
        os.environ.pop(ENV, None)


def kernel_code(snap: Path | None) -> str:
    """What a warm kernel runs before a briefing so that it reads the snapshot, or the project's own
    ``data/`` and ``seeds/`` (``point_at`` in the kernel)."""
    return f"import briefings.snapshot\nbriefings.snapshot.point_at({str(snap) if snap else None!r})"


@contextmanager
def pinned() -> Iterator[Path]:
    """Take a snapshot, read from it for the duration, then remove it."""
    live = (paths.DATA_DIR, paths.SEEDS_DIR, os.environ.get(ENV))
    snap = take()
    try:
        point_at(snap)
        yield snap
    finally:
        paths.DATA_DIR, paths.SEEDS_DIR = live[0], live[1]
        if live[2] is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = live[2]
        _remove(snap)
