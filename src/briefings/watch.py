"""``briefings watch``: keep the build's workers warm and rebuild what an edit puts out of date, once it is saved.

A cold ``briefings build`` spends most of a small briefing's time starting: the kernel's imports, the
libraries of the export and the PDF, the fonts. Watching pays that once. Each time the inputs change it
validates the fact base, works out the briefings whose key no longer matches what is published, builds
them in the workers it keeps (their kernels warm), rewrites the index and prints one line. An edit that
leaves the data invalid (or a table missing) prints the validation error and the published briefings stay as
they are, marked out of date in the index only once a valid edit rebuilds it. Each round also re-checks what
is published: a deleted or altered output is rebuilt. A publish that failed (a read-only or full disk) is
tried again after 1, 2, 4 … up to 60 s. A change to the package's code, templates or catalogues restarts the
watcher (its workers hold the old code).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from . import paths

Snapshot = dict[str, tuple[int, int]]


def _inputs() -> tuple[list[Path], list[Path]]:
    """The folders a briefing is made from: (data, seeds and notebooks; the code, templates and catalogues)."""
    return [paths.DATA_DIR, paths.SEEDS_DIR, paths.NOTEBOOKS_DIR], [paths.PACKAGE_DIR, paths.locales_dir()]


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Modification time and size of every file under ``folders`` (cheap enough to take every second)."""
    out: Snapshot = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                if name.startswith(".") or name.endswith((".pyc", "~", ".swp")):
                    continue
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:  # removed while we looked: the next look sees it gone
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


RETRY_FIRST, RETRY_MOST = 1.0, 60.0
"""Seconds before a failed publish is tried again, doubling after each failure up to the most."""


def _outputs() -> list[Path]:
    """What is published, re-checked every round: a missing or altered file is rebuilt."""
    return [paths.REPORTS_DIR, paths.FIGURES_DIR, paths.BUILD_DIR / "stamps"]


def watch(
    regions: list[str] | None,
    langs: tuple[str, ...],
    jobs: int | None,
    cell_timeout: int,
    echo: Callable[[str], None],
    interval: float = 1.0,
) -> None:
    """Build now, then again after every saved change to the inputs or to what is published, until interrupted
    (``KeyboardInterrupt``). A failed publish is tried again with a backoff. A change to the code re-executes
    this command."""
    from .build import BuildPool, interruptible

    content, code = _inputs()
    seen: Snapshot | None = None
    published: Snapshot | None = None
    seen_code = snapshot(code)
    retry_at, backoff = None, RETRY_FIRST
    with interruptible(), BuildPool(jobs) as pool:
        echo(f"watching data/, seeds/ and notebooks/ ({_count(pool.workers, 'warm worker')}); Ctrl-C stops")
        while True:
            if snapshot(code) != seen_code:
                echo("the package's code, templates or catalogues changed: restarting")
                pool.close()
                os.execv(sys.executable, [sys.executable, "-m", "briefings", *sys.argv[1:]])
            now = snapshot(content)
            due = retry_at is not None and time.monotonic() >= retry_at
            if now == seen and snapshot(_outputs()) == published and not due:
                time.sleep(interval)
                continue
            seen = _settled(content, now, interval)
            results = _round(regions, langs, cell_timeout, echo, pool)
            published = snapshot(_outputs())
            retry = any(r.status == "failed" and r.retry for r in results or [])
            if results and not retry and not _intact(results):
                published = None  # an output was removed or altered while the round ran: look again now
            if retry:
                echo(f"{datetime.now():%H:%M:%S}  trying the failed publish again in {backoff:.0f} s")
                retry_at, backoff = time.monotonic() + backoff, min(backoff * 2, RETRY_MOST)
            else:
                retry_at, backoff = None, RETRY_FIRST


def _settled(folders: list[Path], now: Snapshot, interval: float) -> Snapshot:
    """The inputs once a save has finished: an editor may write a file in several steps (truncate, then
    write), so wait until two looks a moment apart agree (at most a few seconds)."""
    pause = min(0.1, interval / 2)
    for _ in range(50):
        time.sleep(pause)
        later = snapshot(folders)
        if later == now:
            break
        now = later
    return now


def _intact(results) -> bool:
    """Whether what the round published (or found fresh) is still as published. Checked after the outputs'
    snapshot is taken, so a file deleted while the round ran is not missed."""
    from . import publish
    from .build import BriefingKeys

    try:
        keys = BriefingKeys()
        return all(
            publish.is_fresh(r.region, r.lang, keys(r.region, r.lang))
            for r in results
            if r.lang != "-" and r.status in ("built", "unchanged")
        )
    except Exception:  # noqa: BLE001 - data changed meanwhile: the inputs' snapshot sees it
        return True


def _round(regions, langs, cell_timeout: int, echo: Callable[[str], None], pool) -> list | None:
    """Build what is out of date and print one line; the results, or None when the round could not run
    (invalid or missing data, or any other fault: one line and a wait for the next change)."""
    from .build import build as run_build
    from .csvtext import DataError
    from .notebooks_hash import NotebookError
    from .transaction import EditError

    started = time.perf_counter()
    try:
        results = run_build(regions, langs, cell_timeout=cell_timeout, progress=False, echo=echo, pool=pool)
    except (DataError, NotebookError, EditError) as exc:
        echo(f"{datetime.now():%H:%M:%S}  error: {exc}  (waiting for the next change)")
        return None
    except Exception as exc:  # noqa: BLE001 - the watcher stays up: one line, then the next change
        line = str(exc).splitlines()[0] if str(exc) else ""
        echo(f"{datetime.now():%H:%M:%S}  error: {type(exc).__name__}: {line}  (waiting for the next change)")
        return None
    counts = {s: sum(r.status == s for r in results) for s in ("built", "unchanged", "failed", "stale")}
    stale = f", {_count(counts['stale'], 'other briefing')} out of date" if counts["stale"] else ""
    echo(
        f"{datetime.now():%H:%M:%S}  {counts['built']} built, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed{stale} in {time.perf_counter() - started:.1f} s "
        f"→ {paths.REPORTS_DIR.relative_to(paths.ROOT)}/index.html"
    )
    return results
