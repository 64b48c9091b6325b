"""What is published beside the briefings: ``reports/index.html`` and the data package ``reports/data/``."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable

from .. import paths, publish
from ..publish import edition_suffixes
from .common import lock_path
from .keys import BriefingKeys, read_regions_light


def stale_briefings(key_of: Callable[[str, str], str]) -> list[tuple[str, str]]:
    """Published briefings that no longer match the current inputs (or whose files were altered)."""
    out = []
    for d in sorted(paths.REPORTS_DIR.iterdir()) if paths.REPORTS_DIR.is_dir() else []:
        for lang, suffix in edition_suffixes().items():
            if d.is_dir() and not d.name.startswith(".") and (d / f"briefing{suffix}.html").exists():
                if not publish.is_fresh(d.name, lang, key_of(d.name, lang)):
                    out.append((d.name, lang))
    return out


def _region_order() -> dict[str, int]:
    """Each region's place in ``regions.csv``, the order of the index's rows."""
    try:
        return {r["region_id"]: i for i, r in enumerate(read_regions_light())}
    except Exception:  # noqa: BLE001 - order only; the build reports broken data elsewhere
        return {}


def write_index(keys: BriefingKeys | None = None) -> set[tuple[str, str]]:
    """``reports/index.html``: every published briefing with its headline numbers (from the briefing's
    own summary, so the index never disagrees with what it links to) and a mark on any that is out of date.
    Returns the out-of-date briefings."""
    from filelock import FileLock

    from ..index import render_index

    target = paths.REPORTS_DIR / "index.html"
    with FileLock(str(lock_path("index"))):
        publish_datapackage()
        stale = set(stale_briefings(keys or BriefingKeys()))
        html = render_index(stale, _region_order())
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            paths.atomic_write(target, html.encode("utf-8"))
    return stale


def publish_datapackage() -> None:
    """The whole fact base for download, ``reports/data/``: replaced in one step, and only when it changed."""
    from ..datapackage import ZIP_NAME, export_datapackage, package_files

    target = paths.REPORTS_DIR / "data"
    files = package_files()
    on_disk = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if p.is_file()} if target.is_dir() else {}
    if set(on_disk) == set(files) | {ZIP_NAME} and all(on_disk[n].read_bytes() == c for n, c in files.items()):
        return
    work = paths.REPORTS_DIR / f"{publish.WORK_PREFIX}{os.getpid()}-data"
    shutil.rmtree(work, ignore_errors=True)
    export_datapackage(work)
    publish.swap_in(work, target)
    shutil.rmtree(work, ignore_errors=True)
